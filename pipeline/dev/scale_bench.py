"""`vanban bench --scale N`: the corpus layer on a store of N documents.

A synthetic store of N documents (pipeline/dev/synthetic.py: ten citations each,
popular decrees, stored and only-cited local documents, header-less ones, problems) is
written in bulk; then it measures what a user waits for:

- ingest: 1,000 new documents (made in memory beforehand, citing into the store) saved
  as `vanban ingest` saves them (store/saver.py: a window of files per transaction on a large
  store, a file per transaction on a small one) and the corpus
  update after them, into the store and into
  an empty store; the ratio says whether a large store slows a day's ingest (goal ≤ 1.5).
  This is the store's side alone, the part that can grow with the store, timed until the WAL
  is copied back into the store (a checkpoint). At 1,000,000 documents it depends on what the
  page cache holds: `--cold` drops the store's pages first, as after a reboot;
- with `--cold --pages`, the pages 1,000 more new documents read or write, by table and index
  (page_owners.py): which b-trees the store's side waits on;
- ingest files: 1,000 more new documents written as text files and ingested as a user
  does (`vanban ingest FOLDER`: reading, extraction, saving, corpus update), into the
  store and into an empty store;
- lookups, in-process over LOOKUPS ids a user may type: find_nodes + cited_by, cites,
  find_documents (show) and a search filtered by type, province and year (goal p95 < 50 ms);
- audit and DTI evidence (evidence_bench: one province of up to 100,000 documents), each in
  a process of its own, as `vanban audit` and `vanban evidence` run;
- peak RSS (goal < 1.5 GB at 1,000,000 documents): the largest of the bench's process (ingest,
  lookups) and the audit's and evidence's own.

    >>> report = bench_scale(10_000)
    >>> report["ingest"]["ratio"] <= 1.5
    True
"""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

from tqdm import tqdm

from vanban.pipeline import store
from vanban.pipeline.corpus.audit import iter_audit
from vanban.pipeline.corpus.graph import build_graph, cited_by, cites, find_documents, find_nodes
from vanban.pipeline.dev.apart import apart
from vanban.pipeline.dev.page_owners import advise, page_owners, resident_pages
from vanban.pipeline.dev.synthetic import TOPICS, SyntheticCorpus, build_store
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.store.fanout import disk_bytes
from vanban.pipeline.store.saver import Saver
from vanban.pipeline.store.search import search

NEW_DOCUMENTS = 1_000
LOOKUPS = 200
EVIDENCE_DOCUMENTS = 100_000  # the goal: one province this large in under 10 s
PAGE_OWNERS_SHOWN = 12  # the tables and indexes named in the table's line, most pages first
# the goals of issue 11, at 1,000,000 documents
GOALS = {"ingest_ratio": 1.5, "lookup_p95_ms": 50, "peak_rss_mb": 1536}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def disk_mb(field: str = "read_bytes") -> Optional[float]:
    """What this process has read from the disk itself, not from the page cache (field
    "write_bytes": has given the disk to write: the WAL, and the store at checkpoints), where
    Linux says."""
    count = disk_bytes(Path("/proc/self/io"), field)
    return None if count is None else round(count / 2 ** 20, 1)


class PageCacheUnsupported(RuntimeError):
    """A cold run asked for where the page cache cannot be told to drop a file's pages."""


def require_eviction() -> None:
    """Raise PageCacheUnsupported where evict_page_cache cannot work (before a build, not after it)."""
    if not hasattr(os, "posix_fadvise"):
        raise PageCacheUnsupported("a cold ingest needs posix_fadvise to drop the store's pages (Linux); "
                                   "run without --cold")


