"""How long DTI evidence takes for one province with many documents (100,000 by default).

The synthetic province: the seed plans and reports (corpus/seeds, about chuyển đổi số)
and short everyday documents (decisions, plans, reports and letters on land, health,
schools, budgets, staff, with their figures and legal bases) are ingested once by the
real pipeline; then their rows are copied under new ids, numbers and cited numbers until
the province holds n_docs documents, dx_share of them copies of the seeds. The FTS index
fills through the store's own triggers. Building 100,000 takes a few minutes; evidence
is what is timed.

    >>> evidence_bench(2_000)["evidence_seconds"] < 10  # doctest: +SKIP
    True
"""
from __future__ import annotations

import random
import resource
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Optional

from vanban.pipeline import store
from vanban.pipeline.corpus.evidence import find_evidence
from vanban.pipeline.dev.apart import apart

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "seeds"
PROVINCE = "Tuyên Quang"
TEMPLATES = 120  # distinct everyday documents ingested; the rest are copies of them

_SECTORS = ("nông nghiệp", "giáo dục và đào tạo", "y tế", "giao thông vận tải", "tài nguyên và môi trường",
            "văn hóa, thể thao và du lịch", "lao động, thương binh và xã hội", "xây dựng", "tài chính",
            "công thương", "nội vụ", "tư pháp", "kế hoạch và đầu tư")
_TASKS = ("phòng, chống thiên tai", "cải cách hành chính", "xây dựng nông thôn mới", "phòng chống dịch bệnh",
          "bảo vệ rừng", "giảm nghèo bền vững", "an toàn giao thông", "phổ biến, giáo dục pháp luật",
          "thu ngân sách nhà nước", "giải phóng mặt bằng", "tuyển sinh", "tiêm chủng mở rộng")
_PLACES = ("huyện Sơn Dương", "huyện Yên Sơn", "huyện Hàm Yên", "huyện Chiêm Hóa", "huyện Na Hang",
           "huyện Lâm Bình", "thành phố Tuyên Quang")
_KINDS = (("QUYẾT ĐỊNH", "QĐ-UBND", "Về việc phê duyệt dự toán kinh phí {task} năm {year}"),
          ("KẾ HOẠCH", "KH-UBND", "Thực hiện công tác {task} năm {year}"),
          ("BÁO CÁO", "BC-UBND", "Kết quả thực hiện nhiệm vụ {task} {period} năm {year}"),
          ("THÔNG BÁO", "TB-UBND", "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Sở {sector}"),
          ("QUYẾT ĐỊNH", "QĐ-UBND", "Về việc kiện toàn Ban chỉ đạo {task} tỉnh Tuyên Quang"))


def _everyday(rng: random.Random, i: int) -> str:
    """One short provincial document: header, legal bases, body with figures, signature."""
    heading, symbol, title = _KINDS[i % len(_KINDS)]
    year = rng.choice((2020, 2021, 2022, 2023))
    task, sector, place = rng.choice(_TASKS), rng.choice(_SECTORS), rng.choice(_PLACES)
    title = title.format(task=task, sector=sector, year=year, period=rng.choice(("6 tháng đầu", "quý III")))
    bases = [f"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
             f"Căn cứ Quyết định số {rng.randint(1, 900)}/QĐ-UBND ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{year - 1} "
             f"của Ủy ban nhân dân tỉnh về {rng.choice(_TASKS)};",
             f"Căn cứ Kế hoạch số {rng.randint(1, 300)}/KH-UBND ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{year - 1} "
             f"của Ủy ban nhân dân tỉnh về {rng.choice(_TASKS)} giai đoạn 2021-2025;",
             f"Theo đề nghị của Giám đốc Sở {sector}."]
    body = [
        "I. KẾT QUẢ THỰC HIỆN",
        f"1. Trong kỳ, {place} đã tổ chức {rng.randint(2, 30)} hội nghị, tập huấn cho {rng.randint(50, 900)} lượt "
        f"cán bộ, công chức và người dân về {task}.",
        f"2. Tỷ lệ hồ sơ thủ tục hành chính lĩnh vực {sector} được giải quyết đúng hạn đạt "
        f"{rng.randint(90, 99)},{rng.randint(1, 9)}%; tiếp nhận {rng.randint(100, 5000)} hồ sơ.",
        f"3. Tổng kinh phí thực hiện là {rng.randint(1, 90)},{rng.randint(1, 9)} tỷ đồng từ ngân sách nhà nước, "
        f"hỗ trợ {rng.randint(10, 400)} hộ gia đình và {rng.randint(2, 40)} doanh nghiệp.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        f"- Tiếp tục triển khai các chính sách hỗ trợ người dân, doanh nghiệp; phấn đấu {rng.randint(80, 100)}% "
        f"{rng.choice(('xã', 'thôn, bản', 'trường học', 'trạm y tế'))} hoàn thành chỉ tiêu {task}.",
        f"- Tăng cường kiểm tra, giám sát việc thực hiện; xử lý nghiêm các trường hợp vi phạm trong lĩnh vực {sector}.",
        f"- Giao Sở {sector} chủ trì, phối hợp với Ủy ban nhân dân {place} tổ chức thực hiện.",
    ]
    return "\n".join([f"ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG\nSố: {rng.randint(1, 900)}/{symbol}",
                      f"Tuyên Quang, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year}",
                      heading, title, "", *bases, "", *body, "",
                      "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An"]) + "\n"


