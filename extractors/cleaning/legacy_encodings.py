"""Vietnamese text in pre-Unicode encodings, detected and converted to Unicode.

Documents typed in the 1990s-2000s with .VnTime fonts (TCVN3, "ABC") or VNI-Times
reach us as Latin-1 look-alikes: a PDF without a ToUnicode map, or a .txt saved
from Word, reads `c¸c c¬ quan` (TCVN3) or `caùc cô quan` (VNI) for `các cơ quan`.
Detection converts with each table and keeps a conversion only when the result
reads as far better Vietnamese (`vanban.extractors.cleaning.text_quality`), so normal Unicode
Vietnamese and English are never touched.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

import regex

from vanban.models.vietnamese import fix_d, nfc
from vanban.extractors.cleaning.text_quality import quality

# TCVN3 (ABC): one byte per letter; capitals with a tone were drawn by the .VnTimeH
# font from lower-case codes, so they come back lower-case (the case is lost).
TCVN3_TO_UNICODE = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\u00ad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư",
}

# VNI: a base letter followed by a mark character. Tones in the order sắc, huyền,
# hỏi, ngã, nặng; the combining marks that NFC composes with a base letter.
TONES = "\u0301\u0300\u0309\u0303\u0323"
VNI_TONE = ("ùøûõï", "ÙØÛÕÏ")
VNI_CIRCUMFLEX_TONE = ("áàåãä", "ÁÀÅÃÄ")  # â ê ô with a tone
VNI_BREVE_TONE = ("éèúüë", "ÉÈÚÜË")  # ă with a tone
VNI_I = ("íìæóò", "ÍÌÆÓÒ")  # i with a tone is one character


def _vni_table() -> dict[str, str]:
    """Unicode letter → VNI spelling, built from the mark tables above."""
    table = {"đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "ă": "aê", "Ă": "AÊ", "ỵ": "î", "Ỵ": "Î"}
    for upper in (0, 1):
        case = str.upper if upper else str.lower
        for base in "aeouy":
            for tone, mark in zip(TONES, VNI_TONE[upper]):
                table.setdefault(nfc(case(base) + tone), case(base) + mark)
        for base in "aeo":
            table[nfc(case(base) + "\u0302")] = case(base) + ("Â" if upper else "â")
            for tone, mark in zip(TONES, VNI_CIRCUMFLEX_TONE[upper]):
                table[nfc(case(base) + "\u0302" + tone)] = case(base) + mark
        for tone, mark in zip(TONES, VNI_BREVE_TONE[upper]):
            table[nfc(case("a") + "\u0306" + tone)] = case("a") + mark
        for base, horn in (("o", "ô"), ("u", "ö")):
            for tone, mark in zip(TONES, VNI_TONE[upper]):
                table[nfc(case(base) + "\u031b" + tone)] = case(horn) + mark
        for tone, letter in zip(TONES, VNI_I[upper]):
            table[nfc(case("i") + tone)] = letter
    return table


UNICODE_TO_VNI = _vni_table()
VNI_TO_UNICODE = {v: k for k, v in UNICODE_TO_VNI.items()}

# Latin-1 characters that Unicode Vietnamese never uses: their presence is what
# makes a text a candidate at all (Ð and · are left out: Ð is a common stand-in
# for Đ and · a bullet).
NON_VIETNAMESE = set("µ¸¶¹¨»¾¼½Æ©®ÇËÎÏÑª×ØÜÞßäåæçëîïñö÷øûüþ¡¢§£¤¥¦«¬\u00adÄÅÖÛ")
_SIGN = re.compile("[" + re.escape("".join(sorted(NON_VIETNAMESE))) + "]")
MIN_SIGNS = 3


def _translator(table: dict[str, str]) -> Callable[[str], str]:
    pattern = regex.compile("|".join(regex.escape(k) for k in sorted(table, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda m: table[m.group()], text)


_TCVN3_LETTERS = _translator(TCVN3_TO_UNICODE)
CAPITAL_WORD = regex.compile(r"\b(?=(?:\p{L}*[A-Z]){2})(?!\p{L}*[a-z])\p{L}+")


def _tcvn3(text: str) -> str:
    """TCVN3 → Unicode; a word whose plain letters are all capitals is set in capitals:
    'HO¹CH' → 'HOẠCH' (the case the .VnTimeH font showed)."""
    converted = _TCVN3_LETTERS(text)
    return CAPITAL_WORD.sub(lambda m: m.group().upper(), converted)


DECODERS: dict[str, Callable[[str], str]] = {
    "tcvn3": _tcvn3,
    "vni": _translator(VNI_TO_UNICODE),
}


def detect_legacy(text: str) -> Optional[str]:
    """'tcvn3', 'vni' or None: which legacy encoding `text` was typed in.

    >>> detect_legacy("Uû ban nh©n d©n tØnh Tuyªn Quang vÒ c¸c c¬ quan")
    'tcvn3'
    >>> detect_legacy("Ủy ban nhân dân tỉnh Tuyên Quang") is None
    True
    """
    if len(_SIGN.findall(text)) < MIN_SIGNS:  # every page is checked: counted at C speed
        return None
    before = quality(text).score
    best, best_score = None, before + 0.2  # a conversion must read clearly better
    for name, decode in DECODERS.items():
        score = quality(decode(text)).score
        if score > best_score and score >= 0.5:
            best, best_score = name, score
    return best


def convert_legacy(text: str, encoding: str) -> str:
    """Convert line by line, keeping a line that already reads better as it is.

    A PDF can mix a Unicode header with a TCVN3 body; converting the Unicode part
    would turn `các` into `cỏc`.
    """
    decode = DECODERS[encoding]
    lines = []
    for line in text.split("\n"):
        converted = decode(line)
        keep = converted != line and quality(line).score > quality(converted).score
        lines.append(line if keep else converted)
    return "\n".join(lines)


# A word processor's or a web page's spaces that are no plain space (no-break, thin, ideographic), and
# the characters of no width they slip between letters ('Số:\u200b 15/…'): every pattern expects ' '.
OTHER_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
NO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # a soft hyphen too, once TCVN3's 0xAD (ư) is read
# an East Asian input method's full-width forms of ASCII ('Số：', '１８７'), as the ASCII they stand for
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def repair_text(text: str) -> str:
    """NFC, legacy encoding converted when detected, Ð/ð look-alikes to Đ/đ, other spaces plain,
    characters of no width gone (after the conversion: a legacy byte may look like one), full-width
    forms as ASCII.

    >>> repair_text("Quy\u0301 1 n\u0103m 2022, QÐ-UBND")
    'Quý 1 năm 2022, QĐ-UBND'
    >>> repair_text("KÕ ho¹ch chuyÓn ®æi sè")
    'Kế hoạch chuyển đổi số'
    >>> repair_text("Tuyên\u00a0Quang, Số：\u200b 187, chuyển\u00ad đổi")
    'Tuyên Quang, Số: 187, chuyển đổi'
    """
    text = nfc(text)
    encoding = detect_legacy(text)
    if encoding:
        text = nfc(convert_legacy(text, encoding))
    return NO_WIDTH.sub("", OTHER_SPACES.sub(" ", fix_d(text))).translate(FULL_WIDTH)