def evict_page_cache(path: Path) -> None:
    """Drop the store's pages, and its WAL's, from the page cache, as after a reboot: for these
    files alone (posix_fadvise, no root needed), once written to the disk (only clean pages go)."""
    require_eviction()
    for name in (path, Path(f"{path}-wal")):
        try:
            fd = os.open(name, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def time_ingest(path: Path, documents: list, cold: bool = False, read_ahead: bool = True) -> dict:
    """Seconds to save documents as `vanban ingest` does (store/saver.py), then to update the corpus
    tables once, then to copy the WAL back into the store (a checkpoint: until then the work is not all done);
    with the megabytes each step read from the disk (a page cache miss each 4 KB: at 1,000,000
    documents they, not the statements run, are what the time grows with) and gave it to write.
    cold=True drops the store's pages from the page cache first (evict_page_cache); read_ahead=False
    turns the kernel's read-ahead off meanwhile for the store's descriptors (this connection's and the
    reading pools' already open: page_owners.advise), and back on after."""
    db = store.open_db(path)
    if cold:
        evict_page_cache(path)
    if not read_ahead:
        advise(path, os.POSIX_FADV_RANDOM)
    read, written = [disk_mb()], [disk_mb("write_bytes")]
    start = time.perf_counter()
    with Saver(db) as saver:  # as `vanban ingest` saves
        for doc in documents:
            saver.save(doc.source, doc.sha256, [doc])
    saved = time.perf_counter()
    read.append(disk_mb())
    build_graph(db)
    updated = time.perf_counter()
    read.append(disk_mb())
    db.conn.execute("pragma wal_checkpoint(passive)")
    done = time.perf_counter()
    written.append(disk_mb("write_bytes"))
    db.conn.close()
    if not read_ahead:
        advise(path, os.POSIX_FADV_NORMAL)
    report = {"save_seconds": round(saved - start, 2), "graph_seconds": round(updated - saved, 2),
              "checkpoint_seconds": round(done - updated, 2), "seconds": round(done - start, 2)}
    if None not in read + written:
        report.update(save_disk_mb=round(read[1] - read[0], 1), graph_disk_mb=round(read[2] - read[1], 1),
                      written_mb=round(written[1] - written[0], 1))
    return report


def ingest_pages(path: Path, documents: list) -> dict:
    """The pages of the store at path a cold ingest of documents reads or writes, by table and index,
    with how many that is a citation of the documents: the pages the page cache holds after it, the
    kernel's read-ahead off (so each is one SQLite asked for). Its seconds are not the benchmark's:
    without read-ahead, saving reads the tails of the tables it appends to one page at a time."""
    owners = page_owners(path)  # a pass over the whole store (it is evicted next)
    timed = time_ingest(path, documents, cold=True, read_ahead=False)
    counts = owners.count(resident_pages(path, owners.page_size))
    citations = sum(len(doc.references) for doc in documents)
    total = sum(counts.values())
    return {"documents": len(documents), "seconds": timed["seconds"], "total": total, "citations": citations,
            "per_citation": round(total / max(citations, 1), 2), "by_owner": dict(counts.most_common())}


def write_texts(folder: Path, documents: Iterable) -> int:
    """Each document's text as a .txt file named after it (its scan, the same text, left out)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for doc in documents:
        name = Path(doc.source).stem
        if not name.endswith("-scan"):
            (folder / f"{name}.txt").write_text(doc.text, encoding="utf-8")
            written += 1
    return written


def time_files_ingest(path: Path, folder: Path) -> dict:
    """Seconds for `vanban ingest folder` into the store at path, end to end."""
    start = time.perf_counter()
    summary = ingest([folder], path, progress=False)
    return {"seconds": round(time.perf_counter() - start, 2), "documents": summary.documents,
            "failures": len(summary.failures)}


def lookup_texts(corpus: SyntheticCorpus, n: int, seed: int) -> list[tuple[str, dict]]:
    """(id as a user types it, a search) for n lookups: stored local documents mostly, national and
    only-cited ones too; the search is a stored title's topic among documents of its type,
    province and year."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        draw = rng.random()
        if draw < 0.6:
            cited = corpus.local(rng.randrange(corpus.n))
        elif draw < 0.8:
            cited = corpus.national(rng.randrange(corpus.national_count))
        else:
            cited = corpus.cited_only(rng.randrange(corpus.cited_only_count))
        stored = corpus.local(rng.randrange(corpus.n))
        out.append((cited.id, {"query": next(t for t in TOPICS if t in stored.title), "doc_type": stored.type,
                               "province": stored.province, "year": stored.year}))
    return out


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return (time.perf_counter() - start) * 1000, result


def _summary(times: list[tuple[float, str]]) -> dict:
    ms = sorted(t for t, _ in times)
    slowest = max(times)
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
            "max_ms": round(slowest[0], 1), "slowest": slowest[1]}


