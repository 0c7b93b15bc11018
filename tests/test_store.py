import pytest

from vanban.models.records import Mention, Reference
from vanban.pipeline import store
from tests.conftest import make_document

TEXT = ("Số: 187 /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
        "Nâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang năm 2022\n"
        "Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh;\n")


def counts(db):
    return {t: db[t].count for t in ("documents", "pages", "passages", "refs", "files")}


def test_saving_twice_changes_nothing(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    doc = make_document(TEXT, "a.txt")
    store.save_documents(db, "a.txt", "f1", [doc])
    first = counts(db)
    store.save_documents(db, "a.txt", "f1", [doc])
    assert counts(db) == first and first["documents"] == 1
    assert store.is_done(db, "a.txt", "f1") and not store.is_done(db, "a.txt", "f2")


def test_a_failure_mid_document_leaves_nothing_half_written(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    good = make_document(TEXT, "a.txt")
    broken = make_document(TEXT.replace("187", "188"), "b.txt")
    broken.references = [Reference(id="742/QĐ-UBND", mentions=[Mention(1, 0, 5, "x")]), object()]
    store.save_documents(db, "a.txt", "f1", [good])
    before = counts(db)
    with pytest.raises(Exception):
        store.save_documents(db, "b.txt", "f2", [broken])
    assert counts(db) == before and before["documents"] == 1
    assert not store.is_done(db, "b.txt", "f2")


def test_failures_are_logged_with_reason(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    store.log_failure(db, "x.pdf", "encrypted PDF: needs a password")
    (row,) = db["ingest_log"].rows
    assert row["path"] == "x.pdf" and "encrypted" in row["reason"]
