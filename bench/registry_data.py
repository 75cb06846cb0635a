"""Generated companies for `./plaza bench registry`: deterministic, trilingual, loaded in bulk.

Company number `index` is generated from `random.Random(f"{seed}:{index}")` alone, so any slice of the
registry can be generated on its own (in worker processes, or 90,000 more after the first 10,000) and a
10,000-company registry is exactly the first 10,000 companies of the 100,000 one. Ids are UUIDv7 one
millisecond apart, like the app's (`plaza_contracts.deterministic_uuid7`), so id order is creation order
and the keyset pagination walks the companies in index order.

Names are built from pools:

* Korean companies (55%): 2–4 Hangul syllables (half of them starting with a common name word such as 한빛
  or 대한), an industry word (소재, 화학, 에너지, 전지, …) most of the time, a legal form (㈜, (주),
  주식회사) sometimes; an English name usually (romanised stem + "Chemical Co., Ltd."), a katakana name
  sometimes (ハンビッ化学), a romanised name (`name_latin`) sometimes.
* Japanese companies (35%): one or two kanji words with their kana reading and Korean spelling (東洋 /
  トウヨウ / 도요), or 2–4 katakana morae, then an industry word (化学, 電池, 工業, …) and 株式会社 before or
  after most of the time; the kana reading often, an English name usually, a Korean name sometimes.
* Other countries (10%): English names only ("Northern Lithium Systems Inc.").

The derived columns are computed with the registry's own `derived_columns()`, as the app does on every
write; that costs about 1 ms a company in Python, so it runs in a process pool.
"""

import asyncio
import os
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import asyncpg

from plaza_contracts import deterministic_uuid7
from registry.companies.derived import derived_columns
from registry.names import romanise
from registry.sectors.taxonomy import SECTORS

DEFAULT_SEED = 20261203
EPOCH_MS = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1000)  # company 0's id time; +1 ms each
SECTOR_CODES: tuple[str, ...] = tuple(code for code, *_ in SECTORS)

# --- pools ------------------------------------------------------------------------------------------------

# Hangul syllables seen in company names, with a katakana spelling for the Japanese name of the company.
KO_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("한", "ハン"), ("빛", "ビッ"), ("대", "デ"), ("성", "ソン"), ("삼", "サム"), ("화", "ファ"),
    ("동", "ドン"), ("양", "ヤン"), ("세", "セ"), ("진", "ジン"), ("미", "ミ"), ("래", "レ"),
    ("신", "シン"), ("일", "イル"), ("우", "ウ"), ("영", "ヨン"), ("태", "テ"), ("광", "グァン"),
    ("명", "ミョン"), ("정", "ジョン"), ("현", "ヒョン"), ("경", "ギョン"), ("국", "グク"), ("원", "ウォン"),
    ("금", "クム"), ("호", "ホ"), ("산", "サン"), ("강", "カン"), ("제", "ジェ"), ("남", "ナム"),
    ("서", "ソ"), ("유", "ユ"), ("인", "イン"), ("비", "ビ"), ("에", "エ"), ("코", "コ"),
    ("프", "プ"), ("로", "ロ"), ("엘", "エル"), ("지", "ジ"), ("케", "ケ"), ("이", "イ"),
    ("티", "ティ"), ("엔", "エン"), ("솔", "ソル"), ("루", "ル"), ("나", "ナ"), ("리", "リ"),
    ("아", "ア"), ("온", "オン"), ("해", "ヘ"), ("수", "ス"), ("연", "ヨン"), ("창", "チャン"),
    ("용", "ヨン"), ("석", "ソク"), ("보", "ボ"), ("상", "サン"), ("도", "ド"), ("효", "ヒョ"),
)  # fmt: skip