def measure_lookups(db, texts: list[tuple[str, dict]], progress: bool = False) -> dict:
    """p50/p95 in ms of each lookup a user makes, over the given ids and searches."""
    times: dict[str, list] = {"find_nodes + cited_by": [], "cites": [], "show (find_documents)": [],
                              "filtered search": []}
    for text, wanted in tqdm(texts, desc="lookups", unit="id", disable=not progress, file=sys.stderr):
        ms, nodes = _timed(lambda: find_nodes(db, text))
        ids = [n["node_id"] for n in nodes]
        more, _ = _timed(lambda: cited_by(db, ids))
        times["find_nodes + cited_by"].append((ms + more, text))
        times["cites"].append((_timed(lambda: cites(db, ids))[0], text))
        times["show (find_documents)"].append((_timed(lambda: find_documents(db, text))[0], text))
        times["filtered search"].append((_timed(lambda: search(db, **wanted))[0],
                                         " ".join(str(v) for v in wanted.values())))
    return {name: _summary(values) for name, values in times.items()}


def evidence_seconds(n: int) -> dict:
    """DTI evidence for one province of min(n, EVIDENCE_DOCUMENTS) documents (evidence_bench), or
    on nothing when that bench is not there."""
    try:
        from vanban.pipeline.dev.evidence_bench import evidence_bench
    except ImportError:
        return {}
    report = evidence_bench(min(n, EVIDENCE_DOCUMENTS))
    return {"documents": report["documents"], "seconds": report["evidence_seconds"]}


