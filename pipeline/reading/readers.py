"""Read any supported file into pages of repaired text: the "source page text" of vanban.

The type is decided by the file's content (magic bytes), not its name: a DOCX named
`.pdf` is read as a DOCX, with a warning. PDF pages come from the text layer
(pypdfium2) unless that layer is missing or unusable, in which case the page is OCRed;
DOCX, HTML, text and JSONL give one page per document. Every page's text is NFC, with
legacy encodings (TCVN3, VNI) converted, so all offsets downstream refer to it.

pypdfium2 against pdfplumber, text of 15 pages of /work/shared/external PDFs, 2 runs:
pypdfium2 0.06 s (225-250 pages/s), pdfplumber `extract_text` 1.9-2.1 s (7-8 pages/s),
about 30× slower. pypdfium2 is used throughout; pdfplumber's layout is not needed, since
footnotes and page numbers are found in the text by `vanban.extractors.cleaning.normalise`.
"""
from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Iterator, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex
from PIL import Image

from vanban.models.records import Page, UnreadableFile
from vanban.pipeline.reading import budgets, esign
from vanban.pipeline.reading.budgets import MB, OverBudget
from vanban.pipeline.reading.decoding import decode_text, head_as_utf8
from vanban.pipeline.reading.html_text import html_text, table_lines
from vanban.extractors.cleaning.legacy_encodings import repair_text
from vanban.pipeline.reading.ocr import ocr_image, ocr_pdf_pages
from vanban.pipeline.reading.ocr import settings as ocr_settings
from vanban.extractors.cleaning.text_quality import quality

HEAD_BYTES = 8192
# A text layer is trusted when its words read as Vietnamese (see text_quality.Quality.score):
# the seeds and born-digital PDFs score 0.97-0.99, OmniPage's broken layer 0.55-0.65.
MIN_LAYER_SCORE = 0.8
# A page mostly covered by an image is a scan: its text layer must carry real text,
# not just a few words such as an e-signature stamp.
SCAN_COVERAGE = 0.5
MIN_SCAN_WORDS = 30
# A born-digital page (no page image) is OCRed only when its text is plainly broken
# (a font without a usable ToUnicode map gives symbols and private-use codes, or letter
# soup); English scores about 0.35 valid syllables and must stay a text page.
MIN_DIGITAL_WORDS = 20
MIN_DIGITAL_VALID = 0.2
MAX_DIGITAL_GARBAGE = 0.3
GARBAGE = regex.compile(r"[^\p{L}\p{N}\p{P}\s%+=<>§©°]")
CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF",
               b"GIF8": "GIF", b"BM": "BMP"}
EXTENSIONS = {"pdf": {".pdf"}, "docx": {".docx"}, "legacy": {".doc", ".rtf", ".odt"}, "image": {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"},
              "text": {".txt", ".md", ".markdown", ".text", ""}, "jsonl": {".jsonl", ".ndjson", ".json"},
              "html": {".html", ".htm", ".xhtml"}}
EMPTY_ZIP = b"PK\x05\x06"  # a ZIP archive that is only its closing record: nothing was put in it
LEADING_BYTES = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 mark and white space before a file's first sign
# a page that says it is HTML from its start: a doctype or <html>, after an XML declaration or comments
HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                        re.IGNORECASE | re.DOTALL)
UNSUPPORTED_MAGIC = {b"MZ": "a Windows executable", b"\x7fELF": "an executable (ELF)",
                     b"\x1f\x8b": "a gzip archive; unpack it and ingest its files",
                     b"Rar!": "a RAR archive; unpack it and ingest its files",
                     b"7z\xbc\xaf": "a 7-Zip archive; unpack it and ingest its files"}


OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003 .doc (and other old Office files)
RTF_MAGIC = b"{\\rtf"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(path: Path, head: bytes) -> str:
    """'pdf', 'docx', 'legacy' (.doc, .rtf, .odt), 'image', 'html', 'jsonl' or 'text' from the first
    bytes; UnreadableFile otherwise."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        if path.suffix.lower() in (".xls", ".ppt", ".msg"):
            raise UnreadableFile(f"unsupported type: an old Office file ({path.suffix.lower()}), not a Word document; "
                                 "save it as PDF")
        return "legacy"  # Word 97-2003 (.doc)
    if head.startswith(RTF_MAGIC):
        return "legacy"
    if head.startswith(EMPTY_ZIP):
        raise UnreadableFile("an empty ZIP archive: no document in it (no DOCX or ODT parts)")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if "word/document.xml" in names:
                    check_unzipped_size(archive)
                    return "docx"
                if "mimetype" in names and archive.read("mimetype") == ODT_MIMETYPE:
                    check_unzipped_size(archive)
                    return "legacy"
        except zipfile.BadZipFile as exc:
            raise UnreadableFile(f"corrupt ZIP/DOCX file ({exc})") from exc
        raise UnreadableFile("unsupported type: a ZIP archive, not a DOCX; unpack it and ingest its files")
    if any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "image"
    for magic, what in UNSUPPORTED_MAGIC.items():
        if head.startswith(magic):
            raise UnreadableFile(f"unsupported type: {what}")
    markup = head_as_utf8(head)  # a page saved as UTF-16 ("Unicode" in Windows) shows its tags so
    if HTML_START.match(markup) or (path.suffix.lower() in EXTENSIONS["html"]
                                    and markup.lstrip(LEADING_BYTES).startswith(b"<")):
        return "html"  # a web page, or Word's "Web Page" named .doc
    first = head.lstrip(LEADING_BYTES)
    if path.suffix.lower() in EXTENSIONS["jsonl"] or (first.startswith(b"{") and b'"text"' in head):
        return "jsonl"
    return "text"


def check_unzipped_size(archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP whose members inflate past the budget, from its directory, before inflating any.

    zipfile stops reading a member at the size its directory gives (and fails its CRC), so a
    member that lies about its size cannot inflate further than this sum.
    """
    limit = budgets.current().unzipped_mb
    total = sum(member.file_size for member in archive.infolist())
    if total > limit * MB:
        raise OverBudget("unzipped size", f"its parts inflate to {total / MB:,.0f} MB, more than {limit} MB "
                         "(a ZIP bomb, or a document full of images); raise --unzipped-limit "
                         "(VANBAN_UNZIPPED_MB) if it is genuine")


def read_documents(path: Path, ocr_jobs: int = 1, max_pages: Optional[int] = None, progress: bool = False
                   ) -> Iterator[tuple[str, list[Page], list[str]]]:
    """(source label, pages, warnings) for every document in a file.

    A JSONL file holds one document a line, labelled by its `id`:
    `vbpl_central_90.jsonl#vbpl-doc_000017`; any other file is one document labelled
    by its path. Raises UnreadableFile with the reason and what to do about it.
    progress: a bar over the pages a scan sends to OCR.
    """
    path = Path(path)
    max_pages = max_pages or budgets.current().pages
    kind, notes = _open_kind(path)
    if kind == "image":
        group = page_images(path)
        if group[0] != path:
            return  # a later page of the document its first page image gives
        pages = _read_page_images(group, max_pages, notes)
        _check_pages(kind, pages, notes)
        yield str(path), pages, notes
        return
    if kind == "text" and path.stem.endswith(TRANSCRIPTION_SUFFIX) and _transcribes(
            path, [p for p in path.parent.iterdir() if p.suffix.lower() in EXTENSIONS["image"]]):
        return  # the known text of an image beside it (OCR ground truth), not a second document
    if kind == "jsonl":
        yield from _read_jsonl(path, notes)
        return
    readers = {"pdf": lambda: _read_pdf(path, ocr_jobs, max_pages, notes, progress), "docx": lambda: _read_docx(path),
               "legacy": lambda: _read_legacy(path, notes),
               "image": lambda: _read_image(path, max_pages), "text": lambda: _read_text(path, notes),
               "html": lambda: _read_html(path, notes)}
    misnamed = list(notes)  # the name's note, before a reader adds its own
    try:
        pages = readers[kind]()
        _check_pages(kind, pages, notes)
    except UnreadableFile as exc:
        if misnamed and type(exc) is UnreadableFile:  # the user looks for a .pdf: say what it really was
            raise UnreadableFile(f"{exc} ({misnamed[0]})") from exc
        raise
    yield str(path), pages, notes


