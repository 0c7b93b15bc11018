"""vanban: document intelligence for Vietnamese administrative texts.

A handful of verbs over text, records and the store; each imports what it needs when
first called, so `import vanban` stays light:

- `analyse(text_or_pages)` → a `Document`: identity, passages, references, figures;
- `find_references(text)`, `find_measures(text)`, `parse_date(text)`: one extractor each;
- `annotate(text, records)` → HTML with the records marked;
- `ingest(paths, db)` and `open_store(path)`: the SQLite store the CLI works on.

`__version__` is the installed distribution's version.

>>> import vanban
>>> vanban.find_references("Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ")[0].id
'47/2020/NĐ-CP'
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable, Optional, Union

try:
    __version__ = version("vanban")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["analyse", "find_references", "find_measures", "parse_date", "annotate", "ingest", "open_store",
           "__version__"]


def analyse(text_or_pages: Union[str, Iterable], source: str = "text"):
    """Read one document into a `Document`: its identity, passages, references and
    figures, each with its span in the cleaned text and on its page.

    text_or_pages: the text, or its pages (strings or `vanban.models.records.Page`s);
    source names it in the records (a file name).

    >>> doc = analyse("Số: 187/KH-UBND\\nTuyên Quang, ngày 03 tháng 10 năm 2022\\nKẾ HOẠCH\\n"
    ...               "Nâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang năm 2022\\n\\n"
    ...               "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ;\\n\\n"
    ...               "I. MỤC TIÊU\\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.")
    >>> doc.identity.id, doc.identity.type, doc.identity.date
    ('187/KH-UBND', 'Kế hoạch', '2022-10-03')
    >>> [(r.id, r.relation) for r in doc.references]
    [('47/2020/NĐ-CP', 'legal_basis')]
    >>> [(m.value, m.unit, m.kind, m.year) for m in doc.measures]
    [(90.0, '%', 'target', 2022)]
    """
    from vanban.models.records import Page
    from vanban.pipeline.reading.analyse import build_document

    if isinstance(text_or_pages, str):
        pages = [Page(1, text_or_pages, "plain")]
    else:
        pages = [p if isinstance(p, Page) else Page(n, p, "plain") for n, p in enumerate(text_or_pages, 1)]
    return build_document(source, pages)


def find_references(text: str, province: Optional[str] = None, own_id: Optional[str] = None,
                    issuer: Optional[str] = None) -> list:
    """Every document the text cites, one `Reference` per (số hiệu, year, jurisdiction),
    with its type, date, issuer, relation (legal_basis, implements, …) and mentions.

    province, own_id and issuer (of the citing document) resolve local symbols
    ('Kế hoạch số 55/KH-UBND' of which province) and keep a document from citing itself.

    >>> [(r.id, r.type, r.date) for r in find_references(
    ...     "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối và chia sẻ dữ liệu số")]
    [('47/2020/NĐ-CP', 'Nghị định', '2020-04-09')]
    """
    from vanban.extractors import references

    return references.find_references(text, province=province, own_id=own_id, issuer=issuer)


def find_measures(text: str, doc_year: Optional[int] = None) -> list:
    """Every percentage, VND amount and count with its noun, as `Measure`s: value, unit,
    kind (target / actual / other), metric, scope, year.

    >>> [(m.value, m.unit, m.kind) for m in find_measures("Đến nay đã cấp 1.719 chứng thư số, đạt 55,82%.")]
    [(1719.0, 'chứng thư số', 'actual'), (55.82, '%', 'actual')]
    """
    from vanban.extractors import measures

    return measures.find_measures(text, doc_year=doc_year)


def parse_date(text: str) -> Optional[str]:
    """The first date written in text, as ISO, or None.

    >>> parse_date("Tuyên Quang, ngày 03 tháng 10 năm 2022"), parse_date("ngày 09/4/2020")
    ('2022-10-03', '2020-04-09')
    """
    from vanban.extractors import dates

    return dates.parse_date(text)


def annotate(text: str, records: Iterable) -> str:
    """An HTML fragment of text with each record marked: a reference's mentions by their
    relation (LEGAL_BASIS …), a figure as TARGET / ACTUAL / FIGURE; spans are offsets into text.

    >>> text = "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ;"
    >>> "LEGAL_BASIS 47/2020/NĐ-CP" in annotate(text, find_references(text))
    True
    """
    from vanban.pipeline.reports import annotate as html

    return html.annotate(text, records)


def ingest(paths: Union[str, Path, Iterable], db: Union[str, Path] = "outputs/vanban.db", jobs: Optional[int] = None,
           force: bool = False, progress: bool = False):
    """Read files and folders (PDF, scans, DOCX, images, TXT/MD, JSONL) into the store at db;
    files already ingested with the same content are skipped. Returns an `IngestSummary`.

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder, db = Path(tmp.name) / "in", Path(tmp.name) / "vanban.db"
    >>> folder.mkdir()
    >>> _ = (folder / "187.txt").write_text("Số: 187/KH-UBND\\nKẾ HOẠCH\\nNâng cao chỉ số chuyển đổi số năm 2022\\n",
    ...                                     encoding="utf-8")
    >>> summary = ingest(folder, db, jobs=1)
    >>> summary.documents, summary.failures
    (1, [])
    >>> tmp.cleanup()
    """
    from vanban.pipeline.reading import ingest as reading

    paths = [paths] if isinstance(paths, (str, Path)) else paths
    return reading.ingest([Path(p) for p in paths], Path(db), jobs=jobs, force=force, progress=progress)


def open_store(path: Union[str, Path] = "outputs/vanban.db"):
    """The store at path as a `sqlite_utils.Database` (created or upgraded when needed):
    `documents`, `pages`, `passages` (with full-text search), `refs`, `measures`, ….

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder, path = Path(tmp.name) / "in", Path(tmp.name) / "vanban.db"
    >>> folder.mkdir()
    >>> _ = (folder / "55.txt").write_text("Số: 55/KH-UBND\\nKẾ HOẠCH\\nThực hiện chuyển đổi số năm 2022\\n",
    ...                                    encoding="utf-8")
    >>> _ = ingest(folder, path, jobs=1)
    >>> [(r["so_hieu"], r["title"]) for r in open_store(path).query("select so_hieu, title from documents")]
    [('55/KH-UBND', 'Thực hiện chuyển đổi số năm 2022')]
    >>> tmp.cleanup()
    """
    from vanban.pipeline import store

    return store.open_db(Path(path))
