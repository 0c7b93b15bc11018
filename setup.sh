#!/usr/bin/env bash
# Set up vanban on a fresh Debian/Ubuntu machine with python3 + pip; safe to run again.
#   1. Tesseract with Vietnamese data, a font with Vietnamese glyphs, Chromium and LibreOffice Writer (apt-get, when missing)
#   2. vanban itself, editable, with every optional feature (extra "all") and the test extras
#   3. the PDF corpus (corpus/pdf, corpus/scanned) built from corpus/seeds, when absent
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "setup.sh: need root (or sudo) to run: $*" >&2; return 1
    fi
}

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    missing+=(tesseract-ocr-vie)
fi
# English data reads the digits an e-signature stamps into a header (pipeline/reading/esign.py)
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx eng; then
    missing+=(tesseract-ocr-eng)
fi
# orientation detection: a page scanned upside down or on its side is read again upright
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx osd; then
    missing+=(tesseract-ocr-osd)
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
    || missing+=(fonts-dejavu-core)
# headless Chromium renders the HTML reports in the tests
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# LibreOffice (Writer, no GUI) converts legacy .doc/.rtf/.odt to DOCX (pipeline/reading/readers.py)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's own python3 refuses system-wide installs (PEP 668) unless told otherwise.
"$PYTHON" -m pip install -q -e ".[all,test]" 2>/dev/null \
    || "$PYTHON" -m pip install -q --break-system-packages -e ".[all,test]"

if ! ls corpus/pdf/*.pdf >/dev/null 2>&1 || ! ls corpus/scanned/*.pdf >/dev/null 2>&1; then
    "$PYTHON" -m vanban.pipeline.dev.make_corpus
fi
echo "setup.sh: ready (tesseract $(tesseract --version 2>/dev/null | head -1 | cut -d' ' -f2), corpus in corpus/pdf and corpus/scanned)"
