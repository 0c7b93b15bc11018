import csv
import io
import json

import networkx as nx
from click.testing import CliRunner

from vanban.pipeline.cli.main import main
from tests.citation_store import make_store


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_cited_by_answers_which_plans_cite_a_decree(tmp_path):
    make_store(tmp_path / "v.db")
    result = run("cited-by", "nd 45/2020", "--type", "KH", "--db", tmp_path / "v.db", "--format", "json")
    rows = json.loads(result.stdout)
    assert {r["so_hieu"] for r in rows} == {"10/KH-UBND", "204/KH-UBND"}
    assert all(r["type"] == "Kế hoạch" and r["depth"] == 1 for r in rows)


def test_cited_by_transitive_as_csv(tmp_path):
    make_store(tmp_path / "v.db")
    result = run("cited-by", "45/2020/ND-CP", "--transitive", "--db", tmp_path / "v.db", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["so_hieu"], r["depth"]) for r in rows} >= {("30/QĐ-UBND", "2"), ("10/KH-UBND", "1")}


def test_cites_prints_a_table(tmp_path):
    make_store(tmp_path / "v.db")
    result = run("cites", "kh 10", "--db", tmp_path / "v.db")
    assert "45/2020/NĐ-CP" in result.stdout and "14/CT-TTg" in result.stdout and "relation" in result.stdout


def test_an_unknown_id_says_what_to_try(tmp_path):
    make_store(tmp_path / "v.db")
    result = CliRunner().invoke(main, ["cited-by", "nd 99/2099", "--db", str(tmp_path / "v.db")])
    assert result.exit_code != 0 and "no document matches" in result.output


def test_graph_build_export_and_draw(tmp_path):
    db = tmp_path / "v.db"
    make_store(db)
    assert "nodes:" in run("graph", "build", "--db", db).stdout
    run("graph", "export", "--format", "graphml", "-o", tmp_path / "g.graphml", "--db", db)
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() > 0
    assert json.loads(run("graph", "export", "--format", "json", "--db", db).stdout)["nodes"]
    run("graph", "draw", "204/KH-UBND", "-o", tmp_path / "d.png", "--db", db)
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"
