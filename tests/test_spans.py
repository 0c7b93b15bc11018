"""Every stored fact keeps its cleaned-text span and its page span, and what shows a fact
(the HTML view, audit quotes, `annotate`) places it by those spans, never by searching text."""
from __future__ import annotations

import json
import sqlite3

import pytest

from vanban.models.records import Measure, Mention, Page, Reference, Span
from vanban.pipeline import store
from vanban.pipeline.corpus.audit import audit
from vanban.pipeline.corpus.graph import ensure_graph
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.reports.annotate import Mark, annotate, render_document_html
from vanban.pipeline.store.export import iter_documents

# Two pages as a PDF's text layer gives them: header columns side by side, lines wrapped
# inside a citation, a glued footnote marker ('198/KH-UBND1') with its note under the rule
# at the foot of page 1, and a paragraph running on to page 2.
PAGE_1 = """ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH TUYÊN QUANG              Độc lập - Tự do - Hạnh phúc

Số: 187 /KH-UBND        Tuyên Quang, ngày 03 tháng 10 năm 2022

KẾ HOẠCH
Nâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang năm 2022

Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục
hành chính trên môi trường điện tử; Quyết định số
742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh ban hành Bộ chỉ số đánh giá;

I. MỤC TIÊU
Phấn đấu 90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng; tiếp
tục triển khai Kế hoạch số 198/KH-UBND1 trên toàn tỉnh và đầu tư hạ tầng số tại các

____________________
1 Kế hoạch số 198/KH-UBND ngày 18/12/2020 của Ủy ban nhân dân tỉnh.
"""
PAGE_2 = """huyện, thành phố theo Chỉ thị số 14/CT-TTg ngày 25/5/2018 của Thủ tướng Chính phủ.
II. NHIỆM VỤ
Đến năm 2022, 100% cơ quan nhà nước cấp tỉnh kết nối mạng truyền số liệu
chuyên dùng.
"""


@pytest.fixture(scope="module")
def plan():
    return build_document("kh187.txt", [Page(1, PAGE_1, "text"), Page(2, PAGE_2, "text")])


def _words(text: str) -> str:
    return " ".join(text.split())


def _both(doc, span: Span) -> tuple[str, str]:
    """(the span's words in the cleaned text, on its page), whitespace aside."""
    page = doc.pages[span.page - 1].text
    return _words(doc.text[span.start:span.end]), _words(page[span.page_start:span.page_end])


def _marked(page: str) -> list[str]:
    """The words of each <mark> in the text of an annotated page."""
    text = page[page.index('<div class="vb-text">'):]
    return [chunk.split(">", 1)[1].split("<span", 1)[0] for chunk in text.split("<mark")[1:]]


def _store(tmp_path, *docs):
    db = store.open_db(tmp_path / "v.db")
    for i, doc in enumerate(docs):
        store.save_documents(db, doc.source, f"{i:064d}", [doc])
    ensure_graph(db)
    return db


def test_every_fact_carries_both_spans_and_they_say_the_same(plan):
    spans = [m.span for r in plan.references for m in r.mentions] + [m.span for m in plan.measures] \
        + list(plan.identity.spans.values())
    assert len(spans) == 5 + 2 + 2
    for span in spans:
        clean, on_page = _both(plan, span)
        assert clean == on_page and clean, span
    by_id = {r.id: r.mentions for r in plan.references}
    assert _both(plan, by_id["742/QĐ-UBND"][0].span)[0] == "Quyết định số 742/QĐ-UBND ngày 24/6/2022"  # wrapped
    assert [m.span.page for m in by_id["198/KH-UBND"]] == [1, 1]  # the footnote, moved to the end, is on page 1
    assert by_id["14/CT-TTg"][0].span.page == 2 and plan.measures[1].span.page == 2


def test_passages_keep_both_spans_and_one_running_on_ends_with_its_page(plan):
    for passage in plan.passages:
        clean, on_page = _both(plan, passage.span)
        assert clean == _words(passage.text)
        if passage.text.startswith("Phấn đấu"):  # runs on to page 2, and holds the cut marker
            assert on_page.startswith("Phấn đấu 90%") and on_page.endswith("hạ tầng số tại các")
        else:
            assert on_page == clean, passage


def test_the_store_keeps_both_spans_and_export_keeps_its_contract(tmp_path, plan):
    db = _store(tmp_path, plan)
    decree = next(r for r in plan.references if r.id == "45/2020/NĐ-CP").mentions[0]
    stored = json.loads(next(db.query("select mentions from refs where ref_id = '45/2020/NĐ-CP'"))["mentions"])
    assert stored == [{"text": decree.text, **decree.span.stored()}]
    row = next(db.query("select * from measures order by seq"))
    assert Span.from_stored(row) == plan.measures[0].span
    passage = next(db.query("select * from passages where kind = 'footnote'"))
    assert Span.from_stored(passage) == plan.passages[-1].span
    [record] = [r for r in iter_documents(db)]
    mention = next(r for r in record["references"] if r["id"] == "45/2020/NĐ-CP")["mentions"][0]
    assert (mention["page"], mention["start"], mention["end"]) == \
        (1, decree.span.page_start, decree.span.page_end)  # export: page offsets, as EXPORT.md says
    assert (record["measures"][0]["page"], record["measures"][0]["start"]) == (1, PAGE_1.index("90%"))


