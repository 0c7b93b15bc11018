from vanban.pipeline import store
from vanban.pipeline.store.search import count_matches, find_document, fts_query, search
from tests.conftest import make_document


def build(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    doc = make_document("Số: 187 /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
                        "Kế hoạch chuyển đổi số tỉnh Tuyên Quang năm 2022\n"
                        "I. MỤC TIÊU\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.\n",
                        "corpus/kh187.txt")
    store.save_documents(db, "corpus/kh187.txt", "f", [doc])
    return db


def test_query_without_diacritics_finds_vietnamese(tmp_path):
    db = build(tmp_path)
    hits = search(db, "ke hoach chuyen doi so")
    assert hits and hits[0].text.startswith("Kế hoạch chuyển đổi số")
    a, b = hits[0].highlights[0]
    assert hits[0].text[a:b] == "Kế"


def test_query_with_diacritics_and_d(tmp_path):
    db = build(tmp_path)
    assert search(db, "Đổi SỐ") and search(db, "doi so")
    assert search(db, "hồ sơ công việc")[0].so_hieu == "187/KH-UBND"
    assert not search(db, "ngân sách")


def test_fts_query_is_safe():
    assert fts_query('"NOT" OR (x*') == '"not" "or" "x"'


def test_find_document_by_number_or_name(tmp_path):
    db = build(tmp_path)
    assert find_document(db, "187/KH-UBND")["source_name"] == "kh187.txt"
    assert find_document(db, "kh187")["so_hieu"] == "187/KH-UBND"
    assert find_document(db, "nothing") is None


def test_filters_by_type_province_and_year_and_counts(tmp_path):
    db = build(tmp_path)
    assert search(db, "ho so cong viec", doc_type="Kế hoạch", province="Tuyên Quang", year=2022)
    assert not search(db, "ho so cong viec", doc_type="Quyết định")
    assert not search(db, "ho so cong viec", year=2021)
    assert count_matches(db, "chuyen doi so") == len(search(db, "chuyen doi so", -1)) >= 1


def test_only_the_hits_returned_read_their_documents_and_the_filters_stay_exact(tmp_path):
    db = build(tmp_path)
    for n in range(188, 193):  # five more plans of the same province and year
        doc = make_document(f"Số: {n} /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
                            f"Kế hoạch chuyển đổi số số {n}\n", f"corpus/kh{n}.txt")
        store.save_documents(db, f"corpus/kh{n}.txt", f"f{n}", [doc])
    read = []
    db.conn.set_trace_callback(read.append)
    hits = search(db, "chuyen doi so", 2, doc_type="Kế hoạch", province="Tuyên Quang", year=2022)
    db.conn.set_trace_callback(None)
    assert len(hits) == 2 and all(h.so_hieu and h.source for h in hits)
    # one statement, for the hits' documents alone, of six matching
    reads = [sql for sql in read if "document_matches" in sql]
    every = [doc_id for (doc_id,) in db.conn.execute("select doc_id from renditions")]
    assert len(reads) == 1 and {d for d in every if d in reads[0]} == {h.doc_id for h in hits}
    # found by doc_id, the filters checked on each: never a whole province's renditions through its index
    plan = " ".join(row[3] for row in db.conn.execute("explain query plan " + reads[0]))
    assert "(doc_id=?)" in plan and "renditions_province" not in plan and "OR" not in plan
    assert search(db, "chuyen doi so", 0) == []
    # the index's filter tokens are folded; the filter itself is not
    assert search(db, "chuyen doi so", province="Tuyen Quang") == []