def bench_scale(n: int, new: int = NEW_DOCUMENTS, lookups: int = LOOKUPS, seed: int = 7,
                folder: Optional[Path] = None, audit_store: bool = True, evidence: bool = True,
                files: bool = True, progress: bool = False, reuse: bool = False, cold: bool = False,
                pages: bool = False) -> dict:
    """Build a synthetic store of n documents and time ingest, lookups, audit and evidence on it.

    folder: where the stores go (kept); by default a temporary folder, removed after.
    reuse=True measures again on the store an earlier run left in folder (with the same n and
    seed), with new documents past those it saved, instead of building it again: a
    1,000,000-document store takes 36–52 minutes to build on a 2-core machine.
    audit_store=False skips the audit; evidence=False skips evidence_bench, which builds a
    province store of its own; files=False skips the end-to-end ingest of text files.
    cold=True drops the store's pages from the page cache before each ingest into it (as after a
    reboot; evict_page_cache); by default the page cache holds what earlier work left there.
    pages=True (with cold only: reading every page's owner fills the page cache) counts, by table
    and index, the pages an ingest of `new` more documents reads or writes (ingest_pages).
    """
    if pages and not cold:
        raise ValueError("pages=True needs cold=True: the pages an ingest touches are told from a cold start")
    if cold:
        require_eviction()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(folder or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base, empty = folder / f"scale-{n}.db", folder / f"scale-{n}-empty.db"
        files_empty = folder / f"scale-{n}-files-empty.db"
        built = _built_before(base, n, seed) if reuse else None
        for path in (empty, files_empty) if built else (base, empty, files_empty):
            for old in path.parent.glob(path.name + "*"):
                old.unlink()
        if not built:  # a build cut short must not pass for the store it replaces
            _sidecar(base).unlink(missing_ok=True)
        if built:
            report: dict = {**built["report"], "reused": True, "rss_mb": {}}
        else:
            start = time.perf_counter()
            steps = apart(build_store, base, SyntheticCorpus(n, new=2 * new, seed=seed), progress)  # not the bench's heap
            report = {"documents": n, "renditions": steps["renditions"],
                      "build_seconds": round(time.perf_counter() - start, 1), "build_steps": steps["seconds"],
                      "rss_mb": {"build": peak_rss_mb()}}
            built = {"documents": n, "seed": seed, "per_year": 2 * new, "next": n,
                     "report": {k: v for k, v in report.items() if k != "rss_mb"}}
        # `new` saved as records, `new` more as files (and `new` more for pages); the range is taken
        # before any is saved
        first = report["new_from"] = built["next"]
        _sidecar(base).write_text(json.dumps({**built, "next": first + (3 if pages else 2) * new}), encoding="utf-8")
        corpus = SyntheticCorpus(n, new=built["per_year"], seed=seed)
        report["store_mb"] = round(base.stat().st_size / 2 ** 20)
        documents = list(corpus.records(first, first + new))
        into_empty = time_ingest(empty, documents)
        into_store = time_ingest(base, documents, cold=cold)
        report["ingest"] = {"documents": new, "renditions": len(documents), "empty": into_empty,
                            "store": into_store, "page_cache": "cold" if cold else "as found",
                            "ratio": round(into_store["seconds"] / into_empty["seconds"], 2)}
        if pages:  # other new documents: the timed ones are in the store now
            report["ingest"]["pages"] = ingest_pages(base, list(corpus.records(first + 2 * new, first + 3 * new)))
        if files:
            texts = folder / f"scale-{n}-files"
            shutil.rmtree(texts, ignore_errors=True)  # an earlier run's files are in the store already
            written = write_texts(texts, corpus.records(first + new, first + 2 * new))
            into_empty = time_files_ingest(files_empty, texts)
            if cold:
                evict_page_cache(base)
            into_store = time_files_ingest(base, texts)
            report["ingest_files"] = {"files": written, "empty": into_empty, "store": into_store,
                                      "ratio": round(into_store["seconds"] / into_empty["seconds"], 2)}
        report["rss_mb"]["ingest"] = peak_rss_mb()
        db = store.open_db(base)
        report["lookups"] = measure_lookups(db, lookup_texts(corpus, lookups, seed), progress)
        report["rss_mb"]["lookups"] = peak_rss_mb()
        db.conn.close()
        # one heap under another would count what no user's process holds (one command, one process)
        if audit_store:
            report["audit"], report["rss_mb"]["audit"] = apart(with_peak_rss, audit_seconds, base)
        if evidence:
            report["evidence"], report["rss_mb"]["evidence"] = apart(with_peak_rss, evidence_seconds, n)
    report["peak_rss_mb"] = max(peak_rss_mb(), *report["rss_mb"].values())
    return report


def _sidecar(base: Path) -> Path:
    return base.with_suffix(".json")


def _built_before(base: Path, n: int, seed: int) -> Optional[dict]:
    """What the run that built the store at base wrote beside it (how it was built, where the next
    run's new documents start), when it was built for n documents with this seed."""
    try:
        built = json.loads(_sidecar(base).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return built if base.exists() and built.get("documents") == n and built.get("seed") == seed else None


def with_peak_rss(function: Callable, *args) -> tuple:
    """(function(*args), the peak RSS in MB of the process it ran in)."""
    return function(*args), peak_rss_mb()


def audit_seconds(path: Path) -> dict:
    """Seconds for every audit check on the store at path, and how many findings (counted as they
    come, as `vanban audit --format nl` writes them: none held)."""
    db = store.open_db(path)
    start = time.perf_counter()
    findings = sum(1 for _ in iter_audit(db))
    seconds = time.perf_counter() - start
    db.conn.close()
    return {"seconds": round(seconds, 1), "findings": findings}


def render(report: dict) -> str:
    """The figures as a table, each beside its goal."""
    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"
    ingest = report["ingest"]
    lines = [f"vanban bench --scale {report['documents']}: {report['renditions']} renditions, "
             f"{report['store_mb']} MB, built in {report['build_seconds']} s"
             + (f" by an earlier run; new documents from {report['new_from']}" if report.get("reused") else ""),
             f"ingest {ingest['documents']} new documents ({ingest['renditions']} files; the store's pages "
             f"{'dropped from' if ingest.get('page_cache') == 'cold' else 'as found in'} the page cache): "
             f"{ingest['store']['seconds']} s into the store (save {ingest['store']['save_seconds']} + corpus update "
             f"{ingest['store']['graph_seconds']} + checkpoint {ingest['store'].get('checkpoint_seconds', 0)}), "
             f"{ingest['empty']['seconds']} s into an empty one (save {ingest['empty']['save_seconds']} + "
             f"{ingest['empty']['graph_seconds']} + {ingest['empty'].get('checkpoint_seconds', 0)}): "
             f"ratio {ingest['ratio']}"
             f"   [goal ≤ {GOALS['ingest_ratio']}: {mark(ingest['ratio'] <= GOALS['ingest_ratio'])}]"
             + (f"\n  read from disk, not the page cache: {ingest['store']['save_disk_mb']} + "
                f"{ingest['store']['graph_disk_mb']} MB into the store, {ingest['empty']['save_disk_mb']} + "
                f"{ingest['empty']['graph_disk_mb']} MB into the empty one" if "save_disk_mb" in ingest["store"] else "")
             + (f"\n  given the disk to write (WAL and checkpoints): {ingest['store']['written_mb']} MB into the "
                f"store, {ingest['empty']['written_mb']} MB into the empty one" if "written_mb" in ingest["store"]
                else "")
             + (f"\n  pages of the store read or written by {ingest['pages']['documents']:,} more, cold, the kernel's "
                f"read-ahead off ({ingest['pages']['seconds']} s): {ingest['pages']['total']:,}, "
                f"{ingest['pages']['per_citation']} a citation of the {ingest['pages']['citations']:,}: " + ", ".join(
                    f"{name} {n:,}" for name, n in list(ingest["pages"]["by_owner"].items())[:PAGE_OWNERS_SHOWN])
                if ingest.get("pages") else ""),
             f"{'lookup':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>9}  slowest"]
    if report.get("ingest_files"):
        files = report["ingest_files"]
        lines.insert(2, f"ingest {files['files']} new text files end to end (vanban ingest FOLDER): "
                        f"{files['store']['seconds']} s into the store, {files['empty']['seconds']} s into an empty "
                        f"one: ratio {files['ratio']}")
    for name, figures in report["lookups"].items():
        lines.append(f"  {name:22} {figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['max_ms']:>9}  "
                     f"{figures['slowest']}   [{mark(figures['p95_ms'] < GOALS['lookup_p95_ms'])}]")
    if report.get("audit"):
        lines.append(f"audit: {report['audit']['seconds']} s ({report['audit']['findings']} findings)")
    if report.get("evidence"):
        lines.append(f"evidence: {report['evidence']['seconds']} s for one province of "
                     f"{report['evidence']['documents']} documents   [goal < 10 s: "
                     f"{mark(report['evidence']['seconds'] < 10)}]")
    lines.append(f"peak RSS: {report['peak_rss_mb']} MB (" + ", ".join(
        f"{k} {v}" for k, v in report["rss_mb"].items()) + "; audit and evidence each in a process of its own)"
        f"   [goal < {GOALS['peak_rss_mb']} MB at 1M: "
        f"{mark(report['peak_rss_mb'] < GOALS['peak_rss_mb'])}]")
    return "\n".join(lines)