def _check_pages(kind: str, pages: list[Page], notes: list[str]) -> None:
    """What every reader's pages answer for: some words (else UnreadableFile), and a note on pages OCR turned."""
    _require_text(kind, pages, notes)
    notes.extend(_turned_notes(pages))


def _turned_notes(pages: list[Page]) -> list[str]:
    """A note for each turn OCR made to read pages upright: the file holds pages fed on their side or upside
    down, which a user may want to rescan or know of ('page(s) 1, 3 read after turning them 180° clockwise')."""
    turns: dict[int, list[int]] = {}
    for page in pages:
        if page.turned:
            turns.setdefault(page.turned, []).append(page.number)
    return [f"page(s) {', '.join(map(str, numbers))} read after turning them {turn}° clockwise (fed on a side or "
            "upside down)" for turn, numbers in turns.items()]


NO_TEXT = {"text": "it holds only white space", "html": "the page shows no words",
           "docx": "the document is empty", "legacy": "the document is empty",
           "image": "OCR read no words in it (blank, or too faint or small to read)"}


def _require_text(kind: str, pages: list[Page], notes: list[str]) -> None:
    """UnreadableFile when a file gave no words at all: an empty document stored would say nothing, and
    hide that the file needs looking at (a blank scan, a page OCR could not read, OCR turned off)."""
    if any(page.text.strip() for page in pages):
        return
    if kind in NO_TEXT:
        raise UnreadableFile(f"no text: {NO_TEXT[kind]}")
    held = "its page holds" if len(pages) == 1 else f"its {len(pages)} pages hold"
    skipped = next((note for note in notes if "--ocr never" in note), None)
    if skipped:
        raise UnreadableFile(f"no text: {held} no words in a text layer, and OCR is off ({skipped})")
    raise UnreadableFile(f"no text: {held} no words, in a text layer or by OCR (blank, or too faint to read; "
                         "--ocr force or a higher --dpi may help)")


def read_file(path: Path, ocr_jobs: int = 1, max_pages: Optional[int] = None) -> list[Page]:
    """The pages of a single-document file: read_file(Path('kh187.pdf'))[0].text starts 'ỦY BAN NHÂN DÂN'."""
    documents = list(read_documents(path, ocr_jobs=ocr_jobs, max_pages=max_pages))
    if len(documents) != 1:
        raise UnreadableFile(f"holds {len(documents)} documents; read it with read_documents")
    return documents[0][1]


def _open_kind(path: Path) -> tuple[str, list[str]]:
    """The file's type and any warning about its name, after the checks every file gets."""
    if path.is_dir():
        raise UnreadableFile("is a directory, not a file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except FileNotFoundError as exc:
        raise UnreadableFile("file not found") from exc
    except PermissionError as exc:
        raise UnreadableFile("cannot be read: permission denied; check the file's permissions (chmod +r)") from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror}") from exc
    if not head:
        raise UnreadableFile("empty file (0 bytes)")
    kind = sniff(path, head)
    notes = []
    suffix = path.suffix.lower()
    known = set().union(*EXTENSIONS.values())
    if suffix in known and suffix not in EXTENSIONS[kind] and not (kind == "jsonl" and suffix in EXTENSIONS["text"]):
        notes.append(f"named {suffix} but its content is {kind.upper()}; read as {kind.upper()}")
    return kind, notes


# --- PDF -------------------------------------------------------------------------------

def _has_no_pages(path: Path) -> bool:
    """Whether pdfminer reads the PDF as well formed with an empty page tree (False if it cannot read it)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as handle:
            return next(PDFPage.create_pages(PDFDocument(PDFParser(handle))), None) is None
    except Exception:  # pdfminer's own errors on a broken file: it is corrupt, not empty
        return False


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableFile("encrypted PDF: needs a password; decrypt it (qpdf --decrypt) and ingest again") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise UnreadableFile("PDF uses an unsupported security handler; decrypt it (qpdf --decrypt) and ingest again"
                                 ) from exc
        if _has_no_pages(path):  # pdfium refuses these with no error code of their own (its last one stays)
            raise UnreadableFile("PDF with no pages: its page tree is empty, so there is nothing to read; "
                                 "export it again from its source") from exc
        raise UnreadableFile(f"corrupt PDF: pdfium cannot open it ({exc}); re-export or repair it (qpdf in.pdf out.pdf)"
                             ) from exc


def image_coverage(page: pdfium.PdfPage) -> float:
    """Share of the page's area under images (0..1): about 1.0 for a scanned page."""
    width, height = page.get_size()
    area = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        area += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    return min(1.0, area / (width * height)) if width and height else 0.0


