"""registry.names.duplicate_key(s) and the legal-form table."""

import pytest

from registry.names import LEGAL_FORMS, Position, duplicate_key, duplicate_keys, strip_legal_forms

DENSO = [
    "株式会社デンソー",
    "㈱デンソー",
    "(株)デンソー",
    "（株）デンソー",
    "デンソー株式会社",
    "ﾃﾞﾝｿｰ",
    "デンソー",
]
ECOPRO_BM = [
    "(주)에코프로비엠",
    "㈜에코프로비엠",
    "에코프로비엠",
    "주식회사 에코프로비엠",
    "에코프로비엠 주식회사",
]
ECOPRO_BM_LATIN = [
    "EcoPro BM Co., Ltd.",
    "ECOPRO BM",
    "Ecopro BM Inc.",
    "Ecopro BM Co.,Ltd.",
    "Ecopro BM Co Ltd",
]


@pytest.mark.parametrize(
    ("names", "key"), [(DENSO, "デンソー"), (ECOPRO_BM, "에코프로비엠"), (ECOPRO_BM_LATIN, "ecoprobm")]
)
def test_spellings_of_one_organisation_share_a_key(names: list[str], key: str) -> None:
    assert {duplicate_key(name) for name in names} == {key}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("株式会社デンソー", "株式会社デンソーテン"),
        ("(주)에코프로비엠", "(주)에코프로"),
        ("Samsung Electronics", "Samsung SDI"),
    ],
)
def test_different_names_do_not_collide(first: str, second: str) -> None:
    assert duplicate_key(first) != duplicate_key(second)


@pytest.mark.parametrize(
    "name",
    [
        "株式会社",
        "㈱",
        "(株)",
        "주식회사",
        "(주)",
        "Co., Ltd.",
        "Inc.",
        "  ",
        "",
        "---",
        "株式会社 (株)",
        "・",
    ],
)
def test_nothing_left_gives_none(name: str) -> None:
    assert duplicate_key(name) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # Japanese forms, as prefix and as suffix.
        ("有限会社山田商店", "山田商店"),
        ("山田商店(有)", "山田商店"),
        ("㈲山田商店", "山田商店"),
        ("合同会社ABC", "abc"),
        ("ABC合資会社", "abc"),
        ("合名会社 ABC", "abc"),
        ("一般社団法人日本機械学会", "日本機械学会"),
        ("公益財団法人 日韓産業技術協力財団", "日韓産業技術協力財団"),
        ("一般財団法人ABC", "abc"),
        ("公益社団法人ABC", "abc"),
        ("国立大学法人東京大学", "東京大学"),
        ("学校法人早稲田大学", "早稲田大学"),
        ("独立行政法人日本貿易振興機構", "日本貿易振興機構"),
        ("国立研究開発法人産業技術総合研究所", "産業技術総合研究所"),
        ("( 株 )デンソー", "デンソー"),
        ("[株]デンソー", "デンソー"),
        # Korean forms.
        ("유한회사 한빛", "한빛"),
        ("한빛(유)", "한빛"),
        ("유한책임회사 한빛", "한빛"),
        ("사단법인 한국산업기술진흥협회", "한국산업기술진흥협회"),
        ("(사)한국산업기술진흥협회", "한국산업기술진흥협회"),
        ("재단법인 한일산업기술협력재단", "한일산업기술협력재단"),
        ("(재)한일산업기술협력재단", "한일산업기술협력재단"),
        ("삼성전자(주)", "삼성전자"),
        # Latin forms, trailing, in any case and punctuation.
        ("Denso Corporation", "denso"),
        ("Denso Corp.", "denso"),
        ("Denso Company Limited", "denso"),
        ("Denso Limited", "denso"),
        ("Denso Ltd", "denso"),
        ("Denso Incorporated", "denso"),
        ("Denso K.K.", "denso"),
        ("Denso KK", "denso"),
        ("Denso G.K.", "denso"),
        ("Denso GK", "denso"),
        ("Denso LLC", "denso"),
        ("Denso Co.", "denso"),
        ("DENSO CO., LTD.", "denso"),
        ("Denso Kabushiki Kaisha", "denso"),
        ("Kabushiki Kaisha Toshiba", "toshiba"),
        ("Samsung Electronics Co.,Ltd", "samsungelectronics"),
        ("Mitsui & Co., Ltd.", "mitsui"),
        # Mixed scripts: a Latin form right after Hangul, a CJK form before Latin.
        ("에코프로비엠 Co., Ltd.", "에코프로비엠"),
        ("(株)ABC Japan", "abcjapan"),
        # Several forms in a row, at both ends.
        ("(주) 에코프로비엠 주식회사", "에코프로비엠"),
        ("ABC Co., Ltd. Inc.", "abc"),
    ],
)
def test_legal_forms_are_stripped(name: str, key: str) -> None:
    assert duplicate_key(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # Forms in the middle of a name stay.
        ("デンソー株式会社テン", "デンソー株式会社テン"),
        ("ABC Ltd Holdings", "abcltdholdings"),
        ("에코 주식회사 프로", "에코주식회사프로"),
        # English forms are words at the start, not legal forms.
        ("Limited Brands", "limitedbrands"),
        ("Corporation for Public Broadcasting", "corporationforpublicbroadcasting"),
        ("GK Software", "gksoftware"),
        # Whole words only.
        ("Tesco", "tesco"),
        ("Vinc", "vinc"),
        ("Kinco", "kinco"),
        # A bare ideograph is not an abbreviation without its brackets.
        ("株デンソー", "株デンソー"),
    ],
)
def test_only_affixes_are_stripped(name: str, key: str) -> None:
    assert duplicate_key(name) == key


def test_key_keeps_letters_and_digits_of_all_scripts() -> None:
    assert duplicate_key("3M Japan・ジャパン 삼성-東京 (Ⅱ)") == "3mjapanジャパン삼성東京ii"


def test_duplicate_keys_sorted_unique_skipping_empty() -> None:
    names = ["株式会社デンソー", None, "", "DENSO Corporation", "ﾃﾞﾝｿｰ", "株式会社", "Denso"]
    assert duplicate_keys(names) == ["denso", "デンソー"]


def test_duplicate_keys_of_nothing() -> None:
    assert duplicate_keys([]) == []
    assert duplicate_keys([None, "", "(株)"]) == []


def test_strip_legal_forms_keeps_spaces_inside() -> None:
    assert strip_legal_forms("ecopro bm co., ltd.") == "ecopro bm"


def test_legal_form_table_is_folded_and_complete() -> None:
    spellings = {form.spelling for form in LEGAL_FORMS}
    required = {
        "株式会社", "(株)", "有限会社", "(有)", "合同会社", "合資会社", "合名会社", "一般社団法人",
        "一般財団法人", "公益社団法人", "公益財団法人", "国立大学法人", "学校法人", "独立行政法人",
        "国立研究開発法人", "주식회사", "(주)", "(유)", "유한회사", "유한책임회사", "사단법인", "(사)",
        "재단법인", "(재)", "co ltd", "company limited", "limited", "ltd", "inc", "incorporated", "corp",
        "corporation", "k k", "g k", "l l c", "co", "kabushiki kaisha",
    }  # fmt: skip
    assert required <= spellings
    assert all(form.spelling == form.spelling.casefold().strip() for form in LEGAL_FORMS)
    assert all(form.position for form in LEGAL_FORMS)


def test_co_is_trailing_only() -> None:
    (co,) = (form for form in LEGAL_FORMS if form.spelling == "co")
    assert co.position == Position.TRAILING
    assert duplicate_key("Co. Denso") == "codenso"