# Two-syllable words many Korean company names start with.
KO_WORDS: tuple[tuple[str, str], ...] = (
    ("한빛", "ハンビッ"), ("대한", "デハン"), ("미래", "ミレ"), ("동양", "ドンヤン"), ("세진", "セジン"),
    ("삼화", "サムファ"), ("태양", "テヤン"), ("하나", "ハナ"), ("새한", "セハン"), ("우리", "ウリ"),
    ("신성", "シンソン"), ("대성", "デソン"), ("한국", "ハングク"), ("일진", "イルジン"), ("에코", "エコ"),
    ("포스", "ポス"), ("코스", "コス"), ("나노", "ナノ"), ("그린", "グリン"), ("한솔", "ハンソル"),
    ("동화", "ドンファ"), ("금양", "クムヤン"), ("천보", "チョンボ"), ("엘앤", "エルエン"), ("솔루", "ソル"),
    ("상아", "サンア"), ("명성", "ミョンソン"), ("유니", "ユニ"), ("이수", "イス"), ("후성", "フソン"),
)  # fmt: skip

# An industry word in the three languages.
INDUSTRY_WORDS: tuple[tuple[str, str, str], ...] = (
    ("소재", "素材", "Materials"), ("화학", "化学", "Chemical"), ("에너지", "エナジー", "Energy"),
    ("전지", "電池", "Battery"), ("테크", "テック", "Tech"), ("산업", "産業", "Industries"),
    ("정밀", "精密", "Precision"), ("머티리얼즈", "マテリアルズ", "Materials"),
    ("케미칼", "ケミカル", "Chemicals"),
    ("시스템", "システム", "Systems"), ("전자", "電子", "Electronics"), ("금속", "金属", "Metals"),
    ("이엔지", "エンジニアリング", "Engineering"), ("솔루션", "ソリューション", "Solutions"),
    ("모빌리티", "モビリティ", "Mobility"), ("공업", "工業", "Industrial"),
)  # fmt: skip

# Japanese name words: kanji, kana reading, Korean spelling.
JA_WORDS: tuple[tuple[str, str, str], ...] = (
    ("東洋", "トウヨウ", "도요"), ("日本", "ニホン", "니혼"), ("大和", "ヤマト", "야마토"),
    ("三和", "サンワ", "산와"), ("昭和", "ショウワ", "쇼와"), ("富士", "フジ", "후지"),
    ("住友", "スミトモ", "스미토모"), ("旭", "アサヒ", "아사히"), ("光", "ヒカリ", "히카리"),
    ("中央", "チュウオウ", "주오"), ("高山", "タカヤマ", "다카야마"), ("松田", "マツダ", "마쓰다"),
    ("北陸", "ホクリク", "호쿠리쿠"), ("新日", "シンニチ", "신니치"), ("明星", "ミョウジョウ", "묘조"),
    ("山田", "ヤマダ", "야마다"), ("東海", "トウカイ", "도카이"), ("関西", "カンサイ", "간사이"),
    ("九州", "キュウシュウ", "규슈"), ("古河", "フルカワ", "후루카와"), ("宇部", "ウベ", "우베"),
    ("信越", "シンエツ", "신에쓰"), ("日東", "ニットウ", "닛토"), ("大同", "ダイドウ", "다이도"),
    ("三井", "ミツイ", "미쓰이"), ("丸紅", "マルベニ", "마루베니"), ("森田", "モリタ", "모리타"),
    ("岩谷", "イワタニ", "이와타니"), ("堀場", "ホリバ", "호리바"), ("栗田", "クリタ", "구리타"),
    ("豊田", "トヨダ", "도요다"), ("北川", "キタガワ", "기타가와"), ("小松", "コマツ", "고마쓰"),
    ("長瀬", "ナガセ", "나가세"), ("田中", "タナカ", "다나카"), ("石原", "イシハラ", "이시하라"),
)  # fmt: skip

