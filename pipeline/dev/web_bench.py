"""`python -m vanban.pipeline.dev.web_bench N`: how long vanban serve's pages take on a store
of N synthetic documents (the scale benchmark's generator, pipeline/dev/synthetic.py).

Requests go through the whole ASGI app in-process (Starlette's TestClient: routing,
templates, the safety headers), for the URLs a user opens: the overview, searches
(plain and filtered by type, province and year), document pages, cited-by pages
(stored, national and only-cited documents, some filtered by type), a province's DTI
evidence, the audit and a Datasette table. The evidence and the audit are worked out in
the background once per state of the store: their first answer is timed apart (cold),
then the page as people see it. The goal (issue 14): p95 under 200 ms for every page.

    python -m vanban.pipeline.dev.web_bench 100000 --folder /tmp/webbench   # keeps the store for a re-run
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

from vanban.pipeline.dev.scale_bench import lookup_texts, peak_rss_mb
from vanban.pipeline.dev.synthetic import PROVINCES, TOPICS, SyntheticCorpus, build_store

GOAL_P95_MS = 200
REQUESTS = 60  # per kind of page
COLD_TIMEOUT = 1800  # seconds a background answer may take before the bench gives up


def page_urls(corpus: SyntheticCorpus, n: int, seed: int = 11) -> dict[str, list[str]]:
    """Kind of page → the URLs timed, drawn like the scale bench's lookups."""
    rng = random.Random(seed)
    lookups = lookup_texts(corpus, n, seed)
    stored = [corpus.local(rng.randrange(corpus.n)).id for _ in range(n)]
    return {
        "overview": ["/", "/?lang=en"] * (n // 2),
        "search": ["/search?" + urlencode({"q": rng.choice(TOPICS)}) for _ in range(n)],
        "search, filtered": ["/search?" + urlencode({"q": w["query"], "type": w["doc_type"],
                                                     "province": w["province"], "year": w["year"]})
                             for _, w in lookups],
        "document": ["/doc/" + doc_id for doc_id in stored],
        "cited-by": ["/cited-by?" + urlencode({"id": text, **({"type": "KH"} if i % 3 == 0 else {})})
                     for i, (text, _) in enumerate(lookups)],
        "evidence": ["/evidence?" + urlencode({"province": rng.choice(PROVINCES[:2])}) for _ in range(n)],
        "audit": ["/audit", "/audit?kind=missing_document", "/audit?kind=conflicting_date"] * (n // 3),
        "datasette table": ["/data/{stem}/documents?" + urlencode({"province": rng.choice(PROVINCES)})
                            for _ in range(n)],
    }


def _ms(client, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - start) * 1000, response.status_code


def cold_seconds(client, url: str, ready_marker: str) -> float:
    """Seconds until a background answer is on its page (the first visitor's wait)."""
    start = time.perf_counter()
    while time.perf_counter() - start < COLD_TIMEOUT:
        if ready_marker in client.get(url).text:
            return round(time.perf_counter() - start, 1)
        time.sleep(1)
    raise TimeoutError(f"{url}: no answer after {COLD_TIMEOUT} s")


def bench_pages(path: Path, corpus: SyntheticCorpus, requests: int = REQUESTS) -> dict:
    """p50/p95/max per kind of page on the store at path, and the cold background answers."""
    from starlette.testclient import TestClient

    from vanban.pipeline.web.app import create_app

    urls = page_urls(corpus, requests)
    report: dict = {"pages": {}, "cold_seconds": {}}
    with TestClient(create_app(path)) as client:
        start = time.perf_counter()
        client.get("/")
        report["cold_seconds"]["overview"] = round(time.perf_counter() - start, 2)
        for url in dict.fromkeys(urls["evidence"]):
            report["cold_seconds"][f"evidence {url}"] = cold_seconds(client, url, 'class="download"')
        report["cold_seconds"]["audit"] = cold_seconds(client, "/audit", 'class="download"')
        for kind, kind_urls in urls.items():
            times, statuses = [], set()
            for url in kind_urls:
                ms, status = _ms(client, url.replace("{stem}", path.stem))
                times.append((ms, url))
                statuses.add(status)
            ms = sorted(t for t, _ in times)
            slowest = max(times)
            report["pages"][kind] = {"requests": len(ms), "p50_ms": round(statistics.median(ms), 1),
                                     "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
                                     "max_ms": round(slowest[0], 1), "slowest": slowest[1],
                                     "statuses": sorted(statuses)}
    report["peak_rss_mb"] = peak_rss_mb()
    return report


def run(n: int, folder: Optional[Path] = None, requests: int = REQUESTS, seed: int = 7) -> dict:
    """Build (or reuse, in folder) a synthetic store of n documents and time its pages."""
    import tempfile

    folder = Path(folder or tempfile.mkdtemp(prefix="vanban-web-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"web-{n}.db"
    corpus = SyntheticCorpus(n, seed=seed)
    report: dict = {"documents": n, "store": str(path)}
    if not path.exists():
        start = time.perf_counter()
        build_store(path, corpus, progress=sys.stderr.isatty())
        report["build_seconds"] = round(time.perf_counter() - start, 1)
    report["store_mb"] = round(path.stat().st_size / 2 ** 20)
    report.update(bench_pages(path, corpus, requests))
    return report


def render(report: dict) -> str:
    lines = [f"vanban serve on {report['documents']:,} synthetic documents ({report['store_mb']:,} MB: "
             f"{report['store']})",
             f"{'page':18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  goal p95 < {GOAL_P95_MS} ms"]
    for kind, figures in report["pages"].items():
        ok = "ok" if figures["p95_ms"] < GOAL_P95_MS else "MISSED"
        lines.append(f"{kind:18} {figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['max_ms']:>8}  {ok}"
                     f"   (slowest: {figures['slowest']}; statuses {figures['statuses']})")
    lines.append("worked out once per state of the store (the first visitor's wait): " + ", ".join(
        f"{k} {v} s" for k, v in report["cold_seconds"].items()))
    lines.append(f"peak RSS: {report['peak_rss_mb']} MB")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="documents in the synthetic store")
    parser.add_argument("--folder", type=Path, default=None, help="where the store is built (and reused)")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per kind of page")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = run(args.n, args.folder, args.requests)
    print(json.dumps(report, indent=1, ensure_ascii=False) if args.json else render(report))


if __name__ == "__main__":
    main()
