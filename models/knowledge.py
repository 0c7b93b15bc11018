"""The Vietnamese knowledge vanban relies on, loaded once from CSV files in models/data.

Extending it is a data change: add a row to the CSV, no code. Every file is checked as
it is read (its columns, no key twice, only known values), and a bad row stops the load
with the file, the line and what to do.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from vanban.models.vietnamese import nfc

DATA_DIR = Path(__file__).parent / "data"


class KnowledgeError(ValueError):
    """A file of models/data that cannot be used as it stands."""


@dataclass(frozen=True)
class Table:
    """A CSV file of models/data and what its rows must hold.

    `key` gives what no two rows may share (compared without case); `required` the
    columns never empty; `allowed` the values a column may take.
    """

    file: str
    columns: tuple[str, ...]
    key: Callable[[dict], str]
    required: tuple[str, ...] = ()
    allowed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def read(self, folder: Path = DATA_DIR) -> list[dict]:
        """The rows, NFC, each checked; KnowledgeError names the file and the line of a bad one.

        >>> PROVINCES.read()[0]
        {'name': 'An Giang', 'kind': 'tỉnh'}
        """
        path = folder / self.file
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            found = tuple(reader.fieldnames or ())
            if found != self.columns:
                raise KnowledgeError(f"{path}: the header reads {','.join(found) or '(nothing)'}; "
                                     f"it should read {','.join(self.columns)}")
            rows, first_seen = [], {}
            for row in reader:
                rows.append(self._check(path, reader.line_num, row, first_seen))
        return rows

    def _check(self, path: Path, line: int, row: dict, first_seen: dict) -> dict:
        if None in row or None in row.values():
            raise KnowledgeError(f"{path} line {line}: {len(row) - (None in row) + len(row.get(None) or [])} fields "
                                 f"where the header has {len(self.columns)}; quote a value that holds a comma")
        row = {name: nfc(value.strip()) for name, value in row.items()}
        for name in self.required:
            if not row[name]:
                raise KnowledgeError(f"{path} line {line}: no {name}; fill it in or remove the row")
        for name, values in self.allowed:
            if row[name] not in values:
                raise KnowledgeError(f"{path} line {line}: {name} {row[name]!r} is none of "
                                     f"{', '.join(values)}; use one of them")
        key = self.key(row).casefold()
        if key in first_seen:
            raise KnowledgeError(f"{path} line {line}: {self.key(row)!r} is listed again "
                                 f"(first on line {first_seen[key]}); remove one of the two rows")
        first_seen[key] = line
        return row


def _column(name: str) -> Callable[[dict], str]:
    return lambda row: row[name]


DOC_TYPES = Table("doc_types.csv", ("name", "abbreviation"), _column("name"), required=("name",))
# A body that signs with no abbreviation of its own (Bộ Chính trị: '-NQ/TW') is keyed by its name.
AGENCIES = Table("agencies.csv", ("abbreviation", "name", "level", "aliases"),
                 lambda row: row["abbreviation"] or row["name"], required=("name", "level"),
                 allowed=(("level", ("national", "province")),))
PROVINCE_KINDS = ("tỉnh", "thành phố")
PROVINCES = Table("provinces.csv", ("name", "kind"), _column("name"), required=("name",),
                  allowed=(("kind", PROVINCE_KINDS),))
# checked: 'text' (name, number and date read in the law's own text), 'cited' (name and number as a text
# we hold cites it; the date from memory), 'unverified' (nothing we hold says so yet)
LAW_CHECKS = ("text", "cited", "unverified")
LAWS = Table("laws.csv", ("name", "number", "date", "in_force_from", "in_force_until", "aliases", "checked"),
             _column("number"), required=("name", "number", "date", "checked"), allowed=(("checked", LAW_CHECKS),))
SURNAMES = Table("surnames.csv", ("surname",), _column("surname"), required=("surname",))
ROLES = Table("roles.csv", ("title",), _column("title"), required=("title",))
SIGNING = ("thay mặt", "ký thay", "quyền", "thừa lệnh", "thừa ủy quyền")
SIGNING_MARKS = Table("signing_marks.csv", ("mark", "meaning"), _column("mark"), required=("mark",),
                      allowed=(("meaning", SIGNING),))
# The Quốc hội's terms: the code its laws' numbers end with (67/2006/QH11) and the years it sat.
LEGISLATURES = Table("legislatures.csv", ("term", "code", "first_year", "last_year"), _column("code"),
                     required=("term", "code", "first_year", "last_year"))
ABBREVIATIONS = Table("abbreviations.csv", ("abbreviation", "expansion"), _column("abbreviation"),
                      required=("abbreviation", "expansion"))

# The word lists of cues.csv, by the name its `lexicon` column gives, with what they mark.
LEXICONS = {
    # measures: what a figure is
    "target": "a figure that is a goal: 'phấn đấu 90%', 'tối thiểu 80%'",
    "actual": "a figure that is a result: 'đạt 96%', 'hiện nay có 12'",
    "action": "a verb that makes a count an output: 'tổ chức 01 đợt diễn tập'",
    "as_of": "the words before the date an actual holds at: 'tính đến tháng 9/2021'",
    "target_column": "a table column of goals, whose cells' figures are targets: 'Kế hoạch', 'Mục tiêu'",
    "actual_column": "a table column of results, whose cells' figures are actuals: 'Thực hiện', 'Kết quả'",
    "exceeds": "a figure that is a difference, not a level: 'vượt 5%'",
    "scoring": "a rule of an index, whose figures are thresholds: 'nếu thấp hơn 60% thì không tính điểm'",
    "structure_count": "words before a count that describe how a thing is built: 'gồm 09 chỉ số chính'",
    "function_word": "a word that is never a metric on its own: 'với', 'trong đó gồm'",
    "budget": "a share of a budget, an allocation rule: '1% tổng chi ngân sách'",
    "funds": "a clause about money, where a bare amount is in đồng: 'kinh phí 40.369.000.000'",
    "bound_min": "a lower bound before a figure: 'không dưới 80%'",
    "cue_compound": "a word a cue's first syllable closes, where it is no cue: 'thực hiện' ('hiện có')",
    "bracket_target": "words opening a bracket whose figure is the plan's: '92% (chỉ tiêu 95%)'",
    "bound_max": "an upper bound before a figure: 'không quá 5%'",
    "bound_approx": "an approximate figure: 'khoảng 30%'",
    "population_end": "the verb after the population a percentage counts: '100% CBCC cấp xã được …'",
    "target_heading": "a section of goals: 'III. MỤC TIÊU', 'NHIỆM VỤ, GIẢI PHÁP'",
    "review_heading": "a section of results: 'I. ĐÁNH GIÁ KẾT QUẢ', 'THỰC TRẠNG'",
    "cited_type": "a type whose citation makes a clause's figures the cited text's: 'theo Nghị quyết 17 … 30%'",
    # measures: what a number counts
    "not_count_before": "a word that makes the number after it a label or a date: 'giai đoạn 2', 'Điều 5'",
    "not_count_noun": "a first syllable after a number that makes it a duration or a level: '3 năm', '4 mức'",
    "count_noun_exception": "a counted noun despite its first syllable: '87 điểm cầu'",
    "unit_stop": "a word that ends a counted noun: '1.719 chứng thư số của …'",
    "classifier": "a classifier that counts what follows it: '01 đợt diễn tập'",
    # references: what a document does to the one it cites
    "amends": "'sửa đổi, bổ sung Nghị định số …'",
    "replaces": "'thay thế Quyết định số …'",
    "repeals": "'bãi bỏ Quyết định số …'",
    "guides": "'quy định chi tiết Luật …'",
    "expires": "words after a citation that end its force: '… hết hiệu lực', '… bị bãi bỏ'",
    "legal_basis": "a paragraph opening that cites its legal basis: 'Căn cứ Luật …'",
    "implements": "a paragraph opening that cites what it carries out: 'Thực hiện Kế hoạch số …'",
    "form": "a word before a number that names a form, not a document: 'Mẫu số 03/BHYT-QĐ'",
    "central_body": "the start of a central body's name: 'Bộ …', 'Tổng cục …'",
    "local_body": "a word of a local body's name: 'Sở …', '… tỉnh'",
    "local_level": "a level below the province a header names, with its place: 'HUYỆN TIÊN DU', 'XÃ TÂN AN'",
    "unit_kind": "the kind opening a unit's name, whose fields each take a capital: 'Phòng Văn hóa và Thông tin'",
    "title_start": "a word that opens a trích yếu and so ends the issuer before it: 'về', 'ban hành'",
    # identity and structure
    "proper_name": "a name that keeps its capitals inside a body's name: 'Mặt trận Tổ quốc'",
    "body_opening": "a sentence opening that starts the body after the header: 'Căn cứ', 'Thực hiện'",
    "appendix": "a title that opens an appendix after the signature: 'PHỤ LỤC'",
    "type_qualifier": "a word a type line may add after the type: 'THÔNG BÁO KẾT LUẬN', 'BÁO CÁO TÓM TẮT'",
}
CUES = Table("cues.csv", ("lexicon", "cue"), lambda row: f"{row['lexicon']}: {row['cue']}",
             required=("lexicon", "cue"), allowed=(("lexicon", tuple(LEXICONS)),))
TABLES = {t.file: t for t in (DOC_TYPES, AGENCIES, PROVINCES, LAWS, SURNAMES, ROLES, SIGNING_MARKS,
                              ABBREVIATIONS, CUES, LEGISLATURES)}


@lru_cache(maxsize=None)
def _rows(file: str) -> tuple[dict, ...]:
    return tuple(TABLES[file].read())


def read_csv(name: str) -> list[dict]:
    """The rows of models/data/<name>, checked when the file is one of TABLES."""
    if name in TABLES:
        return [dict(row) for row in _rows(name)]
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class DocType:
    name: str  # "Quyết định"
    abbreviation: str  # "QĐ" ("" for types without one: Luật, Công văn)


@dataclass(frozen=True)
class Agency:
    abbreviation: str  # "BTTTT"
    name: str  # "Bộ Thông tin và Truyền thông"
    level: str  # "national" or "province"
    aliases: tuple = ()  # other names it is cited by: ("Thủ tướng",)


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    """Document types, longest name first so 'Thông tư liên tịch' wins over 'Thông tư'."""
    rows = [DocType(r["name"], r["abbreviation"]) for r in _rows("doc_types.csv")]
    return tuple(sorted(rows, key=lambda t: -len(t.name)))


@lru_cache(maxsize=None)
def type_by_abbreviation() -> dict[str, str]:
    """'QĐ' → 'Quyết định'; the first listed name wins for shared abbreviations."""
    out: dict[str, str] = {}
    for row in _rows("doc_types.csv"):
        if row["abbreviation"]:
            out.setdefault(row["abbreviation"].upper(), row["name"])
    return out


@lru_cache(maxsize=None)
def agencies() -> dict[str, Agency]:
    """Agency abbreviations as they appear in ký hiệu: 'BTTTT' → Bộ Thông tin và Truyền thông.

    A body that signs with no abbreviation of its own (Bộ Chính trị: '-NQ/TW') is keyed by
    its name in capitals, which no piece of a ký hiệu can equal.
    """
    return {(r["abbreviation"] or r["name"]).upper():
            Agency(r["abbreviation"], r["name"], r["level"], tuple(a for a in r["aliases"].split("|") if a))
            for r in _rows("agencies.csv")}


@lru_cache(maxsize=None)
def provinces() -> tuple[str, ...]:
    """Province names, longest first so 'Thừa Thiên Huế' wins over 'Huế'."""
    return tuple(sorted((r["name"] for r in _rows("provinces.csv")), key=lambda n: -len(n)))


@lru_cache(maxsize=None)
def province_kinds() -> dict[str, str]:
    """Each province's kind: 'Đà Nẵng' → 'thành phố', 'Lạng Sơn' → 'tỉnh'."""
    return {r["name"]: r["kind"] for r in _rows("provinces.csv")}


