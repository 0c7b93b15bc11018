"""Repair the text of a document's pages into clean paragraphs, keeping an offset map.

What it undoes: PDF hard line-wraps inside sentences (and the stray blank lines
between them), page numbers, running headers repeated at the top of pages,
markdown emphasis, and footnotes glued into the body (they are moved after the
body, each its own paragraph, and their markers removed from the words).
Page text is expected already NFC and legacy-encoding repaired by the reader.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import regex

from vanban.extractors.grammar import ABOUT, LABEL, LAYOUT_PART, NUMBER_LINE_RE, PLACE_DATE, SIGNING_MARK
from vanban.models.records import Page
from vanban.extractors.cleaning.offsets import CleanTextBuilder, OffsetMap
from vanban.extractors.cleaning.text_quality import is_syllable

PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$")
# The rule above a page's footnotes: a long run of underscores, or of spaces in text
# extracted from PDFs. Dashes are not one: headers put "-------" under the issuer.
FOOTNOTE_SEPARATOR = re.compile(r"^(?:[ \t\u00a0]{20,}|\s*_{8,}\s*)$")
FOOTNOTE_START = re.compile(r"^(\d{1,2})\s?(?=[^\W\d_]|\()")
# Markdown marks seen in transcriptions: heading hashes, bold/italic stars, rules.
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
MARKDOWN_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|`{3,}\w*)\s*$")
MARKDOWN_BULLET = re.compile(r"^\s*\*\s+(?=\S)")  # '*   Ban Bí thư …' is a list item, not emphasis
MARKDOWN_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{2}|_{2}(?!\w)")
# A label (grammar.py), a formula that opens a paragraph, a signing mark ('KT.')
BLOCK_START = regex.compile(
    rf"^(?:{LABEL}|{SIGNING_MARK}"
    r"|(?:Căn cứ|Thực hiện|Xét đề nghị|Theo đề nghị|Kính gửi|Nơi nhận)"
    r"|Ngày\s+\d)"  # 'Ngày 03/01/2025, Phó Chủ tịch …': a capital Ngày and a date open a sentence
)
TERMINAL = ".;:!?"
_LATIN = [chr(c) for c in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00))]
_DROP_LETTERS = {ord(c): None for c in _LATIN if c.isalpha()}
_DROP_LOWER = {ord(c): None for c in _LATIN if c.islower()}
COMMON_LOWER = "nhtcgiao"  # the commonest small letters of Vietnamese prose
# The quốc hiệu's motto closes its line: 'Luật số: 117/2025/QH15' after it starts anew.
MOTTO_END = re.compile(r"Hạnh\s+phúc\s*$", re.IGNORECASE)
YEAR_CLOSES = re.compile(r"(?:19|20)\d\d$")  # a place and date complete: '…, ngày 05 tháng 4 năm 2024'
ABOUT_START = regex.compile(ABOUT)  # .match: a line opening with 'V/v', 'Về việc'
SPACES = re.compile(r"[ \t\u00a0]{2,}|\t")
WORD_END = re.compile(r"(?<![^\W\d_])[^\W\d_]+$")  # the letters closing a line, a whole word
WORD_START = re.compile(r"^[^\W\d_]+")
# What _clean_runs has to deal with: markdown marks, or spaces to collapse.
NEEDS_CLEANING = re.compile(r"[*_#\t\u00a0]|  ")


@dataclass
class CleanText:
    text: str
    map: OffsetMap
    paragraphs: list = field(default_factory=list)  # (start, end, is_footnote)
    footnotes_start: int = -1  # offset where footnotes begin, -1 when none


@dataclass
class _Line:
    text: str  # stripped, markdown removed, spaces collapsed
    runs: list  # (text, page, source_start) copied pieces, in order
    blank_before: bool = False
    markdown_heading: bool = False  # '# …' is a block of its own
    heading: bool = False  # mostly capitals
    joins_previous: bool = False  # the rest of the word the line before broke off (_splits_word)


def _clean_runs(raw: str, page: int, offset: int) -> list:
    """Split one source line into copied runs, dropping markdown and extra spaces."""
    if not NEEDS_CLEANING.search(raw):  # most PDF lines: one run, the line stripped
        stripped = raw.strip()
        return [(stripped, page, offset + len(raw) - len(raw.lstrip()))] if stripped else []
    m = MARKDOWN_HEADING.match(raw) or MARKDOWN_BULLET.match(raw)
    pos = m.end() if m else 0
    bullet = [("- ", page, -1)] if MARKDOWN_BULLET.match(raw) else []
    pieces = []
    for cut in MARKDOWN_EMPHASIS.finditer(raw, pos):
        pieces.append((pos, cut.start()))
        pos = cut.end()
    pieces.append((pos, len(raw)))
    runs = []
    for a, b in pieces:
        seg = raw[a:b]
        p = 0
        for sp in SPACES.finditer(seg):
            runs.append((seg[p:sp.start()], page, offset + a + p))
            runs.append((" ", page, -1))
            p = sp.end()
        runs.append((seg[p:], page, offset + a + p))
    # trim leading/trailing whitespace across runs
    runs = bullet + [r for r in runs if r[0]]
    while runs and not runs[0][0].strip():
        runs.pop(0)
    while runs and not runs[-1][0].strip():
        runs.pop()
    if runs:
        t, pg, so = runs[0]
        lead = len(t) - len(t.lstrip())
        runs[0] = (t[lead:], pg, so + lead if so >= 0 else so)
        t, pg, so = runs[-1]
        runs[-1] = (t.rstrip(), pg, so)
    return runs


def _running_headers(pages: list[Page]) -> set:
    """First lines repeated on at least half of the pages (3 or more) are running headers."""
    if len(pages) < 3:
        return set()
    firsts = Counter()
    for p in pages:
        for line in p.text.splitlines():
            if line.strip():
                firsts[re.sub(r"\d+", "#", line.strip())] += 1
                break
    return {k for k, n in firsts.items() if n >= max(3, len(pages) // 2)}


def _is_heading(text: str) -> bool:
    """Mostly capitals ('ĐÁNH GIÁ KẾT QUẢ'): a heading. Counted with str.translate, at C speed."""
    if 5 * sum(map(text.count, COMMON_LOWER)) >= len(text):
        return False  # a fifth of the line is common small letters: body text, decided cheaply
    letters = len(text) - len(text.translate(_DROP_LETTERS))
    lower = len(text) - len(text.translate(_DROP_LOWER))
    return letters >= 4 and lower / letters < 0.2


# an id broken after the hyphen between its pieces: '45/2020/NĐ-' / 'CP', '187/KH-' / 'UBND'
ID_HYPHEN_END = re.compile(r"[A-ZĐ0-9]-$")
ID_PIECE_START = re.compile(r"^[A-ZĐ][A-ZĐa-z0-9&]*(?![^\W\d_])")


# a line of one or two letters: a piece of a word some web pages print in an element of its own
# ('phát tri' / 'ể' / 'n năng', a drop cap 'Q' / 'uy định')
FRAGMENT = re.compile(r"^[^\W\d_]{1,2}$")
# a number some web pages print in pieces: 'Số:' / '78' / '/202' / '5' / '/TT-BCA', 'năm 202' / '5'
SLASH_PIECE = re.compile(r"^/[\dA-ZĐ]")
YEAR_HEAD = re.compile(r"(?:/|\bnăm )(\d{1,3})$")
YEAR_TAIL = re.compile(r"^\d{1,3}(?!\d)")
# a line opening with the punctuation that closes the words before it: ', chính sách', '; khai thác'
CLOSING_PUNCTUATION = re.compile(r"^[,;.:!?)](?:\s|$)")


def _splits_word(prev: _Line, line: _Line, before: Optional[_Line] = None, after: Optional[_Line] = None) -> bool:
    """'Tr' / 'ần Hồng Hà', 'Chính ph' / 'ủ': a syllable some web pages break after its
    first letters (the accented vowel sits in another element). Joined, it reads as one.
    before and after: the lines around the two, for a piece on a line of its own ('tri' /
    'ể' / 'n' is 'triển'; a drop cap 'B' / 'an hành' is 'Ban hành')."""
    if ID_HYPHEN_END.search(prev.text) and ID_PIECE_START.match(line.text):
        return True
    if CLOSING_PUNCTUATION.match(line.text) and prev.text[-1].islower():
        return True
    if prev.text[-1].isdigit() and (SLASH_PIECE.match(line.text) or _year_completed(prev.text, line.text)):
        return True
    if len(line.text) <= 2 and FRAGMENT.match(line.text):  # 'tri' / 'ể' / 'n', 'ch' / 'ế' / ', chính'
        head = _word_closing(prev, line.text)
        rest = after and WORD_START.match(after.text)
        if head and (is_syllable(head + line.text + (rest.group() if rest else "")) or is_syllable(head + line.text)):
            return True
    if len(prev.text) <= 2 and FRAGMENT.match(prev.text):  # 'tri' / 'ể' / 'n', 'B' / 'an hành'
        tail = WORD_START.match(line.text)
        head = _word_closing(before, prev.text) if before else None
        if tail and ((head and is_syllable(head + prev.text + tail.group()))
                     or (not is_syllable(prev.text) and is_syllable(prev.text + tail.group()))):
            return True
    if line.text[0].isascii():
        return False  # the common case, decided before any syllable is read
    tail = WORD_START.match(line.text)
    head = tail and _word_closing(prev)
    return bool(head) and not is_syllable(head) and is_syllable(head + tail.group())


def _year_completed(head: str, tail: str) -> bool:
    """Whether the digits closing head ('/202', 'năm 202') and those opening tail ('5') are one year."""
    first, rest = YEAR_HEAD.search(head), YEAR_TAIL.match(tail)
    return bool(first and rest) and len(first.group(1) + rest.group()) == 4 and \
        (first.group(1) + rest.group()).startswith(("19", "20"))


def _word_closing(line: _Line, piece: str = "") -> Optional[str]:
    """The word of at most three letters closing the line, if it closes with one (and, with piece,
    if the piece in capitals may carry it on: 'của' / 'N' / 'ghị định' is 'của Nghị định')."""
    head = WORD_END.search(line.text[-4:])
    if not head or len(head.group()) > 3 or (piece.isupper() and not head.group().isupper()):
        return None
    return head.group()


def _mark_split_words(lines: list[_Line]) -> None:
    """Set joins_previous on each line that carries on the word the line before broke off."""
    for i in range(1, len(lines)):
        lines[i].joins_previous = _splits_word(lines[i - 1], lines[i], lines[i - 2] if i >= 2 else None,
                                               lines[i + 1] if i + 1 < len(lines) else None)


def _starts_paragraph(prev: _Line, line: _Line, width: int) -> bool:
    if prev.markdown_heading or line.markdown_heading:
        return True
    if line.joins_previous:
        return False
    if BLOCK_START.match(line.text) or line.heading or prev.heading:
        return True
    if prev.text[-1] in TERMINAL or NUMBER_LINE_RE.match(prev.text) or MOTTO_END.search(prev.text):
        return True
    # a header's place and date is a line of its own, whichever column a text layer read first:
    # 'V/v triển khai …' / 'Bắc Ninh, ngày 05 tháng 4 năm 2024' / 'V/v: báo cáo …'
    # (a place and date wrapped before its year, 'Hà Nội, ngày 18' / 'tháng 12 năm 2025', stays one)
    if PLACE_DATE.match(line.text) or ABOUT_START.match(line.text) or (YEAR_CLOSES.search(prev.text)
                                                                      and PLACE_DATE.match(prev.text)):
        return True
    # After a blank line, a capital starts a new paragraph unless the previous line
    # ran to the right margin, i.e. it was wrapped ("Kiến trúc / Chính quyền điện tử").
    return line.blank_before and line.text[0].isupper() and len(prev.text) < 0.75 * width


def _line_width(lines: list[_Line]) -> int:
    """The usual length of a full line: the 80th percentile of line lengths."""
    lengths = sorted(len(line.text) for line in lines)
    return lengths[int(len(lengths) * 0.8)] if lengths else 80


# A table in text (Markdown, or a DOCX a converter wrote a row a line) whose cells hold a header's
# or a signature's parts, read cell by cell: the issuer's column, then the quốc hiệu's.
# a row with its outer bars, or one a converter wrote with bars between its cells only ('A | B')
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|]+(?:\s\|\s[^|]+)+$")
TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
TABLE_CELL = re.compile(r"[^|]+")
CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _header_table_rows(lines: list[str]) -> set:
    """Indexes of the lines of every Markdown table that holds a header's or a signature's parts."""
    rows, block = set(), []
    for index, raw in enumerate(lines + [""]):
        if TABLE_ROW.match(raw):
            block.append(index)
            continue
        if block and any(LAYOUT_PART.search(lines[i]) for i in block):
            rows.update(block)
        block = []
    return rows


def _cell_pieces(raw: str) -> list[tuple[int, int]]:
    """(start, end) in raw of each cell's lines: between the bars, split at '<br>'."""
    pieces = []
    for cell in TABLE_CELL.finditer(raw):
        at = cell.start()
        for cut in CELL_BREAK.finditer(raw, cell.start(), cell.end()):
            pieces.append((at, cut.start()))
            at = cut.end()
        pieces.append((at, cell.end()))
    return pieces


