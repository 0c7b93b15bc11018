"""A synthetic corpus of any size, for the scale and audit benchmarks.

Local plans, decisions and reports of five provinces (2018–2024, numbered per year)
cite ten documents each: three national ones, most of them a few popular decrees, and
seven local ones, some stored and some only cited. Some documents lost their header
(a citation elsewhere carries their title), some leave the number or the day blank,
a few have a scan beside the text file; a few citations give no year, two dates, a
year one too late or a type their ký hiệu contradicts.

Every document is a pure function of its index, so a million are written without
keeping them in memory, and the same document comes out either as rows for a bulk
write (`build_store`) or as a `Document` for `store.save_documents` (`record`):

    >>> corpus = SyntheticCorpus(10_000)
    >>> corpus.record(10_000).identity.id   # the first document of the day after the store
    '1/BC-UBND'

`build_store` fills the corpus tables (resolved citations, document matches, nodes,
edges, titles) with set-wise SQL, giving what `build_graph(db, full=True)` gives on the
same rows (tests/test_scale_bench.py compares them) in a fraction of the time.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple, Optional

from tqdm import tqdm

from vanban.models.records import STORED_SPAN, Document, Identity, Measure, Mention, Page, Passage, Reference, Span
from vanban.models.vietnamese import fold
from vanban.pipeline import store
from vanban.pipeline.corpus.audit import document_jurisdiction
from vanban.pipeline.corpus.graph import ABSENT_SAMPLE, FORMAT_RANK
from vanban.pipeline.corpus.resolve import folded_title, id_key, id_number
from vanban.pipeline.store.schema import MEASURE_COLUMNS

PROVINCES = ("Tuyên Quang", "Lạng Sơn", "Hà Giang", "Yên Bái", "Cao Bằng")
# stored local documents: (type, ký hiệu); a province's Ủy ban numbers each per year
LOCAL_KINDS = (("Kế hoạch", "KH-UBND"), ("Quyết định", "QĐ-UBND"), ("Báo cáo", "BC-UBND"))
# local documents only ever cited: other issuers' series, so their numbers never meet a stored one
CITED_ONLY_KINDS = (("Kế hoạch", "KH-STTTT"), ("Quyết định", "QĐ-SNV"), ("Chỉ thị", "CT-UBND"),
                    ("Công văn", "STTTT-CĐS"))
CITED_ONLY_YEARS = (2015, 2016, 2017)  # older than every stored document: what nobody collected
# national documents: (type, ký hiệu, issuer, year in the number?)
NATIONAL_KINDS = (("Nghị định", "NĐ-CP", "Chính phủ", True),
                  ("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ", False),
                  ("Nghị quyết", "NQ-CP", "Chính phủ", False),
                  ("Thông tư", "TT-BTTTT", "Bộ Thông tin và Truyền thông", True),
                  ("Chỉ thị", "CT-TTg", "Thủ tướng Chính phủ", False))
FIRST_YEAR, YEARS = 2018, 7  # stored local documents: 2018–2024; the documents added later: 2025
NATIONAL_YEARS = (2010, 2018)
POPULAR = 40  # national documents most citations go to, by a Zipf law
POPULAR_SHARE = 0.7  # of national citations
STORED_NATIONAL_EVERY = 10  # every tenth national document is stored
NATIONAL_REFS = 3  # of each document's citations; the rest are local
STORED_LOCAL_SHARE = 0.6  # of local citations, to a stored document (the rest only cited)
TITLE_SHARE = 0.5  # citations carrying the cited title; a header-less document's always do

# how often each problem occurs, per document or per citation
HEADERLESS = 0.02
MISSING_NUMBER = 0.005
MISSING_DAY = 0.01
SCAN = 0.03  # a scan beside the text file: a second rendition
YEARLESS, TWO_DATES, YEAR_TYPO, TYPE_MISMATCH = 0.003, 0.003, 0.002, 0.002

LEADS = ("Kế hoạch triển khai", "Về việc thực hiện", "Phê duyệt đề án", "Triển khai thực hiện",
         "Về việc tăng cường", "Kết quả thực hiện")
TOPICS = ("chuyển đổi số", "cải cách hành chính", "dịch vụ công trực tuyến", "an toàn thông tin mạng",
          "chính quyền điện tử", "kỹ năng số cho người dân", "hạ tầng viễn thông", "chữ ký số",
          "cơ sở dữ liệu dùng chung", "Tổ công nghệ số cộng đồng", "nền tảng số", "thanh toán không dùng tiền mặt",
          "Đề án 06", "kinh tế số", "xã hội số", "đô thị thông minh", "trung tâm điều hành thông minh",
          "thương mại điện tử", "kiến trúc Chính quyền điện tử", "bồi dưỡng kỹ năng số")
SYLLABLES = tuple("""An Bình Châu Dương Đông Giang Hà Hải Hòa Hưng Khánh Lâm Lộc Long Minh Nam Ninh Phú Phúc
Quang Sơn Tân Thái Thành Thịnh Thuận Tiến Trung Tú Việt Vinh Xuân Yên Bắc Cát Chiến Cường Đạt Định Đức Hạnh
Hiệp Hoàng Hợp Huy Khang Kiên Lạc Lập Linh Mai Mỹ Nghĩa Ngọc Nhân Phong Phương Quý Quyết Sáng Tâm Thắng
Thanh Thạnh Thiện Thọ Thông Thủy Tiên Tín Toàn Trà Trường Tuấn Tường Uyên Văn Vân Vĩnh Vượng Xương Ái Bảo
Cẩm Chính Công Diên Dân Điền Gia Hậu Hiền Hoa Hồng Hương Kim Lai Lệ Liên Lợi Lương Mạnh Nguyên Nhật Như
Phát Phụng Quế Sa Sinh Sương Tài Tây Thạch Thảo Thịnh Thượng Tiền Tịnh Trạch Triều Trinh Tuy Vạn Viên Vũ""".split())
# a figure each document reports or sets: (sentence with {v}, unit, kind, metric)
FIGURES = (("Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt {v}%", "%", "actual",
            "tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến"),
           ("Đã triển khai {v} điểm cầu hội nghị truyền hình trực tuyến đến cấp xã", "điểm cầu", "actual",
            "điểm cầu hội nghị truyền hình trực tuyến"),
           ("Phấn đấu {v}% dịch vụ công trực tuyến toàn trình", "%", "target", "dịch vụ công trực tuyến toàn trình"),
           ("Đã cấp {v} chứng thư số cho cán bộ, công chức, viên chức", "chứng thư số", "actual", "chứng thư số"),
           ("Tỷ lệ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số đạt {v}%", "%", "actual",
            "tỷ lệ công chức, viên chức được bồi dưỡng về chuyển đổi số"),
           ("Thành lập {v} Tổ công nghệ số cộng đồng đến mức thôn, xóm", "Tổ công nghệ số cộng đồng", "actual",
            "Tổ công nghệ số cộng đồng"),
           ("Phấn đấu {v}% hộ gia đình có kết nối Internet băng rộng cáp quang", "%", "target",
            "hộ gia đình có kết nối Internet băng rộng cáp quang"))
INGESTED_AT = "2025-01-01T00:00:00+00:00"
CHUNK = 2_000  # documents per bulk write
MASK = (1 << 64) - 1


class Cited(NamedTuple):
    """A document as its citations know it: the identity a header would state, and its title."""

    type: str
    id: str
    number: str
    symbol: str
    date: str  # full: the citing text always gives the day
    year: int
    issuer: str
    province: Optional[str]  # None for a national document
    jurisdiction: str
    title: str
    headerless: bool = False  # stored without its number: a citation must carry the title


@dataclass
class Spec:
    """One synthetic rendition, the single description both outputs are made from."""

    doc_id: str
    source: str
    scan: bool
    identity: Identity
    references: list  # list[Reference], mentions included
    text: str
    passages: list  # list[Passage]
    measures: list  # list[Measure]
    notes: dict = field(default_factory=dict)


def _mix(i: int, salt: int) -> float:
    """A uniform number in [0, 1) that depends only on (i, salt): splitmix64."""
    x = (i * 0x9E3779B97F4A7C15 + salt * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return (x ^ (x >> 31)) / 2 ** 64


def _pick(seq, i: int, salt: int):
    return seq[int(_mix(i, salt) * len(seq))]


def _date_in(year: int, position: float) -> str:
    """A date `position` (0..1) of the way through the year; later positions never give earlier dates."""
    months = 12 * position
    return f"{year}-{1 + int(months):02d}-{1 + int(28 * (months - int(months))):02d}"


def _written_date(date: str) -> str:
    y, m, d = date.split("-")
    return f"{d}/{m}/{y}"


class SyntheticCorpus:
    """n stored local documents (indices 0..n-1) and the `new` documents that follow them.

    seed changes which documents and citations each index gives; the layout (numbers,
    dates, provinces) depends on n and new only.
    """

    def __init__(self, n: int, new: int = 1_000, refs_per_doc: int = 10, seed: int = 7):
        self.n, self.new, self.refs_per_doc, self.seed = n, new, refs_per_doc, seed
        self.national_count = POPULAR + n // 100
        self.cited_only_count = max(60, n // 5)
        self.zipf = [1 / (k + 1) for k in range(POPULAR)]

    # -- who is who ---------------------------------------------------------------------------

    def _salt(self, name: int) -> int:
        return self.seed * 1_000 + name

    def _block(self, i: int) -> tuple[int, int, int]:
        """(year, first index of that year, documents that year) of local document i."""
        if i >= self.n:
            return FIRST_YEAR + YEARS, self.n, max(self.new, 1)
        year = FIRST_YEAR + i * YEARS // self.n
        first = -(-(year - FIRST_YEAR) * self.n // YEARS)
        last = -(-(year - FIRST_YEAR + 1) * self.n // YEARS)
        return year, first, last - first

    def _title(self, i: int, salt: int, year: int) -> str:
        words = [_pick(SYLLABLES, i, self._salt(salt + k)) for k in range(5)]
        return (f"{_pick(LEADS, i, self._salt(salt + 5))} {_pick(TOPICS, i, self._salt(salt + 6))} "
                f"tại xã {words[0]} {words[1]}, huyện {words[2]} {words[3]} {words[4]} năm {year}")

    def local(self, i: int) -> Cited:
        """Local document i: the Ủy ban of province i % 5 numbers its plans, decisions and reports per year."""
        province = PROVINCES[i % len(PROVINCES)]
        doc_type, symbol = LOCAL_KINDS[(i // len(PROVINCES)) % len(LOCAL_KINDS)]
        year, first, count = self._block(i)
        number = str((i - first) // (len(PROVINCES) * len(LOCAL_KINDS)) + 1)
        headerless = _mix(i, self._salt(1)) < HEADERLESS + MISSING_NUMBER
        return Cited(doc_type, f"{number}/{symbol}", number, symbol, _date_in(year, (i - first) / count), year,
                     f"Ủy ban nhân dân tỉnh {province}", province, province, self._title(i, 10, year), headerless)

    def national(self, k: int) -> Cited:
        doc_type, symbol, issuer, year_in_number = NATIONAL_KINDS[k % len(NATIONAL_KINDS)]
        year = NATIONAL_YEARS[0] + int(_mix(k, self._salt(2)) * (NATIONAL_YEARS[1] - NATIONAL_YEARS[0] + 1))
        number = str(10 + k)
        so_hieu = f"{number}/{year}/{symbol}" if year_in_number else f"{number}/{symbol}"
        return Cited(doc_type, so_hieu, number, symbol, _date_in(year, _mix(k, self._salt(3))), year, issuer,
                     None, "national", self._title(k, 20, year))

    def cited_only(self, a: int) -> Cited:
        """Local document a that no one stored: (province, kind, year, number) is a's digits."""
        province = PROVINCES[a % len(PROVINCES)]
        doc_type, symbol = CITED_ONLY_KINDS[(a // 5) % len(CITED_ONLY_KINDS)]
        year = CITED_ONLY_YEARS[(a // 20) % len(CITED_ONLY_YEARS)]
        number = str(1 + a // 60)
        issuer = "Sở Thông tin và Truyền thông" if "STTTT" in symbol else f"Ủy ban nhân dân tỉnh {province}"
        return Cited(doc_type, f"{number}/{symbol}", number, symbol, _date_in(year, _mix(a, self._salt(4))), year,
                     issuer, province, province, self._title(a, 30, year))

    # -- one rendition ------------------------------------------------------------------------------

    def doc_id(self, i: int, scan: bool = False) -> str:
        return hashlib.blake2b(f"{self.seed}:{i}:{int(scan)}".encode(), digest_size=8).hexdigest()

    def has_scan(self, i: int) -> bool:
        return _mix(i, self._salt(5)) < SCAN

    def renditions(self, start: int, stop: int) -> Iterator[Spec]:
        """The renditions of local documents start..stop-1, each document's scan right after it."""
        for i in range(start, stop):
            spec = self.spec(i)
            yield spec
            if self.has_scan(i):
                yield self.spec(i, scan=True)

    def national_stored(self) -> Iterator[Spec]:
        for k in range(0, self.national_count, STORED_NATIONAL_EVERY):
            yield self._spec(self.national(k), f"national-{k}", self.doc_id(-1 - k), False, [], random.Random(-k))

    def spec(self, i: int, scan: bool = False) -> Spec:
        """Local document i (its scan with scan=True: the same text, read by OCR)."""
        cited = self.local(i)
        rng = random.Random(self.seed * 1_000_003 + i)
        refs = self._references(i, cited, rng)
        return self._spec(cited, f"{i:07d}" + ("-scan" if scan else ""), self.doc_id(i, scan), scan, refs,
                          random.Random(self.seed * 1_000_003 + i))

    def record(self, i: int, scan: bool = False) -> Document:
        """Local document i as the extract stage would give it, for `store.save_documents`."""
        return self.document(self.spec(i, scan))

    def _references(self, i: int, citing: Cited, rng: random.Random) -> list[tuple[Cited, dict]]:
        """(cited document, how this citation writes it) for each of the document's citations."""
        chosen: dict[str, tuple[Cited, dict]] = {}
        province = i % len(PROVINCES)
        while len(chosen) < self.refs_per_doc:
            if len(chosen) < min(NATIONAL_REFS, self.refs_per_doc):
                popular = rng.random() < POPULAR_SHARE or self.national_count == POPULAR
                k = rng.choices(range(POPULAR), self.zipf)[0] if popular else \
                    rng.randrange(POPULAR, self.national_count)
                cited, relation = self.national(k), "legal_basis"
            elif i >= len(PROVINCES) and rng.random() < STORED_LOCAL_SHARE:
                j = rng.randrange(i)
                j = j - j % len(PROVINCES) + province
                if j >= i:
                    j -= len(PROVINCES)
                cited, relation = self.local(j), rng.choice(("implements", "legal_basis", "mentions"))
            else:
                a = rng.randrange(self.cited_only_count)
                cited, relation = self.cited_only(a - a % len(PROVINCES) + province), "mentions"
            key = f"{cited.id}|{cited.year}|{cited.jurisdiction}"
            if key in chosen:
                continue
            how = {"relation": relation, "type": cited.type, "year": cited.year, "dates": [cited.date],
                   "title": cited.title if cited.headerless or rng.random() < TITLE_SHARE else None}
            problem = rng.random()
            if problem < YEARLESS:
                how.update(year=None, dates=[])
            elif problem < YEARLESS + TWO_DATES:  # cited twice, with two days
                other = f"{cited.date[:8]}{(int(cited.date[8:]) % 28) + 1:02d}"
                how["dates"] = [cited.date, other]
            elif problem < YEARLESS + TWO_DATES + YEAR_TYPO and not cited.headerless:
                how.update(year=cited.year + 1, dates=[f"{cited.year + 1}{cited.date[4:]}"], title=cited.title)
            elif problem < YEARLESS + TWO_DATES + YEAR_TYPO + TYPE_MISMATCH:
                how["type"] = "Quyết định" if cited.type == "Kế hoạch" else "Kế hoạch"
            chosen[key] = (cited, how)
        return list(chosen.values())

    def _spec(self, cited: Cited, name: str, doc_id: str, scan: bool, refs: list, rng: random.Random) -> Spec:
        """The text of a document and every span in it: header, title, legal bases, one figure."""
        i = hash(name) if False else None  # noqa: F841 (kept simple: everything below is from cited and rng)
        notes, number, so_hieu, date = {}, cited.number, cited.id, cited.date
        local_index = int(name.split("-")[0]) if name[0].isdigit() else None
        missing_number = cited.headerless and local_index is not None and \
            _mix(local_index, self._salt(1)) >= HEADERLESS
        if cited.headerless:
            number, so_hieu = None, None
        if local_index is not None and _mix(local_index, self._salt(6)) < MISSING_DAY:
            date = cited.date[:7]
            notes["date"] = "the day is left blank"
        place = cited.province or "Hà Nội"
        text = (cited.issuer.upper() if cited.province is None else
                f"ỦY BAN NHÂN DÂN\nTỈNH {cited.province.upper()}") + "\n"
        spans = {}
        if so_hieu or missing_number:
            line = f"Số: {so_hieu}" if so_hieu else f"Số:     /{cited.symbol}"
            spans["id"] = Span(len(text), len(text) + len(line), 1, len(text), len(text) + len(line))
            text += line + "\n"
            if missing_number:
                notes["id"] = f"the number is left blank: Số: /{cited.symbol}"
        y, m, d = (date + "-").split("-")[:3]
        said = f"ngày {d or '    '} tháng {m} năm {y}"
        text += f"{place}, "
        spans["date"] = Span(len(text), len(text) + len(said), 1, len(text), len(text) + len(said))
        text += said + "\n"
        passages = [Passage("header", 0, Span(0, len(text), 1, 0, len(text)), text)]
        heading = f"{cited.type.upper()}\n{cited.title}"
        passages.append(Passage("heading", 0, Span(len(text), len(text) + len(heading), 1, len(text),
                                                    len(text) + len(heading)), heading, "I."))
        text += heading + "\n"
        references, start = [], len(text)
        for seq, (target, how) in enumerate(refs):
            mentions = []
            for date_given in how["dates"] or [None]:
                written = f"{how['type']} số {target.id}" + (f" ngày {_written_date(date_given)}" if date_given else "")
                if target.province is None:
                    written += f" của {target.issuer}"
                if how["title"] and not mentions:
                    written += f" về việc {how['title']}"
                text += "Căn cứ "
                mentions.append(Mention(written, Span(len(text), len(text) + len(written), 1, len(text),
                                                      len(text) + len(written))))
                text += written + ";\n"
            references.append(Reference(
                id=target.id, type=how["type"], number=target.number, symbol=target.symbol, year=how["year"],
                date=how["dates"][0] if how["dates"] else None, issuer=target.issuer,
                jurisdiction=target.jurisdiction, relation=how["relation"], title=how["title"], mentions=mentions,
                dates=list(how["dates"])))
        if references:
            passages.append(Passage("paragraph", 0, Span(start, len(text) - 1, 1, start, len(text) - 1),
                                    text[start:len(text) - 1]))
        sentence, unit, kind, metric = rng.choice(FIGURES)
        value = rng.randint(10, 99) if unit == "%" else rng.randint(5, 2000)
        before, after = sentence.split("{v}")
        figure = f"{value}{'%' if unit == '%' else ''}"
        body = f"{before}{value}{after}."
        start = len(text)
        at = start + len(before)
        passages.append(Passage("paragraph", 0, Span(start, start + len(body), 1, start, start + len(body)), body))
        measures = [Measure(float(value), unit, kind, metric, None, cited.year, None, None,
                            Span(at, at + len(figure), 1, at, at + len(figure)), body)]
        text += body + "\n"
        identity = Identity(type=cited.type, id=so_hieu, number=number, symbol=cited.symbol if so_hieu or
                            missing_number else None, date=date, issuer=cited.issuer, province=cited.province,
                            place=place, title=cited.title, notes=notes, spans=spans)
        source = f"/synthetic/{name}.pdf"
        return Spec(doc_id, source, scan, identity, references, text, passages, measures, notes)

    def document(self, spec: Spec) -> Document:
        """The Document store.save_documents writes as this spec's rows (its sha256 gives the doc_id)."""
        sha = spec.doc_id + hashlib.sha256(spec.source.encode()).hexdigest()[16:]
        method = "ocr" if spec.scan else "text"
        return Document(source=spec.source, sha256=sha, pages=[Page(1, spec.text, method, 90.0 if spec.scan else None)],
                        text=spec.text, identity=spec.identity, passages=spec.passages,
                        references=spec.references, measures=spec.measures)
