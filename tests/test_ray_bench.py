"""vanban bench --engine ray: the capacity table and the report's text (the timed run itself is `vanban bench`)."""
import json
from pathlib import Path

from vanban.pipeline.dev.ray_bench import capacity, render, scan_sample

ROOT = Path(__file__).resolve().parent.parent


def test_capacity_counts_the_cores_and_nodes_a_day_of_ocr_needs():
    [hundred_thousand, million] = capacity(0.5)
    assert hundred_thousand == {"pages": 100_000, "core_hours": 55.6, "cores": 3, "nodes": {8: 1, 16: 1, 32: 1}}
    assert million["cores"] == 24 and million["nodes"] == {8: 3, 16: 2, 32: 1}


def test_the_sample_scan_takes_pages_across_the_corpus_scans(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(scan_sample(ROOT / "corpus", 3, tmp_path)))
    assert len(pdf) == 3


def test_the_report_reads_as_a_table():
    row = {"ocr_pages": 12, "seconds": 20.0, "pages_per_s": 0.6}
    report = {"pages": 12, "cores": 2, "load_average": [0.5, 0.5, 0.5], "local_1": row, "local_2": row,
              "ray_1": row, "ray_2": {**row, "pages_per_s": 1.14}, "scaling_efficiency": 0.95,
              "driver_peak_rss_mb": {"during_ray": 140.0, "whole_run": 150.0}, "capacity": capacity(0.6)}
    text = render(json.loads(json.dumps(report, default=str)) | {"capacity": capacity(0.6)})
    assert "ray, 2 worker nodes (1 CPU each)" in text and "1.140 pages/s" in text
    assert "scaling efficiency, 2 nodes over 1: 0.95" in text and "1,000,000 pages" in text