def _split_lines(pages: list[Page]):
    """Body lines and footnote lines (with the footnote numbers seen), page by page."""
    headers = _running_headers(pages)
    body, notes = [], []
    for page in pages:
        in_notes = False
        blank = False
        offset = 0
        lines = page.text.splitlines(keepends=True)
        header_rows = _header_table_rows([line.rstrip("\r\n") for line in lines]) if "|" in page.text else set()
        first_seen = False
        for index, raw_nl in enumerate(lines):
            raw = raw_nl.rstrip("\r\n")
            start = offset
            offset += len(raw_nl)
            if index in header_rows:
                for a, b in [] if TABLE_RULE.match(raw) else _cell_pieces(raw):
                    if runs := _clean_runs(raw[a:b], page.number, start + a):
                        text = "".join(r[0] for r in runs)
                        body.append(_Line(text, runs, blank_before=blank, heading=_is_heading(text)))
                        blank = False
                continue
            if FOOTNOTE_SEPARATOR.match(raw):
                following = next((l for l in lines[index + 1:] if l.strip()), "")
                in_notes = bool(FOOTNOTE_START.match(following.strip()))
                blank = True
                continue
            if not raw.strip() or MARKDOWN_RULE.match(raw):
                blank = True
                continue
            if not first_seen:
                first_seen = True
                if re.sub(r"\d+", "#", raw.strip()) in headers:
                    continue
            next_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
            if PAGE_NUMBER.match(raw) and (blank or next_blank):
                continue
            if in_notes and raw[:1].isspace() and not FOOTNOTE_START.match(raw.strip()):
                in_notes = False  # the body resumes after the notes block
            runs = _clean_runs(raw, page.number, start)
            if not runs:
                blank = True
                continue
            text = runs[0][0] if len(runs) == 1 else "".join(r[0] for r in runs)
            line = _Line(text, runs, blank_before=blank,
                         markdown_heading=bool(MARKDOWN_HEADING.match(raw)), heading=_is_heading(text))
            (notes if in_notes else body).append(line)
            blank = False
    return body, notes


