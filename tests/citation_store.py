"""A small synthetic store of documents citing each other, for the graph, resolve, CLI and HTML tests.

    A 10/KH-UBND (2021, Tuyên Quang) cites B, 45/2020/NĐ-CP, 14/CT-TTg of 2018
    B 20/KH-UBND (2021)              cites A, 14/CT-TTg of 2019, 468/QĐ-TTg (no year)
    C 30/QĐ-UBND (2022)              cites A, 468/QĐ-TTg of 2021, Kế hoạch 204/KH-UBND of 25/11/2021
    D  no header, Kế hoạch           its title is the one C gives 204/KH-UBND; cites 45/2020/NĐ-CP
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

from vanban.models.records import Document, Identity, Measure, Mention, Page, Passage, Reference, Span
from vanban.pipeline import store

TQ = "Tuyên Quang"
PLAN_TITLE = "Phát triển Chính quyền số tỉnh Tuyên Quang năm 2022"


def cite(ref_id: str, type_: str, year: Optional[int], date: Optional[str], jurisdiction: str,
         written: str, relation: str = "legal_basis", title: Optional[str] = None) -> tuple[Reference, str]:
    """A reference and the words that mention it."""
    return Reference(id=ref_id, type=type_, year=year, date=date, jurisdiction=jurisdiction, relation=relation,
                     title=title, dates=[date] if date else []), written


def document(name: str, identity: Identity, cites: list[tuple[Reference, str]],
             measure: Optional[str] = None) -> Document:
    """A one-page document whose cleaned text is its page text: 'Căn cứ <mention>;' per citation."""
    text = (identity.title or "") + "\n"
    for reference, written in cites:
        text += "Căn cứ "
        reference.mentions = [Mention(written, Span(len(text), len(text) + len(written), 1, len(text),
                                              len(text) + len(written)))]
        text += written + ";\n"
    measures = []
    if measure:
        start = len(text)
        text += measure + ".\n"
        span = Span(start, start + len(measure), 1, start, start + len(measure))
        measures.append(Measure(90.0, "%", "target", span=span, quote=measure))
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(source=name, sha256=sha, pages=[Page(1, text, "plain")], text=text, identity=identity,
                    passages=[Passage("paragraph", 0, Span(0, len(text), 1, 0, len(text)), text)],
                    references=[r for r, _ in cites], measures=measures)


def plan(number: str, date: str, title: str) -> Identity:
    return Identity(type="Kế hoạch", id=f"{number}/KH-UBND", number=number, symbol="KH-UBND", date=date,
                    province=TQ, title=title)


def documents() -> list[Document]:
    def decree():
        return cite("45/2020/NĐ-CP", "Nghị định", 2020, "2020-04-08", "national",
                    "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ")

    a = document("a.txt", plan("10", "2021-03-01", "Chuyển đổi số năm 2021"), [
        decree(),
        cite("20/KH-UBND", "Kế hoạch", 2021, "2021-05-01", TQ, "Kế hoạch số 20/KH-UBND ngày 01/5/2021"),
        cite("14/CT-TTg", "Chỉ thị", 2018, "2018-05-25", "national", "Chỉ thị số 14/CT-TTg ngày 25/5/2018"),
    ], measure="Phấn đấu 90% hồ sơ được xử lý trên môi trường mạng")
    b = document("b.txt", plan("20", "2021-05-01", "Cải cách hành chính năm 2021"), [
        cite("10/KH-UBND", "Kế hoạch", 2021, "2021-03-01", TQ, "Kế hoạch số 10/KH-UBND ngày 01/3/2021"),
        cite("14/CT-TTg", "Chỉ thị", 2019, "2019-06-07", "national", "Chỉ thị số 14/CT-TTg ngày 07/6/2019"),
        cite("468/QĐ-TTg", "Quyết định", None, None, "national", "Quyết định số 468/QĐ-TTg", "mentions"),
    ])
    c = document("c.txt", Identity(type="Quyết định", id="30/QĐ-UBND", number="30", symbol="QĐ-UBND",
                                   date="2022-02-01", province=TQ, title="Phê duyệt đề án"), [
        cite("10/KH-UBND", "Kế hoạch", 2021, "2021-03-01", TQ, "Kế hoạch số 10/KH-UBND ngày 01/3/2021"),
        cite("468/QĐ-TTg", "Quyết định", 2021, "2021-03-27", "national", "Quyết định số 468/QĐ-TTg ngày 27/3/2021"),
        cite("204/KH-UBND", "Kế hoạch", 2021, "2021-11-25", TQ, "Kế hoạch số 204/KH-UBND ngày 25/11/2021",
             "mentions", PLAN_TITLE),
    ])
    d = document("d.txt", Identity(type="Kế hoạch", province=TQ, title=PLAN_TITLE.lower()), [decree()])
    return [a, b, c, d]


def make_store(path: Path, docs: Optional[list[Document]] = None):
    """A store at path holding docs (default: A, B, C, D above)."""
    db = store.open_db(path)
    for doc in docs if docs is not None else documents():
        store.save_documents(db, doc.source, doc.sha256, [doc])
    return db
