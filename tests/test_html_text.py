"""vanban.pipeline.reading.html_text: an HTML page's lines, on markup written here."""
from __future__ import annotations

from vanban.pipeline.reading.html_text import html_text

# the shape of a Word document saved as "Web Page": properties in <xml>, styles, conditional
# comments, the two-column header as a table, paragraphs with Word's spans and <o:p>
WORD_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8"><title>Kế hoạch</title>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal {margin:0cm;}</style><script>var x = "Số: 1/KH-UBND";</script></head>
<body lang=VI><div class=WordSection1>
<table class=MsoTableGrid><tr><td><p class=MsoNormal><b>ỦY BAN NHÂN DÂN<br>TỈNH HÀ GIANG</b></p>
<p>Số: 25/KH-UBND</p></td><td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></p>
<p>Độc lập - Tự do - Hạnh phúc</p></td></tr></table>
<p align=center><b><span style='font-size:14.0pt'>KẾ
HOẠCH</span></b><o:p></o:p></p>
<p>Căn cứ Luật Tổ chức chính quyền địa phương&nbsp;ngày 19/6/2015 &amp; các văn bản;</p>
<![if !supportLists]><p>- Phấn đấu 90% hồ sơ<br/>được xử lý trên môi trường mạng.</p><![endif]>
</div></body></html>"""


def test_a_word_web_page_reads_as_its_docx_would():
    assert html_text(WORD_PAGE).splitlines() == [
        "ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 25/KH-UBND",  # the header's table: each cell's lines
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "",
        "KẾ HOẠCH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015 & các văn bản;",
        "- Phấn đấu 90% hồ sơ",
        "được xử lý trên môi trường mạng.",
    ]


def test_what_a_page_does_not_show_is_left_out():
    text = html_text(WORD_PAGE)
    assert "Print" not in text and "MsoNormal" not in text and "var x" not in text and "Kế hoạch" not in text


def test_unclosed_paragraphs_and_stray_cells_still_make_lines():
    assert html_text("<p>một<p>hai<td>ba<td>ba<td>bốn") == "một\nhai\nba | bốn"  # a merged cell's copy once


def test_a_page_with_nothing_to_show_is_empty():
    assert html_text("<html><head><style>p{}</style></head><body><script>x()</script></body></html>") == ""


def test_a_table_of_figures_stays_a_row_a_line_its_cells_paragraphs_joined():
    assert html_text("<table><tr><td><p>Tỷ lệ hồ sơ</p><p>trực tuyến</p></td><td>90%</td></tr>"
                     "<tr><td>Tỷ lệ ký số</td><td>80%</td></tr></table>") == (
        "Tỷ lệ hồ sơ trực tuyến | 90%\nTỷ lệ ký số | 80%")
