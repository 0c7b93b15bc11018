from vanban.pipeline.store.facets import facet_match, facet_tokens, scope_match, scope_tokens, token


def test_a_value_is_one_token_without_diacritics_or_spaces():
    assert token("p", "Bà Rịa - Vũng Tàu") == "pbariavungtau"
    assert token("p", "Đắk Lắk") == "pdaklak"
    assert token("y", 2019) == "y2019"
    assert token("t", None) is None and token("t", "") is None and token("t", " - ") is None


def test_tokens_and_match_expressions():
    assert facet_tokens("Kế hoạch", None, 2022) == "tkehoach y2022"
    assert facet_match() == ""
    assert facet_match(province="Tuyên Quang") == 'facets : ("ptuyenquang")'
    assert scope_tokens("cited", "Quyết định", "national") == "kcitedtquyetdinhjnational"
    assert scope_match("headerless", "Kế hoạch", "Lạng Sơn") == 'scope : ("kheaderlesstkehoachjlangson")'
