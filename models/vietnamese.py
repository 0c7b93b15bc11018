"""Small Vietnamese text helpers every layer shares: NFC, folding, Đ."""
from __future__ import annotations

import unicodedata

# Ð (U+00D0, Icelandic eth) and đ look alike in PDFs and OCR; identifiers use Đ (U+0110).
_ETH_TO_D = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fix_d(text: str) -> str:
    """Replace look-alike eth letters by Vietnamese Đ/đ: 'QÐ-UBND' → 'QĐ-UBND'."""
    return text.translate(_ETH_TO_D)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Kế hoạch Chuyển đổi số' → 'ke hoach chuyen doi so'.

    Keeps one output character per input character of NFC text, so offsets into
    the folded string are offsets into the original.
    """
    out = []
    for ch in text:
        if ch in "đĐ\u00d0\u00f0":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch.lower())
    return "".join(out)
