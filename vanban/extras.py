"""Optional features: the heavy packages that serve one feature each, and the extra of
`pip install vanban[…]` that adds each (pyproject.toml, [project.optional-dependencies]).

A feature imports its package through `need`, when it is used, so the core installs and
imports without them and a missing one is named with what to install.
"""
from __future__ import annotations

import importlib
from types import ModuleType

EXTRAS = {"matplotlib": "charts", "openpyxl": "xlsx", "pdfplumber": "bench", "datasette": "web", "starlette": "web",
          "uvicorn": "web", "ray": "ray"}


class MissingExtra(ImportError):
    """An optional package a feature needs is not installed."""


def need(module: str, feature: str) -> ModuleType:
    """Import module for feature, or raise MissingExtra saying which extra installs it.

    >>> need("vanban_bieu_do", "vanban measures compare")
    Traceback (most recent call last):
    vanban.extras.MissingExtra: vanban measures compare needs vanban_bieu_do, which is not installed: pip install 'vanban[all]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package = module.split(".")[0]
        raise MissingExtra(f"{feature} needs {package}, which is not installed: "
                           f"pip install 'vanban[{EXTRAS.get(package, 'all')}]'") from exc