def _templates(folder: Path, seed: int) -> Path:
    """Ingest the seeds and TEMPLATES everyday documents into folder/templates.db."""
    from vanban.pipeline.reading.ingest import ingest

    rng = random.Random(seed)
    texts = folder / "texts"
    texts.mkdir()
    for i in range(TEMPLATES):
        (texts / f"everyday_{i:03d}.txt").write_text(_everyday(rng, i), encoding="utf-8")
    for path in sorted(SEEDS.glob("*.txt")):
        (texts / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    db_path = folder / "templates.db"
    ingest([texts], db_path, jobs=1, progress=False)
    return db_path


def _document_table(conn: sqlite3.Connection, schema: str = "main") -> str:
    """The table holding one row per file's document: `renditions` (schema 2) or `documents`."""
    names = {r[0] for r in conn.execute(f"select name from {schema}.sqlite_master where type = 'table'")}
    return "renditions" if "renditions" in names else "documents"


def synthetic_province(path: Path, n_docs: int = 100_000, dx_share: float = 0.02, seed: int = 7,
                       province: str = PROVINCE) -> dict:
    """Write a store at path holding n_docs documents of province (see the module's docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        template_db = _templates(Path(tmp), seed)
        db = store.open_db(path)
        conn = db.conn
        conn.execute("attach database ? as t", [str(template_db)])
        docs = _document_table(conn)
        source = _document_table(conn, "t")
        templates = [(r[0], r[1]) for r in conn.execute(f"select doc_id, source_name from t.{source} order by source_name")]
        seeds = [d for d, name in templates if not name.startswith("everyday_")]
        everyday = [d for d, name in templates if name.startswith("everyday_")]
        rng = random.Random(seed)
        n_seeds = round(n_docs * dx_share)
        conn.execute("create temp table clones (new_id text primary key, template text, number integer, year integer)")
        conn.executemany("insert into clones values (?, ?, ?, ?)",
                         [(f"bench{i:011x}", seeds[i % len(seeds)] if i < n_seeds else rng.choice(everyday),
                           1 + i % 3000, 2019 + i % 5) for i in range(n_docs)])
        with conn:
            conn.execute(_copy(conn, docs, source, {
                "doc_id": "c.new_id", "sha256": "c.new_id", "source": "'/bench/' || c.new_id || '.txt'",
                "source_name": "c.new_id || '.txt'", "province": "?", "year": "c.year",
                "number": "case when x.number is null then null else c.number end",
                "so_hieu": "case when x.so_hieu is null then null else c.number || substr(x.so_hieu, instr(x.so_hieu, '/')) end",
                "is_primary": "1", "node_id": "'bench:' || c.new_id"}), [province])
            for table in ("pages", "passages", "measures"):
                conn.execute(_copy(conn, table, table, {"doc_id": "c.new_id"}))
            # the documents a province cites restart their numbers every year: many distinct ones
            conn.execute(_copy(conn, "refs", "refs", {
                "doc_id": "c.new_id",
                "number": "case when x.jurisdiction = ? then (c.number * 7 + x.seq) % 3000 + 1 else x.number end",
                "ref_id": "case when x.jurisdiction = ? then ((c.number * 7 + x.seq) % 3000 + 1) || "
                          "substr(x.ref_id, instr(x.ref_id, '/')) else x.ref_id end"}),
                [province, province])
        conn.execute("detach database t")
        counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                  for t in (docs, "passages", "measures", "refs")}
        conn.close()
    return counts


def _copy(conn: sqlite3.Connection, table: str, source: str, changed: dict) -> str:
    """insert … select copying every column of source's template rows (t.<source>) into
    table for each clone, with the given columns computed instead."""
    have = [r[1] for r in conn.execute(f"pragma main.table_info([{table}])")]
    theirs = {r[1] for r in conn.execute(f"pragma t.table_info([{source}])")}
    columns = [c for c in have if c in theirs or c in changed]
    values = [changed.get(c, f"x.[{c}]") for c in columns]
    return (f"insert into main.[{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"select {', '.join(values)} from clones c join t.[{source}] x on x.doc_id = c.template")


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def evidence_bench(n_docs: int = 100_000, path: Optional[Path] = None, province: str = PROVINCE) -> dict:
    """Seconds to rank DTI evidence for every indicator of one province of n_docs documents.

    path: a store built by an earlier call to reuse (built there when missing); by
    default a temporary one.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(path) if path else Path(tmp) / "evidence-bench.db"
        built, counts = 0.0, None
        if not path.exists():
            start = time.perf_counter()
            counts = apart(synthetic_province, path, n_docs, province=province)  # not what is measured
            built = time.perf_counter() - start
        db = store.open_db(path)
        start = time.perf_counter()
        results = find_evidence(db, province)
        seconds = time.perf_counter() - start
        db.conn.close()
    return {"documents": n_docs, "rows": counts, "build_seconds": round(built, 1),
            "evidence_seconds": round(seconds, 2),
            "indicators_with_evidence": sum(1 for r in results if r.status == "found"),
            "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(evidence_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
                                    Path(sys.argv[2]) if len(sys.argv) > 2 else None), ensure_ascii=False, indent=1))
