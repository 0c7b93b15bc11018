import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.models.records import Identity
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.corpus.resolve import id_tokens, match_id, title_similarity
from tests.citation_store import PLAN_TITLE, TQ, cite, document, documents, make_store, plan

NODES = ["45/2020/NĐ-CP|2020|national", "45/2016/QĐ-TTg|2016|national", "14/CT-TTg|2018|national",
         "14/CT-TTg|2019|national", "204/KH-UBND|2021|Tuyên Quang", "05/2017/QĐ-TTg|2017|national",
         "52-NQ/TW|2019|national"]


@pytest.mark.parametrize("typed", ["45/2020/NĐ-CP", "45/2020/ND-CP", "nd 45/2020", "NĐ 45/2020", "ND45/2020",
                                   "nghi dinh 45/2020", "Nghị định số 45/2020/NĐ-CP", "45 / 2020 / nđ - cp"])
def test_a_decree_typed_any_way(typed):
    assert match_id(typed, NODES) == ["45/2020/NĐ-CP|2020|national"]


def test_a_number_reused_in_two_years_names_both_until_the_year_is_given():
    assert sorted(match_id("14/CT-TTg", NODES)) == ["14/CT-TTg|2018|national", "14/CT-TTg|2019|national"]
    assert match_id("ct-ttg 14 2019", NODES) == ["14/CT-TTg|2019|national"]


def test_leading_zeros_province_and_party_ids():
    assert match_id("5/2017/QĐ-TTg", NODES) == ["05/2017/QĐ-TTg|2017|national"]
    assert match_id("kh 204 tuyen quang", NODES) == ["204/KH-UBND|2021|Tuyên Quang"]
    assert match_id("52-nq/tw", NODES) == ["52-NQ/TW|2019|national"]


def test_other_numbers_and_types_are_not_matched():
    assert match_id("nd 46/2020", NODES) == []
    assert match_id("QĐ 45/2020", NODES) == []
    assert match_id("", NODES) == []


def test_id_tokens_shorten_type_names_and_drop_so():
    assert id_tokens("Nghị định số 45/2020/NĐ-CP") == ["nd", "45", "2020", "nd", "cp"]
    assert id_tokens("Kế hoạch 05") == ["kh", "5"]


def test_title_similarity_ignores_case_diacritics_and_punctuation():
    assert title_similarity(PLAN_TITLE, PLAN_TITLE.lower()) == 1.0
    assert title_similarity("phat trien chinh quyen so, tinh Tuyen Quang nam 2022", PLAN_TITLE) == 1.0
    assert title_similarity("Cải cách hành chính", PLAN_TITLE) < 0.5


def test_a_yearless_citation_takes_the_year_other_citations_agree_on(tmp_path):
    db = make_store(tmp_path / "v.db")
    summary = build_graph(db).resolved
    row = next(db.query("select * from refs where ref_id = '468/QĐ-TTg' and year is null"))
    assert row["resolved_year"] == 2021 and "c.txt" in row["resolution_note"]
    assert summary.refs_without_year == 1 and summary.years_resolved == 1


def test_stated_years_are_kept_and_resolution_is_idempotent(tmp_path):
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    first = list(db.query("select * from refs order by doc_id, seq"))
    build_graph(db)
    assert list(db.query("select * from refs order by doc_id, seq")) == first
    assert all(r["resolved_year"] == r["year"] for r in first if r["year"])
    assert db["document_matches"].count == 4


@pytest.mark.parametrize("citing_date, year, note", [
    ("2022-01-01", None, "ambiguous: 2018, 2019"),  # the 2018 and the 2019 directive are both cited
    ("2018-12-01", 2018, "year 2018"),  # a 2018 plan cannot cite the 2019 directive
])
def test_a_yearless_number_reused_in_two_years(tmp_path, citing_date, year, note):
    docs = documents()
    docs.append(document("e.txt", plan("40", citing_date, "Kế hoạch khác"), [
        cite("14/CT-TTg", "Chỉ thị", None, None, "national", "Chỉ thị số 14/CT-TTg", "mentions")]))
    db = make_store(tmp_path / "v.db", docs)
    build_graph(db)
    row = next(db.query("select * from refs where ref_id = '14/CT-TTg' and year is null"))
    assert row["resolved_year"] == year and note in row["resolution_note"]


def test_a_headerless_document_is_the_cited_plan_carrying_its_title(tmp_path):
    db = make_store(tmp_path / "v.db")
    summary = build_graph(db).resolved
    match = next(db.query("select m.* from document_matches m join documents d using (doc_id) "
                          "where d.source = 'd.txt'"))
    assert (match["resolved_id"], match["resolved_year"], match["resolved_date"]) == ("204/KH-UBND", 2021, "2021-11-25")
    assert match["method"] == "title" and "c.txt" in match["reason"] and summary.documents_matched_by_title == 1


@pytest.mark.parametrize("change", ["other province", "other type", "two candidates"])
def test_a_title_match_needs_strong_unique_evidence(tmp_path, change):
    docs = documents()
    d = docs[3]
    if change == "other province":
        d.identity.province = "Lạng Sơn"
    elif change == "other type":
        d.identity.type = "Quyết định"
    else:
        docs.append(document("e.txt", plan("50", "2022-01-01", "Kế hoạch khác"), [
            cite("205/KH-UBND", "Kế hoạch", 2021, "2021-11-26", TQ, "Kế hoạch số 205/KH-UBND", "mentions",
                 PLAN_TITLE)]))
    db = make_store(tmp_path / "v.db", docs)
    build_graph(db)
    match = next(db.query("select m.* from document_matches m join documents d using (doc_id) where d.source = 'd.txt'"))
    assert match["resolved_id"] is None and match["method"] == "none"
    assert ("ambiguous" in match["reason"]) == (change == "two candidates")


