"""Ingest cost on real files as a folder grows: does it stay linear, and does adding to a
large store cost what adding to an empty one does?

Writes synthetic Kế hoạch as text files (header, legal bases citing a pool of decrees
and local plans, some header-less, targets) and times `ingest` end to end, reading and
extraction included:

    >>> figures = bench_folder(small=20, large=60, added=20)   # doctest: +SKIP
    >>> sorted(figures)
    ['add_to_empty_seconds', 'add_to_large_seconds', 'add_ratio', 'large_seconds', 'linearity', 'small_seconds']
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from vanban.pipeline.reading.ingest import ingest

PROVINCES = ("Tuyên Quang", "Lạng Sơn", "Hà Giang", "Yên Bái", "Cao Bằng")
DECREES = ("Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối và chia sẻ dữ liệu số",
           "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính "
           "trên môi trường điện tử",
           "Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình "
           "Chuyển đổi số quốc gia",
           "Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ về một số nhiệm vụ, giải pháp trọng tâm "
           "phát triển Chính phủ điện tử")
TOPICS = ("chuyển đổi số", "cải cách hành chính", "an toàn thông tin mạng", "dịch vụ công trực tuyến",
          "chính quyền số", "kinh tế số")


def plan_text(rng: random.Random, n: int, headerless: bool = False) -> str:
    """One synthetic Kế hoạch of a province, number n."""
    province = PROVINCES[n % len(PROVINCES)]
    year = 2020 + n % 4
    topic = rng.choice(TOPICS)
    cited = rng.sample(DECREES, 2) + [
        f"Kế hoạch số {rng.randint(1, max(n, 1))}/KH-UBND ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{year - 1} "
        f"của Ủy ban nhân dân tỉnh về {rng.choice(TOPICS)}" for _ in range(3)]
    header = "" if headerless else (
        f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}\nSố: {n}/KH-UBND\n"
        f"{province}, ngày {1 + n % 28} tháng {1 + n % 12} năm {year}\nKẾ HOẠCH\n{topic.capitalize()} năm {year}\n")
    body = "".join(f"Căn cứ {c};\n" for c in cited)
    targets = (f"I. MỤC TIÊU\n- Phấn đấu {rng.randint(50, 100)}% hồ sơ công việc tại cấp tỉnh được xử lý "
               f"trên môi trường mạng.\n- Tỷ lệ dịch vụ công trực tuyến toàn trình đạt {rng.randint(30, 90)}%.\n"
               f"II. NHIỆM VỤ\n1. Triển khai {topic} tại {rng.randint(5, 20)} sở, ngành.\n")
    signature = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"
    return header + body + targets + signature


def write_folder(folder: Path, start: int, count: int, seed: int = 11) -> None:
    rng = random.Random(seed + start)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"kh{n:06d}.txt").write_text(plan_text(rng, n, headerless=n % 37 == 0), encoding="utf-8")


def _timed_ingest(folder: Path, db: Path, jobs: int) -> float:
    start = time.perf_counter()
    ingest([folder], db, jobs=jobs, progress=False)
    return time.perf_counter() - start


def bench_folder(small: int = 300, large: int = 3000, added: int = 300, jobs: int = 2) -> dict:
    """Seconds to ingest `small` and `large` files into empty stores (linearity: their ratio over
    large/small, 1.0 is linear), and `added` more files into the large store vs into an empty one."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_folder(tmp / "small", 1, small)
        write_folder(tmp / "large", 1, large)
        write_folder(tmp / "added", large + 1, added)
        small_s = _timed_ingest(tmp / "small", tmp / "small.db", jobs)
        large_s = _timed_ingest(tmp / "large", tmp / "large.db", jobs)
        empty_s = _timed_ingest(tmp / "added", tmp / "added.db", jobs)
        onto_s = _timed_ingest(tmp / "added", tmp / "large.db", jobs)
    return {"small_seconds": round(small_s, 1), "large_seconds": round(large_s, 1),
            "linearity": round(large_s / small_s / (large / small), 2),
            "add_to_empty_seconds": round(empty_s, 1), "add_to_large_seconds": round(onto_s, 1),
            "add_ratio": round(onto_s / empty_s, 2)}


if __name__ == "__main__":
    import json
    import sys

    sizes = [int(a) for a in sys.argv[1:4]] or [300, 3000, 300]
    print(json.dumps(bench_folder(*sizes), indent=1))
