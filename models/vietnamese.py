"""Small Vietnamese text helpers every layer shares: NFC, folding, Đ."""
from __future__ import annotations

import unicodedata

# Ð (U+00D0, Icelandic eth) and đ look alike in PDFs and OCR; identifiers use Đ (U+0110).


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fix_d(text: str) -> str:
    """Replace look-alike eth letters by Vietnamese Đ/đ: 'QÐ-UBND' → 'QĐ-UBND'."""
    return text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")  # every page: replace beats translate


def _fold_table() -> dict[int, str]:
    """Every accented Latin letter to its bare lower-case letter, one character for one."""
    table = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    for ch in "đĐ\u00d0\u00f0":
        table[ord(ch)] = "d"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Kế hoạch Chuyển đổi số' → 'ke hoach chuyen doi so'.

    Keeps one output character per input character of NFC text, so offsets into
    the folded string are offsets into the original.
    """
    folded = text.translate(_FOLD).lower()
    # lower() may lengthen a rare letter (İ); keep the one-for-one promise
    return folded if len(folded) == len(text) else "".join(c.translate(_FOLD).lower()[:1] or c for c in text)


# the marks Vietnamese writes over or under a letter (NFD): grave, acute, tilde, hook above,
# dot below (tones), breve, circumflex, horn
VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b")


def is_vietnamese_letter(ch: str) -> bool:
    """A letter Vietnamese writes (a-z with its own marks, and đ): not 'š' or 'ø', which OCR
    makes of a stamp's edge.

    >>> is_vietnamese_letter("ữ"), is_vietnamese_letter("Đ"), is_vietnamese_letter("š"), is_vietnamese_letter("ø")
    (True, True, False, False)
    """
    if ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return base.isascii() and base.isalpha() and all(mark in VIETNAMESE_MARKS for mark in marks)


def within_one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one letter added, dropped or changed."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]
