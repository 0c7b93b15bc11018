"""Evidence finding on the seed corpus and on small hand-made stores."""
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.models.dti import catalogue, match_key
from vanban.pipeline import store
from vanban.pipeline.cli.main import main
from vanban.pipeline.corpus import evidence
from vanban.pipeline.dev.evaluation.evidence import matches, score_evidence
from vanban.pipeline.dev.evidence_bench import evidence_bench
from vanban.pipeline.corpus.evidence import (THRESHOLD, candidates_for, content_words, find_evidence, fts_match,
                                             restates)
from vanban.pipeline.reading.ingest import ingest
from tests.conftest import SEEDS, make_document

GOLD = Path(__file__).parent / "fixtures" / "evidence_gold.json"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("evidence") / "seeds.db"
    ingest([SEEDS], path, jobs=1, progress=False)
    return path


def _store(tmp_path, text, name="doc.txt"):
    db = store.open_db(tmp_path / "t.db")
    doc = make_document(text, name)
    store.save_documents(db, name, doc.sha256, [doc])
    return db


def test_resolution_of_the_party_committee_answers_2_1(seed_db):
    result = find_evidence(store.open_db(seed_db), "Tuyên Quang", 2021, ["2.1"])[0]
    best = result.evidence[0]
    assert result.status == "found" and best.document == "48-NQ/TU" and best.kind == "document"
    assert "Nghị quyết" in best.reason and "chuyển đổi số" in best.reason
    assert best.page == 1 and "48-NQ/TU" in best.quote


def test_level_4_share_answers_6_8_with_value_and_date(seed_db):
    items = find_evidence(store.open_db(seed_db), "Tuyên Quang", 2022, ["6.8"])[0].evidence
    figure = next(e for e in items if e.value == 55.82)
    assert figure.unit == "%" and figure.as_of == "20/5/2022" and "1.044" in figure.quote
    assert items[0].kind == "measure"


def test_money_answers_6_22(seed_db):
    best = find_evidence(store.open_db(seed_db), "Lạng Sơn", 2021, ["6.22"])[0].evidence[0]
    assert (best.value, best.unit) == (60417000000, "VND")


def test_assistant_for_officials_is_not_the_one_for_citizens(seed_db):
    db = store.open_db(seed_db)
    officials = find_evidence(db, "Lạng Sơn", 2021, ["6.20"])[0].evidence[0]
    citizens = find_evidence(db, "Lạng Sơn", 2021, ["6.19"])[0].evidence[0]
    assert "CBCCVC" in officials.quote and "người dân và doanh nghiệp" in citizens.quote


def test_restated_indicator_names_are_not_evidence(seed_db):
    """Kế hoạch 187/KH-UBND lists every indicator under 'Các tiêu chí …': none is evidence."""
    db = store.open_db(seed_db)
    for e in candidates_for(db, "Tuyên Quang", "6.20"):
        if "Triển khai nền tảng trợ lý ảo phục vụ công chức, viên chức" in e.quote:
            assert e.score < THRESHOLD and ("restates" in e.reason or "criteria" in e.reason)


def test_restates():
    ind = catalogue(2021).get("6.8")
    assert restates(ind, "+ Tỷ lệ DVCTT mức độ 4 hoặc toàn trình.")
    assert not restates(ind, "số dịch vụ công đang cung cấp mức độ 4 là: 1.044, đạt tỷ lệ 55,82%")
    assert not restates(catalogue(2021).get("5.1"), "- Số lượng hệ thống thông tin đã được phê duyệt cấp độ: 01.")


def test_a_list_of_criteria_yields_no_evidence(tmp_path):
    text = ("Số: 12/KH-UBND\nKẾ HOẠCH\nNâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang\n\n"
            "1.3.6. Hoạt động chính quyền số (có 22 tiêu chí chính)\n\n"
            "- Các tiêu chí không đạt điểm: 02 (6.19, 6.20).\n\n"
            "+ Triển khai nền tảng trợ lý ảo phục vụ người dân, doanh nghiệp.\n\n"
            "+ Triển khai nền tảng trợ lý ảo phục vụ công chức, viên chức.\n")
    db = _store(tmp_path, text)
    results = find_evidence(db, "Tuyên Quang", None, ["6.19", "6.20"])
    assert [r.status for r in results] == ["none", "none"]


def test_a_deployed_fact_is_evidence_and_a_plan_is_weaker(tmp_path):
    text = ("Số: 12/BC-UBND\nBÁO CÁO\nKết quả chuyển đổi số tỉnh Tuyên Quang\n\n"
            "I. KẾT QUẢ ĐẠT ĐƯỢC\n\n"
            "- Đã triển khai trợ lý ảo hỗ trợ công chức, viên chức tra cứu văn bản.\n\n"
            "II. NHIỆM VỤ NĂM 2023\n\n"
            "- Sở Thông tin và Truyền thông tham mưu triển khai trợ lý ảo cho cán bộ, công chức.\n")
    db = _store(tmp_path, text)
    items = candidates_for(db, "Tuyên Quang", "6.20")
    assert items[0].quote.startswith("- Đã triển khai") and items[0].score >= THRESHOLD
    plan = next(e for e in items if "tham mưu" in e.quote)
    assert plan.score < THRESHOLD and "aims or tasks" in plan.reason


