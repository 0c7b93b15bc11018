"""A hostile folder: every file is stored, reported or passed over exactly once, within bounded memory.

The folder is built here: good plans (text, DOCX, PDF, a non-UTF-8 name, UTF-8 with a
stray byte), bad files (zero bytes, truncated, encrypted, zip bomb, entity expansion,
path-traversal ZIP members, Shift-JIS, random bytes, a 1 KB PDF with a 14,400-point
page, 2,000 blank scanned pages, an oversized text) and paths that must not be read
(hidden, a symlink to a file outside with a marker, a loop, a dangling link, a FIFO,
/dev/zero, the store itself). The ingest is killed with SIGKILL at several moments
and resumed; the figures are printed (pytest -s) and asserted.
"""
from __future__ import annotations

import io
import json
import mmap
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from vanban.pipeline.reading.budgets import Budgets, OverBudget
from vanban.pipeline.reading.workers import WorkerCrashed, WorkerPool
from tests.test_ingest import PLAN
from tests.test_readers import PAGE_OBJECTS, minimal_pdf

MARKER = "MARKER-OUTSIDE-7f3a9c"  # in a file outside the folder: must never reach the store
PEAK_RSS_LIMIT_MB = 1536
KILLS_AT = (1.5, 4.0, 7.0)  # seconds into a run
# tight budgets, so that the over-budget files fail fast
ENV = {"VANBAN_MEMORY_MB": "1024", "VANBAN_FILE_TIMEOUT": "12", "VANBAN_OCR_TIMEOUT": "30", "VANBAN_TEXT_MB": "1",
       "VANBAN_UNZIPPED_MB": "64"}


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite_zip(data: bytes, change: dict[str, bytes], extra: dict[str, bytes] = {}) -> bytes:
    """A copy of a ZIP with some members' contents replaced and others added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, change.get(item.filename, src.read(item.filename)))
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def _zip_bomb(path: Path, inflated_mb: int = 128) -> None:
    """A DOCX whose document.xml inflates to inflated_mb (about 130 KB on disk), written in chunks."""
    good = _docx_bytes("Kế hoạch")
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(inflated_mb):
                member.write(chunk)


def _entity_expansion() -> bytes:
    """A DOCX whose document.xml is a 'billion laughs' (entities of entities, 10^9 'lol's)."""
    good = _docx_bytes("Kế hoạch")
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        xml = archive.read("word/document.xml").decode()
    dtd = '<!DOCTYPE w:document [<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)) + "]>"
    head, rest = xml.split("?>", 1)
    bomb = head + "?>" + dtd + rest.replace("Kế hoạch", "&lol9;", 1)
    return _rewrite_zip(good, {"word/document.xml": bomb.encode()})


def _huge_page_pdf() -> bytes:
    """About 1 KB: one 14,400 × 14,400-point page covered by a 2 × 2 grey image (3.6 Gpx at 300 dpi)."""
    content = b"q 14400 0 0 14400 0 0 cm /Im0 Do Q"
    image = b"<</Type/XObject/Subtype/Image/Width 2/Height 2/ColorSpace/DeviceGray/BitsPerComponent 8/Length 4>>" \
            b"\nstream\n\x80\x90\xa0\xb0\nendstream"
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]/Resources<</XObject<</Im0 5 0 R>>>>"
               b"/Contents 4 0 R>>",
               b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content), image]
    return minimal_pdf(objects)


def _blank_scans(path: Path, pages: int = 2000) -> None:
    blank = Image.new("L", (64, 64), 255)
    blank.save(path, save_all=True, append_images=[blank] * (pages - 1), compression="tiff_deflate")


def build_folder(root: Path) -> dict:
    """The hostile folder under root/in and what must become of each path."""
    folder, outside = root / "in", root / "outside"
    folder.mkdir()
    outside.mkdir()
    good, bad, passed, either = [], [], [], []

    def put(name, data, kind):
        path = folder / name if isinstance(name, str) else Path(os.fsdecode(os.fsencode(folder) + b"/" + name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        kind.append(path)

    for n in range(1, 25):
        put(f"plans/kh{n:03d}.txt", PLAN.format(n=n).encode(), good)
    put("plans/qd900.docx", _docx_bytes(PLAN.format(n=900)), good)
    put(b"plans/caf\xe9-901.txt", PLAN.format(n=901).encode(), good)  # a name that is not UTF-8
    stray = PLAN.format(n=902).encode()
    put("plans/stray-byte.txt", stray[:60] + b"\xff" + stray[60:], good)  # UTF-8 but one byte
    put("plans/traversal.docx", _rewrite_zip(_docx_bytes(PLAN.format(n=903)), {},
                                             {"../../../evil-member.txt": b"evil"}), good)
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "pdf"
    pdfs = sorted(corpus.glob("*.pdf"))[:2]
    for pdf in pdfs:
        put(f"pdf/{pdf.name}", pdf.read_bytes(), good)
    if pdfs:
        put("bad/truncated.pdf", pdfs[0].read_bytes()[:5000], either)  # pdfium may repair what is left
    put("bad/zero.txt", b"", bad)
    put("bad/encrypted.pdf", minimal_pdf(PAGE_OBJECTS + [
        b"<</Filter/Standard/V 1/R 2/O<" + b"ab" * 32 + b">/U<" + b"cd" * 32 + b">/P -4>>"],
        b"/Encrypt 4 0 R/ID[<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>]"), bad)
    _zip_bomb(folder / "bad" / "bomb.docx")
    bad.append(folder / "bad" / "bomb.docx")
    put("bad/laughs.docx", _entity_expansion(), either)
    put("bad/traversal.zip", _rewrite_zip(_docx_bytes("x"), {}, {"../../evil.txt": b"evil"})
        .replace(b"word/document.xml", b"word/documenT.xml"), bad)  # a plain ZIP, not a DOCX
    put("bad/shift-jis.txt", "日本語のテキストです。これは試験です。".encode("shift_jis") * 20, bad)
    put("bad/random.txt", bytes.fromhex("93fa967b8cea82cc8365"), bad)
    put("bad/huge-page.pdf", _huge_page_pdf(), either)  # scaled down, OCRed: an empty document or a failure
    put("bad/big.txt", (PLAN.format(n=904) * 4000).encode(), bad)  # 1.3 MB, over the 1 MB text budget
    _blank_scans(folder / "bad" / "scans.tif")
    bad.append(folder / "bad" / "scans.tif")  # 2,000 OCR pages: over the 12 s budget

    put(".hidden.txt", PLAN.format(n=905).encode(), passed)
    (outside / "secret.txt").write_text(PLAN.format(n=906) + MARKER + "\n", encoding="utf-8")
    for name, target in (("link-out.txt", outside / "secret.txt"), ("dangling.txt", folder / "gone.txt"),
                         ("loop-a", folder / "loop-b"), ("loop-b", folder / "loop-a"), ("plans/up", folder)):
        os.symlink(target, folder / name)
        passed.append(folder / name)
    os.mkfifo(folder / "pipe.txt")
    passed.append(folder / "pipe.txt")
    return {"folder": folder, "good": good, "bad": bad, "passed": passed, "either": either, "root": root}


def _tree_rss_kb(pid: int) -> int:
    """RSS of pid and all its descendants, in kB, from /proc."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as fh:
                rss[int(entry)] = next((int(line.split()[1]) for line in fh if line.startswith("VmRSS")), 0)
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(p, 0) for p in tree)


