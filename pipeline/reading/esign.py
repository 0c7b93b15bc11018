"""Header blanks that an e-signature fills in: số and ngày stamped over a born-digital page.

Provincial e-office systems sign the finished document and stamp its number and day
into the blanks of the header ("Số:      /TB-UBND", "ngày      tháng 01 năm 2025") as
the appearance of signature fields, not as page text: the text layer keeps the blanks.
Each line-high annotation is isolated (the page rendered with and without its
annotations; the difference is the stamp's ink), read as digits by Tesseract, and named
by the page text just left of it: "Số:" → number, "ngày" → day, "tháng" → month.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops, ImageOps

from vanban.models.vietnamese import fold
from vanban.pipeline.reading.ocr import LANG, languages, ocr_image, render_scale

DPI = 300
HEADER_CHARS = 600  # the blanks looked for are in the header, before the trích yếu
# Blanks in the text layer: 'Số:    /TB-UBND' and 'ngày    tháng 01 năm 2025'.
BLANKS = {
    "number": re.compile(r"(?P<label>\bSố\s*:?)[ \t]*(?=/)"),
    "day": re.compile(r"(?P<label>\bngày)[ \t]+(?=tháng\b)"),
    "month": re.compile(r"(?P<label>\btháng)[ \t]+(?=năm\b)"),
}
ROLE_BY_LABEL = {"so": "number", "ngay": "day", "thang": "month"}
MAX_LINE_HEIGHT = 40  # points: a stamp on one header line, not the signature box
WORD_TAIL = re.compile(r"[^\W\d_]*")
# Stamped days are often italic; tesseract reads them once the slant is taken out.
DESLANT = -0.25
DIGITS = re.compile(r"\d{1,6}")


@dataclass
class Stamp:
    role: str  # number, day or month
    digits: str


def header_blanks(text: str) -> set[str]:
    """Which of number/day/month the page's header leaves blank."""
    head = text[:HEADER_CHARS]
    return {role for role, pattern in BLANKS.items() if pattern.search(head)}


def fill_blanks(text: str, stamps: list[Stamp]) -> str:
    """The page text with each stamped value written into its blank, once.

    >>> fill_blanks("Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025", [Stamp("number", "11"), Stamp("day", "08")])
    'Số: 11/TB-UBND Quảng Ngãi, ngày 08 tháng 01 năm 2025'
    """
    head, rest = text[:HEADER_CHARS], text[HEADER_CHARS:]
    for stamp in stamps:
        after = "" if stamp.role == "number" else " "  # '11/TB-UBND', but 'ngày 08 tháng'
        head = BLANKS[stamp.role].sub(lambda m: f"{m.group('label')} {stamp.digits}{after}", head, count=1)
    return head + rest


def read_stamps(path: Path, page_index: int = 0) -> list[Stamp]:
    """The number/day/month stamps on a PDF page, read from their ink; [] when there are none."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        pdf.init_forms()  # signature fields are drawn only with the form environment
        page = pdf[page_index]
        textpage = page.get_textpage()
        named = [(box, role) for box in _line_annotations(page) if (role := _role(textpage, box))]
        if not named:
            return []  # nothing stamped beside 'Số:' or 'ngày': no need to render
        ink = _annotation_ink(page)
        _, height = page.get_size()
        stamps, scale = [], DPI / 72
        for box, role in named:
            left, bottom, right, top = box
            crop = ink.crop((int(left * scale), int((height - top) * scale), int(right * scale), int((height - bottom) * scale)))
            digits = read_digits(crop)
            if digits:
                stamps.append(Stamp(role, digits))
        return stamps
    finally:
        pdf.close()


def read_digits(ink: Image.Image) -> str | None:
    """The digits printed in a small black-on-white image, upright or slanted; None if unreadable."""
    inked = ImageOps.invert(ink.convert("L")).getbbox()
    if not inked:
        return None
    image = ImageOps.expand(ink.convert("L").crop(inked), border=15, fill=255)
    lang = "eng" if "eng" in languages() else LANG  # eng reads lone digits better (11, not 'II')
    for slant in (0.0, DESLANT):
        text = ocr_image(_deslant(image, slant), psm=7, lang=lang, enlarge=False)[0].strip()
        if DIGITS.fullmatch(text):
            return text
    return None


def _deslant(image: Image.Image, slant: float) -> Image.Image:
    if not slant:
        return image
    width, height = image.size
    extra = int(abs(slant) * height)
    return image.transform((width + extra, height), Image.AFFINE, (1, slant, -extra if slant < 0 else 0, 0, 1, 0),
                           resample=Image.BICUBIC, fillcolor=255)


def _line_annotations(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every annotation one text line high."""
    boxes = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        rect = pdfium_c.FS_RECTF()
        found = pdfium_c.FPDFAnnot_GetRect(annot, rect)
        pdfium_c.FPDFPage_CloseAnnot(annot)
        if found and 0 < rect.top - rect.bottom <= MAX_LINE_HEIGHT:
            boxes.append((rect.left, rect.bottom, rect.right, rect.top))
    return boxes


def _annotation_ink(page: pdfium.PdfPage) -> Image.Image:
    """Black where annotations (stamps, signature fields) draw, white elsewhere."""
    scale = render_scale(*page.get_size(), DPI)  # a huge page is drawn smaller
    with_stamps = page.render(scale=scale, grayscale=True, draw_annots=True, may_draw_forms=True).to_pil().convert("L")
    without = page.render(scale=scale, grayscale=True, draw_annots=False, may_draw_forms=False).to_pil().convert("L")
    return ImageOps.invert(ImageChops.difference(with_stamps, without))


def _role(textpage: pdfium.PdfTextPage, box: tuple[float, float, float, float]) -> str | None:
    """number/day/month from the word printed just left of the stamp on its line."""
    left, bottom, _, top = box
    middle = (bottom + top) / 2
    before = []  # (index, x, y) of characters left of the stamp within its height
    for index in range(textpage.count_chars()):
        char_left, char_bottom, char_right, char_top = textpage.get_charbox(index)
        x, y = (char_left + char_right) / 2, (char_bottom + char_top) / 2
        if bottom <= y <= top and x <= left + 4:
            before.append((index, x, y))
    if not before:
        return None
    # the stamp's own line is the one nearest its middle, not a line its box grazes
    line_y = min(before, key=lambda c: abs(c[2] - middle))[2]
    tolerance = (top - bottom) / 4  # accents and descenders move a character's centre a few points
    nearest = max((c for c in before if abs(c[2] - line_y) <= tolerance), key=lambda c: c[1])[0]
    start = max(0, nearest - 12)
    text = textpage.get_text_range(start, nearest + 4 - start)  # a few more: the rest of a word the stamp covers
    cut = nearest - start + 1
    if text[cut - 1:cut].isalpha():
        cut = WORD_TAIL.match(text, cut).end()  # 'ngà|y' → 'ngày'
    words = fold(text[:cut]).replace(":", " ").split()
    return ROLE_BY_LABEL.get(words[-1]) if words else None
