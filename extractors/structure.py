"""Split a cleaned document into its parts: header, body hierarchy, recipients, signature.

A Vietnamese official document reads, top to bottom: the issuer and quốc hiệu,
`Số: 206 /KH-UBND`, `Lạng Sơn, ngày 20 tháng 10 năm 2021`, the type line `KẾ HOẠCH`
and the trích yếu; the body (Phần / I. / 1. / 1.1. / a) / - / +); `Nơi nhận:` with
its list; the signature block (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`, name).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from vanban.extractors.grammar import NUMBER_LINE_RE, ROLE, SIGNING_MARK, label_level, label_of, phrases
from vanban.models.knowledge import cues, doc_types
from vanban.models.vietnamese import fold
from vanban.models.records import Passage, Span

# The national motto and the party's name, matched on folded text so OCR damage to the
# diacritics ("CHÚ NGHĨA", "Tự đo") does not hide them.
MOTTO_FOLDED = regex.compile(
    r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam|dang\s+cong\s+san\s+viet\s+nam"
    r"|doc\s+lap\s*[-–—]?\s*tu\s+do\s*[-–—]?\s*hanh\s+phuc")
# 'Ngày 03/01/2025, …': a capital Ngày and a date open a sentence
BODY_OPENING = regex.compile(rf"^(?:(?:{phrases(cues('body_opening'))})(?![\p{{L}}\d])|Ngày \d)")
RECIPIENTS = regex.compile(r"^Nơi\s+nhận\s*:?", regex.I)
SIGNATURE_START = regex.compile(rf"^{SIGNING_MARK}\s*\S|^{ROLE}\b")
# "Kính gửi:" may trail the trích yếu on the same OCR line
ADDRESSEE = regex.compile(r"\s*Kính\s+gửi\s*:?\s*.*$")
TYPE_LINE_NOISE = regex.compile(r"[\s*#:.,\"'“”]+")
APPENDIX = regex.compile(rf"^(?:{phrases(cues('appendix'), capitals=True)})\b")
# With no type line the header runs on only over 'V/v …' / 'Về việc …' lines and the place and date
TITLE_WITHOUT_TYPE = regex.compile(r"^(?:V[/íi]v|Về việc|[^,]{0,40},\s*ngày)")


def _motto_line(line: str) -> bool:
    """A line that is the quốc hiệu or the tiêu ngữ: read after the left column ('Số: …', 'V/v …'),
    the right one still belongs to the header."""
    return bool(MOTTO_FOLDED.search(fold(line))) and not without_motto(line)


def without_motto(line: str) -> str:
    """The line with quốc hiệu and tiêu ngữ cut out: they share lines with the issuer in scans."""
    folded = fold(line)
    kept, pos = [], 0
    for m in MOTTO_FOLDED.finditer(folded):
        kept.append(line[pos:m.start()])
        pos = m.end()
    kept.append(line[pos:])
    return " ".join(part.strip() for part in kept if part.strip())


@lru_cache(maxsize=None)
def _folded_type_names() -> dict[str, str]:
    return {fold(t.name): t.name for t in doc_types()}


@lru_cache(maxsize=None)
def _spaced_type_names() -> dict[str, str]:
    return {fold(t.name).replace(" ", ""): t.name for t in doc_types()}


def type_line(text: str) -> Optional[str]:
    """'KẾ HOẠCH' → 'Kế hoạch' when a line is just a document type in capitals.

    Compared folded, so OCR's 'CHÍ THỊ' still reads as Chỉ thị; a heading set with its
    letters spaced out ('Q U Y Ế T  Đ Ị N H') is compared without the spaces.
    """
    if len(text) > 60:
        return None  # the longest type name in capitals, with markdown or spaced out, is shorter
    bare = TYPE_LINE_NOISE.sub(" ", text).strip()  # the noise class takes line breaks too: 'NGHỊ\nĐỊNH'
    if not is_caps(bare):
        return None
    words = bare.split()
    if len(words) >= 4 and all(len(w) == 1 for w in words):
        return _spaced_type_names().get(fold(bare).replace(" ", ""))
    if len(text) > 40:
        return None
    folded = fold(bare)
    known = _folded_type_names().get(folded)
    if known is None:  # 'THÔNG BÁO KẾT LUẬN', 'BÁO CÁO TÓM TẮT': the type and a word of its kind
        m = _qualified_type().fullmatch(folded)
        known = _folded_type_names().get(m.group(1)) if m else None
    return known


@lru_cache(maxsize=None)
def _qualified_type() -> regex.Pattern:
    return regex.compile(rf"(.+?)\s+(?:{phrases(fold(q) for q in cues('type_qualifier'))})")


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _header_end(paragraphs: list[tuple[int, int, str]]) -> int:
    """Index of the first body paragraph; 0 when the document has no header."""
    limit = min(len(paragraphs), 25)
    type_at = next((i for i in range(limit) if type_line(paragraphs[i][2])), None)
    # in scans the number shares a line with the issuer and the motto: search, not match
    number_at = next((i for i in range(limit) if NUMBER_LINE_RE.search(paragraphs[i][2])), None)
    if type_at is None and number_at is None:
        return 0
    i = (type_at if type_at is not None else number_at) + 1
    # the line right after the type line is the trích yếu, even when it opens
    # like a body sentence ("Thực hiện Kế hoạch số 55/KH-UBND …")
    if type_at is not None and i < limit and (not ADDRESSEE.sub("", paragraphs[i][2]).endswith((".", ";", ":"))
                                              or _clause_follows(paragraphs, i)):
        i += 1
    # trích yếu: short lines after the type line, until the body opens
    while i < limit:
        text = paragraphs[i][2]
        if BODY_OPENING.match(text) or label_level(text)[0] or len(text) > 400 or \
                (text.endswith((";", ":")) and not (type_at is not None and _clause_follows(paragraphs, i))):
            break
        if type_at is None and not (TITLE_WITHOUT_TYPE.match(text) or _motto_line(text)):
            break
        i += 1
    return i


def _clause_follows(paragraphs: list[tuple[int, int, str]], i: int) -> bool:
    """Whether paragraph i closes a clause of the trích yếu that the next one carries on, in small
    letters: 'Quy định chi tiết …;' / 'khai thác tài liệu …' (a body's 'Căn cứ …;' opens in capitals)."""
    return (paragraphs[i][2].endswith(";") and not BODY_OPENING.match(paragraphs[i][2])
            and i + 1 < len(paragraphs) and paragraphs[i + 1][2][:1].islower())


def _join_split_type_line(text: str, paras: list[tuple]) -> list[tuple]:
    """A type line broken in two ('NGHỊ' / 'ĐỊNH', as some HTML pages print it) as one paragraph."""
    for i in range(min(len(paras), 25) - 1):
        (start, _, first, note), (_, end, second, _) = paras[i], paras[i + 1]
        if len(first) < 20 and not type_line(first) and not type_line(second) and type_line(f"{first} {second}"):
            return paras[:i] + [(start, end, text[start:end], note)] + paras[i + 2:]
    return paras


def segment(text: str, paragraphs: Optional[list] = None) -> list[Passage]:
    """Classify each paragraph of cleaned text into header / heading / item / paragraph /
    recipients / signature / footnote, with its depth in the body hierarchy.

    >>> [p.kind for p in segment("KẾ HOẠCH\\nPhát triển Chính quyền số\\nI. MỤC TIÊU\\n- 100% hồ sơ")]
    ['header', 'header', 'heading', 'item']
    """
    if paragraphs is None:
        paragraphs, pos = [], 0
        for line in text.split("\n"):
            paragraphs.append((pos, pos + len(line), False))
            pos += len(line) + 1
    paras = _join_split_type_line(text, [(s, e, text[s:e], note) for s, e, note in paragraphs])
    header_end = _header_end([(s, e, t) for s, e, t, _ in paras])
    passages: list[Passage] = []
    zone = "header" if header_end else "body"
    depth = 0
    for index, (start, end, para, is_note) in enumerate(paras):
        label = label_of(para)
        if is_note:
            passages.append(Passage("footnote", 0, Span(start, end), para, para.split(" ", 1)[0]))
            continue
        if zone == "header" and index >= header_end:
            zone = "body"
        if zone == "body" and RECIPIENTS.match(para):
            zone = "recipients"
        elif zone in ("body", "recipients") and SIGNATURE_START.match(para) and index > len(paras) // 2:
            zone = "signature"
        elif zone == "recipients" and not para.startswith(("-", "+", "•")) and index > 0 and not RECIPIENTS.match(para):
            zone = "signature"
        if zone == "signature" and (APPENDIX.match(para) or len(para) > 200):
            zone = "appendix"  # a signed text may carry appendices after the signature
        if zone != "body":
            passages.append(Passage(zone, 0, Span(start, end), para, label if zone != "header" else None))
            continue
        name, depth_here = label_level(para)
        if name in ("dash", "plus"):
            passages.append(Passage("item", depth_here, Span(start, end), para, label))
        elif name or (is_caps(para) and len(para) < 200):
            passages.append(Passage("heading", depth_here if name else 0, Span(start, end), para, label))
        else:
            passages.append(Passage("paragraph", depth, Span(start, end), para, None))
    return passages
