"""registry.names CJK grams for 1–2 character queries."""

import pytest

from registry.names import cjk_grams, is_short_cjk_query, query_grams


def test_grams_of_a_korean_name() -> None:
    assert cjk_grams(["에코프로비엠"]) == sorted(
        ["에", "코", "프", "로", "비", "엠", "에코", "코프", "프로", "로비", "비엠"]
    )


def test_bigrams_do_not_cross_spaces_or_other_scripts() -> None:
    grams = cjk_grams(["삼성 전자", "東京x都"])
    assert "성전" not in grams
    assert "京都" not in grams
    assert {"삼성", "전자", "東京", "都"} <= set(grams)
    assert not any(char.isascii() for gram in grams for char in gram)


def test_grams_are_folded_and_keep_legal_forms() -> None:
    grams = cjk_grams(["㈱ﾃﾞﾝｿｰ"])
    assert grams == sorted(["株", "デ", "ン", "ソ", "ー", "デン", "ンソ", "ソー"])
    assert {"株式", "式会", "会社"} <= set(cjk_grams(["株式会社デンソー"]))
    assert {"주식", "회사"} <= set(cjk_grams(["주식회사 에코프로비엠"]))


def test_grams_of_several_names_are_merged_sorted_unique() -> None:
    grams = cjk_grams(["삼성", None, "", "삼성전자", "Samsung"])
    assert grams == sorted(set(grams))
    assert grams == sorted(["삼", "성", "전", "자", "삼성", "성전", "전자"])


def test_grams_of_nothing() -> None:
    assert cjk_grams([]) == []
    assert cjk_grams([None, "", "Samsung Electronics"]) == []


def test_grams_include_kana_marks_and_iteration_marks() -> None:
    assert {"ソー", "佐々", "々木"} <= set(cjk_grams(["デンソー", "佐々木"]))


@pytest.mark.parametrize(
    ("query", "grams"),
    [
        ("삼성", ["삼성"]),
        ("東", ["東"]),
        (" 삼 성 ", ["삼성"]),
        ("ﾃﾞﾝ", ["デン"]),
        ("㈱", None),  # folds to "(株)": three characters, not all CJK
        ("삼성전", None),
        ("삼a", None),
        ("ab", None),
        ("", None),
        ("   ", None),
        ("1", None),
    ],
)
def test_query_grams(query: str, grams: list[str] | None) -> None:
    assert query_grams(query) == grams
    assert is_short_cjk_query(query) is (grams is not None)


def test_a_short_query_is_found_in_the_grams_of_a_matching_name() -> None:
    grams = set(cjk_grams(["(주)에코프로비엠", "株式会社デンソー"]))
    for query in ("에코", "비엠", "엠", "デン", "ソー", "株"):
        found = query_grams(query)
        assert found is not None
        assert set(found) <= grams
