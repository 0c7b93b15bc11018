"""Make the PDF corpus from corpus/seeds/*.txt: text-layer PDFs and image-only "scans".

    python -m vanban.pipeline.dev.make_corpus            # corpus/pdf/*.pdf and corpus/scanned/*.pdf
    python -m vanban.pipeline.dev.make_corpus --force    # rebuild even if present

(a) corpus/pdf: whole documents, A4, DejaVu Serif 12 pt with a real text layer,
written with pypdfium2's page-object API (no extra dependency).
(b) corpus/scanned: the same whole documents rendered at 300 dpi, turned by a fraction
of a degree and speckled, saved by Pillow as image-only PDFs: every page goes through OCR.
Both are deterministic: fixed seeds, no dates in the files.
"""
from __future__ import annotations

import argparse
import ctypes
import random
import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageFont

ROOT = Path(__file__).resolve().parents[2] / "corpus"  # the repository's corpus/ (a development tool)
FONT_PATHS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
              Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
A4 = (595.0, 842.0)  # points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 70.0, 60.0, 60.0
FONT_SIZE, LEADING = 12.0, 16.0
SCAN_DPI = 300
MAX_TILT_DEGREES = 0.8
SPECKLE_SHARE = 0.0015
MARKDOWN_MARKS = re.compile(r"\*\*|__|^#{1,6}\s+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# pdfium stamps the save time and a random file /ID; both are overwritten in place
# (same length, so the cross-reference offsets stay right) to keep builds identical.
PDFIUM_DATE = re.compile(rb"/CreationDate\(D:\d{14}")
PDFIUM_ID = re.compile(rb"/ID\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
FIXED_TIME = time.struct_time((2022, 10, 3, 0, 0, 0, 0, 276, 0))


def find_font() -> Path:
    for path in FONT_PATHS:
        if path.exists():
            return path
    raise SystemExit("no font with Vietnamese glyphs: install fonts-dejavu-core (apt-get install fonts-dejavu-core)")


def seed_lines(text: str) -> list[str]:
    """The seed's lines as a printed page shows them: markdown emphasis and table rules dropped."""
    lines = []
    for line in text.splitlines():
        if TABLE_RULE.match(line):
            continue
        lines.append(MARKDOWN_MARKS.sub("", line).rstrip())
    return lines


def wrap(line: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break a line at spaces so that each piece fits `width` points (a word longer than that stands alone)."""
    if not line.strip():
        return [""]
    out, current = [], ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    out.append(current)
    return out


def layout(lines: list[str], font: ImageFont.FreeTypeFont) -> list[list[str]]:
    """Lines wrapped to the text width and cut into A4 pages; blank lines are half a line."""
    width = A4[0] - 2 * MARGIN_X
    height = A4[1] - MARGIN_TOP - MARGIN_BOTTOM
    pages, page, used = [], [], 0.0
    for line in lines:
        for piece in wrap(line, font, width):
            step = LEADING if piece else LEADING / 2
            if used + step > height and page:
                pages.append(page)
                page, used = [], 0.0
            if piece or page:  # no blank line at the top of a page
                page.append(piece)
                used += step
    if page:
        pages.append(page)
    return pages


def write_text_pdf(pages: list[list[str]], out: Path, font_path: Path | None = None) -> None:
    """A PDF whose text layer holds exactly these lines, one list of lines per page.

    Without a font path the standard Helvetica is used (ASCII only, nothing embedded):
    enough for test fixtures such as a 500-page PDF.
    """
    pdf = pdfium.PdfDocument.new()
    font, keep = None, []
    if font_path:
        data = font_path.read_bytes()
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        keep.append(buffer)  # pdfium reads the font bytes until the document is saved
        font = pdfium_c.FPDFText_LoadFont(pdf.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
    for lines in pages:
        page = pdf.new_page(*A4)
        y = A4[1] - MARGIN_TOP - FONT_SIZE
        for line in lines:
            if line:
                if font:
                    obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, FONT_SIZE)
                else:
                    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", FONT_SIZE)
                text = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
                pdfium_c.FPDFText_SetText(obj, ctypes.cast(text, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
                pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, MARGIN_X, y)
                pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            y -= LEADING if line else LEADING / 2
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        page.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(str(out))
    pdf.close()
    data = PDFIUM_DATE.sub(b"/CreationDate(D:20221003000000", out.read_bytes())
    data = PDFIUM_ID.sub(lambda m: b"/ID[<" + b"0" * len(m.group(1)) + b"><" + b"0" * len(m.group(2)) + b">", data)
    out.write_bytes(data)


def scan_page(image: Image.Image, rng: random.Random) -> Image.Image:
    """A printed page as a scanner returns it: slightly turned, with dark and light specks."""
    image = image.convert("L").rotate(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES), resample=Image.BICUBIC,
                                      expand=False, fillcolor=255)
    pixels = image.load()
    width, height = image.size
    for _ in range(int(width * height * SPECKLE_SHARE)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((40, 90, 230, 255))
    return image


def write_scanned_pdf(text_pdf: Path, out: Path, seed: int, pages: int | None = None) -> None:
    """Image-only PDF of the first `pages` pages (default: all) of a text-layer PDF."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(text_pdf))
    images = []
    for index in range(min(pages or len(pdf), len(pdf))):
        bitmap = pdf[index].render(scale=SCAN_DPI / 72, grayscale=True)
        images.append(scan_page(bitmap.to_pil(), rng))
    pdf.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(out, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:],
                   creationDate=FIXED_TIME, modDate=FIXED_TIME)


def make_corpus(root: Path = ROOT, force: bool = False) -> list[Path]:
    """Build corpus/pdf and corpus/scanned from corpus/seeds; returns the files written."""
    font_path = find_font()
    font = ImageFont.truetype(str(font_path), int(FONT_SIZE))
    written = []
    for number, seed in enumerate(sorted((root / "seeds").glob("*.txt"))):
        text_pdf = root / "pdf" / f"{seed.stem}.pdf"
        scanned_pdf = root / "scanned" / f"{seed.stem}.pdf"
        if force or not text_pdf.exists():
            write_text_pdf(layout(seed_lines(seed.read_text(encoding="utf-8")), font), text_pdf, font_path)
            written.append(text_pdf)
        if force or not scanned_pdf.exists():
            write_scanned_pdf(text_pdf, scanned_pdf, seed=1000 + number)
            written.append(scanned_pdf)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild files that already exist")
    args = parser.parse_args(argv)
    for path in make_corpus(force=args.force):
        print(path.relative_to(ROOT.parent))


if __name__ == "__main__":
    main()
