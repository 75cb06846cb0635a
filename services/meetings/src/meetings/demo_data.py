"""Demo data: the 2025 Korea–Japan Next-Generation Battery Plaza (STATION Ai, Nagoya, 18 September 2025).

The event, its organisers, the keynote by Prof. Lee Jae-ho (Hiroshima City University), SK On's talk,
KOTRA's IR session on the Korean battery investment environment, start-up pitches and the B2B block with
ten Korean firms at fixed tables are from the news report of the event; the report gives no times, so the
timetable below is illustrative. Every person named here is FICTIONAL, as are the ten Korean firms and the
Japanese companies (see the registry's demo data). Company names are copied as they are registered in the
registry's demo data (a test checks they agree), the way a registration copies them.
"""

from dataclasses import dataclass

# Registry key → (ko, ja, en, country), as in the registry's demo data.
COMPANIES: dict[str, tuple[str | None, str | None, str | None, str]] = {
    "kotra": (
        "대한무역투자진흥공사",
        "大韓貿易投資振興公社",
        "Korea Trade-Investment Promotion Agency (KOTRA)",
        "KR",
    ),
    "hiroshima-city-university": ("히로시마시립대학", "広島市立大学", "Hiroshima City University", "JP"),
    "sk-on": ("SK온", "SKオン", "SK On", "KR"),
    "hanbit-materials": ("한빛소재㈜", None, "Hanbit Materials Co., Ltd.", "KR"),
    "seon-chemical": ("세온케미칼 주식회사", "セオンケミカル", "Seon Chemical Inc.", "KR"),
    "daon-energytech": ("다온에너지텍", None, "Daon Energytech", "KR"),
    "cheongsol-separator": ("청솔분리막㈜", None, "Cheongsol Separator Co., Ltd.", "KR"),
    "mirae-cell-equipment": ("미래셀이큅", "ミレセルイクイップ", "Mirae Cell Equipment", "KR"),
    "nuri-packaging": ("누리패키징㈜", None, "Nuri Packaging Co., Ltd.", "KR"),
    "onsaemi-foil": ("온새미포일", None, "Onsaemi Foil", "KR"),
    "solmaru-binder": ("솔마루바인더", None, "Solmaru Binder", "KR"),
    "haedeun-coating": ("해든코팅시스템", None, "Haedeun Coating Systems", "KR"),
    "gyeol-solid-state": ("결솔리드스테이트", "ギョルソリッドステート", "Gyeol Solid-State", "KR"),
    "mikawa-battery-materials": (
        "미카와전지재료",
        "三河電池材料株式会社",
        "Mikawa Battery Materials Co., Ltd.",
        "JP",
    ),
    "owari-precision": (None, "尾張精機株式会社", "Owari Precision Machinery K.K.", "JP"),
    "chita-energy": (None, "株式会社知多エナジー", "Chita Energy Inc.", "JP"),
    "toyohashi-separator": (None, "豊橋セパレータ工業株式会社", "Toyohashi Separator Industries", "JP"),
    "meiko-recycling": ("메이코리사이클링", "名港リサイクル株式会社", "Meiko Recycling Co., Ltd.", "JP"),
}

KOREAN_FIRMS = (
    "hanbit-materials",
    "seon-chemical",
    "daon-energytech",
    "cheongsol-separator",
    "mirae-cell-equipment",
    "nuri-packaging",
    "onsaemi-foil",
    "solmaru-binder",
    "haedeun-coating",
    "gyeol-solid-state",
)