def ocr_reason(text: str, coverage: float | Callable[[], float]) -> str | None:
    """Why a page's text layer must be replaced by OCR, or None when it is usable.

    `coverage` may be a function: it is measured only when the text alone does not settle it.

    >>> ocr_reason("CONG Hcok xA HQI CHiJ NGHiA VIVT NAM " * 10, coverage=1.0)
    'text layer unusable (Vietnamese score below 0.8)'
    """
    q = quality(text)
    visible = len("".join(text.split()))
    garbage = visible and len(GARBAGE.findall(text)) / visible > MAX_DIGITAL_GARBAGE
    if q.words >= MIN_SCAN_WORDS and q.score >= MIN_LAYER_SCORE and not garbage:
        return None  # plenty of good Vietnamese: usable whatever lies under it
    if callable(coverage):
        coverage = coverage()
    if coverage >= SCAN_COVERAGE:
        if q.words < MIN_SCAN_WORDS:
            return "scanned page" if not text.strip() else "scanned page, text layer holds only a few words"
        if q.score < MIN_LAYER_SCORE:
            return f"text layer unusable (Vietnamese score below {MIN_LAYER_SCORE})"
        return None
    if garbage:
        return "text layer unusable (mostly symbols: a font without a Unicode map)"
    if q.words >= MIN_DIGITAL_WORDS and q.valid_share < MIN_DIGITAL_VALID:
        return "text layer unusable (not words)"
    return None


# pdfium gives a hyphen that ends a line as U+FFFE (or, in the build pypdfium2 ships, as STX
# U+0002, the line break dropped); removed as control characters, they glue an id's pieces ('NĐCP')
LINE_END_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def layer_text(raw: str) -> str:
    """A page's text layer with pdfium's marks undone: CRLF as one newline, and the hyphen ending a
    line (U+FFFE, STX) as the '-' printed there, character for character, so offsets into the page hold.

    >>> layer_text("Nghị định số 45/2020/NĐ\\ufffe\\r\\nCP ngày 08/4/2020")
    'Nghị định số 45/2020/NĐ-\\nCP ngày 08/4/2020'
    """
    return raw.translate(LINE_END_HYPHENS).replace("\r\n", "\n").replace("\r", "\n")


FORCED = "OCR forced (--ocr force)"


def _read_pdf(path: Path, ocr_jobs: int, max_pages: int, notes: list[str], progress: bool = False) -> list[Page]:
    mode = ocr_settings().mode
    pdf = _open_pdf(path)
    try:
        count = len(pdf)
        if count > max_pages:
            raise _too_many_pages(f"the PDF has {count} pages", max_pages, "split it (qpdf --split-pages) or ")
        if count == 0:
            raise UnreadableFile("PDF has no pages")
        pages, reasons = [], {}
        for index in range(count):
            budgets.check_time(index + 1)
            page = pdf[index]
            raw = page.get_textpage().get_text_bounded()
            text = repair_text(CONTROL.sub("", layer_text(raw)))
            reason = FORCED if mode == "force" else ocr_reason(text, lambda: image_coverage(page))
            if reason:
                reasons[index + 1] = reason
            pages.append(Page(index + 1, text, "text"))
    finally:
        pdf.close()
    if reasons and mode == "never":
        numbers = ", ".join(str(n) for n in reasons)
        notes.append(f"no OCR (--ocr never): page(s) {numbers} kept their text layer, though it is "
                     f"{'; '.join(sorted(set(reasons.values())))}")
    elif reasons:
        for page in ocr_pdf_pages(path, list(reasons), jobs=ocr_jobs, progress=progress):
            pages[page.number - 1] = Page(page.number, repair_text(page.text), "ocr", page.ocr_confidence, page.turned)
        for reason in sorted(set(reasons.values())):
            numbers = ", ".join(str(n) for n, r in reasons.items() if r == reason)
            notes.append(f"OCR on page(s) {numbers}: {reason}")
    if pages[0].method == "text":
        pages[0] = _fill_stamped_blanks(path, pages[0], notes)
    return pages