def test_unnamed_indicators_are_reported_not_guessed(seed_db):
    results = find_evidence(store.open_db(seed_db), "Tuyên Quang", None, ["3.4", "3.5", "3.7"])
    assert [(r.status, r.evidence) for r in results] == [("unnamed", [])] * 3


def test_other_province_sees_nothing(seed_db):
    results = find_evidence(store.open_db(seed_db), "Cao Bằng", None, ["2.1", "6.8"])
    assert all(r.status == "none" for r in results)


def test_fts_query_expands_abbreviations():
    query = fts_match(catalogue(2021).get("6.8"))
    assert '"dvctt"' in query and '"dich vu cong truc tuyen"' in query and '"muc do 4"' in query


def test_threshold_separates(seed_db):
    """Every gold evidence item clears the threshold; nothing for the 'no evidence' pairs does."""
    db = store.open_db(seed_db)
    for pair in json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]:
        items = candidates_for(db, pair["province"], pair["indicator"], pair.get("year"))
        good = [e.score for e in items if any(matches(e.__dict__, x) for x in pair["expected"])]
        if pair["expected"]:
            assert good and max(good) >= THRESHOLD, pair
        else:
            assert all(e.score < THRESHOLD for e in items), pair


def test_gold_top1_and_top3(seed_db):
    scores = score_evidence(store.open_db(seed_db), GOLD)
    assert scores["pairs"] >= 12
    assert scores["top1"] >= 0.8 and scores["top3"] >= scores["top1"], scores["errors"]


def test_cli_json(seed_db):
    out = CliRunner().invoke(main, ["evidence", "--province", "Tuyên Quang", "--indicator", "2.1",
                                    "--indicator", "1.4", "--db", str(seed_db), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [d["indicator"] for d in data] == ["1.4", "2.1"]  # catalogue order
    assert data[1]["evidence"][0]["document"] == "48-NQ/TU" and data[0]["evidence"] == []
    assert data[0]["status"] == "none"
    assert set(data[1]["evidence"][0]) >= {"document", "source", "page", "quote", "value", "unit", "score", "reason"}


def test_cli_rejects_unknown_indicator(seed_db):
    out = CliRunner().invoke(main, ["evidence", "--province", "Tuyên Quang", "--indicator", "99.9",
                                    "--db", str(seed_db)])
    assert out.exit_code != 0 and "99.9" in out.output


def test_function_words_are_dropped_as_underthesea_segments_them():
    """'tỷ lệ', 'số lượng' are one word each: listed split into syllables, they never matched."""
    assert content_words("Tỷ lệ DVCTT mức độ 4") == {"dvctt", "muc do", "4"}
    assert "so luong" not in content_words("Số lượng hệ thống thông tin được phê duyệt")


def test_each_text_is_keyed_once(seed_db, monkeypatch):
    """Every indicator asks about the same sentences and figures: each is reduced once."""
    keyed = Counter()

    def counting(text):
        keyed[text] += 1
        return match_key(text)

    monkeypatch.setattr(evidence, "match_key", counting)
    find_evidence(store.open_db(seed_db), "Tuyên Quang", 2022)
    assert keyed and keyed.most_common(1)[0][1] == 1


def test_works_on_a_store_indexed_as_schema_1(seed_db, tmp_path):
    """Before schema 2 the FTS index held the folded text only; the same query finds the same evidence."""
    old = tmp_path / "old.db"
    shutil.copy(seed_db, old)
    db = store.open_db(old)
    expected = [r.as_dict() for r in find_evidence(db, "Lạng Sơn", 2021)]
    with db.conn:
        for trigger in ("ai", "ad", "au"):
            db.conn.execute(f"drop trigger if exists passages_{trigger}")
        db.conn.execute("drop table passages_fts")
        db.conn.execute("create virtual table passages_fts using fts5 (text_folded, content=passages)")
        db.conn.execute("insert into passages_fts (passages_fts) values ('rebuild')")
    assert [r.as_dict() for r in find_evidence(db, "Lạng Sơn", 2021)] == expected


def test_candidates_below_the_threshold_are_not_weighed(seed_db):
    """find_evidence looks only at what can reach the threshold, and finds what candidates_for ranks above it."""
    db = store.open_db(seed_db)
    for code in ("2.1", "6.8", "6.20", "4.5"):
        ranked = [(e.document, e.quote, e.score) for e in candidates_for(db, "Lạng Sơn", code, 2021)
                  if e.score >= THRESHOLD][:3]
        found = find_evidence(db, "Lạng Sơn", 2021, [code])[0].evidence
        assert [(e.document, e.quote, e.score) for e in found] == ranked, code


@pytest.mark.slow
def test_evidence_bench_on_a_small_province(tmp_path):
    report = evidence_bench(1_000, tmp_path / "bench.db")
    assert report["rows"]["passages"] > 10_000 and report["indicators_with_evidence"] > 20
    assert report["evidence_seconds"] > 0