# Japanese industry words with their reading.
JA_INDUSTRY: tuple[tuple[str, str, str], ...] = (
    ("化学", "カガク", "Chemical"), ("電池", "デンチ", "Battery"), ("工業", "コウギョウ", "Industries"),
    ("材料", "ザイリョウ", "Materials"), ("電子", "デンシ", "Electronics"),
    ("製作所", "セイサクショ", "Works"),
    ("精機", "セイキ", "Precision"), ("産業", "サンギョウ", "Industries"), ("電工", "デンコウ", "Electric"),
    ("金属", "キンゾク", "Metals"), ("エナジー", "エナジー", "Energy"), ("テクノ", "テクノ", "Techno"),
    ("マテリアル", "マテリアル", "Material"), ("ケミカル", "ケミカル", "Chemical"),
)  # fmt: skip

KATAKANA_MORAE: tuple[str, ...] = (
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "テ", "ト",
    "ナ", "ニ", "ノ", "マ", "ミ", "ム", "ラ", "リ", "ル", "レ", "ロ", "ワ", "ン", "ガ", "ダ", "バ", "パ",
)  # fmt: skip

EN_FIRST: tuple[str, ...] = (
    "Northern", "Blue", "Pacific", "Summit", "Vertex", "Nova", "Apex", "Green", "Silver", "Atlas",
    "Polar", "Quantum", "Cedar", "Orion", "Delta", "Harbor", "Granite", "Bright", "Evergreen", "Zenith",
)  # fmt: skip
EN_SECOND: tuple[str, ...] = (
    "Lithium", "Cell", "Power", "Volt", "Ion", "Grid", "Charge", "Carbon", "Anode", "Cathode",
    "Electro", "Storage", "Metal", "Catalyst",
)  # fmt: skip
EN_LEGAL: tuple[str, ...] = ("Co., Ltd.", "Inc.", "Corp.", "Corporation", "Ltd.", "GmbH")
KO_REGIONS: tuple[str, ...] = ("서울", "경기", "인천", "충북", "충남", "울산", "경북", "경남", "전북", "포항")
JA_REGIONS: tuple[str, ...] = (
    "東京都",
    "大阪府",
    "愛知県",
    "神奈川県",
    "兵庫県",
    "福岡県",
    "静岡県",
    "山口県",
)
OTHER_COUNTRIES: tuple[str, ...] = ("US", "DE", "CN", "TW", "FR", "GB", "SE")
KINDS: tuple[tuple[str, int], ...] = (
    ("company", 80), ("startup", 10), ("university", 3), ("research_institute", 3),
    ("government_body", 2), ("association", 2),
)  # fmt: skip
SIZE_BANDS: tuple[str, ...] = ("micro", "small", "medium", "large", "very_large")

# --- the queries the bench sends: fragments the pools above put in many or few names ---------------------

SEARCH_QUERIES: dict[str, tuple[str, ...]] = {
    # 1–2 character CJK: the gram array (`search_grams @> ...`)
    "search_cjk2": ("화학", "한빛", "電池", "東洋", "대성", "ミレ"),
    # 3+ characters: trigram search (LIKE '%…%' or word similarity), Korean and Japanese
    "search_cjk3": ("에너지", "한빛소재", "東洋化学", "스미토모", "マテリアル", "대한정밀"),
    # romanised: found through the romanisations in search_document
    "search_latin": ("hanbit", "daehan", "toyo", "sumitomo", "samhwa"),
}


@dataclass(frozen=True)
class GeneratedCompany:
    """One generated company: the columns a bench row sets (derived columns apart) and its sectors."""

    id: uuid.UUID
    kind: str
    status: str
    name_ko: str | None
    name_ja: str | None
    name_en: str | None
    name_ja_kana: str | None
    name_latin: str | None
    country: str
    region: str | None
    website: str | None
    size_band: str | None
    founded_year: int | None
    description_en: str | None
    sectors: tuple[str, ...] = field(default=())


def company_id(index: int, seed: int = DEFAULT_SEED) -> uuid.UUID:
    """The id of company number `index`: UUIDv7 at EPOCH_MS + index ms, so ids sort in index order."""
    return deterministic_uuid7(EPOCH_MS + index, f"plaza-bench-registry:{seed}:{index}")


