"""The library API: `import vanban` and its verbs, the installed package alone, optional extras."""
import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

import vanban
from vanban.extras import EXTRAS, MissingExtra, need
from vanban.models.records import Document, Page
from vanban.models.vietnamese import fold

ROOT = Path(__file__).resolve().parent.parent
DECREE = "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ"
PLAN = ("Số: 187/KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
        "Nâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang năm 2022\n\n" + DECREE + ";\n\n"
        "I. MỤC TIÊU\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.")


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_installed_package_works_from_anywhere_and_nothing_generic_is_installed(tmp_path):
    found = _python(f"import vanban; print(vanban.find_references({DECREE!r})[0].id)", tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "47/2020/NĐ-CP"
    for generic in ("models", "extractors", "pipeline"):
        assert _python(f"import {generic}", tmp_path).returncode != 0, generic


def test_import_vanban_loads_nothing_heavy(tmp_path):
    probe = _python("import sys, vanban; print(sorted(m for m in sys.modules if m.split('.')[0] in "
                    "('underthesea', 'sqlite_utils', 'networkx', 'pypdfium2', 'regex') or m.startswith('vanban.')))",
                    tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "[]"


def test_every_public_name_is_documented_with_an_example():
    assert vanban.__version__ == version("vanban")
    for name in vanban.__all__:
        if name != "__version__":
            doc = getattr(vanban, name).__doc__
            assert doc and ">>>" in doc and fold(doc) != doc.lower(), name  # an example in Vietnamese


def test_cli_reports_the_same_version():
    from click.testing import CliRunner
    from vanban.pipeline.cli.main import main

    assert vanban.__version__ in CliRunner().invoke(main, ["--version"]).output


@pytest.mark.parametrize("given", [PLAN, PLAN.split("\n\nI. "), [Page(1, PLAN, "plain")]], ids=["str", "pages", "Page"])
def test_analyse_takes_text_or_pages(given):
    doc = vanban.analyse(given)
    assert isinstance(doc, Document)
    assert doc.identity.id == "187/KH-UBND" and doc.identity.province == "Tuyên Quang"
    assert [r.id for r in doc.references] == ["47/2020/NĐ-CP"]
    assert [m.value for m in doc.measures] == [90.0]
    measure = doc.measures[0]
    page = doc.pages[measure.span.page - 1].text
    assert page[measure.span.page_start:measure.span.page_end] == doc.text[measure.span.start:measure.span.end] == "90%"


def test_pages_are_numbered_in_order():
    doc = vanban.analyse(["Số: 12/BC-UBND\nBÁO CÁO", "Tỷ lệ hồ sơ trực tuyến đạt 55,82%."])
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.measures[0].span.page == 2


def test_annotate_marks_references_and_figures():
    doc = vanban.analyse(PLAN)
    html = vanban.annotate(doc.text, doc.references + doc.measures)
    assert html.count("<mark") == 2 and "LEGAL_BASIS 47/2020/NĐ-CP" in html and "TARGET" in html


def test_ingest_and_open_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "187.txt").write_text(PLAN, encoding="utf-8")
    summary = vanban.ingest(folder, tmp_path / "vanban.db", jobs=1)
    assert (summary.documents, summary.failures) == (1, [])
    db = vanban.open_store(tmp_path / "vanban.db")
    assert [r["so_hieu"] for r in db.query("select so_hieu from documents")] == ["187/KH-UBND"]


# optional dependencies

def test_core_dependencies_leave_the_one_feature_packages_to_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"])
    extras = project["optional-dependencies"]
    for package, extra in EXTRAS.items():
        assert package not in core and any(package in d for d in extras[extra]), package
    assert "spacy" not in json.dumps(project).lower()  # nothing imports it
    assert set(extras["all"][0].split("[")[1].rstrip("]").split(",")) == set(EXTRAS.values())


def test_every_module_imports_without_the_extras(tmp_path):
    """A core install: every module of the package imports (doctest collection, the CLI)
    with matplotlib, openpyxl and pdfplumber missing."""
    code = f"""
import importlib, pkgutil, sys
class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {sorted(EXTRAS)!r}:
            raise ImportError("no " + name)
sys.meta_path.insert(0, Missing())
import vanban
for pkg in ("vanban.models", "vanban.extractors", "vanban.pipeline"):
    for info in pkgutil.walk_packages(importlib.import_module(pkg).__path__, pkg + "."):
        importlib.import_module(info.name)
print("ok")
"""
    result = _python(code, tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_a_missing_extra_is_named_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    with pytest.raises(MissingExtra, match=r"pip install 'vanban\[xlsx\]'"):
        need("openpyxl", "the XLSX evidence report")
    from vanban.pipeline.reports.evidence import write_xlsx
    with pytest.raises(MissingExtra, match="openpyxl"):
        write_xlsx(tmp_path / "r.xlsx", [], province="Tuyên Quang", year=2021, catalogue_version="DTI 2021", threshold=0.5)
