"""A synthetic corpus of any size, for the scale and audit benchmarks.

Local plans, decisions and reports of five provinces (2018–2024, numbered per year)
cite ten documents each: three national ones, most of them a few popular decrees, and
seven local ones, some stored and some only cited. Some documents lost their header
(citations elsewhere carry their title), some leave the number or the day blank, a
few have a scan beside the text file; a few citations give no year, two dates, a year
one too late, a type their ký hiệu contradicts, or a ký hiệu cut short.

Every document is a pure function of its index, so a million are written without
keeping them in memory, and the same document comes out either as rows for a bulk
write (`build_store`) or as the `Document` the extract stage would give
(`SyntheticCorpus.record`, for `store.save_documents`):

    >>> corpus = SyntheticCorpus(10_000)
    >>> corpus.record(10_000).identity.id   # the first document after the stored ones
    '1/BC-UBND'

`build_store` then fills the corpus tables (resolved citations, document matches,
nodes, edges, titles) with set-wise SQL, giving what `build_graph(db, full=True)` gives
on the same rows (tests/test_scale_bench.py compares them) without a pass per document.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Optional

from tqdm import tqdm

from vanban.extractors.symbols import check_symbol
from vanban.models.records import STORED_SPAN, Document, Identity, Measure, Mention, Page, Passage, Reference, Span
from vanban.models.vietnamese import fold
from vanban.pipeline import store
from vanban.pipeline.corpus.graph import FORMAT_RANK
from vanban.pipeline.corpus.resolve import NOTE_SOURCES, document_jurisdiction, folded_title, id_key, id_number
from vanban.pipeline.store import VOTED
from vanban.pipeline.store.facets import facet_tokens, scope_tokens
from vanban.pipeline.store.schema import CITED_VALUES, INDEXES, MEASURE_COLUMNS, graph_counted

PROVINCES = ("Tuyên Quang", "Lạng Sơn", "Hà Giang", "Yên Bái", "Cao Bằng")
# stored local documents: (type, ký hiệu); each province's Ủy ban numbers each kind per year
LOCAL_KINDS = (("Kế hoạch", "KH-UBND"), ("Quyết định", "QĐ-UBND"), ("Báo cáo", "BC-UBND"))
# local documents only ever cited: other series, so their numbers never meet a stored one
CITED_ONLY_KINDS = (("Kế hoạch", "KH-STTTT"), ("Quyết định", "QĐ-SNV"), ("Chỉ thị", "CT-UBND"),
                    ("Công văn", "STTTT-CĐS"))
CITED_ONLY_YEARS = (2015, 2016, 2017)  # older than every stored document: what nobody collected
# national documents: (type, ký hiệu, issuer, year written in the number?)
NATIONAL_KINDS = (("Nghị định", "NĐ-CP", "Chính phủ", True),
                  ("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ", False),
                  ("Nghị quyết", "NQ-CP", "Chính phủ", False),
                  ("Thông tư", "TT-BTTTT", "Bộ Thông tin và Truyền thông", True),
                  ("Chỉ thị", "CT-TTg", "Thủ tướng Chính phủ", False))
FIRST_YEAR, YEARS = 2018, 7  # stored local documents: 2018–2024; the documents added later: 2025 on
YEAR_SHIFT = 0.1  # of a year: how far the dates of one year may start later than those of another
NATIONAL_YEARS = (2010, 2018)
POPULAR = 40  # national documents most citations go to, by a Zipf law
POPULAR_SHARE = 0.7  # of national citations
STORED_NATIONAL_EVERY = 10  # every tenth national document is stored
NATIONAL_REFS = 3  # of each document's citations; the rest are local
STORED_LOCAL_SHARE = 0.6  # of local citations, to a stored document (the rest only cited)
TITLE_SHARE = 0.5  # citations carrying the cited title; those of a header-less document always do

# how often each problem occurs, per document or per citation
HEADERLESS = 0.02  # the header is lost: no number, no ký hiệu
BLANK_NUMBER = 0.005  # 'Số:    /KH-UBND'
BLANK_DAY = 0.01  # 'ngày    tháng 3 năm 2021'
SCAN = 0.03  # a scan beside the text file: a second rendition of the document
YEARLESS, TWO_DATES, YEAR_TYPO, TYPE_MISMATCH, CUT_SHORT = 0.003, 0.003, 0.002, 0.002, 0.002

LEADS = ("Kế hoạch triển khai", "Về việc thực hiện", "Phê duyệt đề án", "Triển khai thực hiện",
         "Về việc tăng cường", "Kết quả thực hiện")
TOPICS = ("chuyển đổi số", "cải cách hành chính", "dịch vụ công trực tuyến", "an toàn thông tin mạng",
          "chính quyền điện tử", "kỹ năng số cho người dân", "hạ tầng viễn thông", "chữ ký số",
          "cơ sở dữ liệu dùng chung", "Tổ công nghệ số cộng đồng", "nền tảng số", "thanh toán không dùng tiền mặt",
          "Đề án 06", "kinh tế số", "xã hội số", "đô thị thông minh", "trung tâm điều hành thông minh",
          "thương mại điện tử", "kiến trúc Chính quyền điện tử", "bồi dưỡng kỹ năng số")
# place names in titles: five of them make two titles of a type and province differ enough
# that no two documents are taken for one (title similarity stays far below 0.85)
SYLLABLES = tuple("""An Bình Châu Dương Đông Giang Hà Hải Hòa Hưng Khánh Lâm Lộc Long Minh Nam Ninh Phú Phúc
Quang Sơn Tân Thái Thành Thịnh Thuận Tiến Trung Tú Việt Vinh Xuân Yên Bắc Cát Chiến Cường Đạt Định Đức Hạnh
Hiệp Hoàng Hợp Huy Khang Kiên Lạc Lập Linh Mai Mỹ Nghĩa Ngọc Nhân Phong Phương Quý Quyết Sáng Tâm Thắng
Thanh Thạnh Thiện Thọ Thông Thủy Tiên Tín Toàn Trà Trường Tuấn Tường Uyên Văn Vân Vĩnh Vượng Xương Ái Bảo
Cẩm Chính Công Diên Dân Điền Gia Hậu Hiền Hoa Hồng Hương Kim Lai Lệ Liên Lợi Lương Mạnh Nguyên Nhật Như
Phát Phụng Quế Sa Sinh Sương Tài Tây Thạch Thảo Thượng Tiền Tịnh Trạch Triều Trinh Tuy Vạn Viên Vũ""".split())
# the figure each document reports or sets: (sentence around {v}, unit, kind, metric)
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
    """A document as its citations know it: the identity its header states (or would), and its title."""

    type: str
    id: str
    number: str
    symbol: str
    date: str  # full: a citation always gives the day
    year: int
    issuer: str
    province: Optional[str]  # None for a national document
    jurisdiction: str
    title: str
    header: str = "whole"  # 'whole', 'lost' (no number, no ký hiệu) or 'blank number'
    blank_day: bool = False


def _mix(i: int, salt: int) -> float:
    """A uniform number in [0, 1) that depends only on (i, salt) (splitmix64)."""
    x = (i * 0x9E3779B97F4A7C15 + salt * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return (x ^ (x >> 31)) / 2 ** 64


def _date_in(year: int, position: float) -> str:
    """A date `position` (0..1) of the way through the year; a later position never gives an earlier date."""
    months = 12 * position
    return f"{year}-{1 + int(months):02d}-{1 + int(28 * (months - int(months))):02d}"


def _as_written(cited: Cited, how: dict) -> tuple[str, str, Optional[str]]:
    """(id, ký hiệu, doubt) as a citation writes them: cut short, 'KH-UBND' → 'KH-U', the symbol
    check's note says why it is doubtful."""
    if not how.get("cut_short"):
        return cited.id, cited.symbol, None
    cut = cited.symbol[:cited.symbol.rindex("-") + 2]
    return cited.id[:len(cited.id) - len(cited.symbol)] + cut, cut, check_symbol(cut).note


