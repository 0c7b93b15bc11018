"""Querying stored figures: filters, Vietnamese formatting, grouping by metric, charts."""
from __future__ import annotations

import pytest
from PIL import Image

from vanban.pipeline import store
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.corpus.measures import (comparison_rows, compare_measures, draw_comparison, format_value,
                                     list_measures, metric_key)
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("measures") / "v.db"
    ingest([SEEDS], path, jobs=2, progress=False)
    return store.open_db(path)


@pytest.mark.parametrize("value, unit, shown", [
    (55.82, "%", "55,82%"),
    (90.0, "%", "90%"),
    (216_300_000_000, "VND", "216,3 tỷ đồng"),
    (198_431_057_000, "VND", "198,431 tỷ đồng"),
    (60_417_000, "VND", "60,417 triệu đồng"),
    (500_000, "VND", "500.000 đồng"),
    (1719, "chứng thư số", "1.719 chứng thư số"),
])
def test_values_are_written_the_vietnamese_way(value, unit, shown):
    assert format_value(value, unit) == shown


@pytest.mark.parametrize("metric, key", [
    ("hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng", "ho so cong viec duoc xu ly tren moi truong mang"),
    ("hồ sơ công việc được xử lý trên môi trường mạng", "ho so cong viec duoc xu ly tren moi truong mang"),
    ("CBCC cấp xã, cấp huyện được trang bị máy tính", "cbcc duoc trang bi may tinh"),
    ("doanh nghiệp trên địa bàn tỉnh sử dụng hóa đơn điện tử", "doanh nghiep su dung hoa don dien tu"),
    (None, ""),
])
def test_metric_key_folds_and_drops_levels(metric, key):
    assert metric_key(metric) == key


def test_metric_search_ignores_diacritics(db):
    rows = list_measures(db, kind="target", metric="ho so cong viec")
    by_doc = {}
    for r in rows:
        by_doc.setdefault(r["source"][:3], []).append((r["value"], r["scope"]))
    # seed 000 sets 90/80/60%, seed 002 (206/KH-UBND) 90/80/40% by level
    assert by_doc["000"] == [(90.0, "cấp tỉnh"), (80.0, "cấp huyện"), (60.0, "cấp xã")]
    assert by_doc["002"] == [(90.0, "cấp tỉnh"), (80.0, "cấp huyện"), (40.0, "cấp xã")]
    assert rows == list_measures(db, kind="target", metric="Hồ sơ  CÔNG VIỆC")


def test_metric_search_matches_whole_words(db):
    assert not list_measures(db, metric="ho so cong vie")


def test_filters_by_kind_year_province_unit_and_document(db):
    every = list_measures(db)
    assert {r["kind"] for r in list_measures(db, kind="actual")} == {"actual"}
    assert {r["year"] for r in list_measures(db, year=2025)} == {2025}
    lang_son = list_measures(db, province="lang son")
    assert lang_son and {r["province"] for r in lang_son} == {"Lạng Sơn"}
    assert len(lang_son) < len(every)
    money = list_measures(db, unit="đồng")
    assert money == list_measures(db, unit="VND") and {r["unit"] for r in money} == {"VND"}
    assert 216_300_000_000 in {r["value"] for r in money}
    one = list_measures(db, doc_id=lang_son[0]["doc_id"])
    assert {r["so_hieu"] for r in one} == {"206/KH-UBND"}


def test_compare_groups_one_metric_across_documents(db):
    groups = compare_measures(db, "hồ sơ công việc")
    first = groups[0]
    assert first.label == "hồ sơ công việc được xử lý trên môi trường mạng" and first.unit == "%"
    assert {r["source"][:3] for r in first.rows} == {"000", "002", "004"}
    by_source = {}
    for r in first.rows:
        by_source.setdefault(r["source"][:3], []).append((r["year"], r["scope"], r["value"]))
    # both plans are for 2022 (the year their trích yếu names), so their targets are for 2022
    assert by_source["002"] == [(2022, "cấp tỉnh", 90.0), (2022, "cấp huyện", 80.0), (2022, "cấp xã", 40.0)]
    assert by_source["000"] == [(2022, "cấp tỉnh", 90.0), (2022, "cấp huyện", 80.0), (2022, "cấp xã", 60.0)]
    assert (2030, "cấp tỉnh", 100.0) in by_source["004"]
    years = [r["year"] for r in first.rows]
    assert years == sorted(years)
    flat = comparison_rows(groups)
    assert len(flat) == sum(len(g.rows) for g in groups) and flat[0]["group"] == first.label


def test_compare_by_province(db):
    groups = compare_measures(db, "ho so cong viec", province="Lạng Sơn")
    assert {r["so_hieu"] for g in groups for r in g.rows} == {"206/KH-UBND"}


def test_chart_is_a_png_and_html_embeds_it(db, tmp_path):
    groups = compare_measures(db, "hồ sơ công việc")
    png, left_out = draw_comparison(groups, tmp_path / "c.png")
    assert left_out == 0
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 400
    page, _ = draw_comparison(groups, tmp_path / "c.html")
    text = page.read_text(encoding="utf-8")
    assert "<img" in text and "data:image/png;base64," in text and "206/KH-UBND" in text and "40%" in text
