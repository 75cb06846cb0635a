"""registry.names.search_document: the pg_trgm column."""

from registry.names import search_document


def test_document_holds_names_romanisations_and_keys() -> None:
    document = search_document(["(주)에코프로비엠", "EcoPro BM Co., Ltd."])
    assert document.split(" | ") == [
        "(주)에코프로비엠",
        "(ju)ekopeurobiem",
        "에코프로비엠",
        "ekopeurobiem",
        "ecopro bm co., ltd.",
        "ecoprobm",
    ]


def test_document_of_a_japanese_company() -> None:
    parts = search_document(["株式会社デンソー", "ﾃﾞﾝｿｰ", "DENSO CORPORATION"]).split(" | ")
    assert parts == ["株式会社デンソー", "株式会社denso", "デンソー", "denso", "denso corporation"]


def test_document_skips_empty_names_and_repeats() -> None:
    assert search_document([None, "", "Samsung", "SAMSUNG", "  samsung "]) == "samsung"


def test_document_of_nothing_is_empty() -> None:
    assert search_document([]) == ""
    assert search_document([None, ""]) == ""


def test_document_of_a_name_that_is_only_a_legal_form() -> None:
    assert search_document(["株式会社"]) == "株式会社"
