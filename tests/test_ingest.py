"""Batch behaviour: bad files are reported and skipped, re-runs are idempotent, a killed batch resumes."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vanban.pipeline import store
from vanban.pipeline.reading.ingest import discover, ingest

PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG\nSố: {n} /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
        "Chuyển đổi số năm 2022\nCăn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh;\n"
        "I. MỤC TIÊU\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.\n")


def write_plans(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        (folder / f"kh{n:03d}.txt").write_text(PLAN.format(n=n), encoding="utf-8")


def bad_files(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty.pdf": b"",
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref",
        "program.exe": b"MZ\x90\x00" + b"\x00" * 200,
        "binary.txt": bytes(range(256)) * 20,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path):
    write_plans(tmp_path / "in", 3)
    bad = bad_files(tmp_path / "in")
    summary = ingest([tmp_path / "in"], tmp_path / "v.db", jobs=1, progress=False)
    assert summary.documents == 3
    failed = {Path(f.path).name: f.reason for f in summary.failures}
    assert set(failed) == set(bad)
    assert all(reason for reason in failed.values())
    db = store.open_db(tmp_path / "v.db")
    logged = {Path(r["path"]).name for r in db["ingest_log"].rows}
    assert logged == set(bad)


def test_a_jsonl_line_skipped_is_listed_with_its_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps({"id": "a", "text": PLAN.format(n=1)}), "{broken", json.dumps({"id": "b", "text": None})]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest([folder], tmp_path / "v.db", jobs=1, progress=False)
    assert summary.documents == 1 and not summary.failures
    assert [(Path(p.path).name, p.reason) for p in summary.parts_skipped] == [
        ("batch.jsonl", "line 2 skipped: not a JSON object with a text field (JSONDecodeError)"),
        ("batch.jsonl", "line 3 skipped: not a JSON object with a text field (TypeError)")]
    assert "parts skipped: 2" in summary.lines()
    assert summary.as_dict()["parts_skipped"][0]["reason"].startswith("line 2 skipped")
    warnings = store.open_db(tmp_path / "v.db").execute("select warnings from renditions").fetchone()[0]
    assert "line 3 skipped" in warnings  # kept with the document too


def test_reingest_changes_nothing(tmp_path):
    write_plans(tmp_path / "in", 4)
    first = ingest([tmp_path / "in"], tmp_path / "v.db", jobs=2, progress=False)
    second = ingest([tmp_path / "in"], tmp_path / "v.db", jobs=2, progress=False)
    assert (first.documents, second.documents, second.skipped) == (4, 0, 4)
    db = store.open_db(tmp_path / "v.db")
    assert db["documents"].count == 4 and db["refs"].count == 4 and db["measures"].count == 4


def test_changed_file_is_reingested_in_place(tmp_path):
    write_plans(tmp_path / "in", 1)
    ingest([tmp_path / "in"], tmp_path / "v.db", jobs=1, progress=False)
    (tmp_path / "in" / "kh001.txt").write_text(PLAN.format(n=999), encoding="utf-8")
    summary = ingest([tmp_path / "in"], tmp_path / "v.db", jobs=1, progress=False)
    assert summary.documents == 1
    ids = [r["so_hieu"] for r in store.open_db(tmp_path / "v.db")["documents"].rows]
    assert "999/KH-UBND" in ids


def test_discover_skips_hidden_files(tmp_path):
    write_plans(tmp_path / "in", 1)
    (tmp_path / "in" / ".DS_Store").write_bytes(b"x")
    assert [p.name for p in discover([tmp_path / "in"])] == ["kh001.txt"]


def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "vanban.pipeline.cli.main", *args], capture_output=True, text=True, **kwargs)


def test_cli_exit_codes(tmp_path):
    bad_files(tmp_path / "bad")
    result = run_cli("ingest", str(tmp_path / "bad"), "--db", str(tmp_path / "v.db"), "-q")
    assert result.returncode == 1 and "empty.pdf" in result.stderr + result.stdout
    write_plans(tmp_path / "mixed", 2)
    bad_files(tmp_path / "mixed")
    result = run_cli("ingest", str(tmp_path / "mixed"), "--db", str(tmp_path / "w.db"), "-q", "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents"] == 2 and len(summary["failures"]) == 4
    result = run_cli("ingest", str(tmp_path / "mixed"), "--db", str(tmp_path / "x.db"), "-q", "--strict")
    assert result.returncode == 1


@pytest.mark.slow
def test_killed_batch_resumes_without_loss(tmp_path):
    write_plans(tmp_path / "in", 60)
    db_path = tmp_path / "v.db"
    proc = subprocess.Popen([sys.executable, "-m", "vanban.pipeline.cli.main", "ingest", str(tmp_path / "in"), "--db", str(db_path),
                             "-q", "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db_path) as conn:
                done = conn.execute("select count(*) from files where status = 'ok'").fetchone()[0]
        except sqlite3.Error:
            done = 0
        if done >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("select count(*) from documents").fetchone()[0]
        # whole files or nothing: every document row belongs to a file marked done
        assert partial == conn.execute("select count(*) from files where status = 'ok'").fetchone()[0]
    assert partial < 60
    summary = ingest([tmp_path / "in"], db_path, jobs=1, progress=False)
    assert summary.skipped == partial and summary.documents == 60 - partial
    db = store.open_db(db_path)
    assert db["documents"].count == 60 and db["refs"].count == 60


def test_the_store_mirrors_the_folder(tmp_path, monkeypatch):
    folder, db_path = tmp_path / "in", tmp_path / "v.db"
    write_plans(folder, 3)
    ingest([folder], db_path, jobs=1, progress=False)
    # the same folder typed another way is the same files
    monkeypatch.chdir(tmp_path)
    again = ingest([Path("in")], db_path, jobs=1, progress=False)
    assert (again.skipped, again.documents) == (3, 0)
    # an edited file replaces what it gave
    (folder / "kh001.txt").write_text(PLAN.format(n=901), encoding="utf-8")
    ingest([folder], db_path, jobs=1, progress=False)
    db = store.open_db(db_path)
    assert sorted(r["so_hieu"] for r in db["documents"].rows) == ["2/KH-UBND", "3/KH-UBND", "901/KH-UBND"]
    # a moved file is not read again; with prune its old path is forgotten, its document kept
    (folder / "sub").mkdir()
    (folder / "kh002.txt").rename(folder / "sub" / "kh002.txt")
    moved = ingest([folder], db_path, jobs=1, progress=False, prune=True)
    assert (moved.skipped, moved.documents, moved.removed) == (3, 0, 1)
    assert db["documents"].count == 3
    # a deleted file stays until prune, then its document goes
    (folder / "kh003.txt").unlink()
    assert ingest([folder], db_path, jobs=1, progress=False).removed == 0 and db["documents"].count == 3
    assert ingest([folder], db_path, jobs=1, progress=False, prune=True).removed == 1
    assert sorted(r["so_hieu"] for r in db["documents"].rows) == ["2/KH-UBND", "901/KH-UBND"]
    assert db["renditions"].count == 2 and db["refs"].count == 2


def test_remove_forgets_files_and_their_documents(tmp_path):
    from vanban.pipeline.reading.ingest import remove
    write_plans(tmp_path / "in", 2)
    ingest([tmp_path / "in"], tmp_path / "v.db", jobs=1, progress=False)
    assert remove([tmp_path / "in" / "kh001.txt"], tmp_path / "v.db") == 1
    db = store.open_db(tmp_path / "v.db")
    assert [r["so_hieu"] for r in db["documents"].rows] == ["2/KH-UBND"]
    assert remove([tmp_path / "in"], tmp_path / "v.db") == 1 and db["documents"].count == 0


def test_a_file_name_that_is_not_utf8_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(PLAN.format(n=77).encode("utf-8"))
    summary = ingest([folder], tmp_path / "v.db", jobs=1, progress=False)
    assert (summary.documents, summary.failures) == (3, [])
    db = store.open_db(tmp_path / "v.db")
    assert any(r["source_name"] == "caf\\xe9.txt" for r in db["documents"].rows)
    assert ingest([folder], tmp_path / "v.db", jobs=1, progress=False).skipped == 3
