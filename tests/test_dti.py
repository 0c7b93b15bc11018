"""The DTI catalogue as data: versions by year, hints, abbreviations, matching keys."""
from vanban.models.dti import (Term, abbreviations, catalogue, catalogue_year_for, catalogue_years, contains_term,
                        expand_abbreviations, match_key)


def test_2021_catalogue_has_98_indicators_in_9_main_indices():
    cat = catalogue(2021)
    assert cat.year == 2021 and len(cat.indicators) == 98
    assert "922/QĐ-BTTTT" in cat.source_decision
    counts = {}
    for i in cat.indicators:
        counts[i.main_index_code] = counts.get(i.main_index_code, 0) + 1
    assert [counts[str(k)] for k in range(1, 10)] == [10, 11, 7, 13, 12, 22, 12, 8, 3]


def test_catalogue_is_chosen_by_year():
    assert 2021 in catalogue_years()
    assert catalogue_year_for(None) == catalogue_years()[-1]
    assert catalogue_year_for(2023) == 2021  # newest catalogue not after the year
    assert catalogue_year_for(2019) == catalogue_years()[0]


def test_unresolved_names_stay_unnamed():
    cat = catalogue(2021)
    for code in ("3.4", "3.5", "3.7"):
        ind = cat.get(code)
        assert not ind.named and ind.name == "" and not ind.concepts
        assert "UNRESOLVED" in ind.note


def test_every_named_indicator_has_hints_and_a_kind():
    for ind in catalogue(2021).indicators:
        if ind.named:
            assert ind.concepts, ind.code
            assert ind.evidence_kind in ("document", "percentage", "count", "money", "boolean"), ind.code


def test_hints_of_6_8_and_2_1():
    cat = catalogue(2021)
    i68 = cat.get("6.8")
    assert i68.is_figure and [t.text for t in i68.concepts[1].terms] == ["mức độ 4", "toàn trình"]
    i21 = cat.get("2.1")
    assert "Nghị quyết" in i21.doc_types and any(t.text == "Tỉnh ủy" for t in i21.issuers)


def test_abbreviations_expand_case_sensitively():
    assert abbreviations()["DVCTT"] == "dịch vụ công trực tuyến"
    assert expand_abbreviations("Tỷ lệ DVCTT") == "Tỷ lệ DVCTT (dịch vụ công trực tuyến)"
    assert expand_abbreviations("camera AI") == "camera AI (trí tuệ nhân tạo)"
    assert expand_abbreviations("hỏi ai đó") == "hỏi ai đó"  # 'ai' is a Vietnamese word
    assert "cán bộ công chức viên chức" in match_key("100% CBCCVC")


def test_match_key_places_tone_marks_one_way():
    assert match_key("cá thể hoá, cấp uỷ") == match_key("cá thể hóa, cấp ủy")
    assert match_key("HOÀNG") == "hoàng"


def test_terms_match_whole_words_with_diacritics():
    ban = Term("bản", match_key("bản"))
    assert contains_term(match_key("ban hành văn bản"), ban)
    assert not contains_term(match_key("ban hành"), ban)  # folded, 'bản' would match 'ban'
    assert contains_term("ban hanh van ban", ban)  # text typed without diacritics is compared folded
    assert not contains_term(match_key("bảng"), ban)
