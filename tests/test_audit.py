"""vanban.pipeline.corpus.audit: small corpora that must, and must not, raise each kind of finding."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from vanban.models.records import Document, Identity, Mention, Page, Reference, Span
from vanban.pipeline import store
from vanban.pipeline.corpus import audit as audit_module
from vanban.pipeline.corpus.audit import (KINDS, _after, audit, carried_type, iter_audit, same_subject,
                                         symbol_disagrees)
from vanban.pipeline.dev.audit_bench import bench_audit, synthetic_store
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.reports.audit import TITLES, _group, to_csv, to_html, to_json, to_nl, to_table
from vanban.pipeline.cli.main import main

TQ = "Tuyên Quang"
UBND_TQ = "Ủy ban nhân dân tỉnh Tuyên Quang"
SUBJECT_47 = "triển khai thực hiện Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ"


def ref(rid, *dates, type="Kế hoạch", year=None, jurisdiction=TQ, title=None, issuer=UBND_TQ, written=None):
    """A Reference as the extractor stores it, one mention per date: Reference('04/KH-UBND', ...)."""
    number, symbol = _split(rid)
    year = year if year is not None else (int(dates[0][:4]) if dates else None)
    mentions = [Mention(written or f"{type} số {rid}" + (f" ngày {_vn(d)}" if d else ""),
                        Span(10 * i, 10 * i + 9, 1, 10 * i, 10 * i + 9))
                for i, d in enumerate(dates or [None])]
    return Reference(id=rid, type=type, number=number, symbol=symbol, year=year, date=dates[0] if dates else None,
                     issuer=issuer, jurisdiction=jurisdiction, title=title, mentions=mentions, dates=list(dates))


def _split(rid: str) -> tuple[str, str]:
    """'48-NQ/TU' → ('48', 'NQ/TU'); '45/2020/NĐ-CP' → ('45', 'NĐ-CP')."""
    if "-" in rid.split("/")[0]:
        return tuple(rid.split("-", 1))
    return rid.split("/", 1)[0], rid.rsplit("/", 1)[1]


def _vn(date: str) -> str:
    y, m, d = date.split("-")
    return f"{int(d)}/{int(m)}/{y}"


def doc(name, refs=(), so_hieu=None, date="2022-10-03", type="Kế hoạch", header=None, notes=None, title=None,
        issuer=UBND_TQ, province=TQ):
    number, symbol = so_hieu.split("/", 1) if so_hieu else (None, None)
    header = header or (f"Số: {so_hieu or ''}\n{province}, ngày 03 tháng 10 năm 2022\n")
    ident = Identity(type=type, id=so_hieu, number=number, symbol=symbol, date=date, issuer=issuer,
                     province=province, title=title, notes=notes or {})
    pages = [Page(1, header, "plain")]
    ident.spans = build_document(name, pages).identity.spans  # where the header states number and date
    return Document(source=f"/corpus/{name}", sha256=(name.encode().hex() * 8)[:64], pages=pages,
                    text=header, identity=ident, references=list(refs))


@pytest.fixture
def corpus(tmp_path):
    """Build a store from documents: corpus(doc(...), doc(...)) → db."""
    def build(*docs):
        db = store.open_db(tmp_path / "audit.db")
        for d in docs:
            store.save_documents(db, d.source, d.sha256, [d])
        return db
    return build


def kinds(db, kind):
    return audit(db, [kind])


# -- conflicting_date -----------------------------------------------------------------------------

def test_one_document_cited_with_two_dates_conflicts(corpus):
    db = corpus(doc("000.txt", [ref("17/NQ-CP", "2019-03-09", "2019-03-07", type="Nghị quyết",
                                    jurisdiction="national", issuer="Chính phủ")]))
    [f] = kinds(db, "conflicting_date")
    assert (f.id, f.year, f.facts["dates"]) == ("17/NQ-CP", 2019, ["2019-03-07", "2019-03-09"])
    assert {e.quote for e in f.evidence} == {"Nghị quyết số 17/NQ-CP ngày 9/3/2019",
                                             "Nghị quyết số 17/NQ-CP ngày 7/3/2019"}


def test_two_documents_citing_different_dates_conflict(corpus):
    db = corpus(doc("a.txt", [ref("17/NQ-CP", "2019-03-09", jurisdiction="national")]),
                doc("b.txt", [ref("17/NQ-CP", "2019-03-07", jurisdiction="national")]))
    [f] = kinds(db, "conflicting_date")
    assert f.documents == ["/corpus/a.txt", "/corpus/b.txt"]


def test_citation_disagreeing_with_the_documents_own_header_conflicts(corpus):
    db = corpus(doc("187.txt", so_hieu="187/KH-UBND", date="2022-10-03"),
                doc("b.txt", [ref("187/KH-UBND", "2022-10-04")], date="2022-12-01"))
    [f] = kinds(db, "conflicting_date")
    assert f.facts["dates"] == ["2022-10-03", "2022-10-04"] and f.facts["in_corpus"] == "/corpus/187.txt"


def test_same_number_in_two_years_is_two_documents_not_a_conflict(corpus):
    db = corpus(doc("000.txt", [ref("14/CT-TTg", "2018-05-25", type="Chỉ thị", jurisdiction="national",
                                    title="về việc nâng cao năng lực phòng, chống phần mềm độc hại")]),
                doc("002.txt", [ref("14/CT-TTg", "2019-06-07", type="Chỉ thị", jurisdiction="national",
                                    title="về việc tăng cường bảo đảm an toàn, an ninh mạng")]))
    for kind in ("conflicting_date", "suspected_year_typo", "type_symbol_mismatch", "unresolved"):
        assert kinds(db, kind) == []
    assert sorted(f.year for f in kinds(db, "missing_document")) == [2018, 2019]


def test_the_same_date_twice_is_no_conflict(corpus):
    db = corpus(doc("a.txt", [ref("17/NQ-CP", "2019-03-07", "2019-03-07")]),
                doc("b.txt", [ref("17/NQ-CP", "2019-03-07")]))
    assert kinds(db, "conflicting_date") == []


# -- suspected_year_typo --------------------------------------------------------------------------

def test_same_number_day_and_subject_in_two_years_is_a_typo(corpus):
    db = corpus(doc("003.txt", [ref("04/KH-UBND", "2022-01-11", title=SUBJECT_47),
                                ref("04/KH-UBND", "2021-01-11", title=SUBJECT_47 + " về quản lý, kết nối dữ liệu")]))
    [f] = kinds(db, "suspected_year_typo")
    assert f.id == "04/KH-UBND" and f.facts["dates"] == ["2021-01-11", "2022-01-11"]
    assert [e.quote.rsplit(" ", 1)[1] for e in f.evidence] == ["11/1/2021", "11/1/2022"]
    assert kinds(db, "conflicting_date") == []


def test_different_day_or_subject_is_not_a_typo(corpus):
    db = corpus(doc("a.txt", [ref("04/KH-UBND", "2022-01-11", title=SUBJECT_47),
                              ref("04/KH-UBND", "2021-01-12", title=SUBJECT_47),
                              ref("05/KH-UBND", "2022-01-11", title=SUBJECT_47),
                              ref("05/KH-UBND", "2021-01-11", title="về cải cách hành chính nhà nước tỉnh")]))
    assert kinds(db, "suspected_year_typo") == []


def test_yearly_plans_naming_their_year_are_not_a_typo(corpus):
    db = corpus(doc("a.txt", [ref("04/KH-UBND", "2022-01-11", title="cải cách hành chính tỉnh năm 2022"),
                              ref("04/KH-UBND", "2021-01-11", title="cải cách hành chính tỉnh năm 2021")]))
    assert kinds(db, "suspected_year_typo") == []


def test_same_subject_is_containment_of_folded_words():
    assert same_subject(SUBJECT_47, SUBJECT_47.upper() + " về quản lý, kết nối và chia sẻ dữ liệu số")
    assert not same_subject("về chuyển đổi số năm 2021", "về chuyển đổi số năm 2022")
    assert not same_subject("về", "về")
    assert not same_subject(None, SUBJECT_47)


# -- type_symbol_mismatch -------------------------------------------------------------------------

@pytest.mark.parametrize("written, rid", [("Quyết định", "2323/BTTTT-THH"), ("Kế hoạch", "01/QĐ-BCĐ"),
                                          ("Công văn", "12/QĐ-UBND"), ("Nghị quyết", "48-CT/TU")])
def test_written_type_disagreeing_with_the_symbol(corpus, written, rid):
    db = corpus(doc("a.txt", [ref(rid, "2022-01-05", type=written)]))
    [f] = kinds(db, "type_symbol_mismatch")
    assert f.id == rid and f.facts["type"] == written and f.evidence[0].quote.startswith(f"{written} số {rid}")


@pytest.mark.parametrize("written, rid", [
    ("Nghị quyết", "48-NQ/TU"), ("Công văn", "3570/BTTTT-THH"), ("Văn bản", "447/SNV-CCHCVTLT"),
    ("Văn bản", "12/QĐ-UBND"), ("Luật", "86/2015/QH13"), ("Quy định", "205-QĐ/TW"), ("Quy định", "08-QĐi/TW"),
    ("Chương trình", "153-CTr/TU"), ("Chương trình hành động", "10-CTr/TU"), ("Thông tư", "32/2017/TT-BTTTT"),
    ("Tiêu chuẩn", "TCVN 11930:2017")])
def test_types_that_agree_with_their_symbol(corpus, written, rid):
    r = ref(rid, "2017-11-15", type=written) if "TCVN" not in rid else Reference(id=rid, type=written, year=2017)
    db = corpus(doc("a.txt", [r]))
    assert kinds(db, "type_symbol_mismatch") == []


def test_carried_type_reads_the_first_piece_of_the_symbol():
    assert (carried_type("QĐ-UBND"), carried_type("NQ/TU"), carried_type("BTTTT-THH"), carried_type(None)) == \
        ("QĐ", "NQ", None, None)
    assert symbol_disagrees("Quyết định", "QĐ-TTg") is None
    assert "says Quyết định" in symbol_disagrees("Kế hoạch", "QĐ-BCĐ")


@pytest.mark.parametrize("doc_type, symbol", [("Nghị quyết", "QH15"), ("Luật", "QH15"), ("Pháp lệnh", "UBTVQH15"),
                                              ("Nghị quyết", "UBTVQH14")])
def test_the_quoc_hoi_numbers_by_its_term_alone(doc_type, symbol):
    assert symbol_disagrees(doc_type, symbol) is None


def test_a_header_whose_type_disagrees_with_its_symbol(corpus):
    db = corpus(doc("a.txt", so_hieu="12/QĐ-UBND", type="Kế hoạch"), doc("b.txt", so_hieu="13/KH-UBND"))
    [f] = kinds(db, "type_symbol_mismatch")
    assert f.documents == ["/corpus/a.txt"] and f.evidence[0].quote == "Số: 12/QĐ-UBND"


# -- malformed_number -----------------------------------------------------------------------------

def test_a_doubtful_symbol_is_a_malformed_number_with_every_file_that_writes_it(corpus):
    cut = lambda: Reference(**{**vars(ref("48-NQ/T", "2020-02-01", type="Nghị quyết")),
                               "doubtful": "'T' is cut short: NQ/TW?"})
    db = corpus(doc("a.txt", [cut(), ref("45/2020/NĐ-CP", "2020-04-09", type="Nghị định")]), doc("b.txt", [cut()]))
    [f] = kinds(db, "malformed_number")
    assert (f.id, f.year, f.documents) == ("48-NQ/T", 2020, ["/corpus/a.txt", "/corpus/b.txt"])
    assert "cut short" in f.detail and f.facts["doubt"] == "'T' is cut short: NQ/TW?"
    assert f.evidence[0].quote.startswith("Nghị quyết số 48-NQ/T")


def test_citations_that_check_out_are_not_malformed(corpus):
    db = corpus(doc("a.txt", [ref("45/2020/NĐ-CP", "2020-04-09", type="Nghị định")]))
    assert kinds(db, "malformed_number") == []


# -- missing_number / missing_date ----------------------------------------------------------------

BLANK_HEADER = "Số: /BC-STTTT\n\nTuyên Quang, ngày tháng 5 năm 2022\n\nBÁO CÁO\n"


def test_blank_number_and_day_in_the_header(corpus):
    d = doc("003.txt", date="2022-05", type="Báo cáo", header=BLANK_HEADER,
            notes={"id": "the header leaves the number blank (Số: /BC-STTTT)",
                   "date": "the header leaves the day blank"})
    d.identity.symbol = "BC-STTTT"
    db = corpus(d)
    [number] = kinds(db, "missing_number")
    [date] = kinds(db, "missing_date")
    assert number.evidence[0].quote == "Số: /BC-STTTT" and number.evidence[0].page == 1
    assert date.evidence[0].quote == "Tuyên Quang, ngày tháng 5 năm 2022"


def test_a_lost_header_or_a_full_one_has_no_blank(corpus):
    lost = doc("000.txt", date=None, header="Trên đây là Kế hoạch …",
               notes={"id": "header not found in the text", "date": "header not found in the text"})
    db = corpus(lost, doc("001.txt", so_hieu="187/KH-UBND"))
    assert kinds(db, "missing_number") == [] and kinds(db, "missing_date") == []


# -- cites_future ---------------------------------------------------------------------------------

def test_citation_after_the_citing_document(corpus):
    db = corpus(doc("a.txt", [ref("83/KH-UBND", "2022-11-19")], date="2022-10-03"))
    [f] = kinds(db, "cites_future")
    assert f.facts == {"cited_date": "2022-11-19", "citing_date": "2022-10-03"}


def test_no_future_at_the_precision_the_dates_give(corpus):
    db = corpus(doc("003.txt", [ref("83/KH-UBND", "2022-05-19")], date="2022-05"),
                doc("004.txt", [ref("84/KH-UBND", "2023-01-02")], date=None),
                doc("005.txt", [ref("85/KH-UBND", "2022-10-03")], date="2022-10-03"))
    assert kinds(db, "cites_future") == []
    assert _after("2022-06-01", "2022-05") and not _after("2022-05-19", "2022-05")


# -- unresolved -----------------------------------------------------------------------------------

def test_citation_without_year_the_corpus_cannot_settle(corpus):
    db = corpus(doc("003.txt", [ref("2651/QĐ-TCT68-CAT", type="Quyết định"),
                                ref("9/KH-XYZ", "2022-01-02", jurisdiction=None)]))
    found = {(f.id, tuple(f.facts["missing"])) for f in kinds(db, "unresolved")}
    assert found == {("2651/QĐ-TCT68-CAT", ("year",)), ("9/KH-XYZ", ("jurisdiction",))}


def test_year_settled_by_the_only_year_the_corpus_knows(corpus):
    db = corpus(doc("000.txt", [ref("468/QĐ-TTg", "2021-03-27", type="Quyết định", jurisdiction="national")]),
                doc("003.txt", [ref("468/QĐ-TTg", type="Quyết định", jurisdiction="national")], date="2022-05"))
    assert kinds(db, "unresolved") == []
    [missing] = kinds(db, "missing_document")
    assert missing.year == 2021 and missing.facts["n_citing"] == 2


def test_two_known_years_leave_the_citation_unresolved(corpus):
    db = corpus(doc("a.txt", [ref("14/CT-TTg", "2018-05-25", jurisdiction="national")]),
                doc("b.txt", [ref("14/CT-TTg", "2019-06-07", jurisdiction="national")]),
                doc("c.txt", [ref("14/CT-TTg", jurisdiction="national")], date="2021-01-01"))
    [f] = kinds(db, "unresolved")
    assert f.facts["candidate_years"] == [2018, 2019] and f.documents == ["/corpus/c.txt"]
    assert len(kinds(db, "missing_document")) == 2


def test_a_year_only_a_scan_twin_gives_does_not_count(corpus):
    """A document's scan misreads the year its text copy gives: only the text speaks for it."""
    text = doc("a.txt", [ref("14/CT-TTg", "2019-06-07", jurisdiction="national")], so_hieu="5/KH-UBND")
    scan = doc("a_scan.pdf", [ref("14/CT-TTg", "2018-06-07", jurisdiction="national")], so_hieu="5/KH-UBND")
    scan.pages = [Page(1, scan.pages[0].text, "ocr", 80.0)]
    db = corpus(text, scan, doc("c.txt", [ref("14/CT-TTg", jurisdiction="national")], date="2021-01-01"))
    assert kinds(db, "unresolved") == []
    assert [(f.id, f.year) for f in kinds(db, "missing_document")] == [("14/CT-TTg", 2019)]