def _written(date: str) -> str:
    """'2021-03-05' → '05/03/2021', as a citation writes it."""
    y, m, d = date.split("-")
    return f"{d}/{m}/{y}"


class SyntheticCorpus:
    """n stored local documents (indices 0..n-1) and the documents that come after them, `new` a year.

    seed changes which documents and citations each index gives; the layout (numbers,
    dates, provinces) depends on n and new only.
    """

    def __init__(self, n: int, new: int = 1_000, refs_per_doc: int = 10, seed: int = 7):
        self.n, self.new, self.refs_per_doc, self.seed = n, new, refs_per_doc, seed
        self.national_count = POPULAR + n // 100
        self.cited_only_count = max(60, n // 5)
        self.zipf = [1 / (k + 1) for k in range(POPULAR)]

    # -- who is who ---------------------------------------------------------------------------

    def _mix(self, i: int, salt: int) -> float:
        return _mix(i, self.seed * 1_000 + salt)

    def _title(self, i: int, salt: int, year: int) -> str:
        """'Kế hoạch triển khai chữ ký số tại xã Minh Hòa, huyện Phú Lộc Tân năm 2021'."""
        def pick(seq, k):
            return seq[int(self._mix(i, salt + k) * len(seq))]
        place = [pick(SYLLABLES, k) for k in range(5)]
        return (f"{pick(LEADS, 5)} {pick(TOPICS, 6)} tại xã {place[0]} {place[1]}, huyện {place[2]} {place[3]} "
                f"{place[4]} năm {year}")

    def local(self, i: int) -> Cited:
        """Local document i: province i % 5; its Ủy ban numbers plans, decisions and reports per year."""
        province = PROVINCES[i % len(PROVINCES)]
        doc_type, symbol = LOCAL_KINDS[(i // len(PROVINCES)) % len(LOCAL_KINDS)]
        if i >= self.n:  # added later: `new` a year from FIRST_YEAR + YEARS on (a store measured again gets more)
            count = max(self.new, 1)
            later = (i - self.n) // count
            year, first = FIRST_YEAR + YEARS + later, self.n + later * count
        else:
            year = FIRST_YEAR + i * YEARS // self.n
            first = -(-(year - FIRST_YEAR) * self.n // YEARS)
            count = -(-(year - FIRST_YEAR + 1) * self.n // YEARS) - first
        number = str((i - first) // (len(PROVINCES) * len(LOCAL_KINDS)) + 1)
        lost = self._mix(i, 1)
        header = "lost" if lost < HEADERLESS else "blank number" if lost < HEADERLESS + BLANK_NUMBER else "whole"
        # each year's dates shifted a little, so a number's day and month differ from year to year
        position = YEAR_SHIFT * self._mix(year, 7) + (1 - YEAR_SHIFT) * (i - first) / count
        return Cited(doc_type, f"{number}/{symbol}", number, symbol, _date_in(year, position), year,
                     f"Ủy ban nhân dân tỉnh {province}", province, province, self._title(i, 10, year), header,
                     self._mix(i, 2) < BLANK_DAY)

    def national(self, k: int) -> Cited:
        """National document k; the first POPULAR are the ones most cited."""
        doc_type, symbol, issuer, year_in_number = NATIONAL_KINDS[k % len(NATIONAL_KINDS)]
        year = NATIONAL_YEARS[0] + int(self._mix(k, 3) * (NATIONAL_YEARS[1] - NATIONAL_YEARS[0] + 1))
        number = str(10 + k)
        so_hieu = f"{number}/{year}/{symbol}" if year_in_number else f"{number}/{symbol}"
        return Cited(doc_type, so_hieu, number, symbol, _date_in(year, self._mix(k, 4)), year, issuer,
                     None, "national", self._title(k, 20, year))

    def cited_only(self, a: int) -> Cited:
        """Local document a, which no one stored: (province, kind, year, number) are a's digits."""
        province = PROVINCES[a % len(PROVINCES)]
        doc_type, symbol = CITED_ONLY_KINDS[(a // 5) % len(CITED_ONLY_KINDS)]
        year = CITED_ONLY_YEARS[(a // 20) % len(CITED_ONLY_YEARS)]
        issuer = "Sở Thông tin và Truyền thông" if "STTTT" in symbol else f"Ủy ban nhân dân tỉnh {province}"
        return Cited(doc_type, f"{1 + a // 60}/{symbol}", str(1 + a // 60), symbol,
                     _date_in(year, self._mix(a, 5)), year, issuer, province, province, self._title(a, 30, year))

    # -- renditions ------------------------------------------------------------------------------

    def content_hash(self, name: str) -> str:
        """The sha256 a document's text would have: stable per seed and name."""
        return hashlib.blake2b(f"{self.seed}:{name}".encode(), digest_size=32).hexdigest()

    def records(self, start: int, stop: int) -> Iterator[Document]:
        """Local documents start..stop-1 as Documents, a document's scan right after it."""
        for i in range(start, stop):
            yield self.record(i)
            if self.has_scan(i):
                yield self.record(i, scan=True)

    def has_scan(self, i: int) -> bool:
        return self._mix(i, 6) < SCAN

    def stored_nationals(self) -> Iterator[Document]:
        for k in range(0, self.national_count, STORED_NATIONAL_EVERY):
            yield self._document(self.national(k), f"national-{k}", [], random.Random(self.seed * 7 + k))

    def record(self, i: int, scan: bool = False) -> Document:
        """Local document i as the extract stage would give it (with scan=True: its scan, read by OCR)."""
        cited = self.local(i)
        rng = random.Random(self.seed * 1_000_003 + i)
        return self._document(cited, f"{i:07d}" + ("-scan" if scan else ""), self._references(i, rng), rng, scan)

    def _references(self, i: int, rng: random.Random) -> list[tuple[Cited, dict]]:
        """(cited document, how the citation writes it) for each of local document i's citations."""
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
                cited = self.local(j if j < i else j - len(PROVINCES))
                relation = rng.choice(("implements", "legal_basis", "mentions"))
            else:
                a = rng.randrange(self.cited_only_count)
                cited, relation = self.cited_only(a - a % len(PROVINCES) + province), "mentions"
            key = f"{cited.id}|{cited.year}|{cited.jurisdiction}"
            if key in chosen:
                continue
            how = {"relation": relation, "type": cited.type, "year": cited.year, "dates": [cited.date],
                   "title": cited.title if cited.header != "whole" or rng.random() < TITLE_SHARE else None}
            # a header-less document is cited cleanly: the citations carrying its title are how it is found
            problem = rng.random() if cited.header == "whole" else 1.0
            if problem < YEARLESS:
                how.update(year=None, dates=[])
            elif problem < YEARLESS + TWO_DATES:  # cited twice in the text, with two days
                how["dates"] = [cited.date, f"{cited.date[:8]}{int(cited.date[8:]) % 28 + 1:02d}"]
            elif problem < YEARLESS + TWO_DATES + YEAR_TYPO:
                how.update(year=cited.year + 1, dates=[f"{cited.year + 1}{cited.date[4:]}"], title=cited.title)
            elif problem < YEARLESS + TWO_DATES + YEAR_TYPO + TYPE_MISMATCH:
                how["type"] = "Quyết định" if cited.type == "Kế hoạch" else "Kế hoạch"
            elif problem < YEARLESS + TWO_DATES + YEAR_TYPO + TYPE_MISMATCH + CUT_SHORT:
                how["cut_short"] = True  # OCR kept one letter of the ký hiệu's last piece: 'KH-U'
            chosen[key] = (cited, how)
        return list(chosen.values())

    def _document(self, cited: Cited, name: str, refs: list, rng: random.Random, scan: bool = False) -> Document:
        """The document's text and every span in it: header, title, legal bases, one figure."""
        text = (f"ỦY BAN NHÂN DÂN\nTỈNH {cited.province.upper()}" if cited.province else cited.issuer.upper()) + "\n"
        spans, notes = {}, {}
        if cited.header != "lost":
            line = f"Số: {cited.id}" if cited.header == "whole" else f"Số:     /{cited.symbol}"
            spans["id"] = _span(len(text), len(line))
            text += line + "\n"
        if cited.header == "blank number":
            notes["id"] = f"the number is left blank: Số: /{cited.symbol}"
        date = cited.date[:7] if cited.blank_day else cited.date
        if cited.blank_day:
            notes["date"] = "the day is left blank"
        place = cited.province or "Hà Nội"
        y, m, d = cited.date.split("-")
        said = f"ngày {'    ' if cited.blank_day else d} tháng {m} năm {y}"
        text += f"{place}, "
        spans["date"] = _span(len(text), len(said))
        text += said + "\n"
        passages = [Passage("header", 0, _span(0, len(text)), text)]
        heading = f"{cited.type.upper()}\n{cited.title}"
        passages.append(Passage("heading", 0, _span(len(text), len(heading)), heading, "I."))
        text += heading + "\n"
        references, start = [], len(text)
        for target, how in refs:
            written, symbol, doubt = _as_written(target, how)
            mentions = []
            for date_given in how["dates"] or [None]:
                words = f"{how['type']} số {written}" + (f" ngày {_written(date_given)}" if date_given else "")
                words += f" của {target.issuer}" if target.province is None else ""
                words += f" về việc {how['title']}" if how["title"] and not mentions else ""
                text += "Căn cứ "
                mentions.append(Mention(words, _span(len(text), len(words))))
                text += words + ";\n"
            references.append(Reference(
                id=written, type=how["type"], number=target.number, symbol=symbol, year=how["year"],
                date=how["dates"][0] if how["dates"] else None, issuer=target.issuer,
                jurisdiction=target.jurisdiction, relation=how["relation"], title=how["title"], mentions=mentions,
                dates=list(how["dates"]), doubtful=doubt))
        if references:
            passages.append(Passage("paragraph", 0, _span(start, len(text) - 1 - start), text[start:len(text) - 1]))
        sentence, unit, kind, metric = rng.choice(FIGURES)
        value = rng.randint(10, 99) if unit == "%" else rng.randint(5, 2000)
        before, after = sentence.split("{v}")
        body = f"{before}{value}{after}."
        start = len(text)
        passages.append(Passage("paragraph", 0, _span(start, len(body)), body))
        figure = f"{value}%" if unit == "%" else str(value)
        measures = [Measure(float(value), unit, kind, metric, None, cited.year, None, None,
                            _span(start + len(before), len(figure)), body)]
        text += body + "\n"
        whole = cited.header == "whole"
        identity = Identity(type=cited.type, id=cited.id if whole else None, number=cited.number if whole else None,
                            symbol=None if cited.header == "lost" else cited.symbol, date=date, issuer=cited.issuer,
                            province=cited.province, place=place, title=cited.title, notes=notes, spans=spans)
        source = f"/synthetic/{name}.pdf"
        return Document(source=source, sha256=self.content_hash(name), pages=[Page(1, text, "ocr" if scan else "text",
                                                                  90.0 if scan else None)],
                        text=text, identity=identity, passages=passages, references=references, measures=measures)


def _span(start: int, length: int) -> Span:
    """A span of the one page, whose text is the cleaned text."""
    return Span(start, start + length, 1, start, start + length)


# -- the bulk write ----------------------------------------------------------------------------------

RENDITION_COLUMNS = ("doc_id", "sha256", "source", "source_name", "pages", "ocr_pages", "type", "so_hieu", "number",
                     "symbol", "date", "year", "issuer", "province", "place", "title", "signer", "signer_title",
                     "identity_notes", "warnings", "ingested_at", "node_id", "is_primary",
                     "identity_spans")
REF_COLUMNS = ("doc_id", "seq", "ref_id", "type", "number", "symbol", "year", "date", "dates", "issuer",
               "jurisdiction", "relation", "title", "mentions", "n_mentions", "doubtful", "resolved_year",
               "resolved_jurisdiction")
PASSAGE_COLUMNS = ("doc_id", "seq", "kind", "level", "label", *STORED_SPAN, "text", "text_folded", "facets")
COLUMNS = {"renditions": RENDITION_COLUMNS, "texts": ("doc_id", "clean_text"),
           "pages": ("doc_id", "page", "method", "ocr_confidence", "text"),
           "passages": PASSAGE_COLUMNS, "refs": REF_COLUMNS, "measures": ("doc_id", "seq", *MEASURE_COLUMNS),
           "files": ("path", "file_sha256", "status", "doc_ids", "at"), "file_renditions": ("path", "doc_id")}


def rows(doc: Document, key: str) -> dict[str, list[tuple]]:
    """The rows `store.save_documents` writes for doc under doc_id key, the corpus columns left as a new
    rendition has them, except a citation stating its year and jurisdiction: resolved to them, as the
    update would."""
    ident = doc.identity
    rendition = (key, doc.sha256, doc.source, Path(doc.source.split("#")[0]).name, len(doc.pages), doc.ocr_pages,
                 ident.type, ident.id, ident.number, ident.symbol, ident.date,
                 int(ident.date[:4]) if ident.date else None, ident.issuer, ident.province, ident.place, ident.title,
                 ident.signer, ident.signer_title, json.dumps(ident.notes, ensure_ascii=False),
                 json.dumps(doc.warnings, ensure_ascii=False), INGESTED_AT, None, 0,
                 json.dumps({name: span.stored() for name, span in ident.spans.items()}))
    stated = lambda r: r.year is not None and r.jurisdiction is not None  # noqa: E731
    facets = facet_tokens(ident.type, ident.province, int(ident.date[:4]) if ident.date else None)
    return {
        "renditions": [rendition],
        "texts": [(key, doc.text)],
        "pages": [(key, p.number, p.method, p.ocr_confidence, p.text) for p in doc.pages],
        "passages": [(key, i, p.kind, p.level, p.label, *p.span.stored().values(), p.text, fold(p.text), facets)
                     for i, p in enumerate(doc.passages)],
        "refs": [(key, i, r.id, r.type, r.number, r.symbol, r.year, r.date, json.dumps(r.dates), r.issuer,
                  r.jurisdiction, r.relation, r.title,
                  json.dumps([{"text": m.text, **m.span.stored()} for m in r.mentions], ensure_ascii=False),
                  len(r.mentions), r.doubtful, r.year if stated(r) else None,
                  r.jurisdiction if stated(r) else None)
                 for i, r in enumerate(doc.references)],
        "measures": [(key, i, *[{**vars(m), **m.span.stored()}[c] for c in MEASURE_COLUMNS])
                     for i, m in enumerate(doc.measures)],
        "files": [(doc.source, doc.sha256, "ok", json.dumps([key]), INGESTED_AT)],
        "file_renditions": [(doc.source, key)],
    }


def write_rows(conn, documents: Iterable[Document], bar=None) -> int:
    """Documents' rows, CHUNK documents per executemany, keyed in order as the store keys them;
    returns how many were written."""
    batch: dict[str, list] = {table: [] for table in COLUMNS}
    written, first = 0, store.next_ordinal(conn)

    def flush():
        with conn:
            for table, columns in COLUMNS.items():
                conn.executemany(f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                                 f"values ({', '.join('?' * len(columns))})", batch[table])
                batch[table].clear()
            store.count_keys(conn, first + written - 1)

    for doc in documents:
        for table, new in rows(doc, store.rendition_key(first + written)).items():
            batch[table] += new
        written += 1
        if written % CHUNK == 0:
            flush()
            if bar is not None:
                bar.update(CHUNK)
    flush()
    if bar is not None:
        bar.update(written % CHUNK)
    return written


def build_store(path: Path, corpus: SyntheticCorpus, progress: bool = False) -> dict:
    """Write corpus's n stored documents (and the stored national ones) to a new store at path, with its
    corpus tables, in bulk. Returns the number of renditions written and the seconds of each step.

    Secondary indexes are dropped while the rows go in and built once after, the usual bulk load.
    """
    db = store.open_db(path)
    conn = db.conn
    conn.execute("pragma synchronous = off")
    conn.execute("pragma cache_size = -262144")  # 256 MB of page cache, whatever the store's size
    names = [ddl.split(" if not exists ")[1].split(" on ")[0] for ddl in INDEXES]
    for name in names:
        conn.execute(f"drop index if exists [{name}]")
    total = len(range(0, corpus.national_count, STORED_NATIONAL_EVERY)) + corpus.n + \
        sum(1 for i in range(corpus.n) if corpus.has_scan(i))
    bar = tqdm(total=total, unit="file", desc="synthetic store", disable=not progress, file=sys.stderr)
    start = time.perf_counter()
    written = write_rows(conn, corpus.stored_nationals(), bar)
    written += write_rows(conn, corpus.records(0, corpus.n), bar)
    seconds = {"rows": round(time.perf_counter() - start, 1)}
    steps = [("indexes", lambda: [conn.execute(ddl) for ddl in INDEXES])] + DERIVE
    bar.close()
    bar = tqdm(total=len(steps), unit="step", desc="corpus tables", disable=not progress, file=sys.stderr)
    _functions(conn)
    for name, step in steps:
        bar.set_postfix_str(name)
        start = time.perf_counter()
        with conn:
            step(conn) if name != "indexes" else step()
        seconds[name] = round(time.perf_counter() - start, 1)
        bar.update()
    bar.close()
    conn.execute("pragma synchronous = normal")
    return {"renditions": written, "seconds": seconds}


# -- the corpus tables, set-wise ----------------------------------------------------------------------
# Each step mirrors one part of `build_graph`; the generator leaves only what these steps handle: a
# citation always states its jurisdiction, a stored document with a number always has a year and a
# jurisdiction, and titles are either equal once folded or far apart.

def _functions(conn) -> None:
    conn.create_function("folded_title", 1, lambda t: folded_title(t) if t else None, deterministic=True)
    conn.create_function("id_key", 1, id_key, deterministic=True)
    conn.create_function("scope_tokens", 3, scope_tokens, deterministic=True)
    conn.create_function("id_number", 1, id_number, deterministic=True)
    conn.create_function("doc_jurisdiction", 3, lambda issuer, province, so_hieu: document_jurisdiction(
        {"issuer": issuer, "province": province, "so_hieu": so_hieu}), deterministic=True)
    conn.create_function("format_rank", 1, lambda name: FORMAT_RANK.get(Path(name or "").suffix.lower(),
                                                                        len(FORMAT_RANK)), deterministic=True)


NODE_KEY = "{0}ref_id || '|' || coalesce({0}resolved_year, '') || '|' || coalesce({0}resolved_jurisdiction, '')"


def _yearless(conn) -> None:
    """resolve_refs: a citation without a year takes the one year its id's other citations and stored
    documents give, not after the citing document's own year (`_year_from_corpus`); its note names
    the first files of that year's citations and stored documents."""
    conn.execute("""create temp table open_ids as select distinct r.ref_id, r.jurisdiction as jur,
                    cast(substr(d.date, 1, 4) as integer) as lim
                    from refs r join renditions d on d.doc_id = r.doc_id where r.year is null""")
    # resolve_refs' `stated`: each (year, jurisdiction) the id is cited with, and its first citing files
    conn.execute(f"""create temp table stated as select g.ref_id, g.year, g.jurisdiction,
        (select json_group_array(distinct name) from (select d.source_name as name from refs x
         join renditions d on d.doc_id = x.doc_id where x.ref_id = g.ref_id and x.year is g.year
         and x.jurisdiction is g.jurisdiction limit {NOTE_SOURCES + 1})) as names
        from (select distinct ref_id, year, jurisdiction from refs
              where year is not null and ref_id in (select ref_id from open_ids)) g""")
    conn.execute(f"""create temp table open_years as
        select o.ref_id, o.jur, o.lim, s.year, j.value as source from open_ids o join stated s
          on s.ref_id = o.ref_id and (s.jurisdiction is null or s.jurisdiction = o.jur)
          and (o.lim is null or s.year <= o.lim), json_each(s.names) j
        union
        select o.ref_id, o.jur, o.lim, d.year, d.source_name from open_ids o
          join (select so_hieu, year, province, source_name,
                       row_number() over (partition by so_hieu, year, province order by rowid) as k
                from renditions where year is not null and so_hieu in (select ref_id from open_ids)) d
            on d.so_hieu = o.ref_id and d.k <= {NOTE_SOURCES + 1} and (d.province is null or d.province = o.jur)
          where o.lim is null or d.year <= o.lim""")
    conn.execute("create index temp.open_years_group on open_years(ref_id, jur, lim)")
    group = "y.ref_id = o.ref_id and y.jur = o.jur and y.lim is o.lim"
    conn.execute(f"""create temp table open_notes as
        select o.ref_id, o.jur, o.lim,
          case when (select count(distinct year) from open_years y where {group}) = 1
               then (select year from open_years y where {group} limit 1) end as year,
          (select group_concat(year, ', ') from (select distinct year from open_years y where {group} order by year))
            as years,
          (select group_concat(source, ', ') from (select distinct source from open_years y where {group}
                                                   order by source limit {NOTE_SOURCES}))
          || case when (select count(distinct source) from open_years y where {group}) > {NOTE_SOURCES}
                  then ', …' else '' end as sources
        from open_ids o""")
    conn.execute("""update refs set resolved_year = n.year, resolved_jurisdiction = refs.jurisdiction,
        resolution_note = case
          when n.year is not null then 'year ' || n.year || ' from other citations of ' || refs.ref_id
                                       || ' (' || n.sources || ')'
          when n.years is not null then 'year ambiguous: ' || n.years || ' in other citations of ' || refs.ref_id
          else 'no other citation of ' || refs.ref_id || ' gives a year' end
        from renditions d, open_notes n
        where refs.year is null and d.doc_id = refs.doc_id and n.ref_id = refs.ref_id and n.jur = refs.jurisdiction
          and n.lim is cast(substr(d.date, 1, 4) as integer)""")


def _cited_titles(conn) -> None:
    """_index_cited_titles: each cited document's titles, for header-less documents to be matched by."""
    conn.execute(f"""insert or ignore into titles (kind, key, type, jurisdiction, title, scope)
        select distinct 'cited', {NODE_KEY.format('')}, type, resolved_jurisdiction, folded_title(title),
               scope_tokens('cited', type, resolved_jurisdiction) from refs
        where coalesce(title, '') != '' and coalesce(type, '') != '' and coalesce(resolved_jurisdiction, '') != ''
        order by 2, 3, 4, 5""")


def _matches(conn) -> None:
    """match_rendition: a header's identity; else the one cited document of the same type and province
    whose citation carries the same title; else the header-less twin stored earlier; else itself."""
    conn.execute("""insert into document_matches (doc_id, resolved_id, resolved_year, resolved_date, jurisdiction,
        method, similarity, reason)
        select doc_id, so_hieu, year, date, doc_jurisdiction(issuer, province, so_hieu), 'header', null,
               'số hiệu in the header' from renditions where coalesce(so_hieu, '') != ''""")
    conn.execute("""create temp table headerless as select rowid as rid, doc_id, type, province, title, date, year,
        issuer, source_name, folded_title(title) as folded from renditions
        where coalesce(so_hieu, '') = '' and coalesce(type, '') != '' and coalesce(province, '') != ''
          and coalesce(title, '') != ''""")
    # cited documents whose title is the header-less one's, not stored with a header, with a fitting citation
    conn.execute("""create temp table title_keys as
        with keyed as (select h.doc_id, t.key, substr(t.key, 1, instr(t.key, '|') - 1) as ref_id,
                              substr(t.key, instr(t.key, '|') + 1) as rest
                       from headerless h join titles t on t.kind = 'cited' and t.title = h.folded
                         and t.type = h.type and t.jurisdiction = h.province),
        parsed as (select doc_id, key, ref_id, cast(nullif(substr(rest, 1, instr(rest, '|') - 1), '') as integer) as year,
                          substr(rest, instr(rest, '|') + 1) as jur from keyed)
        select distinct p.* from parsed p join headerless h on h.doc_id = p.doc_id
        where not exists (select 1 from renditions s where s.so_hieu = p.ref_id and s.year is p.year)
          and exists (select 1 from refs r where r.ref_id = p.ref_id and r.resolved_year is p.year
                      and r.resolved_jurisdiction = p.jur and r.title is not null and r.doc_id != h.doc_id
                      and r.type = h.type
                      and not (coalesce(h.date, '') != '' and coalesce(r.date, '') != ''
                               and substr(r.date, 1, length(h.date)) != h.date)
                      and not (coalesce(h.year, 0) != 0 and coalesce(p.year, 0) != 0 and h.year != p.year))""")
    # the citation a match names: the first fitting one in the order of the index on refs(ref_id, year, …)
    conn.execute("""insert into document_matches (doc_id, resolved_id, resolved_year, resolved_date, jurisdiction,
        method, similarity, reason)
        with best as (select k.*, (select r.rowid from refs r where r.ref_id = k.ref_id and r.resolved_year is k.year
                      and r.resolved_jurisdiction = k.jur and r.title is not null and r.doc_id != h.doc_id
                      and r.type = h.type
                      and not (coalesce(h.date, '') != '' and coalesce(r.date, '') != ''
                               and substr(r.date, 1, length(h.date)) != h.date)
                      and not (coalesce(h.year, 0) != 0 and coalesce(k.year, 0) != 0 and h.year != k.year)
                      order by r.year, r.jurisdiction, r.rowid limit 1) as rid
                      from title_keys k join headerless h on h.doc_id = k.doc_id
                      where (select count(*) from title_keys o where o.doc_id = k.doc_id) = 1)
        select b.doc_id, b.ref_id, b.year, r.date, nullif(b.jur, ''), 'title', 1.0,
               'no header; ' || d.source_name || ' cites ' || coalesce(r.type, '') || ' ' || b.ref_id
               || case when coalesce(r.date, '') != '' then ' of ' || r.date else '' end
               || ' with the same title (similarity 1.00), the only candidate of the same type and province'
        from best b join refs r on r.rowid = b.rid join renditions d on d.doc_id = r.doc_id""")
    # the rest stay themselves, or join the header-less twin stored before them (same type, province, title, day)
    conn.execute("""insert into document_matches (doc_id, resolved_id, resolved_year, resolved_date, jurisdiction,
        method, similarity, reason)
        select h.doc_id, null, h.year, h.date, doc_jurisdiction(h.issuer, h.province, null), 'none', null,
               'no header, and no citation of the same type and province carries its title'
               || coalesce((select '; the same document as ' || t.source_name || ' (same type, province and title)'
                            from headerless t where t.rid < h.rid and t.type = h.type and t.province = h.province
                              and t.folded = h.folded
                              and t.doc_id not in (select doc_id from document_matches where method = 'title')
                              and (coalesce(t.date, '') = '' or coalesce(h.date, '') = ''
                                   or substr(t.date, 1, min(length(t.date), length(h.date)))
                                      = substr(h.date, 1, min(length(t.date), length(h.date))))
                            order by t.rid limit 1), '')
        from headerless h where h.doc_id not in (select doc_id from document_matches)""")


def _placed(conn) -> None:
    """Each rendition's document (node) and jurisdiction, and the one that speaks for it (`_choose_primary`)."""
    conn.execute(f"""create temp table placed as select d.rowid as rid, m.jurisdiction, case
          when m.resolved_id is not null then m.resolved_id || '|' || coalesce(m.resolved_year, '') || '|'
                                              || coalesce(m.jurisdiction, '')
          else 'doc:' || coalesce((select t.doc_id from headerless h join headerless t on t.rid < h.rid
                and t.type = h.type and t.province = h.province and t.folded = h.folded
                and t.doc_id not in (select doc_id from document_matches where method = 'title')
                and (coalesce(t.date, '') = '' or coalesce(h.date, '') = ''
                     or substr(t.date, 1, min(length(t.date), length(h.date)))
                        = substr(h.date, 1, min(length(t.date), length(h.date))))
                where h.doc_id = d.doc_id order by t.rid limit 1), d.doc_id) end as node_id
        from renditions d join document_matches m on m.doc_id = d.doc_id""")
    conn.execute("create index temp.placed_rid on placed(rid)")
    conn.execute("""update renditions set node_id = p.node_id, jurisdiction = p.jurisdiction from placed p
                    where p.rid = renditions.rowid""")
    conn.execute("""update renditions set is_primary = 1 where rowid in (select rid from (
        select rowid as rid, row_number() over (partition by node_id order by
            coalesce(ocr_pages, 0) * 1.0 / max(coalesce(nullif(pages, 0), 1), 1), format_rank(source_name), rowid)
            as rank from renditions) where rank = 1)""")


def _edges(conn) -> None:
    """`_edges_of`: each primary rendition's citations, but the ones of itself."""
    conn.execute(f"""insert into edges (doc_id, ref_seq, source, target, relation, n_mentions)
        select r.doc_id, r.seq, d.node_id, {NODE_KEY.format('r.')}, r.relation, r.n_mentions
        from renditions d join refs r on r.doc_id = d.doc_id
        where d.is_primary = 1 and {NODE_KEY.format('r.')} != d.node_id order by r.doc_id, r.seq""")


def _nodes(conn) -> None:
    """`_write_node`: stored documents from their primary rendition; the only cited from the type, date
    title and issuer most of their citations give (cited_values); degrees counted, and graph_counts."""
    conn.execute("""insert into nodes (node_id, so_hieu, id_key, id_number, year, jurisdiction, type, date, title,
        doc_id, doc_ids, absent, cited_by, cites, issuer, source_name)
        select d.node_id, m.resolved_id, id_key(coalesce(m.resolved_id, '')), id_number(coalesce(m.resolved_id, '')),
               m.resolved_year, m.jurisdiction, d.type, coalesce(nullif(m.resolved_date, ''), d.date), d.title,
               d.doc_id, (select '[' || group_concat('"' || x.doc_id || '"', ', ') || ']' from
                          (select doc_id from renditions x where x.node_id = d.node_id order by rowid) x), 0, 0, 0,
               d.issuer, d.source_name
        from renditions d left join document_matches m on m.doc_id = d.doc_id where d.is_primary = 1""")
    conn.execute(CITED_VALUES)
    votes = {}
    for column in VOTED:
        votes[column] = f"""(select value from cited_values v where v.node_id = a.target and v.field = '{column}'
            order by n desc, length(value) desc, value desc limit 1)"""
    conn.execute(f"""insert into nodes (node_id, so_hieu, id_key, id_number, year, jurisdiction, type, date, title,
        doc_id, doc_ids, absent, cited_by, cites, issuer)
        with parts as (select target, substr(target, 1, instr(target, '|') - 1) as so_hieu,
                              substr(target, instr(target, '|') + 1) as rest
                       from (select distinct target from edges where target not in (select node_id from nodes)))
        select a.target, a.so_hieu, id_key(a.so_hieu), id_number(a.so_hieu),
               cast(nullif(substr(a.rest, 1, instr(a.rest, '|') - 1), '') as integer),
               nullif(substr(a.rest, instr(a.rest, '|') + 1), ''),
               {votes['type']}, {votes['date']}, {votes['title']}, null, '[]', 1, 0, 0, {votes['issuer']}
        from parts a""")
    conn.execute("""update nodes set cited_by = c.n from (select target, count(distinct source) as n from edges
                    group by target) c where c.target = nodes.node_id""")
    conn.execute("""update nodes set cites = c.n from (select source, count(distinct target) as n from edges
                    group by source) c where c.source = nodes.node_id""")
    conn.executemany("update graph_counts set n = ? where name = ?",
                     [(n, name) for name, n in graph_counted(conn).items()])


def _headerless_titles(conn) -> None:
    """Header-less renditions' titles, for their twins (a scan, a copy) to find them."""
    conn.execute("""insert or ignore into titles (kind, key, type, jurisdiction, title, scope)
        select 'headerless', doc_id, type, province, folded, scope_tokens('headerless', type, province)
        from headerless order by rid""")
    for table in ("open_ids", "stated", "open_years", "open_notes", "headerless", "title_keys", "placed"):
        conn.execute(f"drop table if exists temp.[{table}]")


DERIVE = [("yearless citations", _yearless), ("cited titles", _cited_titles), ("document matches", _matches),
          ("renditions placed", _placed), ("edges", _edges), ("nodes", _nodes),
          ("header-less titles", _headerless_titles)]
