"""What every reading worker needs, loaded once in the fork server the workers are forked
from (workers.py imports this there): the readers, the extractors and underthesea's models.

Each worker then starts with them, shared copy-on-write, instead of loading them itself,
and its memory budget counts from them (budgets.enter_worker), as it did when workers were
forked from a process that had them. Importing this module is what loads them.
"""
from __future__ import annotations

from vanban.models.records import Page
from vanban.pipeline.reading import ingest  # noqa: F401  (the readers and the store's writers)
from vanban.pipeline.reading.analyse import build_document

# a short plan with what loads each model: a header, a citation, a target, a figure
SAMPLE = """ỦY BAN NHÂN DÂN TỈNH
Số: 1/KH-UBND
KẾ HOẠCH
Căn cứ Quyết định số 2/QĐ-UBND ngày 3/4/2022 của Ủy ban nhân dân tỉnh;
Phấn đấu 90% hồ sơ công việc được xử lý trên môi trường mạng, đạt tỷ lệ 55,82%.
"""


def warm() -> None:
    """Read a sample once, so that each extractor has loaded what it keeps."""
    build_document("preload.txt", [Page(1, SAMPLE, "plain")])


try:
    warm()
except Exception:  # noqa: BLE001 a worker then loads what it needs itself, as it reads
    pass
