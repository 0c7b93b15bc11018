"""vanban.pipeline.web.audit_spool: what the /audit pages show, the findings not held."""
from __future__ import annotations

from collections import Counter

from vanban.pipeline import store
from vanban.pipeline.corpus.audit import KINDS, audit
from vanban.pipeline.reports.audit import to_csv
from vanban.pipeline.reports import spool as spooling
from vanban.pipeline.web.audit_spool import spool_audit
from tests.test_audit import doc, ref


def _store(tmp_path):
    db = store.open_db(tmp_path / "audit.db")
    national = dict(jurisdiction="national", issuer="Chính phủ")
    for d in (doc("000.txt", [ref("17/NQ-CP", "2019-03-09", "2019-03-07", type="Nghị quyết", **national),
                              ref("2323/BTTTT-THH", "2019-12-31", type="Quyết định", **national),
                              ref("45/2020/NĐ-CP", "2020-04-08", type="Nghị định", **national)], date="2021-12-01"),
              doc("001.txt", [ref("18/NQ-CP", "2019-03-09", "2019-03-08", type="Nghị quyết", **national)],
                  date="2021-12-01")):
        store.save_documents(db, d.source, d.sha256, [d])
    return db


def test_the_pages_see_the_audit_as_the_list_gives_it(tmp_path, monkeypatch):
    monkeypatch.setattr(spooling, "CHUNK", 7)  # a download in many pieces
    db = _store(tmp_path)
    findings = audit(db)
    spool = spool_audit(db, rows=1)
    assert spool.counts == Counter(f.kind for f in findings) and spool.total(None) == len(findings) > 2
    assert spool.first[None] == findings[:1]
    for kind in KINDS:
        of_kind = [f for f in findings if f.kind == kind]
        assert spool.first[kind] == of_kind[:1] and spool.total(kind) == len(of_kind)
        assert b"".join(spool.csv(kind)) == to_csv(of_kind).encode()
    assert b"".join(spool.csv(None)) == to_csv(findings).encode()


def test_two_downloads_at_once_keep_their_own_place(tmp_path, monkeypatch):
    monkeypatch.setattr(spooling, "CHUNK", 5)
    spool = spool_audit(_store(tmp_path))
    one, two = spool.csv(None), spool.csv(None)
    pieces = [next(one), next(two), next(one)]
    assert pieces[0] == pieces[1] and pieces[0] + pieces[2] == b"".join(spool.csv(None))[:10]
