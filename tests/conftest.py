"""Shared fixtures: paths to the bundled corpus and a store built from text documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from vanban.models.records import Page
from vanban.pipeline.reading.analyse import build_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


@pytest.fixture
def seed_text():
    def read(prefix: str) -> str:
        return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return read


def make_document(text: str, source: str = "doc.txt"):
    """A Document built by the real extract stage from one page of text."""
    return build_document(source, [Page(1, text, "plain")])