# -- missing_document -----------------------------------------------------------------------------

def test_missing_documents_ranked_by_citations_and_grouped(corpus):
    ttg = dict(type="Quyết định", jurisdiction="national", issuer="Thủ tướng Chính phủ")
    db = corpus(doc("a.txt", [ref("749/QĐ-TTg", "2020-06-03", **ttg), ref("942/QĐ-TTg", "2021-06-15", **ttg),
                              ref("187/KH-UBND", "2022-10-03")], date="2022-12-01"),
                doc("b.txt", [ref("749/QĐ-TTg", "2020-06-03", **ttg)], date="2022-12-01"),
                doc("187.txt", so_hieu="187/KH-UBND"))
    found = [(f.id, f.facts["n_citing"], f.facts["issuer"]) for f in kinds(db, "missing_document")]
    assert found == [("749/QĐ-TTg", 2, "Thủ tướng Chính phủ"), ("942/QĐ-TTg", 1, "Thủ tướng Chính phủ")]


def test_same_number_other_year_in_corpus_is_still_missing(corpus):
    db = corpus(doc("187.txt", so_hieu="187/KH-UBND", date="2022-10-03"),
                doc("b.txt", [ref("187/KH-UBND", "2021-10-03")], date="2022-12-01"))
    [f] = kinds(db, "missing_document")
    assert f.year == 2021