@dataclass
class _Names:
    ko: str | None = None
    ja: str | None = None
    en: str | None = None
    kana: str | None = None
    latin: str | None = None


def _korean(rng: random.Random) -> _Names:
    syllables = rng.randint(2, 4)
    ko, ja = "", ""
    if rng.random() < 0.5:
        word_ko, word_ja = rng.choice(KO_WORDS)
        ko, ja, syllables = word_ko, word_ja, syllables - 2
    for _ in range(syllables):
        syllable_ko, syllable_ja = rng.choice(KO_SYLLABLES)
        ko, ja = ko + syllable_ko, ja + syllable_ja
    stem_ko, stem_en = ko, (romanise(ko) or ko).title()
    english = stem_en
    if rng.random() < 0.75:
        industry_ko, industry_ja, industry_en = rng.choice(INDUSTRY_WORDS)
        ko, ja, english = ko + industry_ko, ja + industry_ja, f"{english} {industry_en}"
    legal = rng.random()
    if legal < 0.2:
        ko = "㈜" + ko
    elif legal < 0.3:
        ko = "(주)" + ko
    elif legal < 0.4:
        ko = "주식회사 " + ko
    names = _Names(ko=ko)
    if rng.random() < 0.7:
        names.en = f"{english} {rng.choice(EN_LEGAL[:4])}"
    if rng.random() < 0.2:
        names.ja = ja + "株式会社" if rng.random() < 0.5 else ja
    if rng.random() < 0.3:
        names.latin = romanise(stem_ko)
    return names


def _japanese(rng: random.Random) -> _Names:
    if rng.random() < 0.7:
        words = [rng.choice(JA_WORDS) for _ in range(1 if rng.random() < 0.6 else 2)]
        ja, kana, ko = ("".join(word[i] for word in words) for i in range(3))
        has_korean = rng.random() < 0.25
    else:
        ja = kana = "".join(rng.choice(KATAKANA_MORAE) for _ in range(rng.randint(2, 4)))
        ko, has_korean = "", False
    english = (romanise(kana) or kana).title()
    if rng.random() < 0.8:
        industry_ja, industry_kana, industry_en = rng.choice(JA_INDUSTRY)
        ja, kana, english = ja + industry_ja, kana + industry_kana, f"{english} {industry_en}"
    legal = rng.random()
    if legal < 0.35:
        ja = "株式会社" + ja
    elif legal < 0.7:
        ja = ja + "株式会社"
    elif legal < 0.75:
        ja = "㈱" + ja
    names = _Names(ja=ja)
    if rng.random() < 0.6:
        names.kana = kana
    if rng.random() < 0.7:
        names.en = f"{english} {rng.choice(('Co., Ltd.', 'Corporation', 'K.K.'))}"
    if has_korean:
        names.ko = ko
    return names


def _english(rng: random.Random) -> _Names:
    words = f"{rng.choice(EN_FIRST)} {rng.choice(EN_SECOND)}"
    if rng.random() < 0.6:
        words += " " + rng.choice(INDUSTRY_WORDS)[2]
    return _Names(en=f"{words} {rng.choice(EN_LEGAL)}")


