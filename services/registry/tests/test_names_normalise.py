"""registry.names.fold: the canonical text form."""

import pytest

from registry.names import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("㈱デンソー", "(株)デンソー"),
        ("㈜에코프로비엠", "(주)에코프로비엠"),
        ("㈲山田", "(有)山田"),
        ("（株）デンソー", "(株)デンソー"),
        ("ﾃﾞﾝｿｰ", "デンソー"),
        ("ｷｬｯｼｭ", "キャッシュ"),
        ("ＥｃｏＰｒｏ　ＢＭ", "ecopro bm"),
        ("ＡＢＣ１２３", "abc123"),
        ("  Samsung \t Electronics\n ", "samsung electronics"),
        ("STRASSE Straße", "strasse strasse"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_leaves_hangul_kana_and_kanji_alone() -> None:
    assert fold("삼성전자 トヨタ自動車 とうしば") == "삼성전자 トヨタ自動車 とうしば"


def test_fold_is_idempotent_on_examples() -> None:
    for text in ("㈱ﾃﾞﾝｿｰ", "ǰ", "ẞ", "ﬀ", "Ⅻ"):
        assert fold(fold(text)) == fold(text)
