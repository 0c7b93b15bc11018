from vanban.models.records import Page
from vanban.extractors.cleaning.normalise import normalise


def clean(text: str, pages=None):
    return normalise(pages or [Page(1, text, "plain")])


def test_joins_hard_wraps_and_blank_lines_inside_a_sentence():
    c = clean("Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số 49-NQ/TU ngày \n\n28/9/2021 về chuyển đổi số tỉnh Lạng Sơn.\n")
    assert c.text == "Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số 49-NQ/TU ngày 28/9/2021 về chuyển đổi số tỉnh Lạng Sơn."


def test_keeps_list_items_and_headings_apart():
    c = clean("I. MỤC TIÊU\n- 100% hồ sơ được xử lý;\n- 80% văn bản\nđược ký số.\n")
    assert c.text.split("\n") == ["I. MỤC TIÊU", "- 100% hồ sơ được xử lý;", "- 80% văn bản được ký số."]


def test_number_with_thousands_dot_is_not_a_list_number():
    c = clean("cổng dịch vụ công tỉnh thực hiện cung cấp \n1.846 dịch vụ.\n")
    assert c.text == "cổng dịch vụ công tỉnh thực hiện cung cấp 1.846 dịch vụ."


def test_drops_page_numbers_and_markdown():
    c = clean("**KẾ HOẠCH**\n\n12\n\n### 1.2. Xếp hạng\n")
    assert c.text == "KẾ HOẠCH\n1.2. Xếp hạng"


def test_footnotes_are_moved_after_the_body_and_markers_removed():
    text = ("theo hướng dẫn của Bộ Thông tin và Truyền thông1. \n\n"
            "II. HẠ TẦNG \n" + " " * 40 + "\n1 Kế hoạch số 198/KH-UBND ngày 18/12/2020 của UBND tỉnh. \n"
            " tiếp tục nội dung chính.\n")
    c = clean(text)
    body, notes = c.text[:c.footnotes_start], c.text[c.footnotes_start:]
    assert "Truyền thông." in body and "Truyền thông1" not in body
    assert notes.startswith("1 Kế hoạch số 198/KH-UBND")
    assert "198/KH-UBND" not in body
    assert any(is_note for _, _, is_note in c.paragraphs)


def test_running_headers_are_removed():
    pages = [Page(i, f"CÔNG BÁO TỈNH\nNội dung trang {i} đầy đủ.\n", "text") for i in range(1, 5)]
    assert "CÔNG BÁO" not in clean("", pages).text


def test_offset_map_points_at_the_same_words(seed_text):
    source = seed_text("002")
    c = clean(source)
    for word in ["3570/BTTTT-THH", "49-NQ/TU", "Dương Xuân Huyên", "198/KH-UBND"]:
        at = c.text.index(word)
        page, start, end = c.map.span(at, at + len(word))
        assert page == 1 and source[start:end] == word


def test_offsets_across_pages():
    pages = [Page(1, "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính\n", "text"),
             Page(2, "phủ về thủ tục hành chính trên môi trường điện tử;\n", "text")]
    c = clean("", pages)
    at = c.text.index("thủ tục")
    assert c.map.span(at, at + 7) == (2, pages[1].text.index("thủ tục"), pages[1].text.index("thủ tục") + 7)
    assert "Chính phủ" in c.text


def test_markdown_heading_is_its_own_paragraph():
    c = clean("# Nghị quyết số 57-NQ/TW\nThay mặt Bộ Chính trị, Tổng Bí thư đã ký.\n")
    assert c.text.split("\n") == ["Nghị quyết số 57-NQ/TW", "Thay mặt Bộ Chính trị, Tổng Bí thư đã ký."]


def test_markdown_list_items_and_code_fences():
    c = clean("**Nơi nhận:**\n\n*   Ban Bí thư (để b/c),\n*   Lưu VT.\n\n**BÍ THƯ**\n\nTrần Thanh Mẫn\n```\n")
    assert c.text.split("\n") == ["Nơi nhận:", "- Ban Bí thư (để b/c),", "- Lưu VT.", "BÍ THƯ", "Trần Thanh Mẫn"]


def test_the_motto_closes_its_line():
    c = clean("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLuật số: 117/2025/QH15\n")
    assert "Luật số: 117/2025/QH15" in c.text.split("\n")


def test_a_dated_sentence_opens_a_paragraph_after_an_unpunctuated_title():
    c = clean("THÔNG BÁO\nKết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe\nbáo cáo trong thời gian đến\n"
              "Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh chủ trì họp nghe báo cáo.\n")
    assert c.text.split("\n")[1:] == ["Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe báo cáo trong thời gian đến",
                                      "Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh chủ trì họp nghe báo cáo."]