def test_a_headerless_document_the_corpus_identified_is_not_missing(corpus):
    title = "Phát triển Chính quyền số và bảo đảm an toàn thông tin mạng tỉnh Tuyên Quang năm 2022"
    db = corpus(doc("000.txt", date=None, title=title),
                doc("003.txt", [ref("204/KH-UBND", "2021-11-25", title=title)], date="2022-05"))
    assert kinds(db, "missing_document") == []  # 000.txt is 204/KH-UBND, by the citation carrying its title


def test_a_citation_naming_a_headerless_document_points_at_it(corpus):
    # two numbers cited with its title: the corpus cannot tell which it is, the audit says where to look
    title = "Phát triển Chính quyền số và bảo đảm an toàn thông tin mạng tỉnh Tuyên Quang năm 2022"
    db = corpus(doc("000.txt", date=None, title=title),
                doc("003.txt", [ref("204/KH-UBND", "2021-11-25", title=title),
                                ref("205/KH-UBND", "2021-11-26", title=title)], date="2022-05"))
    found = kinds(db, "missing_document")
    assert [f.id for f in found] == ["204/KH-UBND", "205/KH-UBND"]
    assert {f.facts["likely_in_corpus"] for f in found} == {"/corpus/000.txt"}


# -- output and command line ------------------------------------------------------------------------

