"""OCR with the real Tesseract (`tesseract -l vie`), one process per page, pages in parallel.

Pages are rendered with pypdfium2 at 300 dpi in grayscale in this process (pdfium is
not thread-safe) and handed to `jobs` tesseract processes at once, each limited to one
OpenMP thread: on 2 cores two single-threaded pages finish sooner than one page
fighting over both cores.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from tqdm import tqdm
from PIL import Image

from vanban.models.records import Page, UnreadableFile
from vanban.pipeline.reading import budgets
from vanban.pipeline.reading.budgets import OverBudget

LANG = "vie"
MIN_SCAN_DPI = 200  # below this an embedded scan is rendered up to the asked dpi instead
# A photo or low-resolution scan narrower than this is enlarged twice before OCR: on the two
# 576-px-wide Đà Nẵng JPEGs in /work/shared/external, similarity to the hand transcription
# rose from 0.936 to 0.947 and 0.958. An A4 page at 300 dpi is 2480 px wide.
MIN_OCR_WIDTH = 1600
INSTALL_HINT = ("run ./setup.sh, or install Tesseract with Vietnamese data: "
                "apt-get install tesseract-ocr tesseract-ocr-vie")


OCR_MODES = ("auto", "force", "never")
# A page read with less mean confidence than this may lie on its side or upside down (a page fed
# the wrong way, a photo taken sideways): upright, a scan reads at 80-96, turned at about 50.
# Tesseract's orientation detection (OSD, `--psm 0`) then says how far to turn it, when it is
# this sure at least; the page is read again turned, and the better reading kept.
UPRIGHT_CONFIDENCE = 70.0
MIN_ORIENTATION_CONFIDENCE = 2.0
OSD_RE = re.compile(r"Rotate:\s*(?P<turn>\d+)\s.*?Orientation confidence:\s*(?P<confidence>[\d.]+)", re.S)


@dataclass(frozen=True)
class OcrSettings:
    """How pages are OCRed, OCRmyPDF-style: `auto` OCRs pages whose text layer is missing or
    unusable, `force` every page, `never` none (a scanned page stays empty); Tesseract's
    languages (`vie`, `vie+eng`); the dpi PDF pages are rendered at.

    Read from the environment (VANBAN_OCR, VANBAN_OCR_LANG, VANBAN_DPI), which `vanban ingest
    --ocr/--ocr-lang/--dpi` set, so worker processes see the same settings.
    """

    mode: str = "auto"
    lang: str = LANG
    dpi: int = 300

    @classmethod
    def from_env(cls) -> "OcrSettings":
        """The settings in force; ValueError names the variable and what it may hold.

        >>> OcrSettings.from_env().mode in OCR_MODES
        True
        """
        mode = os.environ.get("VANBAN_OCR", "auto").strip().lower() or "auto"
        if mode not in OCR_MODES:
            raise ValueError(f"VANBAN_OCR={mode!r}: use one of {', '.join(OCR_MODES)}")
        lang = os.environ.get("VANBAN_OCR_LANG", LANG).strip() or LANG
        if not all(part.replace("_", "").isalnum() for part in lang.split("+")):
            raise ValueError(f"VANBAN_OCR_LANG={lang!r}: Tesseract languages joined by '+', such as vie or vie+eng")
        try:
            dpi = int(os.environ.get("VANBAN_DPI", "300"))
        except ValueError:
            raise ValueError("VANBAN_DPI must be a whole number of dots per inch, such as 300") from None
        if not 70 <= dpi <= 1200:
            raise ValueError(f"VANBAN_DPI={dpi}: use 70 to 1200 (300 suits Tesseract)")
        return cls(mode, lang, dpi)


def settings() -> OcrSettings:
    """The OCR settings of this process (read from the environment each time: cheap, and tests may change it)."""
    return OcrSettings.from_env()


class OcrUnavailable(UnreadableFile):
    """Tesseract or its Vietnamese data is missing, so scanned pages cannot be read."""


@functools.lru_cache(maxsize=8)
def check_tesseract(lang: str = LANG) -> str:
    """Path of the tesseract binary, after checking that it has every language of `lang` ('vie', 'vie+eng')."""
    binary = shutil.which("tesseract")
    if not binary:
        raise OcrUnavailable(f"scanned pages need OCR but tesseract is not installed; {INSTALL_HINT}")
    if LANG not in languages():
        raise OcrUnavailable(f"tesseract has no Vietnamese data ('{LANG}' not in --list-langs); {INSTALL_HINT}")
    missing = [part for part in lang.split("+") if part not in languages()]
    if missing:
        raise OcrUnavailable(f"tesseract has no data for {', '.join(missing)} (--ocr-lang {lang}); install it "
                             f"(apt-get install {' '.join('tesseract-ocr-' + m for m in missing)}) or choose another")
    return binary


@functools.lru_cache(maxsize=1)
def languages() -> frozenset:
    """The languages the installed tesseract has data for ('vie', 'eng', …); empty without it."""
    binary = shutil.which("tesseract")
    if not binary:
        return frozenset()
    return frozenset(subprocess.run([binary, "--list-langs"], capture_output=True, text=True).stdout.split())


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: int = 300) -> Image.Image:
    """Page `index` (0-based) as a grayscale image at `dpi`; tesseract binarises it itself.

    A scanner's page is one upright image over the whole page: that image is taken as
    it is (decoding costs a tenth of rendering), when it has at least MIN_SCAN_DPI and
    shades of grey.
    """
    page = pdf[index]
    scan = _page_scan(page)
    if scan is not None:
        return scan
    bitmap = page.render(scale=render_scale(*page.get_size(), dpi), grayscale=True)
    return bitmap.to_pil().convert("L")


def render_scale(width: float, height: float, dpi: int = 300) -> float:
    """Pixels per point to render a page of width × height points at: dpi / 72, or less for a
    page that would pass the page-pixel budget (a 14,400-point page at 300 dpi is 3.6 Gpx).

    >>> round(render_scale(595, 842), 2), round(render_scale(14400, 14400), 3)
    (4.17, 0.417)
    """
    limit = budgets.current().page_pixels
    scale = dpi / 72
    if width * height * scale * scale > limit:
        scale = (limit / (width * height)) ** 0.5
    return scale


def _page_scan(page: pdfium.PdfPage) -> Image.Image | None:
    """The page's single full-page, unrotated image, or None."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1:
        return None
    width, height = page.get_size()
    left, bottom, right, top = images[0].get_bounds()
    a, b, c, d, _, _ = images[0].get_matrix().get()
    if b or c or a <= 0 or d <= 0 or (right - left) * (top - bottom) < 0.95 * width * height:
        return None  # rotated, flipped or partial: rendering puts it right
    metadata = images[0].get_metadata()
    if metadata.width * metadata.height > budgets.current().page_pixels:
        return None  # decoded whole it would pass the budget: rendering scales it down
    if metadata.bits_per_pixel == 1:
        # A black-and-white (fax-coded) scan: pdfium's rendering smooths its edges into grey,
        # which Tesseract reads better. On the four such Quảng Ngãi/Đà Nẵng scans in
        # /work/shared/external, rendering recovered two dates and a signer that the raw
        # bitmap lost, and lost one signer; on colour/grey scans it was a draw.
        return None
    try:
        image = images[0].get_bitmap(render=False).to_pil()
    except Exception:  # an image format pdfium decodes only while rendering
        return None
    if image.width < MIN_SCAN_DPI * width / 72:
        return None
    return image.convert("L")


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale, and twice the size when the image is too small for tesseract's glyph sizes."""
    image = image.convert("L")
    if image.width < MIN_OCR_WIDTH:
        image = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
    return image