@dataclass(frozen=True)
class DemoPerson:
    """A registered person (fictional)."""

    key: str
    company: str
    ko: str | None
    ja: str | None
    en: str
    role: str
    languages: tuple[str, ...]
    job_title: str


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "lee-jaeho",
        "hiroshima-city-university",
        "이재호",
        "李在鎬",
        "Lee Jae-ho",
        "speaker",
        ("ko", "ja", "en"),
        "Professor",
    ),
    DemoPerson(
        "sk-on-speaker",
        "sk-on",
        "정우성",
        None,
        "Jung Woo-sung",
        "speaker",
        ("ko", "en"),
        "Head of Japan Business",
    ),
    DemoPerson(
        "kotra-ir",
        "kotra",
        "한지민",
        "ハン・ジミン",
        "Han Ji-min",
        "organiser",
        ("ko", "ja", "en"),
        "Director, Investment Attraction",
    ),
    DemoPerson(
        "hanbit-1",
        "hanbit-materials",
        "김민준",
        None,
        "Kim Min-jun",
        "exhibitor",
        ("ko", "en"),
        "Head of Overseas Sales",
    ),
    DemoPerson(
        "seon-1", "seon-chemical", "이서연", None, "Lee Seo-yeon", "exhibitor", ("ko",), "Sales Manager"
    ),
    DemoPerson("daon-1", "daon-energytech", "박도윤", None, "Park Do-yun", "exhibitor", ("ko",), "CEO"),
    DemoPerson(
        "cheongsol-1",
        "cheongsol-separator",
        "최하은",
        None,
        "Choi Ha-eun",
        "exhibitor",
        ("ko", "en"),
        "R&D Lead",
    ),
    DemoPerson(
        "mirae-1",
        "mirae-cell-equipment",
        "정시우",
        None,
        "Jung Si-woo",
        "exhibitor",
        ("ko",),
        "Export Manager",
    ),
    DemoPerson("nuri-1", "nuri-packaging", "강지우", None, "Kang Ji-woo", "exhibitor", ("ko",), "Director"),
    DemoPerson(
        "onsaemi-1", "onsaemi-foil", "조서준", None, "Cho Seo-jun", "exhibitor", ("ko",), "Sales Lead"
    ),
    DemoPerson(
        "solmaru-1", "solmaru-binder", "윤하윤", None, "Yoon Ha-yoon", "exhibitor", ("ko", "en"), "Founder"
    ),
    DemoPerson("haedeun-1", "haedeun-coating", "장예준", None, "Jang Ye-jun", "exhibitor", ("ko",), "COO"),
    DemoPerson("gyeol-1", "gyeol-solid-state", "임수아", None, "Lim Su-ah", "exhibitor", ("ko", "en"), "CTO"),
    DemoPerson(
        "mikawa-1",
        "mikawa-battery-materials",
        None,
        "佐藤 健",
        "Ken Sato",
        "buyer",
        ("ja", "en"),
        "Procurement Manager",
    ),
    DemoPerson(
        "mikawa-2",
        "mikawa-battery-materials",
        None,
        "鈴木 美咲",
        "Misaki Suzuki",
        "buyer",
        ("ja",),
        "Materials Engineer",
    ),
    DemoPerson(
        "owari-1", "owari-precision", None, "高橋 翔", "Sho Takahashi", "buyer", ("ja",), "Equipment Planning"
    ),
    DemoPerson(
        "chita-1",
        "chita-energy",
        None,
        "田中 葵",
        "Aoi Tanaka",
        "buyer",
        ("ja", "en"),
        "Business Development",
    ),
    DemoPerson(
        "toyohashi-1", "toyohashi-separator", None, "伊藤 大輝", "Daiki Ito", "buyer", ("ja",), "R&D Manager"
    ),
    DemoPerson("meiko-1", "meiko-recycling", None, "渡辺 結衣", "Yui Watanabe", "buyer", ("ja",), "Sourcing"),
    DemoPerson(
        "interpreter-1",
        "kotra",
        "오세린",
        "呉セリン",
        "Oh Se-rin",
        "interpreter",
        ("ko", "ja"),
        "Interpreter",
    ),
    DemoPerson(
        "interpreter-2",
        "kotra",
        "문태오",
        "文テオ",
        "Moon Tae-o",
        "interpreter",
        ("ko", "ja", "en"),
        "Interpreter",
    ),
    DemoPerson(
        "interpreter-3", "kotra", "배유나", "裴ユナ", "Bae Yu-na", "interpreter", ("ko", "ja"), "Interpreter"
    ),
)


@dataclass(frozen=True)
class DemoSession:
    """An agenda session; times are JST hours and minutes on the day."""

    key: str
    kind: str
    ko: str
    ja: str
    en: str
    room: str
    start: tuple[int, int]
    end: tuple[int, int]
    speakers: tuple[str, ...] = ()  # person keys