PARTY_COMMITTEES = ("Tỉnh ủy", "Thành ủy")  # a province's party committee, named by its kind


def local_name(body: str, province: str) -> str:
    """A provincial body's full name in a province, by the province's kind.

    >>> local_name("Ủy ban nhân dân", "Đà Nẵng"), local_name("Sở Tài chính", "Lạng Sơn")
    ('Ủy ban nhân dân thành phố Đà Nẵng', 'Sở Tài chính tỉnh Lạng Sơn')
    >>> local_name("Công an tỉnh", "Hà Nội"), local_name("Tỉnh ủy", "Hải Phòng"), local_name("Tỉnh ủy", "Lào Cai")
    ('Công an thành phố Hà Nội', 'Thành ủy Hải Phòng', 'Tỉnh ủy Lào Cai')
    """
    kind = province_kinds().get(province, "tỉnh")
    if body in PARTY_COMMITTEES:  # the party committee is named by the kind itself
        return f"{'Thành ủy' if kind == 'thành phố' else 'Tỉnh ủy'} {province}"
    for written in PROVINCE_KINDS:
        if body.endswith(" " + written):  # 'Công an tỉnh': the kind is written, maybe wrongly
            body = body[: -len(written) - 1]
    return f"{body} {kind} {province}"


@dataclass(frozen=True)
class Law:
    name: str  # "Luật An toàn thông tin mạng"
    number: str  # "86/2015/QH13"
    date: str  # "2015-11-19", the day the Quốc hội passed it
    aliases: tuple  # other names it is cited by: ("Luật Ban hành VBQPPL",)
    in_force_from: str = ""  # "2016-07-01" where known
    in_force_until: str = ""  # the day a later law ended it, where known
    checked: str = "unverified"  # how far the row was checked (LAW_CHECKS)