def _group_paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    width = _line_width(lines)
    for line in lines:
        if paragraphs and not _starts_paragraph(paragraphs[-1][-1], line, width):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _group_footnotes(lines: list[_Line]) -> list[list[_Line]]:
    notes: list[list[_Line]] = []
    for line in lines:
        if FOOTNOTE_START.match(line.text) or not notes:
            notes.append([line])
        else:
            notes[-1].append(line)
    return notes


def _marker_cuts(text: str, numbers: set) -> list:
    """Footnote markers glued to a word ('Truyền thông1.'): spans to drop."""
    cuts = []
    for m in re.finditer(r"(?<=[^\W\d_]{2})(\d{1,2})(?=[\s.,;:)]|$)", text):
        if m.group(1) in numbers:
            cuts.append((m.start(), m.end()))
    return cuts


def _emit_line(builder: CleanTextBuilder, line: _Line, cuts: list) -> None:
    pos = 0
    for text, page, source in line.runs:
        run_start, run_end = pos, pos + len(text)
        pos = run_end
        if source < 0:
            builder.insert(text, page, 0)
            continue
        cursor = run_start
        for a, b in cuts:
            if b <= cursor or a >= run_end:
                continue
            builder.copy(text[cursor - run_start:a - run_start], page, source + cursor - run_start)
            cursor = b
        builder.copy(text[cursor - run_start:], page, source + cursor - run_start)