def _seedlike(corpus):
    return corpus(doc("000.txt", [ref("17/NQ-CP", "2019-03-09", "2019-03-07", type="Nghị quyết",
                                      jurisdiction="national", issuer="Chính phủ"),
                                  ref("2323/BTTTT-THH", "2019-12-31", type="Quyết định", jurisdiction="national")],
                      date="2021-12-01"))


def test_json_command_output_has_the_contract_fields(corpus, tmp_path):
    _seedlike(corpus)
    result = CliRunner().invoke(main, ["audit", "--db", str(tmp_path / "audit.db"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["kind"] for r in rows} == {"conflicting_date", "type_symbol_mismatch", "missing_document"}
    for r in rows:
        assert {"kind", "id", "year", "documents", "detail", "evidence"} <= set(r)
        assert all({"source", "page", "quote"} == set(e) for e in r["evidence"])


def test_fail_on_gates_with_exit_3(corpus, tmp_path):
    _seedlike(corpus)
    db = str(tmp_path / "audit.db")
    runner = CliRunner()
    assert runner.invoke(main, ["audit", "--db", db, "--fail-on", "conflicting_date", "--kind",
                                "missing_number"]).exit_code == 3
    assert runner.invoke(main, ["audit", "--db", db, "--fail-on", "cites_future"]).exit_code == 0
    assert runner.invoke(main, ["audit", "--db", db, "--fail-on", "any", "--format", "csv"]).exit_code == 3


def test_kind_filter_and_file_output(corpus, tmp_path):
    _seedlike(corpus)
    out = tmp_path / "audit.html"
    result = CliRunner().invoke(main, ["audit", "--db", str(tmp_path / "audit.db"), "--kind", "conflicting_date",
                                       "--format", "html", "-o", str(out)])
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "17/NQ-CP" in page and 'href="file:///corpus/000.txt"' in page and "2323/BTTTT-THH" not in page


def test_renderers_agree_on_the_findings(corpus):
    findings = audit(_seedlike(corpus))
    assert "== conflicting_date (1)" in to_table(findings) and "-- Thủ tướng" not in to_table(findings)
    assert to_csv(findings).splitlines()[0] == "kind,id,year,documents,detail,page,quote"
    assert to_html([]).count("No findings") == 1


def test_the_table_and_the_page_put_each_kind_together_under_its_count(tmp_path):
    synthetic_store(tmp_path / "s.db", n_docs=600)
    findings = audit(store.open_db(tmp_path / "s.db"))
    counts = Counter(f.kind for f in findings)
    # the stream mixes kinds (a header's blank number and day come together): each goes under its heading
    assert counts["missing_number"] and counts["missing_date"]
    table, page = to_table(findings), to_html(findings)
    headings = [line for line in table.splitlines() if line.startswith("== ")]
    assert headings == [f"== {k} ({counts[k]}): {TITLES[k]}" for k in KINDS if counts[k]]
    sections = table.split("\n== ")
    for kind in counts:
        section = next(s for s in sections if s.lstrip("= ").startswith(kind + " "))
        assert section.count("      in: ") == counts[kind]
    groups = [_group(f) for f in findings if f.kind == "missing_document"]
    assert len(set(groups)) > 1 and table.count("\n  -- ") == len(set(groups)) == page.count("<h3>")
    assert page.count("<table>") == page.count("</table>") == len(counts) - 1 + len(set(groups))
    assert page.count("<tr><td>") == len(findings)


def test_findings_come_one_at_a_time_in_the_order_of_the_list(corpus, monkeypatch):
    db = _seedlike(corpus)
    assert list(iter_audit(db)) == audit(db)
    # the first is given before the last check runs: nothing waits for (or holds) the rest
    def never(*args, **kwargs):
        raise AssertionError("the missing documents were looked for before the first finding was taken")
        yield
    monkeypatch.setattr(audit_module, "check_missing_documents", never)
    assert next(iter_audit(db)).kind == "conflicting_date"


def test_a_missing_document_says_its_year_may_be_a_typo_whichever_kinds_are_asked(corpus):
    subject = dict(title=SUBJECT_47)
    db = corpus(doc("a.txt", [ref("04/KH-UBND", "2021-01-11", **subject)], date="2022-03-01"),
                doc("b.txt", [ref("04/KH-UBND", "2022-01-11", **subject)], date="2022-03-01"))
    for kinds_asked in (None, ["missing_document"]):
        missing = [f for f in iter_audit(db, kinds_asked) if f.kind == "missing_document"]
        assert len(missing) == 2 and all(f.facts["suspected_year_typo"] for f in missing), kinds_asked


def test_every_format_is_written_as_the_findings_come_and_reads_as_the_list_renders(corpus, tmp_path):
    findings = audit(_seedlike(corpus))
    runner, db = CliRunner(), str(tmp_path / "audit.db")
    for fmt, render in (("json", to_json), ("nl", to_nl), ("csv", to_csv), ("table", to_table), ("html", to_html)):
        ending = "\n" if fmt in ("json", "table") else ""
        result = runner.invoke(main, ["audit", "--db", db, "--format", fmt])
        written = result.stdout_bytes.decode("utf-8")  # .stdout would turn CSV's CRLF into LF
        assert result.exit_code == 0 and written == render(findings) + ending, fmt
        out = tmp_path / f"audit.{fmt}"
        result = runner.invoke(main, ["audit", "--db", db, "--format", fmt, "-o", str(out)])
        assert out.read_bytes().decode("utf-8") == render(findings) + ending, fmt
        assert f"wrote {len(findings)} findings to {out}" in result.stderr
    assert json.loads(runner.invoke(main, ["audit", "--db", db, "--format", "json", "--kind", "cites_future"]
                                    ).stdout) == []
    result = runner.invoke(main, ["audit", "--db", db, "--format", "nl", "--limit", "1"])
    assert result.stdout == to_nl(findings[:1]) and f"showing 1 of {len(findings)} findings" in result.stderr


def test_the_command_shows_a_progress_bar_unless_quiet(corpus, tmp_path, monkeypatch):
    from vanban.pipeline.cli import audit as command

    _seedlike(corpus)
    asked = []
    real = audit_module.iter_audit
    monkeypatch.setattr(audit_module, "iter_audit", lambda db, kinds, progress: asked.append(progress) or
                        real(db, kinds, progress))
    monkeypatch.setattr(command, "show_progress", lambda quiet: not quiet)  # as on a terminal
    runner, db = CliRunner(), str(tmp_path / "audit.db")
    assert runner.invoke(main, ["audit", "--db", db, "--format", "nl"]).exit_code == 0
    assert runner.invoke(main, ["audit", "--db", db, "--format", "nl", "-q"]).exit_code == 0
    assert asked == [True, False]
    assert "audit: 100%" in runner.invoke(main, ["audit", "--db", db, "-o", str(tmp_path / "a.csv")]).stderr  # the bar


def test_unknown_kind_is_refused(corpus):
    with pytest.raises(ValueError, match="unknown finding kind"):
        audit(_seedlike(corpus), ["typo"])


# -- scale ------------------------------------------------------------------------------------------

def test_synthetic_store_raises_every_kind(tmp_path):
    synthetic_store(tmp_path / "s.db", n_docs=600)
    found = {f.kind for f in audit(store.open_db(tmp_path / "s.db"))}
    assert found >= set(KINDS) - {"unresolved"}  # one citation in a thousand has no year: none in 600 documents


def test_the_audit_learns_whether_a_citing_rendition_speaks_for_its_document_from_an_index(tmp_path):
    # each rendition's row is a random page of the largest table: a pass over every citation
    # that read them waited minutes on the disk at 1,000,000 documents
    synthetic_store(tmp_path / "s.db", n_docs=600)
    db = store.open_db(tmp_path / "s.db")
    statements = []
    db.conn.set_trace_callback(statements.append)
    audit(db)
    db.conn.set_trace_callback(None)
    citing = []
    for sql in set(statements):
        body = sql.lstrip().lower()
        if body.startswith("create temp"):  # the temp tables are gone: explain what filled them
            body = body[body.index(" as ") + 4:]
        elif not body.startswith(("select", "with")) or "from dated" in body:  # reads the temp table
            continue
        citing += [row[3] for row in db.conn.execute(f"explain query plan {body}") if row[3].startswith("SEARCH d ")]
    assert citing and all("USING COVERING INDEX renditions_" in step for step in citing), citing


@pytest.mark.slow
def test_the_audit_bench_reports_its_figures():
    # how long it takes is a benchmark's figure (`vanban bench`), not a test's: a loaded machine is slower
    report = bench_audit(10_000)
    assert report["references"] == 100_000 and report["audit_seconds"] > 0


def test_csv_cells_never_start_a_formula(corpus):
    db = corpus(doc("=cmd.txt", [ref("17/NQ-CP", "2019-03-09", "2019-03-07", type="Nghị quyết", jurisdiction="national",
                                     written="=HYPERLINK(\"http://x\")")]))
    text = to_csv(audit(db, ["conflicting_date"]))
    assert "'=HYPERLINK" in text and "'=cmd.txt" in text and ",=" not in text