def test_a_stored_decree_takes_its_year_from_its_number_and_jurisdiction_from_citations(tmp_path):
    docs = documents()
    docs.append(document("nd.txt", Identity(type="Nghị định", id="45/2020/NĐ-CP",
                                            title="Thực hiện thủ tục hành chính trên môi trường điện tử"), []))
    db = make_store(tmp_path / "v.db", docs)
    build_graph(db)
    match = next(db.query("select m.* from document_matches m join documents d using (doc_id) where d.source = 'nd.txt'"))
    assert (match["jurisdiction"], match["resolved_year"], match["method"]) == ("national", 2020, "header")
    assert "year from the number" in match["reason"]


def test_laws_by_number_with_the_word_luat_or_by_name():
    laws = ["63/2025/QH15|2025|national", "63/2025/TT-BQP|2025|national", "86/2015/QH13|2015|national", "51/2005/QH11|2005|national",
            "20/2023/QH15|2023|national"]
    assert match_id("Luật 63/2025", laws) == ["63/2025/QH15|2025|national"]
    assert match_id("luat an toan thong tin mang", laws) == ["86/2015/QH13|2015|national"]
    assert match_id("Luật Giao dịch điện tử", laws) == ["51/2005/QH11|2005|national", "20/2023/QH15|2023|national"]


def test_what_resolution_reads_of_citing_renditions_comes_from_indexes(tmp_path):
    """The date and file of a citing rendition, and whether it speaks for its document, are read
    from indexes: each rendition's row is a random page of the largest table, most of what an
    update waited on at 1,000,000 documents."""
    db = make_store(tmp_path / "v.db")
    statements = []
    db.conn.set_trace_callback(statements.append)
    summary = build_graph(db).resolved
    db.conn.set_trace_callback(None)
    assert summary.years_resolved == 1  # a note naming the citing files was written
    joins = {sql for sql in statements if "join renditions d" in sql}
    assert any("source_name" in sql for sql in joins)
    plans = {sql: " / ".join(row[3] for row in db.conn.execute(f"explain query plan {sql}")) for sql in joins}
    assert all("COVERING INDEX renditions_source" in plan for plan in plans.values()), plans
    # the open citations re-resolved, and the files a note names, without reading refs rows either
    assert any("COVERING INDEX refs_open" in plan for plan in plans.values()), plans
    assert all("COVERING INDEX refs_ref_id" in plan for sql, plan in plans.items()
               if sql.startswith("select d.source_name from refs x")), plans


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["7/QĐ-UBND", "8/QĐ-UBND"]), st.sampled_from([None, 2019, 2020, 2021]),
                          st.sampled_from([None, "national", "Tuyên Quang", "Hà Giang"])), max_size=40),
       st.integers(min_value=0, max_value=5))
def test_distinct_pairs_by_seeks_are_the_groups_group_by_gives(rows, scan_rows):
    import sqlite3
    from unittest import mock
    import vanban.pipeline.corpus.resolve as resolve
    db = mock.Mock(conn=sqlite3.connect(":memory:"))
    db.conn.execute("create table t (k text, a integer, b text)")
    db.conn.execute("create index t_k on t(k, a, b)")
    db.conn.executemany("insert into t values (?, ?, ?)", rows)
    with mock.patch.object(resolve, "SCAN_ROWS", scan_rows):  # 0: every key by seeks
        got = resolve.distinct_pairs(db, "t indexed by t_k", "k", "7/QĐ-UBND", "a", "b")
    assert sorted(got, key=repr) == sorted(set((a, b) for k, a, b in rows if k == "7/QĐ-UBND"), key=repr)
    assert len(got) == len(set(got))


def test_resolved_pairs_from_the_indexes_are_what_the_citations_rows_hold(tmp_path):
    from vanban.pipeline.corpus.resolve import resolved_pairs
    # and a number cited only without its year: open, resolved to no year
    lone = document("e.txt", plan("50", "2022-06-01", "Kế hoạch khác"), [
        cite("999/QĐ-UBND", "Quyết định", None, None, TQ, "Quyết định số 999/QĐ-UBND")])
    db = make_store(tmp_path / "v.db", documents() + [lone])
    build_graph(db)  # resolves every citation, as before any rendition is matched
    for (ref_id,) in db.execute("select distinct ref_id from refs").fetchall():
        rows = db.execute("select distinct resolved_year, resolved_jurisdiction from refs where ref_id = ?",
                          [ref_id]).fetchall()
        assert sorted(resolved_pairs(db, ref_id), key=repr) == sorted(map(tuple, rows), key=repr), ref_id


def test_a_stored_copy_without_its_date_takes_the_year_its_citations_give(tmp_path):
    # 468/QĐ-TTg is cited once with its year (2021) and once without: its undated copy is of 2021
    undated = document("q.txt", Identity(type="Quyết định", id="468/QĐ-TTg", number="468", symbol="QĐ-TTg",
                                         issuer="Thủ tướng Chính phủ", title="Đề án"), [])
    db = make_store(tmp_path / "v.db", documents() + [undated])
    build_graph(db)
    (node,) = db.execute("select node_id from renditions where source like '%q.txt'").fetchone()
    assert node == "468/QĐ-TTg|2021|national"
    (reason,) = db.execute("select reason from document_matches m join renditions d on d.doc_id = m.doc_id "
                           "where d.source like '%q.txt'").fetchone()
    assert "year 2021 from its citations" in reason
