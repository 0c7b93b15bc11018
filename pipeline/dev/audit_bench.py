"""How long `vanban audit` takes on a large synthetic store (10,000 documents, 100,000 references).

The store is the scale benchmark's synthetic corpus (pipeline/dev/synthetic.py), written
in bulk with its corpus tables: a few seconds to build, so the audit, not the
extractors, is what is timed.

    >>> bench_audit(10_000)["audit_seconds"] < 10
    True
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from vanban.pipeline import store
from vanban.pipeline.corpus.audit import iter_audit
from vanban.pipeline.dev.synthetic import SyntheticCorpus, build_store


def synthetic_store(path: Path, n_docs: int = 10_000, refs_per_doc: int = 10, seed: int = 7) -> int:
    """Write n_docs documents citing refs_per_doc documents each; a few carry each problem the audit finds.

    Returns the number of references written.
    """
    build_store(path, SyntheticCorpus(n_docs, refs_per_doc=refs_per_doc, seed=seed))
    db = store.open_db(path)
    count = db.conn.execute("select count(*) from citations").fetchone()[0]  # a scan's copies not counted
    db.conn.close()
    return count


def bench_audit(n_docs: int = 10_000, refs_per_doc: int = 10) -> dict:
    """Seconds to build the synthetic store and to audit it, and the findings per kind."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audit-bench.db"
        start = time.perf_counter()
        n_refs = synthetic_store(path, n_docs, refs_per_doc)
        built = time.perf_counter() - start
        db = store.open_db(path)
        start = time.perf_counter()
        counts: dict = {}
        for f in iter_audit(db):
            counts[f.kind] = counts.get(f.kind, 0) + 1
        seconds = time.perf_counter() - start
        db.conn.close()
    return {"documents": n_docs, "references": n_refs, "build_seconds": round(built, 2),
            "audit_seconds": round(seconds, 2), "findings": counts}
