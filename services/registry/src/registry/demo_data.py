"""Demo data: the bodies of the 2025 Korea–Japan Next-Generation Battery Plaza (Nagoya, 18 September 2025).

KOTRA, the Consulate General in Nagoya, the Aichi Next-Generation Battery Promotion Consortium, SK On,
MPS Korea, Hiroshima City University and STATION Ai are named in the news report of the event. The report
does not name the ten Korean battery materials/equipment/packaging companies nor the Japanese companies from
Aichi: every such entry below is FICTIONAL (invented, plausible names; any likeness to a real company is
unintended), marked `fictional=True`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoBody:
    """One demo registry entry."""

    key: str
    kind: str
    country: str
    ko: str | None
    ja: str | None
    en: str | None
    fictional: bool = False


DEMO_BODIES: tuple[DemoBody, ...] = (
    DemoBody(
        "kotra",
        "government_body",
        "KR",
        "대한무역투자진흥공사",
        "大韓貿易投資振興公社",
        "Korea Trade-Investment Promotion Agency (KOTRA)",
    ),
    DemoBody(
        "consulate-nagoya",
        "government_body",
        "KR",
        "주나고야 대한민국 총영사관",
        "駐名古屋大韓民国総領事館",
        "Consulate General of the Republic of Korea in Nagoya",
    ),
    DemoBody(
        "aichi-battery-consortium",
        "association",
        "JP",
        "아이치 차세대 전지 추진 컨소시엄",
        "あいち次世代電池推進コンソーシアム",
        "Aichi Next-Generation Battery Promotion Consortium",
    ),
    DemoBody("station-ai", "company", "JP", "스테이션 Ai", "STATION Ai株式会社", "STATION Ai"),
    DemoBody(
        "hiroshima-city-university",
        "university",
        "JP",
        "히로시마시립대학",
        "広島市立大学",
        "Hiroshima City University",
    ),
    DemoBody("sk-on", "company", "KR", "SK온", "SKオン", "SK On"),
    DemoBody("mps-korea", "company", "KR", "MPS코리아", "MPSコリア", "MPS Korea"),
    # Ten Korean battery materials / equipment / packaging companies: fictional.
    DemoBody("hanbit-materials", "company", "KR", "한빛소재㈜", None, "Hanbit Materials Co., Ltd.", True),
    DemoBody(
        "seon-chemical", "company", "KR", "세온케미칼 주식회사", "セオンケミカル", "Seon Chemical Inc.", True
    ),
    DemoBody("daon-energytech", "company", "KR", "다온에너지텍", None, "Daon Energytech", True),
    DemoBody(
        "cheongsol-separator", "company", "KR", "청솔분리막㈜", None, "Cheongsol Separator Co., Ltd.", True
    ),
    DemoBody(
        "mirae-cell-equipment",
        "company",
        "KR",
        "미래셀이큅",
        "ミレセルイクイップ",
        "Mirae Cell Equipment",
        True,
    ),
    DemoBody("nuri-packaging", "company", "KR", "누리패키징㈜", None, "Nuri Packaging Co., Ltd.", True),
    DemoBody("onsaemi-foil", "company", "KR", "온새미포일", None, "Onsaemi Foil", True),
    DemoBody("solmaru-binder", "startup", "KR", "솔마루바인더", None, "Solmaru Binder", True),
    DemoBody("haedeun-coating", "company", "KR", "해든코팅시스템", None, "Haedeun Coating Systems", True),
    DemoBody(
        "gyeol-solid-state",
        "startup",
        "KR",
        "결솔리드스테이트",
        "ギョルソリッドステート",
        "Gyeol Solid-State",
        True,
    ),
    # Japanese companies from Aichi: fictional.
    DemoBody(
        "mikawa-battery-materials",
        "company",
        "JP",
        "미카와전지재료",
        "三河電池材料株式会社",
        "Mikawa Battery Materials Co., Ltd.",
        True,
    ),
    DemoBody(
        "owari-precision", "company", "JP", None, "尾張精機株式会社", "Owari Precision Machinery K.K.", True
    ),
    DemoBody("chita-energy", "company", "JP", None, "株式会社知多エナジー", "Chita Energy Inc.", True),
    DemoBody(
        "toyohashi-separator",
        "company",
        "JP",
        None,
        "豊橋セパレータ工業株式会社",
        "Toyohashi Separator Industries",
        True,
    ),
    DemoBody(
        "meiko-recycling",
        "company",
        "JP",
        "메이코리사이클링",
        "名港リサイクル株式会社",
        "Meiko Recycling Co., Ltd.",
        True,
    ),
    # Added after the first release: appended, so the ids above (ordered by position) never move.
    DemoBody(
        "kotra-japan-hq",
        "government_body",
        "KR",
        "KOTRA 일본지역본부",
        "KOTRA日本地域本部",
        "KOTRA Japan Regional Headquarters",
    ),
)


# Details of the demo bodies above (same keys). Regions are real places; sectors and memberships of the
# fictional companies are invented like the companies themselves.
PARENTS: dict[str, str] = {"kotra-japan-hq": "kotra"}

REGIONS: dict[str, str] = {
    "kotra": "Seoul",
    "kotra-japan-hq": "Tokyo",
    "consulate-nagoya": "Aichi",
    "aichi-battery-consortium": "Aichi",
    "station-ai": "Aichi",
    "hiroshima-city-university": "Hiroshima",
    "sk-on": "Seoul",
    "mikawa-battery-materials": "Aichi",
    "owari-precision": "Aichi",
    "chita-energy": "Aichi",
    "toyohashi-separator": "Aichi",
    "meiko-recycling": "Aichi",
}

SECTORS: dict[str, tuple[str, ...]] = {
    "sk-on": ("cells", "packs_modules"),
    "hanbit-materials": ("cathode",),
    "seon-chemical": ("electrolyte",),
    "daon-energytech": ("bms",),
    "cheongsol-separator": ("separator",),
    "mirae-cell-equipment": ("equipment",),
    "nuri-packaging": ("packaging_materials",),
    "onsaemi-foil": ("anode", "packaging_materials"),
    "solmaru-binder": ("anode",),
    "haedeun-coating": ("equipment",),
    "gyeol-solid-state": ("solid_state",),
    "mikawa-battery-materials": ("cathode", "anode"),
    "owari-precision": ("equipment",),
    "chita-energy": ("cells", "hydrogen_fuel_cells"),
    "toyohashi-separator": ("separator",),
    "meiko-recycling": ("recycling",),
}

# Members of the Aichi Next-Generation Battery Promotion Consortium (industry, academia, start-up support),
# with the role and the day they joined.
CONSORTIUM_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("station-ai", "partner", "2024-06-01"),
    ("mikawa-battery-materials", "member", "2024-06-01"),
    ("owari-precision", "member", "2024-06-01"),
    ("chita-energy", "member", "2024-09-01"),
    ("toyohashi-separator", "member", "2024-09-01"),
    ("meiko-recycling", "member", "2025-04-01"),
)

# Who registered (and so may change) each demo record: KOTRA the Korean bodies, the consortium the
# Japanese ones, each partner its own record.
OWNERS: dict[str, str] = {
    "consulate-nagoya": "consulate-nagoya",
    "aichi-battery-consortium": "aichi-battery-consortium",
}


def owner_of(key: str, country: str) -> str:
    """The demo organisation that owns the demo record `key`."""
    return OWNERS.get(key) or ("kotra" if country == "KR" else "aichi-battery-consortium")
