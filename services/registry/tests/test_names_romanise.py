"""registry.names.romanise: Revised Romanization for Hangul, Hepburn for kana."""

import pytest

from registry.names import romanise


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        # The brief's checks.
        ("삼성", "samseong"),
        ("에코프로", "ekopeuro"),
        ("한빛", "hanbit"),
        # Plain RR syllables.
        ("현대", "hyeondae"),
        ("서울", "seoul"),
        ("에코프로비엠", "ekopeurobiem"),
        ("엘지", "elji"),
        ("포스코", "poseuko"),
        # Sound changes across syllables.
        ("한국어", "hangugeo"),
        ("좋아", "joa"),
        ("없어", "eopseo"),
        ("같이", "gachi"),
        ("신라", "silla"),
        ("설날", "seollal"),
        ("솔루션", "sollusyeon"),
        ("종로", "jongno"),
        ("독립", "dongnip"),
        ("협력", "hyeomnyeok"),
        ("백마", "baengma"),
        ("좋고", "joko"),
        # Nouns keep the h after ㄱ/ㄷ/ㅂ.
        ("주식회사", "jusikhoesa"),
        # Final consonant clusters.
        ("닭", "dak"),
        ("값", "gap"),
    ],
)
def test_hangul(text: str, latin: str) -> None:
    assert romanise(text) == latin


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        # The brief's checks (long vowels written plainly: "denso", "toshiba").
        ("トヨタ", "toyota"),
        ("デンソー", "denso"),
        ("とうしば", "toshiba"),
        ("キャッシュ", "kyasshu"),
        ("ティ", "ti"),
        # Long vowels.
        ("おおさか", "osaka"),
        ("とうきょう", "tokyo"),
        ("ゆうき", "yuki"),
        ("ファミリーマート", "famirimato"),
        ("にいがた", "niigata"),
        # Small tsu.
        ("ニッポン", "nippon"),
        ("マッチャ", "matcha"),
        ("アッ", "a"),
        # ん, with no apostrophe.
        ("きんゆう", "kinyu"),
        ("しんばし", "shinbashi"),
        # Yōon.
        ("しゃちょう", "shacho"),
        ("ぢゃ", "ja"),
        ("にゃ", "nya"),
        ("りょかん", "ryokan"),
        # Katakana extensions.
        ("ファ", "fa"),
        ("ヴ", "vu"),
        ("ヴァイオリン", "vaiorin"),
        ("ディズニー", "dizuni"),
        ("ウィンドウ", "windo"),
        ("シェア", "shea"),
        ("ジェトロ", "jetoro"),
        ("ツァ", "tsa"),
        # Other kana.
        ("ヲ", "o"),
        ("づ", "zu"),
        ("いすゞ", "isuzu"),
        ("こゝろ", "kokoro"),
        # Half-width katakana are folded first.
        ("ﾃﾞﾝｿｰ", "denso"),
        ("ｷｬｯｼｭ", "kyasshu"),
    ],
)
def test_kana(text: str, latin: str) -> None:
    assert romanise(text) == latin


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("トヨタ自動車", "toyota自動車"),
        ("(주)에코프로비엠", "(ju)ekopeurobiem"),
        ("SK하이닉스", "skhainikseu"),
        ("Ｌｇ 에너지", "lg eneoji"),
        ("ジョンソン・エンド・ジョンソン", "jonson endo jonson"),
        ("삼성 SDI 2공장", "samseong sdi 2gongjang"),
        ("삼성 전자", "samseong jeonja"),
    ],
)
def test_other_scripts_are_kept_folded(text: str, latin: str) -> None:
    assert romanise(text) == latin


def test_words_are_romanised_separately() -> None:
    # No liaison across a space: 한국 어 is two words.
    assert romanise("한국 어") == "hanguk eo"


@pytest.mark.parametrize("text", ["", "Samsung", "東京大学", "3M", "ー", "・", "ㅋㅋ", "株式会社"])
def test_no_hangul_or_kana_gives_none(text: str) -> None:
    assert romanise(text) is None


def test_every_kana_syllable_romanises_to_ascii() -> None:
    kana = [chr(code) for code in (*range(0x3041, 0x3097), *range(0x30A1, 0x30FB))]
    for char in kana:
        latin = romanise(char)
        assert latin is not None
        assert latin.isascii(), char
        assert latin == latin.lower()