def run_ingest(args: list, kill_after: float | None = None) -> tuple[subprocess.CompletedProcess | None, int]:
    """vanban ingest in a process of its own, killed with SIGKILL after kill_after seconds;
    returns the finished process (None if killed) and the peak RSS of its tree in kB."""
    process = subprocess.Popen([sys.executable, "-m", "vanban.pipeline.cli.main", "ingest", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **ENV})
    peak, start = [0], time.monotonic()

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if kill_after is not None:
        while process.poll() is None and time.monotonic() - start < kill_after:
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            process.wait()
            sampler.join()
            return None, peak[0]
    out, err = process.communicate(timeout=600)
    sampler.join()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), peak[0]


def _orphans(folder: Path) -> list[int]:
    """Processes still reading files of this folder (workers of a killed ingest)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if str(folder).encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


@pytest.mark.slow
def test_a_hostile_folder_killed_and_resumed(tmp_path):
    started = time.monotonic()
    case = build_folder(tmp_path)
    folder = case["folder"]
    db = folder / "vanban.db"  # the store inside the folder it ingests
    args = [str(folder), "/dev/zero", "--db", str(db), "--jobs", "2", "--format", "json", "-q"]
    peak = 0
    for moment in KILLS_AT:
        result, rss = run_ingest(args, kill_after=moment)
        peak = max(peak, rss)
        time.sleep(0.3)
        assert not _orphans(folder), "workers outlived their killed parent"
        if result is not None:
            break
    final, rss = run_ingest(args)
    peak = max(peak, rss)
    assert final.returncode == 0, final.stderr.decode(errors="replace")
    summary = json.loads(final.stdout)

    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    stored = [row[0] for row in conn.execute("select path from files where status = 'ok'")]
    failed = [f["path"] for f in summary["failures"]]
    passed = [p["path"] for p in summary["not_read"]]
    key = lambda path: str(Path(path).resolve()).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    good, bad = [key(p) for p in case["good"]], [key(p) for p in case["bad"]]
    either = [key(p) for p in case["either"]]
    assert sorted(p for p in stored if p not in either) == sorted(good)  # each good file once (paths are keys)
    assert len(set(stored)) == len(stored)
    reported = [key(p) for p in failed]
    assert len(reported) == len(set(reported))
    assert sorted(p for p in reported if p not in either) == sorted(bad)
    assert all((p in stored) != (p in reported) for p in either)
    shown = {str(p) for p in passed}
    for path in case["passed"]:
        assert str(path) in shown, f"{path} vanished from the report"
    assert str(db) in shown and "/dev/zero" in shown
    # the ingest_log: one row per (file, content, reason) however many runs saw it fail
    rows = conn.execute("select path, file_sha256, reason, count(*) from ingest_log "
                        "group by path, file_sha256, reason having count(*) > 1").fetchall()
    assert rows == []
    # nothing from outside the folder, and no member extracted anywhere
    dump = "\n".join(conn.iterdump())
    assert MARKER not in dump and "906/KH-UBND" not in dump
    assert not list(tmp_path.parent.rglob("evil*.txt"))
    # the stray byte stayed a UTF-8 reading: its số hiệu is intact
    assert conn.execute("select count(*) from renditions where so_hieu = '902/KH-UBND'").fetchone()[0] == 1
    reasons = {Path(f["path"]).name: f["reason"] for f in summary["failures"]}
    assert "unzipped size" in reasons["bomb.docx"] and "text size" in reasons["big.txt"]
    assert "file time" in reasons["scans.tif"]
    peak_mb = peak / 1024
    figures = {"files": len(good) + len(bad) + len(either) + len(case["passed"]) + 2, "stored": len(stored),
               "reported": len(reported), "not_read": len(passed), "lost": 0, "kills": len(KILLS_AT),
               "peak_rss_mb": round(peak_mb), "seconds": round(time.monotonic() - started, 1)}
    print("\nhostile folder:", json.dumps(figures))
    assert peak_mb < PEAK_RSS_LIMIT_MB


# --- the worker pool on its own -------------------------------------------------------

def _task(path: str, progress: bool):
    """Stands for reading a file: named by what it does to its worker."""
    name = Path(path).name
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("flaky") and not Path(path + ".seen").exists():
        Path(path + ".seen").write_text("1")
        os.kill(os.getpid(), signal.SIGKILL)  # like an out-of-memory kill that hit the wrong worker
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("hungry"):
        return bytearray(2 << 30)  # 2 GB, past the 512 MB budget
    if name.startswith("modest"):
        return len(bytearray(100 << 20))  # 100 MB, within it
    if name.startswith("locking"):  # a lock another thread of the pool's process holds
        if not _HELD.acquire(timeout=2):
            return "stuck"
        _HELD.release()
    return name.upper()


_HELD = threading.Lock()


def test_a_dead_worker_blames_only_the_file_that_kills_it_alone(tmp_path):
    paths = [str(tmp_path / name) for name in ("a", "crash-1", "b", "flaky-1", "c", "d")]
    with WorkerPool(2, Budgets(memory_mb=512), _task) as pool:
        results = dict(pool.run(paths))
    assert set(results) == set(paths)
    assert {Path(p).name: r for p, r in results.items() if isinstance(r, str)} == {
        "a": "A", "b": "B", "flaky-1": "FLAKY-1", "c": "C", "d": "D"}
    crashed = results[str(tmp_path / "crash-1")]
    assert isinstance(crashed, WorkerCrashed) and "SIGKILL" in str(crashed) and "alone" in str(crashed)


def test_memory_and_time_budgets_are_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr("vanban.pipeline.reading.workers.KILL_GRACE", 0.5)
    paths = [str(tmp_path / name) for name in ("hungry", "slow", "e")]
    with WorkerPool(2, Budgets(memory_mb=512, file_timeout=1.0), _task) as pool:
        results = dict(pool.run(paths))
    hungry, slow = results[paths[0]], results[paths[1]]
    assert isinstance(hungry, OverBudget) and hungry.limit == "memory" and "512 MB" in str(hungry)
    assert isinstance(slow, OverBudget) and slow.limit == "file time"
    assert results[paths[2]] == "E"


def test_a_file_sent_ahead_to_a_worker_that_just_ended_is_read_by_another(tmp_path, monkeypatch):
    give = WorkerPool._give

    def give_then_wait(pool, path, alone=False):
        give(pool, path, alone)
        if path.endswith("hungry"):  # its worker ends before the next file is sent ahead to it
            pool.workers[-1].process.join(10)

    monkeypatch.setattr(WorkerPool, "_give", give_then_wait)
    paths = [str(tmp_path / name) for name in ("hungry", "e")]
    with WorkerPool(1, Budgets(memory_mb=512), _task) as pool:
        results = dict(pool.run(paths))
    assert isinstance(results[paths[0]], OverBudget) and results[paths[1]] == "E"


def test_the_memory_budget_counts_beside_what_a_worker_inherits(tmp_path):
    big = mmap.mmap(-1, 1 << 30)  # the parent maps 1 GB (as a Ray worker or a test runner may), untouched
    try:
        paths = [str(tmp_path / name) for name in ("modest", "hungry")]
        with WorkerPool(1, Budgets(memory_mb=512), _task) as pool:
            results = dict(pool.run(paths))
    finally:
        big.close()
    assert results[paths[0]] == 100 << 20  # a worker limited to 512 MB in all would fail this
    assert isinstance(results[paths[1]], OverBudget) and results[paths[1]].limit == "memory"


def test_a_worker_does_not_inherit_what_other_threads_hold(tmp_path):
    # a worker forked from this process would copy the lock held, with no thread left to free it
    # (a server's threads, a Ray client's: such a copy crashed reading healthy files)
    with _HELD, WorkerPool(1, Budgets(), _task) as pool:
        results = dict(pool.run([str(tmp_path / "locking-1")]))
    assert results == {str(tmp_path / "locking-1"): "LOCKING-1"}


def test_workers_die_with_their_parent(tmp_path):
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})\n"
              "from tests.test_hostile import _task\n"
              "from vanban.pipeline.reading.workers import WorkerPool\n"
              "from vanban.pipeline.reading.budgets import Budgets\n"
              f"pool = WorkerPool(2, Budgets(), _task)\n"
              f"list(pool.run([{str(tmp_path / 'slow-1')!r}, {str(tmp_path / 'slow-2')!r}]))\n")
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    family: dict = {}
    # the workers are forked from a fork server, the parent's child: its grandchildren
    while time.monotonic() < deadline and sum(1 for depth in family.values() if depth == 2) < 2:
        time.sleep(0.2)
        family = _descendants(parent.pid)
    assert sum(1 for depth in family.values() if depth == 2) == 2
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [c for c in family if _alive(c)]:
        time.sleep(0.2)
    assert not [c for c in family if _alive(c)]


def _descendants(root: int) -> dict:
    """pid -> depth (1 for a child) of every living process descending from root."""
    parents = {int(p): _parent(int(p)) for p in os.listdir("/proc") if p.isdigit()}
    found, frontier, depth = {}, {root}, 0
    while frontier:
        depth += 1
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found.update(dict.fromkeys(frontier, depth))
    return found


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
