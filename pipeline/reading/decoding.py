"""A text file's bytes to text, never guessing silently.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such. A file that is
UTF-8 but for a few bad bytes (a stray Latin-1 byte pasted into a plan) is read as
UTF-8, those bytes replaced by U+FFFD and their offsets given in a warning; reading it
whole as TCVN3 would turn `Số: 187/KH-UBND` into `Sá»: 187 /KH-UBND`. A legacy reading
(Windows-1258, TCVN3, VNI) is chosen only when it reads as Vietnamese clearly better
than UTF-8 does; anything else (Shift-JIS, random bytes, a binary) is refused with a
reason.
"""
from __future__ import annotations

import regex

from vanban.extractors.cleaning.legacy_encodings import detect_legacy, repair_text
from vanban.extractors.cleaning.text_quality import quality
from vanban.models.records import UnreadableFile

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
WIDE_BOMS = tuple((bom, encoding) for bom, encoding in BOMS if encoding != "utf-8-sig")  # UTF-16 and UTF-32
# "A few bad bytes": at most this many, and at most this share of the file. A TCVN3 or VNI
# file has a bad byte in nearly every Vietnamese word (5-15 % of its bytes).
MAX_BAD_BYTES = 16
MAX_BAD_SHARE = 0.002
OFFSETS_SHOWN = 5
# A legacy reading must read as Vietnamese (score, see text_quality) at least this well,
# and this much better than the UTF-8 reading, over enough words to judge.
MIN_TEXT_SCORE = 0.6
CLEARLY_BETTER = 0.2
MIN_WORDS = 5
# Control characters no text file holds (C0 but tab/newlines, DEL, C1, non-characters);
# more than this share of them and the bytes are binary, whatever they decode as.
CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
MAX_CONTROL_SHARE = 0.001


def head_as_utf8(head: bytes) -> bytes:
    """A file's first bytes behind a UTF-16 or UTF-32 byte-order mark as UTF-8 (a character cut
    at the end dropped), for a check on its markup; any other bytes as they are.

    >>> head_as_utf8("<html>".encode("utf-16"))
    b'<html>'
    """
    for bom, encoding in WIDE_BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore").encode()
    return head


def bad_utf8_offsets(data: bytes, enough: int = MAX_BAD_BYTES + 1) -> list[int]:
    """Byte offsets where data is not UTF-8 (the first `enough` of them).

    >>> bad_utf8_offsets("Số: 187".encode() + b"\\xff")
    [9]
    """
    offsets, start = [], 0
    while len(offsets) < enough:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offsets.append(start + exc.start)
            start += exc.end
    return offsets


def _is_binary(text: str) -> bool:
    return len(CONTROL.findall(text)) > max(1, MAX_CONTROL_SHARE * len(text))


def _legacy(data: bytes) -> tuple[str, str, float] | None:
    """The best reading of data as Windows-1258 or TCVN3/VNI: (text, its name, score), or None."""
    candidates = []
    try:
        candidates.append((data.decode("cp1258"), "Windows-1258 (cp1258)"))
    except UnicodeDecodeError:
        pass
    candidates.append((data.decode("latin-1"), "a legacy 8-bit encoding (TCVN3/VNI)"))
    best = None
    for text, name in candidates:
        if _is_binary(text):
            continue
        q = quality(repair_text(text))
        # TCVN3 tables are keyed on Latin-1 bytes; cp1258 reads a few of them as other Vietnamese
        # letters (0xD5: Ơ, where TCVN3 means ế), so on a tie the TCVN3/VNI reading wins
        rank = (q.score, name == candidates[-1][1] and detect_legacy(text) is not None)
        if q.words >= MIN_WORDS and (best is None or rank > best[0]):
            best = (rank, text, name)
    return (best[1], best[2], best[0][0]) if best else None


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Text of a file's bytes and, when it was not plain UTF-8, a warning saying how it was read.

    >>> text, warning = decode_text("Số: 187/KH-UBND".encode() + b"\\xff")
    >>> text[:15], warning
    ('Số: 187/KH-UBND', 'not valid UTF-8 at 1 byte(s) (offset 17); read as UTF-8 with them replaced by U+FFFD')
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"text with a {encoding} byte-order mark is not valid {encoding} "
                                     f"({exc.reason} at byte {exc.start})") from exc
            if _is_binary(text):
                raise UnreadableFile(f"binary data behind a {encoding} byte-order mark, not text")
            return text, None
    bad = bad_utf8_offsets(data)
    if not bad:
        text = data.decode("utf-8")
        if _is_binary(text):
            raise UnreadableFile("binary data (control bytes), not text; is it the file you meant?")
        return text, None
    few = len(bad) <= MAX_BAD_BYTES and len(bad) <= max(1, MAX_BAD_SHARE * len(data))
    utf8 = data.decode("utf-8", "replace")
    legacy = _legacy(data) if b"\x00" not in data else None
    if legacy:
        text, name, score = legacy
        if score >= MIN_TEXT_SCORE and (not few or score >= quality(utf8).score + CLEARLY_BETTER):
            return text, f"not UTF-8; read as {name}"
    if few and not _is_binary(utf8):
        shown = ", ".join(str(offset) for offset in bad[:OFFSETS_SHOWN]) + (" …" if len(bad) > OFFSETS_SHOWN else "")
        return utf8, (f"not valid UTF-8 at {len(bad)} byte(s) (offset {shown}); "
                      "read as UTF-8 with them replaced by U+FFFD")
    raise UnreadableFile("not UTF-8 text, and not Vietnamese in a legacy encoding (cp1258, TCVN3, VNI): "
                         "binary data or an unknown encoding; re-save it as UTF-8")
