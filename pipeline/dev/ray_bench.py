"""`vanban bench --engine ray`: OCR throughput of ingest on Ray with 1 and 2 worker nodes, beside the local engine.

One scanned PDF of `pages` pages (the first pages of corpus/scanned, copied) is ingested
into a fresh store four ways: the local engine with one and with two processes, and Ray
on a loopback cluster (ray.cluster_utils.Cluster: a head node without CPUs for the
driver, then one, then two worker nodes of one CPU) with the scan cut into page ranges.
Reported: pages/s of each, the scaling efficiency of two nodes over one, the driver's
peak resident memory during the Ray runs, and the worker nodes a 24-hour run of 100,000
and 1,000,000 scanned pages needs, from the measured pages/s of one core.

    python -m vanban.pipeline.dev.ray_bench 12
"""
from __future__ import annotations

import math
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import pypdfium2 as pdfium

from vanban.extras import need
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.reading.ray_engine import RayEngine

MB = 1 << 20
DAY = 24 * 3600
CAPACITY_PAGES = (100_000, 1_000_000)
NODE_CORES = (8, 16, 32)  # worker node sizes the capacity table is given for


def scan_sample(corpus: Path, pages: int, folder: Path) -> Path:
    """A PDF of the first `pages` scanned pages of the corpus (its scans taken in name order)."""
    sample = pdfium.PdfDocument.new()
    for source in sorted((corpus / "scanned").glob("*.pdf")):
        if len(sample) >= pages:
            break
        pdf = pdfium.PdfDocument(str(source))
        sample.import_pages(pdf, list(range(min(len(pdf), pages - len(sample)))))
        pdf.close()
    if not len(sample):
        raise FileNotFoundError(f"no scanned PDF in {corpus / 'scanned'}: run setup.sh (make_corpus) first")
    path = folder / "scan_sample.pdf"
    sample.save(str(path))
    sample.close()
    return path


class PeakRss:
    """This process's peak resident memory while the block runs, sampled every 50 ms (MB)."""

    def __enter__(self) -> "PeakRss":
        self.peak, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            with open("/proc/self/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        self.peak = max(self.peak, int(line.split()[1]) / 1024)
            self._stop.wait(0.05)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _timed_ingest(pdf: Path, folder: Path, name: str, **options) -> dict:
    start = time.perf_counter()
    summary = ingest([pdf], folder / f"{name}.db", progress=False, **options)
    seconds = time.perf_counter() - start
    if summary.failures:
        raise RuntimeError(f"{name}: {summary.failures[0]}")
    return {"ocr_pages": summary.ocr_pages, "seconds": round(seconds, 2),
            "pages_per_s": round(summary.ocr_pages / seconds, 3)}


def bench_ray(corpus: Path = Path("corpus"), pages: int = 12, pages_per_task: int = 2, progress: bool = True) -> dict:
    """The figures of `vanban bench --engine ray` (about 4 × pages / 0.7 core-seconds of OCR)."""
    ray = need("ray", "vanban bench --engine ray")
    from ray.cluster_utils import Cluster

    def say(text: str) -> None:
        if progress:
            print(f"bench: {text}", file=sys.stderr, flush=True)

    report: dict = {"pages": pages, "pages_per_task": pages_per_task, "cores": os.cpu_count(),
                    "load_average": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="vanban-ray-bench-") as tmp:
        folder = Path(tmp)
        pdf = scan_sample(corpus, pages, folder)
        warm = corpus / "pdf" / "004_be84ce02eab699ef.pdf"  # text layer: starts each node's reader, no OCR
        for jobs in (1, 2):
            say(f"local engine, {jobs} process(es)")
            report[f"local_{jobs}"] = _timed_ingest(pdf, folder, f"local{jobs}", jobs=jobs, force_jobs=True)
        node = {"num_cpus": 1, "object_store_memory": 100 * MB}
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "object_store_memory": 100 * MB,
                                                                "include_dashboard": False})
        try:
            with PeakRss() as rss:
                for nodes in (1, 2):
                    cluster.add_node(**node)
                    cluster.wait_for_nodes()
                    say(f"ray, {nodes} worker node(s)")
                    engine = RayEngine(cluster.address, pages_per_task=1)
                    ingest([warm], folder / f"warm{nodes}.db", progress=False, engine=engine)
                    report[f"ray_{nodes}"] = _timed_ingest(
                        pdf, folder, f"ray{nodes}", engine=RayEngine(cluster.address, pages_per_task=pages_per_task))
        finally:
            if ray.is_initialized():
                ray.shutdown()
            cluster.shutdown()
    one, two = report["ray_1"]["pages_per_s"], report["ray_2"]["pages_per_s"]
    report["scaling_efficiency"] = round(two / (2 * one), 3) if one else None
    report["driver_peak_rss_mb"] = {"during_ray": round(rss.peak, 1),
                                    "whole_run": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    report["capacity"] = capacity(report["local_1"]["pages_per_s"])
    return report


def capacity(per_core: float, efficiency: float = 1.0) -> list[dict]:
    """Worker nodes of each size needed to OCR 100,000 and 1,000,000 pages in 24 hours at per_core pages/s.

    >>> capacity(0.7)[0]
    {'pages': 100000, 'core_hours': 39.7, 'cores': 2, 'nodes': {8: 1, 16: 1, 32: 1}}
    """
    rows = []
    for pages in CAPACITY_PAGES:
        cores = math.ceil(pages / (per_core * efficiency * DAY))
        rows.append({"pages": pages, "core_hours": round(pages / per_core / 3600, 1), "cores": cores,
                     "nodes": {size: math.ceil(cores / size) for size in NODE_CORES}})
    return rows


def render(report: dict) -> str:
    lines = [f"OCR ingest of a {report['pages']}-page scan ({report['cores']} cores here, load average "
             f"{report['load_average'][0]} at the start)"]
    for key, what in (("local_1", "local engine, 1 process"), ("local_2", "local engine, 2 processes"),
                      ("ray_1", "ray, 1 worker node (1 CPU)"), ("ray_2", "ray, 2 worker nodes (1 CPU each)")):
        row = report[key]
        lines.append(f"  {what:34} {row['pages_per_s']:6.3f} pages/s  ({row['ocr_pages']} pages in {row['seconds']} s)")
    lines.append(f"  scaling efficiency, 2 nodes over 1: {report['scaling_efficiency']}")
    rss = report["driver_peak_rss_mb"]
    lines.append(f"  driver peak RSS: {rss['during_ray']} MB during the Ray runs ({rss['whole_run']} MB the whole run)")
    lines.append("capacity, 24 hours at the measured pages/s of one core:")
    for row in report["capacity"]:
        nodes = ", ".join(f"{n} × {size}-core" for size, n in row["nodes"].items())
        lines.append(f"  {row['pages']:>9,} pages: {row['core_hours']} core-hours, {row['cores']} cores ({nodes})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(bench_ray(pages=int(sys.argv[1]) if len(sys.argv) > 1 else 12)))