@lru_cache(maxsize=None)
def laws() -> tuple[Law, ...]:
    """Laws a document may cite by name only, one row per version (a name may have several).

    'Luật Giao dịch điện tử' is 51/2005/QH11 or 20/2023/QH15: the cited date decides.
    """
    return tuple(Law(r["name"], r["number"], r["date"], tuple(a for a in r["aliases"].split("|") if a),
                     r["in_force_from"], r["in_force_until"], r["checked"])
                 for r in _rows("laws.csv"))


@dataclass(frozen=True)
class Legislature:
    term: int  # 15
    code: str  # "QH15"
    first_year: int  # 2021
    last_year: int  # 2026: a law passed in a term's first or last year may be of either term


@lru_cache(maxsize=None)
def legislatures() -> dict[str, Legislature]:
    """The Quốc hội's terms by their code: 'QH15' → Legislature(15, 'QH15', 2021, 2026)."""
    return {r["code"]: Legislature(int(r["term"]), r["code"], int(r["first_year"]), int(r["last_year"]))
            for r in _rows("legislatures.csv")}


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    """Vietnamese family names, lower-cased: a signer's name starts with one."""
    return frozenset(r["surname"].lower() for r in _rows("surnames.csv"))


@lru_cache(maxsize=None)
def roles() -> tuple[str, ...]:
    """Titles a signer holds, as written in running text, longest first: 'Tổng Bí thư', 'Chủ tịch'.

    A deputy's title is 'Phó ' before one of them; none is listed apart.
    """
    return tuple(sorted((r["title"] for r in _rows("roles.csv")), key=lambda t: (-len(t), t)))


@lru_cache(maxsize=None)
def signing_marks(meaning: Optional[str] = None) -> tuple[str, ...]:
    """The marks before a role in a signature block ('TM.', 'KT.', 'T/M' …), or those of one meaning.

    >>> signing_marks("ký thay")
    ('KT.', 'K/T')
    """
    if meaning is not None and meaning not in SIGNING:
        raise ValueError(f"unknown signing meaning {meaning!r}; choose from {', '.join(SIGNING)}")
    return tuple(r["mark"] for r in _rows("signing_marks.csv") if meaning in (None, r["meaning"]))


@lru_cache(maxsize=None)
def cues(lexicon: str) -> tuple[str, ...]:
    """The words of one lexicon of cues.csv, in file order.

    >>> cues("replaces")
    ('thay thế',)
    """
    if lexicon not in LEXICONS:
        raise ValueError(f"unknown lexicon {lexicon!r}; cues.csv has {', '.join(LEXICONS)}")
    return tuple(r["cue"] for r in _rows("cues.csv") if r["lexicon"] == lexicon)
