import json

from vanban.pipeline.dev.evaluation.identity import score_identity
from vanban.pipeline.dev.evaluation.run import render, variant_of


def test_field_scores(tmp_path):
    gold = tmp_path / "identity.json"
    gold.write_text(json.dumps({
        "a.txt": {"type": "Kế hoạch", "id": "187/KH-UBND", "date": "2022-10-03", "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang",
                  "signer": None, "title_contains": "chuyển đổi số"},
        "b.txt": {"type": "Báo cáo", "id": None, "date": "2022-05", "issuer": None, "signer": "Nguyễn Văn Hiến",
                  "title_contains": "Kết quả"}}, ensure_ascii=False), encoding="utf-8")
    predicted = {
        "a.txt": {"type": "Kế hoạch", "id": "187/KH-UBND", "date": "2022-10-03",
                  "issuer": "UY BAN NHAN DAN TINH TUYEN QUANG", "signer": "Nguyễn Văn Sơn", "title": "Nâng cao chuyển đổi số"},
        "b.txt": {"type": "Báo cáo", "id": "12/BC-STTTT", "date": "2022-05", "issuer": None, "signer": None, "title": None},
    }
    scores = score_identity(gold, predicted)
    fields = scores["fields"]
    assert scores["documents"] == 2
    assert fields["type"]["accuracy"] == 1.0 and fields["issuer"]["accuracy"] == 1.0  # folded comparison
    assert fields["id"]["accuracy"] == 0.5 and fields["id"]["precision"] == 0.5 and fields["id"]["recall"] == 1.0
    assert fields["signer"]["accuracy"] == 0.0 and fields["signer"]["fp"] == 1 and fields["signer"]["fn"] == 1
    assert fields["title"]["accuracy"] == 0.5
    assert any("b.txt id" in e for e in scores["errors"])


def test_variant_is_the_folder():
    assert variant_of("corpus/scanned/001_x.pdf") == "scanned"
    assert variant_of("data/vbpl.jsonl#vbpl-doc_1") == "data"


def test_render_empty_report_says_what_to_do():
    assert "vanban ingest" in render({})