def test_a_syllable_broken_after_its_first_letters_is_joined():
    c = clean("TM. CHÍNH PH\nỦ\nKT. TH\nỦ TƯỚNG\nPHÓ TH\nỦ TƯỚNG\nTr\nần Hồng Hà\n")
    assert c.text.split("\n") == ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Trần Hồng Hà"]
    assert clean("Bộ Tư pháp và\nỦy ban nhân dân\n").text == "Bộ Tư pháp và Ủy ban nhân dân"  # words, not pieces


def test_a_piece_of_a_word_on_a_line_of_its_own_is_joined_to_its_word():
    # some web pages print an accented vowel, a drop cap or a comma in an element of its own
    c = clean("V\nề\nviệc phát tri\nể\nn kho lưu tr\nữ d\nữ liệu qu\nố\nc gia\n")
    assert c.text == "Về việc phát triển kho lưu trữ dữ liệu quốc gia"
    assert clean("B\nan hành\nQ\nuy chế làm việc\n").text == "Ban hành Quy chế làm việc"
    assert clean("NGHỊ QUYẾT\nQU\nỐ\nC H\nỘ\nI\n").text == "NGHỊ QUYẾT\nQUỐC HỘI"
    assert clean("các cơ ch\nế\n, chính sách\n").text == "các cơ chế, chính sách"


def test_a_letter_on_a_line_of_its_own_stays_a_word_when_it_joins_nothing():
    assert clean("sửa đổi một số điều của\nN\nghị định số 15\n").text == "sửa đổi một số điều của Nghị định số 15"
    assert clean("Phương án\nA\nvà phương án\nB\n").text == "Phương án A và phương án B"
    assert clean("Mục\nI\nQuy định chung\n").text == "Mục I Quy định chung"


def test_a_number_printed_in_pieces_is_one_number():
    c = clean("Số:\n41\n/202\n5\n/TT-BCA\nHà Nội, ngày\n9\ntháng\n8\nnăm 202\n5\nTHÔNG TƯ\n")
    assert c.text.split("\n") == ["Số:", "41/2025/TT-BCA", "Hà Nội, ngày 9 tháng 8 năm 2025", "THÔNG TƯ"]
    assert clean("tăng 12\n15 điểm\n").text == "tăng 12 15 điểm"  # two numbers that make no year stay two


def test_a_markdown_table_holding_the_header_is_read_cell_by_cell():
    source = ("| ỦY BAN NHÂN DÂN<br>TỈNH BẮC NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc |\n"
              "| --- | --- |\n| Số: 15/KH-UBND | Bắc Ninh, ngày 12 tháng 3 năm 2024 |\n\nKẾ HOẠCH\n")
    c = clean(source)
    lines = c.text.split("\n")
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"] and "Số: 15/KH-UBND" in lines
    at = c.text.index("TỈNH BẮC NINH")
    page, offset = c.map.locate(at)
    assert source[offset:offset + 13] == "TỈNH BẮC NINH"  # offsets still point into the source


def test_a_table_in_the_body_stays_a_row_a_line():
    c = clean("| TT | Chỉ tiêu | Kết quả |\n| --- | --- | --- |\n| 1 | Tỷ lệ hồ sơ trực tuyến | 80% |\n")
    assert "Tỷ lệ hồ sơ trực tuyến" in c.text and "80%" in c.text.split("\n")[-1]


def test_a_place_and_date_wrapped_before_its_year_stays_one_line():
    c = clean("Số: 333/2025/NĐ-CP\nHà Nội, ngày 18\ntháng 12 năm 2025\nNGHỊ ĐỊNH\n")
    assert "Hà Nội, ngày 18 tháng 12 năm 2025" in c.text.split("\n")
    c = clean("Số: 20/2025/TT-BQP\nHà Nội, ngày 11 tháng 4\nnăm 2025\nTHÔNG TƯ\n")
    assert "Hà Nội, ngày 11 tháng 4 năm 2025" in c.text.split("\n")


def test_a_header_written_a_row_a_line_with_bars_between_its_cells_is_read_cell_by_cell():
    c = clean("ỦY BAN NHÂN DÂN TỈNH BẮC NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
              "Số: 15/KH-UBND | Bắc Ninh, ngày 12 tháng 3 năm 2024\n\nKẾ HOẠCH\n"
              "Tỷ lệ hồ sơ trực tuyến | 90%\n")
    lines = c.text.split("\n")
    assert lines[:2] == ["ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"]
    assert "Số: 15/KH-UBND" in lines and "Tỷ lệ hồ sơ trực tuyến | 90%" in lines  # a row of figures stays
