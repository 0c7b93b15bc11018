"""How long `vanban audit` takes on a large synthetic store (10,000 documents, 100,000 references).

The store is written straight with executemany: a few seconds to build, so the audit,
not the extractors, is what is timed.

    >>> bench_audit(10_000)["audit_seconds"] < 10
    True
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from vanban.models.records import Span
from vanban.pipeline import store
from vanban.pipeline.corpus.audit import audit

PROVINCES = ("Tuyên Quang", "Lạng Sơn", "Hà Giang", "Yên Bái", "Cao Bằng")
# (type, ký hiệu, issuer, national?) of the documents the synthetic corpus cites
CITED = (("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ", True),
         ("Nghị quyết", "NQ-CP", "Chính phủ", True),
         ("Kế hoạch", "KH-UBND", "Ủy ban nhân dân tỉnh", False),
         ("Quyết định", "QĐ-UBND", "Ủy ban nhân dân tỉnh", False),
         ("Công văn", "BTTTT-THH", "Bộ Thông tin và Truyền thông", True))


def synthetic_store(path: Path, n_docs: int = 10_000, refs_per_doc: int = 10, seed: int = 7) -> int:
    """Write n_docs Kế hoạch citing refs_per_doc documents each; a few citations carry each problem.

    Returns the number of references written.
    """
    rng = random.Random(seed)
    db = store.open_db(path)
    pool = _cited_pool(rng, n_docs * refs_per_doc // 4)
    docs, pages, refs = [], [], []
    for i in range(n_docs):
        doc_id = f"{i:016x}"
        province = PROVINCES[i % len(PROVINCES)]
        year = 2018 + i % 5
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 50 else f"{year}-{1 + i % 12:02d}"
        number = str(1 + i // 25) if i % 97 else None
        docs.append((doc_id, f"/corpus/{doc_id}.pdf", f"{doc_id}.pdf", 1, "Kế hoạch",
                     f"{number}/KH-UBND" if number else None, number, "KH-UBND", date, year,
                     f"Ủy ban nhân dân tỉnh {province}", province, f"Kế hoạch về chuyển đổi số số {i}", "{}"))
        pages.append((doc_id, 1, "plain", f"Số: {number or ''}/KH-UBND\n{province}, ngày 1 tháng 1 năm {year}\n"))
        for seq in range(refs_per_doc):
            doc_type, ref_number, symbol, issuer, national, cited_date, title = rng.choice(pool)
            jurisdiction = "national" if national else province
            written = "Kế hoạch" if rng.random() < 0.002 else doc_type  # a type/symbol mismatch
            dates = [cited_date]
            if rng.random() < 0.002:  # cited twice with two dates
                dates.append(cited_date[:8] + f"{rng.randint(1, 28):02d}")
            if rng.random() < 0.002:  # a mistyped year
                dates = [str(int(cited_date[:4]) + 1) + cited_date[4:]]
            ref_year = int(dates[0][:4])
            if rng.random() < 0.001:
                ref_year, dates = None, []
            ref_id = f"{ref_number}/{symbol}"
            mention = f"{written} số {ref_id}" + (f" ngày {dates[0]}" if dates else "")
            refs.append((doc_id, seq, ref_id, written, ref_number, symbol, ref_year, dates[0] if dates else None,
                         json.dumps(dates), issuer, jurisdiction, "mentions", title,
                         json.dumps([{"text": mention, **Span(0, len(mention), 1, 0, len(mention)).stored()}],
                                    ensure_ascii=False), 1))
    with db.conn:
        db.conn.executemany(
            "insert into renditions (doc_id, source, source_name, pages, type, so_hieu, number, symbol, date, year,"
            " issuer, province, title, identity_notes) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
        db.conn.executemany("insert into pages (doc_id, page, method, text) values (?,?,?,?)", pages)
        db.conn.executemany(
            "insert into refs (doc_id, seq, ref_id, type, number, symbol, year, date, dates, issuer, jurisdiction,"
            " relation, title, mentions, n_mentions) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", refs)
    return len(refs)


def _cited_pool(rng: random.Random, size: int) -> list[tuple]:
    """Distinct cited documents, each with one date and title: numbers restart every year."""
    pool, seen = [], set()
    while len(pool) < size:
        doc_type, symbol, issuer, national = rng.choice(CITED)
        date = f"{rng.randint(2010, 2018)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        number = str(rng.randint(1, 3000))
        if (number, symbol, date[:4]) in seen:
            continue
        seen.add((number, symbol, date[:4]))
        topic = rng.choice(("chuyển đổi số", "cải cách hành chính", "an toàn thông tin", "dịch vụ công"))
        pool.append((doc_type, number, symbol, issuer, national, date, f"về việc {topic} giai đoạn {number}"))
    return pool


def bench_audit(n_docs: int = 10_000, refs_per_doc: int = 10) -> dict:
    """Seconds to build the synthetic store and to audit it, and the findings per kind."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audit-bench.db"
        start = time.perf_counter()
        n_refs = synthetic_store(path, n_docs, refs_per_doc)
        built = time.perf_counter() - start
        db = store.open_db(path)
        start = time.perf_counter()
        findings = audit(db)
        seconds = time.perf_counter() - start
        db.conn.close()
    counts: dict = {}
    for f in findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    return {"documents": n_docs, "references": n_refs, "build_seconds": round(built, 2),
            "audit_seconds": round(seconds, 2), "findings": counts}