SIGNING_TIME = regex.compile(r"D:(\d{4})(\d{2})(\d{2})")


def signature_dates(path: Path) -> list[str]:
    """The days a PDF's digital signatures were made (ISO, earliest first); [] for any other file.

    An e-office system signs a born-digital document the day it is issued: its header may print
    'ngày … tháng 01 năm 2025' with the day left blank for the signature to fill.
    """
    try:
        with open(path, "rb") as fh:
            if b"%PDF-" not in fh.read(1024):
                return []
        pdf = pdfium.PdfDocument(str(path))
    except (OSError, pdfium.PdfiumError):
        return []
    try:
        days = []
        for index in range(pdfium_c.FPDF_GetSignatureCount(pdf.raw)):
            signature = pdfium_c.FPDF_GetSignatureObject(pdf.raw, index)
            size = pdfium_c.FPDFSignatureObj_GetTime(signature, None, 0)
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFSignatureObj_GetTime(signature, buffer, size)
            m = SIGNING_TIME.match(buffer.value.decode("ascii", "replace"))
            if m:
                days.append("-".join(m.groups()))
        return sorted(days)
    finally:
        pdf.close()


def _fill_stamped_blanks(path: Path, page: Page, notes: list[str]) -> Page:
    """Page 1 with the number/day an e-signature stamped over its header blanks (see vanban.pipeline.reading.esign)."""
    blanks = esign.header_blanks(page.text)
    if not blanks:
        return page
    try:
        stamps = [stamp for stamp in esign.read_stamps(path) if stamp.role in blanks]
    except (UnreadableFile, pdfium.PdfiumError, OSError) as exc:  # no tesseract, an odd annotation
        notes.append(f"page 1: header blanks ({', '.join(sorted(blanks))}) left empty: stamps unreadable ({exc})")
        return page
    if not stamps:
        return page
    read = ", ".join(f"{stamp.role} {stamp.digits}" for stamp in stamps)
    notes.append(f"page 1: {read} read by OCR from the e-signature stamps over the header blanks")
    return Page(page.number, esign.fill_blanks(page.text, stamps), page.method, page.ocr_confidence, page.turned)


def _too_many_pages(what: str, limit: int, advice: str = "") -> OverBudget:
    return OverBudget("pages", f"{what}, more than {limit:,}; {advice}raise --page-limit (VANBAN_PAGES) "
                               "if it is genuine")


# --- other types ----------------------------------------------------------------------

def _read_image(path: Path, max_pages: int, first: int = 1) -> list[Page]:
    """An image file is a scanned page; a multi-page TIFF gives one Page per frame (numbered from `first`)."""
    if ocr_settings().mode == "never":
        raise UnreadableFile("an image is read only by OCR, and --ocr never is set; ingest it with --ocr auto")
    try:
        image = Image.open(path)
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as exc:  # its header asks for more pixels than Pillow will decode
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(pixels[1]):,} pixels" if pixels else "more pixels than a page can have"
        raise UnreadableFile(f"hostile image: its header declares {size}, over {2 * Image.MAX_IMAGE_PIXELS:,} "
                             "(a decompression bomb: a small file that decodes into gigabytes); refused unread; "
                             "scan the page again at 300 dpi") from exc
    except OSError as exc:
        raise UnreadableFile(f"corrupt or unsupported image ({exc})") from exc
    if frames > max_pages:
        raise _too_many_pages(f"the image has {frames} pages (frames)" if first == 1 else
                              f"its page images have {first - 1 + frames} pages", max_pages + first - 1)
    pages = []
    for index in range(frames):
        budgets.check_time(index + 1)
        try:
            image.seek(index)
            _check_pixels(image, index + 1)
            image.load()  # Pillow decodes lazily: a truncated file fails here, not at open
        except OSError as exc:
            raise UnreadableFile(f"corrupt or truncated image, frame {index + 1} ({exc})") from exc
        read = ocr_image(_fit(image.convert("L")), page=first + index)
        pages.append(Page(first + index, repair_text(read.text), "ocr", read.confidence, read.turned))
    return pages