SESSIONS: tuple[DemoSession, ...] = (
    DemoSession(
        "keynote",
        "keynote",
        "한국 배터리 산업과 한일 협력",
        "韓国バッテリー産業と日韓協力",
        "The Korean battery industry and Korea–Japan cooperation",
        "Hall",
        (10, 0),
        (10, 40),
        ("lee-jaeho",),
    ),
    DemoSession(
        "sk-on",
        "presentation",
        "한일 산업·기술 협력",
        "日韓産業・技術協力",
        "Korea–Japan industrial and technology cooperation",
        "Hall",
        (10, 40),
        (11, 10),
        ("sk-on-speaker",),
    ),
    DemoSession(
        "ir",
        "ir_session",
        "한국 배터리 투자환경",
        "韓国バッテリー投資環境",
        "The Korean battery investment environment",
        "Hall",
        (11, 10),
        (11, 50),
        ("kotra-ir",),
    ),
    DemoSession(
        "pitches",
        "pitch",
        "스타트업 기술 피칭",
        "スタートアップ技術ピッチ",
        "Start-up technology pitches",
        "Hall",
        (11, 50),
        (12, 30),
        ("solmaru-1", "gyeol-1"),
    ),
    DemoSession(
        "b2b", "b2b_block", "B2B 상담회", "B2B商談会", "B2B consultations", "B2B Lounge", (13, 30), (17, 0)
    ),
    DemoSession(
        "networking", "networking", "네트워킹", "ネットワーキング", "Networking", "Hall", (17, 0), (18, 0)
    ),
)


@dataclass(frozen=True)
class DemoRequest:
    """A meeting request and what became of it: `slot` (1-based, of the B2B block) books it; accepted
    without a slot, it waits for a schedule run."""

    requester: str  # person key
    requested: str  # person key
    purpose: str
    message: str
    outcome: str = "accepted"  # accepted | requested | declined
    slot: int | None = None
    proposed_slot: int | None = None
    held: bool = False
    result: tuple[str, str | None, str | None] | None = None  # (outcome, amount, currency)


REQUESTS: tuple[DemoRequest, ...] = (
    DemoRequest(
        "mikawa-1",
        "hanbit-1",
        "joint_development",
        "High-nickel cathode materials for our 2027 line.",
        slot=1,
        held=True,
        result=("cooperation_possible", "250000000", "JPY"),
    ),
    DemoRequest(
        "chita-1",
        "seon-1",
        "export_import",
        "Electrolyte additives: samples and pricing.",
        slot=1,
        held=True,
        result=("follow_up", None, None),
    ),
    DemoRequest(
        "owari-1",
        "mirae-1",
        "export_import",
        "Stacking equipment for pouch cells.",
        slot=2,
        held=True,
        result=("cooperation_possible", "1200000000", "KRW"),
    ),
    DemoRequest("mikawa-2", "daon-1", "equity_investment", "Interest in a minority stake.", slot=2),
    DemoRequest("toyohashi-1", "cheongsol-1", "joint_development", "Ceramic-coated separators.", slot=3),
    DemoRequest("meiko-1", "onsaemi-1", "export_import", "Recycled copper foil supply.", slot=4),
    DemoRequest(
        "chita-1",
        "gyeol-1",
        "equity_investment",
        "Solid-state electrolyte pilot line.",
        outcome="requested",
        proposed_slot=5,
    ),
    DemoRequest("owari-1", "nuri-1", "export_import", "Pouch film for our customers.", outcome="requested"),
    # Accepted without a slot: what the organisers' "schedule all" run places.
    DemoRequest("mikawa-1", "seon-1", "export_import", "Electrolyte for our pilot cells."),
    DemoRequest("owari-1", "cheongsol-1", "export_import", "Separator film handling equipment."),
    DemoRequest("meiko-1", "mirae-1", "joint_development", "Dry-room equipment for recycling lines."),
    DemoRequest("toyohashi-1", "haedeun-1", "other", "Coating line visit.", outcome="declined"),
    DemoRequest(
        "solmaru-1",
        "meiko-1",
        "joint_development",
        "Binder for recycled graphite anodes.",
        outcome="requested",
    ),
)
