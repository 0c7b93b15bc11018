"""A second look at a scan's signature block, without the red seal over the name.

The seal (con dấu) is stamped over the signature and often over the signer's printed
name; in a grey image its red ring is as dark as the letters and Tesseract loses the
name. In the red channel red ink is nearly white, while black print and blue
signatures stay dark. When a scanned document's OCR gave no signer, the signature
column (right part, lower two thirds) of the page holding 'Nơi nhận' or the signature
block, else of the last pages, is OCRed again from the red channel alone and read as a
signature block.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
from PIL import Image

from vanban.extractors.identity import read_signature_block
from vanban.models.records import Document, UnreadableFile
from vanban.pipeline.reading.ocr import ocr_image, render_scale
from vanban.pipeline.reading.readers import HEAD_BYTES, page_images, sniff

DPI = 300
# The signature column: right of 40% of the width, below 30% of the height.
REGION = (0.4, 0.3, 1.0, 1.0)
PAGES_FROM_END = 2  # an appendix may follow the signature page


def rescue_signer(path: Path, doc: Document) -> bool:
    """Fill doc's missing signer (and signer title, if missing too) from its signature column, seal removed.

    True when a signer was found; the identity's notes say how.
    """
    ident = doc.identity
    if ident.signer or not doc.pages:
        return False  # a title alone is not worth another OCR: on the external scans it never came back
    for number in _signature_pages(doc):
        try:
            text = ocr_image(_signature_column(_page_image(path, number)))[0]
        except (UnreadableFile, pdfium.PdfiumError, OSError):
            return False
        signer, title, _ = read_signature_block([line for line in text.splitlines() if line.strip()], ocr=True)
        how = f"read from page {number}'s signature column OCRed again without the red seal"
        if title and not ident.signer_title:
            ident.signer_title, ident.notes["signer_title"] = title, how
        if signer:
            ident.signer, ident.notes["signer"] = signer, how
            return True
    return False


def _signature_pages(doc: Document) -> list[int]:
    """OCRed pages that may hold the signature: where 'Nơi nhận' / the signature block was
    found, else the last pages (an appendix may follow the signature page)."""
    found = sorted({p.span.page for p in doc.passages if p.kind in ("recipients", "signature") and p.span.page})
    candidates = found[-PAGES_FROM_END:] or [page.number for page in doc.pages[-PAGES_FROM_END:]]
    ocr_pages = {page.number for page in doc.pages if page.method == "ocr"}
    return [number for number in reversed(candidates) if number in ocr_pages]


def without_red(image: Image.Image) -> Image.Image:
    """The red channel as a grey image: a red seal fades, black and blue ink stay."""
    return image.convert("RGB").getchannel("R") if image.mode not in ("L", "1") else image.convert("L")


def _signature_column(image: Image.Image) -> Image.Image:
    width, height = image.size
    left, top, right, bottom = REGION
    return without_red(image).crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))


def _page_image(path: Path, number: int) -> Image.Image:
    """Page `number` (1-based) in colour: rendered from a PDF, or a frame of an image file."""
    with open(path, "rb") as fh:
        kind = sniff(path, fh.read(HEAD_BYTES))
    if kind == "pdf":
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            return page.render(scale=render_scale(*page.get_size(), DPI)).to_pil()
        finally:
            pdf.close()
    group = page_images(path)  # a document photographed one image a page: page n is the n-th image
    if len(group) > 1:
        return Image.open(group[number - 1]).copy()
    image = Image.open(path)
    image.seek(number - 1)
    return image.copy()
