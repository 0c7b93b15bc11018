"""Legacy Vietnamese encodings: the encode direction is built here from the module's own tables."""
from __future__ import annotations

import pytest

from vanban.models.vietnamese import nfc
from vanban.extractors.cleaning.legacy_encodings import (TCVN3_TO_UNICODE, UNICODE_TO_VNI, convert_legacy, detect_legacy,
                                       repair_text)

PARAGRAPH = ("Ủy ban nhân dân tỉnh ban hành Kế hoạch nâng cao chỉ số đánh giá, cải thiện vị trí xếp hạng "
             "chuyển đổi số tỉnh Tuyên Quang năm 2022. Phấn đấu đến năm 2025 Tuyên Quang là một trong những "
             "tỉnh xếp hạng khá, đến năm 2030 là tỉnh nằm trong nhóm dẫn đầu khu vực miền núi phía Bắc; "
             "tăng cường ứng dụng công nghệ thông tin, xây dựng Chính quyền số, phát triển kinh tế số, xã hội số.")
TO_TCVN3 = {v: k for k, v in TCVN3_TO_UNICODE.items()}


def to_tcvn3(text: str) -> str:
    """What a .VnTime document reads as: capitals with a tone drawn from lower-case codes."""
    return "".join(TO_TCVN3.get(ch, TO_TCVN3.get(ch.lower(), ch)) for ch in nfc(text))


def to_vni(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in nfc(text))


def test_tcvn3_paragraph_round_trips():
    encoded = to_tcvn3(PARAGRAPH)
    assert "Tuyªn" in encoded and "®" in encoded
    assert detect_legacy(encoded) == "tcvn3"
    # capitals with a tone (Ủy → uû) come back lower-case: TCVN3 does not keep that case
    assert repair_text(encoded) == "ủy" + PARAGRAPH[2:]


def test_tcvn3_capital_words_keep_their_case():
    assert repair_text(to_tcvn3("KẾ HOẠCH chuyển đổi số của tỉnh Tuyên Quang")) == "Kế HOẠCH chuyển đổi số của tỉnh Tuyên Quang"


def test_vni_paragraph_round_trips():
    encoded = to_vni(PARAGRAPH)
    assert "Tuyeân" in encoded
    assert detect_legacy(encoded) == "vni"
    assert repair_text(encoded) == PARAGRAPH


def test_vni_capitals_round_trip():
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, ĐỘC LẬP - TỰ DO - HẠNH PHÚC, ỦY BAN NHÂN DÂN TỈNH"
    assert repair_text(to_vni(text)) == text


def test_vni_table_covers_every_vietnamese_letter():
    letters = set(nfc("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"))
    assert {ch for ch in letters if ch not in "aeiouy"} <= set(UNICODE_TO_VNI)
    assert {ch.upper() for ch in letters if ch not in "aeiouy"} <= set(UNICODE_TO_VNI)


@pytest.mark.parametrize("text", [
    PARAGRAPH,
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc. Số: 187/KH-UBND",
    "The committee approved the plan © 2022 § 4; naïve façade über straße, déjà vu.",
    "Giá trị đạt 216,3 tỷ đồng · tăng 12% so với năm 2021 · Ðiều 5",
])
def test_detection_leaves_unicode_and_english_alone(text):
    assert detect_legacy(text) is None
    assert repair_text(text) == nfc(text).replace("Ð", "Đ")


def test_mixed_page_converts_only_legacy_lines():
    text = "Các cơ quan, đơn vị\n" + to_tcvn3("các cơ quan thực hiện nghiêm túc kế hoạch này")
    assert detect_legacy(text) == "tcvn3"
    assert convert_legacy(text, "tcvn3") == "Các cơ quan, đơn vị\ncác cơ quan thực hiện nghiêm túc kế hoạch này"


def test_repair_composes_and_fixes_eth():
    assert repair_text("Quy\u0301 1 n\u0103m 2022, QÐ-UBND") == "Quý 1 năm 2022, QĐ-UBND"


def test_a_word_processors_spaces_and_invisible_characters_as_plain_text():
    # no-break and thin spaces, a zero-width space after 'Số:', a soft hyphen, a BOM, a full-width colon
    written = "\ufeffỦY BAN NHÂN DÂN\nTuyên\u00a0Quang,\u202fngày 3\nSố：\u200b 187/KH-UBND chuyển\u00ad đổi số"
    assert repair_text(written) == "ỦY BAN NHÂN DÂN\nTuyên Quang, ngày 3\nSố: 187/KH-UBND chuyển đổi số"


def test_tcvn3s_byte_that_looks_like_a_soft_hyphen_is_still_its_letter():
    tcvn3 = "".join({u: t for t, u in TCVN3_TO_UNICODE.items()}.get(c, c) for c in "người dân được hưởng lợi từ chuyển đổi số")
    assert "\u00ad" in tcvn3 and repair_text(tcvn3) == "người dân được hưởng lợi từ chuyển đổi số"