# a page image's number closing its name: 'cv1906_1.jpg', 'scan-02.png', 'trang 3.jpg'
PAGE_NUMBER_STEM = regex.compile(r"^(?P<base>(?:.*?\D)?)[_\-\s]?(?P<number>\d{1,3})$")
TRANSCRIPTION_SUFFIX = "_gt"  # 'name_gt.txt' beside 'name.jpg': a hand transcription of that image


def page_images(path: Path) -> list[Path]:
    """The page images of the document an image belongs to, in page order: its siblings named like
    it with another page number ('name_1.jpg', 'name_2.jpg'; '001.png', '002.png' in a folder of
    nothing but page images); [path] when it stands alone.

    >>> [p.name for p in page_images(Path("4_2.jpg"))]  # doctest: +SKIP
    ['4_1.jpg', '4_2.jpg']
    """
    m = PAGE_NUMBER_STEM.match(path.stem)
    if not m:
        return [path]
    try:
        siblings = [p for p in path.parent.iterdir() if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return [path]
    images = [p for p in siblings if p.suffix.lower() in EXTENSIONS["image"]]
    if not m.group("base") and any(p not in images and not _transcribes(p, images) for p in siblings):
        return [path]  # '299.jpg' beside other files is a document numbered 299, not a page
    group = [p for p in images if (n := PAGE_NUMBER_STEM.match(p.stem)) and n.group("base") == m.group("base")
             and p.suffix.lower() == path.suffix.lower()]
    return sorted(group, key=_page_order) if len(group) > 1 else [path]


def _page_order(path: Path) -> tuple:
    m = PAGE_NUMBER_STEM.match(path.stem)
    return (int(m.group("number")) if m else 0, path.name)


def _transcribes(path: Path, images: list[Path]) -> bool:
    """Whether a text file is the transcription of one of the images: 'name_gt.txt' beside 'name.jpg'."""
    return (path.suffix.lower() in EXTENSIONS["text"] and path.stem.endswith(TRANSCRIPTION_SUFFIX)
            and any(image.stem == path.stem[: -len(TRANSCRIPTION_SUFFIX)] for image in images))


def _read_page_images(paths: list[Path], max_pages: int, notes: list[str]) -> list[Page]:
    """The pages of a document scanned or photographed one image a page."""
    pages: list[Page] = []
    for image in paths:
        pages += _read_image(image, max_pages - len(pages), first=len(pages) + 1)
    if len(paths) > 1:
        notes.append(f"{len(paths)} page images read as one document: {', '.join(p.name for p in paths)}")
    return pages


# an image may be at most this many times the page budget: it is decoded whole, then scaled down
MAX_IMAGE_OVER_BUDGET = 4


def _check_pixels(image: Image.Image, page: int) -> None:
    """Refuse, before decoding, an image frame far larger than a page image may be."""
    limit = budgets.current().page_pixels
    if image.width * image.height > MAX_IMAGE_OVER_BUDGET * limit:
        raise OverBudget("page pixels", f"image of {image.width} × {image.height} pixels, more than "
                         f"{MAX_IMAGE_OVER_BUDGET} × {limit:,}; scale it down, or raise --page-pixels "
                         "(VANBAN_PAGE_PIXELS)", page)


def _fit(image: Image.Image) -> Image.Image:
    """An image within the page-pixel budget, scaled down keeping its shape if it is over."""
    limit = budgets.current().page_pixels
    if image.width * image.height <= limit:
        return image
    ratio = (limit / (image.width * image.height)) ** 0.5
    return image.resize((max(1, int(image.width * ratio)), max(1, int(image.height * ratio))), Image.LANCZOS)


# A DOCX part this large may not parse within the memory budget: lxml keeps every element,
# about 300 bytes each (30 million empty paragraphs, 172 MB of XML, took 9.9 GB)
LARGE_PART_MB = 32


def _largest_part(path: Path) -> int:
    """Bytes the largest member of a ZIP inflates to, from its directory (0 if it has none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return max((member.file_size for member in archive.infolist()), default=0)
    except (OSError, zipfile.BadZipFile):
        return 0


def _read_docx(path: Path) -> list[Page]:
    """Paragraphs and tables in document order, a table as html_text.table_lines writes it: a row a
    line, cells joined by ' | ', or each cell's lines where it lays out the header or the signature."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors … on broken parts
        if "amplification" in str(exc):  # libxml2 stopped entities expanding into entities
            raise UnreadableFile("hostile DOCX: its XML defines entities that expand into gigabytes (a 'billion "
                                 "laughs' bomb); refused unread; open it in Word and save it again") from exc
        largest = _largest_part(path)
        if largest >= LARGE_PART_MB * MB:  # lxml holds every element: the budget, not the file, may be why
            raise OverBudget("memory", f"its largest part inflates to {largest / MB:,.0f} MB of XML, which could not "
                             f"be parsed within {budgets.current().memory_mb:,} MB ({type(exc).__name__}); raise "
                             "--memory-limit (VANBAN_MEMORY_MB), or split the document") from exc
        raise UnreadableFile(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines += table_lines([[cell.text.strip() for cell in row.cells] for row in Table(child, document).rows])
            lines.append("")
    return [Page(1, repair_text("\n".join(lines)), "plain")]


CONVERT_TIMEOUT = 180  # seconds: LibreOffice converts a 50-page .doc in a few seconds; a hung one is stopped


def _read_legacy(path: Path, notes: list[str]) -> list[Page]:
    """A .doc, .rtf or .odt converted to DOCX by LibreOffice (headless, in a temporary folder with
    its own profile, so two conversions never share one) and read as a DOCX, tables included."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableFile(f"a legacy document ({path.suffix or 'no suffix'}): reading it needs LibreOffice "
                             "(apt-get install libreoffice-writer-nogui, or bash setup.sh); or save it as .docx")
    suffix = path.suffix.lower() if path.suffix.lower() in EXTENSIONS["legacy"] else ".doc"
    with tempfile.TemporaryDirectory(prefix="vanban-convert-") as folder:
        source = Path(folder) / f"document{suffix}"
        shutil.copyfile(path, source)  # a plain name: odd characters in a path trouble the converter
        command = [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, str(source)]
        # its own session: the soffice script starts soffice.bin, and a timeout must stop both
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            process.wait(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise UnreadableFile(f"LibreOffice did not convert it within {CONVERT_TIMEOUT} s; "
                                 "open it and save it as .docx") from exc
        converted = source.with_suffix(".docx")
        if not converted.exists() and _encrypted_office(path):
            raise UnreadableFile("a password-protected (encrypted) Office file: open it with its password "
                                 "and save it without one, as .docx")
        if not converted.exists():
            raise UnreadableFile("LibreOffice could not convert it (corrupt, or not a text document); "
                                 "open it and save it as .docx")
        pages = _read_docx(converted)
    notes.append(f"converted from {suffix} to DOCX by LibreOffice")
    return pages


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file: .doc, .xls, or an encrypted .docx
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # its directory names this stream (MS-OFFCRYPTO)


def _encrypted_office(path: Path, most: int = 64 * MB) -> bool:
    """Whether an OLE compound file holds an encrypted Office package: its directory, anywhere in
    the file, names the stream. Looked for only after a conversion failed, in the first `most` bytes."""
    with open(path, "rb") as fh:
        if fh.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return False
        tail = b""
        while fh.tell() < most and (chunk := fh.read(MB)):
            if ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(ENCRYPTED_STREAM):]
    return False


def _check_text_size(size: int, what: str, limit: Optional[int] = None) -> None:
    limit = limit or budgets.current().text_mb
    if size > limit * MB:
        raise OverBudget("text size", f"{what} of {size / MB:,.1f} MB, more than {limit} MB; split it, "
                         "or raise --text-limit (VANBAN_TEXT_MB)")


def refused_unread(path: Path, text_mb: int) -> Optional[OverBudget]:
    """The refusal of a text file over the text budget, told from its name, size and first bytes
    before anything reads it whole: hashing a 20 GB text file for the store's resume key took
    75 s only to refuse it after. None for any other file (its reader checks it)."""
    try:
        size = path.stat().st_size
        if path.suffix.lower() not in EXTENSIONS["text"] | EXTENSIONS["html"] or size <= text_mb * MB:
            return None
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
        if head.startswith(b"PK") or (kind := sniff(path, head)) not in ("text", "html"):  # a ZIP is opened to be named
            return None
        _check_text_size(size, "a text file" if kind == "text" else "an HTML page", text_mb)
    except OverBudget as refusal:
        return refusal
    except (OSError, UnreadableFile):
        return None  # its reader says why
    return None


# formats whose files always start with the same bytes: named so but not read as text either, a
# file is corrupt or misnamed, and saying which format it failed to be helps more than an encoding
CONTAINER_SUFFIXES = {".pdf": "a PDF (no %PDF- header)", ".docx": "a DOCX (no ZIP header)",
                      ".odt": "an ODT (no ZIP header)",
                      **{suffix: "an image (no known image header)" for suffix in EXTENSIONS["image"]}}


def _read_text(path: Path, notes: list[str]) -> list[Page]:
    try:
        text = _decoded(path, notes, "a text file")
    except UnreadableFile as exc:
        claimed = CONTAINER_SUFFIXES.get(path.suffix.lower())
        if claimed and not isinstance(exc, OverBudget):
            raise UnreadableFile(f"named {path.suffix} but not {claimed}, nor text: corrupt, or not what "
                                 "its name says") from exc
        raise
    return [Page(1, repair_text(text.replace("\r\n", "\n")), "plain")]


def _read_html(path: Path, notes: list[str]) -> list[Page]:
    """An HTML page's text (html_text.py), decoded as a text file is."""
    return [Page(1, repair_text(html_text(_decoded(path, notes, "an HTML page"))), "plain")]


def _decoded(path: Path, notes: list[str], what: str) -> str:
    """A text-like file's text within the text budget; how it was decoded, when not plain UTF-8, goes to notes."""
    _check_text_size(path.stat().st_size, what)
    text, warning = decode_text(path.read_bytes())
    if warning:
        notes.append(warning)
    return text


class Skipped(str):
    """A warning that part of a file was left out (a JSONL line): it stays with a document for
    provenance, and the ingest summary lists it under the file's path (ingest.process_file)."""


def _read_jsonl(path: Path, notes: list[str]) -> Iterator[tuple[str, list[Page], list[str]]]:
    """One document per line with a `text` field; a bad line is skipped with a warning, given to the
    next document, or to the last one for bad lines after it (each document is held until the
    next good line, so none of those warnings is lost)."""
    yielded = 0
    held = None  # the last good line's document, yielded at the next one or at the end
    pending = list(notes)
    limit = budgets.current().text_mb * MB
    with open(path, "rb") as fh:
        for number, raw in enumerate(iter(lambda: fh.readline(limit + 1), b""), start=1):
            if len(raw) > limit:  # read no further into it than the limit: skip to its end
                while raw and not raw.endswith(b"\n"):
                    raw = fh.readline(limit + 1)
                pending.append(Skipped(f"line {number} skipped: more than the text size limit of "
                                       f"{budgets.current().text_mb} MB (--text-limit, VANBAN_TEXT_MB)"))
                continue
            if not raw.strip():
                continue
            budgets.check_time()
            try:
                record = json.loads(raw)
                text = record["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                pending.append(Skipped(f"line {number} skipped: not a JSON object with a text field "
                                       f"({type(exc).__name__})"))
                continue
            if not text.strip():
                pending.append(Skipped(f"line {number} skipped: no text (its text field holds only white space)"))
                continue
            if held:
                yield held
            label = f"{path.name}#{record.get('id') or f'line{number}'}"
            held = (label, [Page(1, repair_text(text), "plain")], pending)
            pending, yielded = [], yielded + 1
    if held:
        held[2].extend(pending)
        yield held
    if not yielded:
        reason = pending[-1] if len(pending) > len(notes) else "no documents"
        raise UnreadableFile(f"JSONL file with no readable document ({reason})")