def _emit_paragraph(builder: CleanTextBuilder, paragraph: list[_Line], numbers: set) -> tuple[int, int]:
    start = builder.length
    for i, line in enumerate(paragraph):
        if i and not line.joins_previous:
            last = paragraph[i - 1].runs[-1]
            builder.insert(" ", last[1], max(last[2], 0) + len(last[0]))
        _emit_line(builder, line, _marker_cuts(line.text, numbers) if numbers else [])
    return start, builder.length


def normalise(pages: list[Page]) -> CleanText:
    """Clean a document's pages into paragraphs, one per line of output.

    >>> from vanban.models.records import Page
    >>> normalise([Page(1, "Căn cứ Quyết định số 742/QĐ-UBND ngày \\n\\n24/6/2022 của UBND tỉnh;", "plain")]).text
    'Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của UBND tỉnh;'
    """
    body, note_lines = _split_lines(pages)
    _mark_split_words(body)
    _mark_split_words(note_lines)
    footnotes = _group_footnotes(note_lines)
    numbers = {FOOTNOTE_START.match(n[0].text).group(1) for n in footnotes if FOOTNOTE_START.match(n[0].text)}
    builder = CleanTextBuilder()
    paragraphs = []
    for i, para in enumerate(_group_paragraphs(body)):
        if i:
            builder.insert("\n", para[0].runs[0][1], para[0].runs[0][2])
        paragraphs.append((*_emit_paragraph(builder, para, numbers), False))
    footnotes_start = -1
    for note in footnotes:
        builder.insert("\n", note[0].runs[0][1], note[0].runs[0][2])
        if footnotes_start < 0:
            footnotes_start = builder.length
        paragraphs.append((*_emit_paragraph(builder, note, set()), True))
    return CleanText(builder.text(), builder.map, paragraphs, footnotes_start)
