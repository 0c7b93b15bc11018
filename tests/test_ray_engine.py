"""vanban ingest --engine ray: the same store as the local engine, on a two-node Ray cluster on loopback."""
import json
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.pipeline.cli.main import main
from vanban.pipeline.dev.synthetic import SyntheticCorpus
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.reading.ray_engine import BATCH_FILES, RayEngine
from vanban.pipeline import store
from vanban.pipeline.store.export import write_jsonl

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MB = 1 << 20
TIMESTAMPS = {"ingested_at", "at"}


def _generated(folder: Path, n: int, start: int = 0) -> Path:
    """n short Vietnamese decisions and plans as .txt files (the synthetic corpus's texts)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = SyntheticCorpus(2_000)
    for i in range(start, start + n):
        (folder / f"vb_{i:04d}.txt").write_text(corpus.record(i).text, encoding="utf-8")
    return folder


def _without_timestamps(value):
    if isinstance(value, dict):
        return {k: _without_timestamps(v) for k, v in value.items() if k not in TIMESTAMPS}
    if isinstance(value, list):
        return [_without_timestamps(v) for v in value]
    return value


def _export(db_path: Path, by_file: bool = False) -> list:
    import io

    buffer = io.StringIO()
    write_jsonl(store.open_db(db_path, create=False), buffer, by_file=by_file)
    rows = [_without_timestamps(json.loads(line)) for line in buffer.getvalue().splitlines()]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))


def _stored_files(db_path: Path) -> list[str]:
    return [row["path"] for row in store.open_db(db_path, create=False).query("select path from files")]


# --- without a cluster ----------------------------------------------------------------------

def test_a_long_pdf_is_planned_in_page_ranges_and_small_files_in_batches(tmp_path):
    texts = _generated(tmp_path / "texts", BATCH_FILES + 3)
    scan = CORPUS / "scanned" / "004_be84ce02eab699ef.pdf"  # 5 pages
    paths = [str(scan)] + sorted(str(p) for p in texts.iterdir())
    jobs = list(RayEngine(pages_per_task=2)._plan(paths))
    ranges = [job.units[0].pages for job in jobs if job.ranged]
    assert ranges == [(1, 2), (3, 4), (5, 5)] and jobs[0].ranged.left == 3
    batches = [len(job.units) for job in jobs if not job.ranged]
    assert batches == [BATCH_FILES, 3]
    assert all(Path(unit.path).is_absolute() for job in jobs for unit in job.units)


def test_without_ray_the_engine_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    result = CliRunner().invoke(main, ["ingest", str(CORPUS / "seeds"), "--engine", "ray", "--db",
                                       str(tmp_path / "v.db"), "-q"])
    assert result.exit_code == 1
    assert "pip install 'vanban[ray]'" in result.output


def test_an_unreachable_address_is_one_clear_line_quickly(tmp_path):
    pytest.importorskip("ray")
    start = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", str(CORPUS / "seeds"), "--engine", "ray", "--address",
                                       "127.0.0.1:9", "--db", str(tmp_path / "v.db"), "-q"])
    assert result.exit_code == 1 and time.monotonic() - start < 15
    [line] = result.output.strip().splitlines()
    assert "no Ray cluster answers at 127.0.0.1:9" in line and "--address" in line


# --- on a two-node cluster ------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    """A head and a worker node on loopback, one CPU and a 100 MB object store each."""
    pytest.importorskip("ray")
    import ray
    from ray.cluster_utils import Cluster

    node = {"num_cpus": 1, "object_store_memory": 100 * MB}
    cluster = Cluster(initialize_head=True, head_node_args={
        **node, "include_dashboard": False,
        # a lost node is noticed within seconds, not the default half minute
        "_system_config": {"health_check_initial_delay_ms": 0, "health_check_period_ms": 1000,
                           "health_check_failure_threshold": 3}})
    cluster.add_node(**node)
    cluster.wait_for_nodes()
    yield cluster
    if ray.is_initialized():
        ray.shutdown()
    cluster.shutdown()


@pytest.mark.slow
def test_ray_gives_the_same_export_as_the_local_engine(cluster, tmp_path):
    texts = _generated(tmp_path / "generated", 240)
    paths = [CORPUS / "seeds", CORPUS / "pdf" / "003_6f5f874d7ff688a6.pdf", CORPUS / "pdf" / "004_be84ce02eab699ef.pdf",
             CORPUS / "scanned" / "004_be84ce02eab699ef.pdf", texts]
    local = ingest(paths, tmp_path / "local.db", jobs=2, progress=False)
    engine = RayEngine(cluster.address, pages_per_task=2)  # the 5-page scan in three ranges over both nodes
    ray_run = ingest(paths, tmp_path / "ray.db", progress=False, engine=engine)
    assert (ray_run.files, ray_run.documents, ray_run.pages, ray_run.ocr_pages) == \
           (local.files, local.documents, local.pages, local.ocr_pages)
    assert ray_run.ocr_pages == 5 and not ray_run.failures and not local.failures
    assert any("2 node(s), 2 CPU(s)" in note for note in ray_run.notes)
    assert _export(tmp_path / "ray.db") == _export(tmp_path / "local.db")
    assert _export(tmp_path / "ray.db", by_file=True) == _export(tmp_path / "local.db", by_file=True)
    # resume: a second run reads nothing again
    again = ingest(paths, tmp_path / "ray.db", progress=False, engine=RayEngine(cluster.address))
    assert again.skipped == again.files and again.documents == 0


@pytest.mark.slow
def test_removing_a_worker_node_mid_run_loses_nothing(cluster, tmp_path):
    """A third node joins, takes work, and is killed while its tasks are running: they are retried."""
    texts = _generated(tmp_path / "generated", 200, start=500)
    extra = cluster.add_node(num_cpus=1, object_store_memory=100 * MB)
    cluster.wait_for_nodes()

    class RemovesANode(RayEngine):
        finished = 0

        def _finished(self, job, results, urgent, on_pages):
            self.finished += 1
            if self.finished == 3:
                cluster.remove_node(extra, allow_graceful=False)
            yield from super()._finished(job, results, urgent, on_pages)

    # the bytes travel through the object store; a 5-page PDF's, put once, serve its three ranges and their assembly
    engine = RemovesANode(cluster.address, ship_files=True, pages_per_task=2)
    paths = [texts, CORPUS / "pdf" / "004_be84ce02eab699ef.pdf"]
    summary = ingest(paths, tmp_path / "ray.db", progress=False, engine=engine)
    assert engine.finished > 3 and not summary.failures
    assert summary.files == summary.documents == 201
    stored = _stored_files(tmp_path / "ray.db")
    assert len(stored) == len(set(stored)) == 201
    local = ingest(paths, tmp_path / "local.db", jobs=2, progress=False)
    assert local.documents == 201
    assert _export(tmp_path / "ray.db") == _export(tmp_path / "local.db")


@pytest.mark.slow
def test_the_per_file_budgets_hold_on_the_workers(cluster, tmp_path):
    from vanban.pipeline.reading.budgets import Budgets

    seed = CORPUS / "seeds" / "000_b31d175cd069881e.txt"
    pdf = CORPUS / "pdf" / "003_6f5f874d7ff688a6.pdf"
    tight = ingest([seed], tmp_path / "memory.db", progress=False, budgets=Budgets.from_env(memory_mb=64),
                   engine=RayEngine(cluster.address))
    [failure] = tight.failures
    assert failure.path == str(seed) and "over the memory limit" in failure.reason and "64 MB" in failure.reason
    slow = ingest([pdf], tmp_path / "time.db", progress=False, budgets=Budgets.from_env(file_timeout=0.001),
                  engine=RayEngine(cluster.address))
    [failure] = slow.failures
    assert "over the file time limit" in failure.reason and failure.page == 1
    logged = list(store.open_db(tmp_path / "time.db", create=False).query("select path, page from ingest_log"))
    assert logged == [{"path": str(pdf.resolve()), "page": 1}]
