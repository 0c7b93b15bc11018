from vanban.extractors.cleaning.offsets import CleanTextBuilder
from vanban.models.records import Span


def test_copied_runs_map_back():
    b = CleanTextBuilder()
    b.copy("Kế hoạch", 1, 10)
    b.insert(" ", 1, 18)
    b.copy("số 187", 2, 0)
    assert b.text() == "Kế hoạch số 187"
    assert b.map.locate(0) == (1, 10)
    assert b.map.locate(3) == (1, 13)
    assert b.map.locate(9) == (2, 0)
    assert b.map.span(9, 15) == (2, 0, 6)
    assert b.map.place(Span(9, 15)) == Span(9, 15, page=2, page_start=0, page_end=6)  # the clean span kept


def test_span_crossing_pages_stays_on_first_page():
    b = CleanTextBuilder()
    b.copy("ngày", 1, 100)
    b.insert(" ", 1, 104)
    b.copy("24/6/2022", 2, 5)
    page, start, end = b.map.span(0, 14)
    assert page == 1 and start == 100 and end == 104  # 'ngày': what page 1 holds of it


def test_span_skips_inserted_text_at_its_edges():
    b = CleanTextBuilder()
    b.insert("- ", 1, 0)  # a markdown bullet, not in the page as written
    b.copy("Lưu VT.", 1, 40)
    assert b.map.span(0, 9) == (1, 40, 47)