def test_the_html_view_marks_the_stored_span_not_a_search(tmp_path, plan):
    """A mention is marked where the store says it stands: here the footnote's, though the
    body says 'Kế hoạch số 198/KH-UBND' first and the stored words were read otherwise (OCR)."""
    db = _store(tmp_path, plan)
    row = next(db.query("select doc_id, seq, mentions from refs where ref_id = '198/KH-UBND'"))
    body, footnote = json.loads(row["mentions"])
    footnote["text"] = "Ke hoach so l98/KH-UBND"
    db.conn.execute("update refs set mentions = ? where doc_id = ? and seq = ?",
                    [json.dumps([footnote]), row["doc_id"], row["seq"]])
    page = render_document_html(db, next(db.query("select * from documents")))
    marked = _marked(page)
    assert "Kế hoạch số 198/KH-UBND ngày 18/12/2020" in marked and "Kế hoạch số 198/KH-UBND" not in marked
    assert len(marked) == 4 + 2  # the other references' mentions and the two figures


def test_audit_quotes_the_header_at_its_stored_span(tmp_path):
    header = "Số: /BC-STTTT\n\nTuyên Quang, ngày    tháng 5 năm 2022\n\nBÁO CÁO\nKết quả chuyển đổi số\n"
    doc = build_document("bc.txt", [Page(1, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\n" + header, "text")])
    db = _store(tmp_path, doc)
    [number] = audit(db, ["missing_number"])
    assert (number.evidence[0].page, number.evidence[0].quote) == (1, "Số: /BC-STTTT")
    [date] = audit(db, ["missing_date"])
    assert date.evidence[0].quote == "Tuyên Quang, ngày tháng 5 năm 2022"
    # the quote follows the stored span, wherever it points: no search for a 'Số:' line
    moved = {"id": {**doc.identity.spans["id"].stored(), "page_start": 0, "page_end": 28}}
    db.conn.execute("update renditions set identity_spans = ?", [json.dumps(moved)])
    assert audit(db, ["missing_number"])[0].evidence[0].quote == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    db.conn.execute("update renditions set identity_spans = '{}'")
    assert audit(db, ["missing_number"])[0].evidence == []


def test_annotate_escapes_everything_and_gives_a_legend():
    text = 'Căn cứ <b>Nghị định</b> số 45/2020/NĐ-CP & "phấn đấu" 90% hồ sơ'
    ref_at, ref_end = text.index("Nghị định"), text.index("NĐ-CP") + 5
    records = [Reference(id="45/2020/NĐ-CP", relation="legal_basis",
                         mentions=[Mention(text[ref_at:ref_end], Span(ref_at, ref_end))]),
               Measure(90.0, "%", "target", span=Span(text.index("90%"), text.index("90%") + 3)),
               Mark(Span(0, 6), 'X"><script>', note="<i>", url="javascript:alert(1)")]
    page = annotate(text, records)
    assert "<b>" not in page and "<script>" not in page and "<i>" not in page and "javascript:" not in page
    assert ">Nghị định&lt;/b&gt; số 45/2020/NĐ-CP<" in page and "&amp; &quot;phấn đấu&quot;" in page
    assert "X&quot;&gt;&lt;script&gt; &lt;i&gt;" in page  # a label and note are text, and so is a bad link
    assert page.count("<mark") == 3
    legend = page[page.index('class="vb-legend"'):page.index('class="vb-text"')]
    assert "LEGAL_BASIS</span> căn cứ" in legend and "TARGET</span> chỉ tiêu" in legend


def test_annotate_leaves_spans_outside_the_text_or_overlapping_unmarked():
    text = "Chỉ thị số 14/CT-TTg"
    marks = [Mark(Span(0, 20), "MENTIONS"), Mark(Span(5, 9), "FIGURE"), Mark(Span(15, 99), "MENTIONS"),
             Mark(Span(None, None), "MENTIONS")]
    assert annotate(text, marks).count("<mark") == 1
    with pytest.raises(TypeError, match="not str"):
        annotate(text, ["Chỉ thị"])


def test_a_version_1_store_keeps_its_page_offsets_as_page_spans(tmp_path):
    from tests.test_store import V1_SCHEMA
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as old:
        old.executescript(V1_SCHEMA + """
            insert into measures (doc_id, seq, value, unit, kind, page, start, "end", quote)
              values ('00aa', 0, 90, '%', 'target', 2, 10, 13, '90%');
            update refs set mentions = '[{"page": 1, "start": 4, "end": 30, "text": "Nghị định số 47/2020/NĐ-CP"}]';
            """)
    db = store.open_db(path)
    measure = next(db.query("select * from measures"))
    assert Span.from_stored(measure) == Span(None, None, 2, 10, 13) and "start" not in measure
    [mention] = json.loads(next(db.query("select mentions from refs"))["mentions"])
    assert mention == {"text": "Nghị định số 47/2020/NĐ-CP", **Span(None, None, 1, 4, 30).stored()}