def generate_company(index: int, seed: int = DEFAULT_SEED) -> GeneratedCompany:
    """Company number `index` of the registry generated from `seed` (the same every time)."""
    rng = random.Random(f"{seed}:{index}")
    draw = rng.random()
    if draw < 0.55:
        country, names, region = "KR", _korean(rng), rng.choice(KO_REGIONS)
    elif draw < 0.9:
        country, names, region = "JP", _japanese(rng), rng.choice(JA_REGIONS)
    else:
        country, names, region = rng.choice(OTHER_COUNTRIES), _english(rng), None
    kinds, weights = zip(*KINDS, strict=True)
    sectors = tuple(sorted(rng.sample(SECTOR_CODES, rng.randint(1, 3))))
    return GeneratedCompany(
        id=company_id(index, seed),
        kind=rng.choices(kinds, weights)[0],
        status="active",  # all listed, so that page 500 exists at 10,000 companies
        name_ko=names.ko,
        name_ja=names.ja,
        name_en=names.en,
        name_ja_kana=names.kana,
        name_latin=names.latin,
        country=country,
        region=region,
        website=f"https://c{index}.example.com" if rng.random() < 0.6 else None,
        size_band=rng.choice(SIZE_BANDS) if rng.random() < 0.8 else None,
        founded_year=rng.randint(1950, 2025) if rng.random() < 0.8 else None,
        description_en=f"Supplier of {', '.join(sectors)} products." if rng.random() < 0.5 else None,
        sectors=sectors,
    )


# --- rows -------------------------------------------------------------------------------------------------

COMPANY_COLUMNS: tuple[str, ...] = (
    *(f.name for f in fields(GeneratedCompany) if f.name != "sectors"),
    "version",
    "name_keys",
    "search_document",
    "search_grams",
)
SECTOR_COLUMNS: tuple[str, ...] = ("company_id", "sector_code")


def company_record(company: GeneratedCompany) -> tuple[Any, ...]:
    """The `registry.company` row of a company (COMPANY_COLUMNS order), derived columns included."""
    derived = derived_columns(
        company.name_ko, company.name_ja, company.name_en, company.name_ja_kana, company.name_latin
    )
    values = {**{column: getattr(company, column, None) for column in COMPANY_COLUMNS}, "version": 1}
    values.update(derived)
    return tuple(values[column] for column in COMPANY_COLUMNS)


def sector_records(company: GeneratedCompany) -> list[tuple[uuid.UUID, str]]:
    """The `registry.company_sector` rows of a generated company."""
    return [(company.id, code) for code in company.sectors]


def _records(bounds: tuple[int, int, int]) -> tuple[list[tuple[Any, ...]], list[tuple[uuid.UUID, str]]]:
    """Company and sector rows of companies [start, stop) (runs in a worker process)."""
    start, stop, seed = bounds
    companies, sectors = [], []
    for index in range(start, stop):
        company = generate_company(index, seed)
        companies.append(company_record(company))
        sectors.extend(sector_records(company))
    return companies, sectors


def chunks(start: int, stop: int, size: int) -> Iterator[tuple[int, int]]:
    """[start, stop) cut into consecutive ranges of at most `size`."""
    for low in range(start, stop, size):
        yield low, min(low + size, stop)


async def load(
    url: str,
    start: int,
    stop: int,
    *,
    seed: int = DEFAULT_SEED,
    chunk: int = 2_000,
    workers: int | None = None,
) -> None:
    """Insert companies [start, stop) with COPY (connecting with `url`, the registry's role), then VACUUM
    ANALYZE so the planner knows the new sizes and the GIN indexes' pending lists are merged."""
    connection = await asyncpg.connect(url)
    loop = asyncio.get_running_loop()
    try:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            pending = [
                loop.run_in_executor(pool, _records, (low, high, seed))
                for low, high in chunks(start, stop, chunk)
            ]
            for future in pending:  # in order, so ids are inserted in creation order
                companies, sectors = await future
                await _copy(connection, companies, sectors)
        await connection.execute("VACUUM ANALYZE registry.company")
        await connection.execute("VACUUM ANALYZE registry.company_sector")
    finally:
        await connection.close()


async def _copy(
    connection: asyncpg.Connection,
    companies: Sequence[tuple[Any, ...]],
    sectors: Iterable[tuple[uuid.UUID, str]],
) -> None:
    async with connection.transaction():
        await connection.copy_records_to_table(
            "company", schema_name="registry", columns=list(COMPANY_COLUMNS), records=companies
        )
        await connection.copy_records_to_table(
            "company_sector", schema_name="registry", columns=list(SECTOR_COLUMNS), records=sectors
        )
