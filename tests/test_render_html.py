import html

from click.testing import CliRunner

from vanban.pipeline.cli.main import main
from vanban.pipeline.reports.annotate import anchor, render_document_html
from tests.citation_store import make_store


def document_row(db, source):
    return next(db.query("select * from documents where source = ?", [source]))


def test_anchor_is_a_plain_html_id():
    assert anchor("45/2020/NĐ-CP|2020|national") == "node-45-2020-NĐ-CP-2020-national"


def test_mentions_are_marked_and_linked_to_their_nodes(tmp_path):
    db = make_store(tmp_path / "v.db")
    page = render_document_html(db, document_row(db, "a.txt"))
    assert page.count("<mark") == 4  # three references and one figure
    decree = html.escape("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ")
    start = page.index(decree)
    mark = page[page.rindex("<mark", 0, start):page.index("</mark>", start)]
    assert "LEGAL_BASIS" in mark and 'href="#node-45-2020-NĐ-CP-2020-national"' in mark
    assert 'id="node-45-2020-NĐ-CP-2020-national"' in page  # the link lands in the references table
    assert "TARGET" in page and 'id="measure-0"' in page


def test_show_html_writes_a_file(tmp_path):
    make_store(tmp_path / "v.db")
    out = tmp_path / "a.html"
    result = CliRunner().invoke(main, ["show", "10/KH-UBND", "--format", "html", "-o", str(out), "--db", str(tmp_path / "v.db")])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Kế hoạch số 20/KH-UBND ngày 01/5/2021" in text