def parse_tsv(tsv: str) -> float:
    """Mean word confidence (0-100) of tesseract's TSV output; 0.0 when it found no word."""
    confidences = [float(row["conf"]) for row in csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
                   if row.get("text", "").strip() and float(row.get("conf", -1)) >= 0]
    return round(sum(confidences) / len(confidences), 1) if confidences else 0.0


class OcrResult(NamedTuple):
    text: str
    confidence: float  # mean word confidence, 0-100
    turned: int = 0  # degrees clockwise the page was turned to be read upright


def ocr_image(image: Image.Image | Path, psm: int = 3, lang: str | None = None, enlarge: bool = True,
              page: int | None = None, upright: bool = False) -> OcrResult:
    """Text and mean word confidence (0-100) of one page image, in one tesseract call; a page read
    with little confidence is checked for lying turned, and read again upright if it does.

    `enlarge=False` hands a small image over at its own size (see `prepare`). A call longer
    than the OCR time budget is stopped and raises OverBudget naming `page`. `upright`: the
    image is known upright (no orientation check).

    >>> read = ocr_image(Path("scan-page-1.png"))  # doctest: +SKIP
    >>> read.text.splitlines()[0], read.confidence, read.turned  # doctest: +SKIP
    ('ỦY BAN NHÂN DÂN', 91.4, 0)
    """
    lang = lang or settings().lang  # --ocr-lang
    binary = check_tesseract(lang)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:
        if isinstance(image, Image.Image):
            # uncompressed PGM: PNG encoding of a 300 dpi A4 page costs 0.3 s, PGM 0.005 s
            source = Path(tmp) / "page.pgm"
            (prepare(image) if enlarge else image.convert("L")).save(source)
        else:
            source = Path(image)
        base = Path(tmp) / "out"
        # `txt tsv`: tesseract writes the text and the word table from a single recognition
        timeout = budgets.current().ocr_timeout
        try:
            result = subprocess.run([binary, str(source), str(base), "-l", lang, "--psm", str(psm), "txt", "tsv"],
                                    capture_output=True, text=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise OverBudget("OCR time", f"tesseract took more than {timeout:g} s on one page; raise "
                             "--ocr-timeout (VANBAN_OCR_TIMEOUT)", page) from exc
        if result.returncode != 0:
            raise UnreadableFile(f"tesseract failed: {result.stderr.strip()[-300:]}")
        text = base.with_suffix(".txt").read_text(encoding="utf-8")
        confidence = parse_tsv(base.with_suffix(".tsv").read_text(encoding="utf-8"))
        turn = 0 if upright or confidence >= UPRIGHT_CONFIDENCE else _turn_upright(binary, source, env, timeout)
    if turn:
        if isinstance(image, Image.Image):
            turned = image.rotate(-turn, expand=True)
        else:
            with Image.open(image) as opened:  # closed once turned: a batch opens thousands
                turned = opened.rotate(-turn, expand=True)
        again = ocr_image(turned, psm, lang, enlarge, page, upright=True)
        if again.confidence > confidence:
            return again._replace(turned=turn)
    return OcrResult(text.replace("\f", "").rstrip() + "\n", confidence)


def _turn_upright(binary: str, source: Path, env: dict, timeout: float) -> int:
    """Degrees clockwise that would set the page upright, by tesseract's orientation detection;
    0 when it is upright, unsure, or the detection data (osd) is not installed."""
    if "osd" not in languages():
        return 0
    try:
        result = subprocess.run([binary, str(source), "-", "--psm", "0"], capture_output=True, text=True,
                                env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 0
    m = OSD_RE.search(result.stdout)
    if result.returncode != 0 or not m or float(m.group("confidence")) < MIN_ORIENTATION_CONFIDENCE:
        return 0  # too few letters to tell, or unsure
    return int(m.group("turn")) % 360


# Pages of a PDF already OCRed elsewhere ((path, number) → Page): a cluster OCRs a long
# scan's page ranges on several machines, then one reader assembles the file with them
# (pipeline/reading/work_units.py); ocr_pdf_pages OCRs only the pages not given.
_given: dict[tuple[str, int], Page] = {}


@contextlib.contextmanager
def given_pages(pdf_path: Path, pages: Iterable[Page]):
    """Within the block, ocr_pdf_pages(pdf_path, …) takes these pages as OCRed instead of OCRing them."""
    keys = {(str(pdf_path), page.number): page for page in pages}
    _given.update(keys)
    try:
        yield
    finally:
        for key in keys:
            _given.pop(key, None)


def ocr_pdf_pages(pdf_path: Path, page_numbers: list[int], dpi: int | None = None, jobs: int = 2,
                  progress: bool = False) -> list[Page]:
    """OCR the given pages (1-based) of a PDF, `jobs` pages at a time; Pages in the order asked.

    Rendering runs at most 2 × jobs pages ahead of tesseract, so a long scan does not
    hold every page image in memory. progress: a bar over the pages, on stderr.
    """
    given = {n: _given[(str(pdf_path), n)] for n in page_numbers if (str(pdf_path), n) in _given}
    if given:
        rest = ocr_pdf_pages(pdf_path, [n for n in page_numbers if n not in given], dpi, jobs, progress) \
            if len(given) < len(page_numbers) else []
        given.update((page.number, page) for page in rest)
        return [given[n] for n in page_numbers]
    dpi = dpi or settings().dpi  # --dpi
    check_tesseract(settings().lang)
    pdf = pdfium.PdfDocument(str(pdf_path))
    bar = tqdm(total=len(page_numbers), unit="page", desc=f"OCR {pdf_path.name}"[:40], leave=False,
               disable=not progress, file=sys.stderr)
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            pending: list[tuple[int, Future]] = []
            done: dict[int, OcrResult] = {}
            for number in page_numbers:
                budgets.check_time(number)
                if len(pending) >= 2 * max(1, jobs):
                    first, future = pending.pop(0)
                    done[first] = future.result()
                    bar.update(1)
                pending.append((number, pool.submit(ocr_image, render_page(pdf, number - 1, dpi), page=number)))
            for number, future in pending:
                done[number] = future.result()
                bar.update(1)
    finally:
        bar.close()
        pdf.close()
    return [Page(number, done[number].text, "ocr", done[number].confidence, done[number].turned)
            for number in page_numbers]
