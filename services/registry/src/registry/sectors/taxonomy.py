"""The initial sector taxonomy of the battery value chain (and hydrogen), loaded by a migration.

Extendable at run time through `POST /v1/sectors` (admin); codes never change once published.
"""

SECTORS: tuple[tuple[str, str, str, str], ...] = (
    # code, Korean, Japanese, English
    ("cathode", "양극재", "正極材", "Cathode materials"),
    ("anode", "음극재", "負極材", "Anode materials"),
    ("electrolyte", "전해질", "電解液", "Electrolytes"),
    ("separator", "분리막", "セパレータ", "Separators"),
    ("cells", "배터리 셀", "電池セル", "Battery cells"),
    ("packs_modules", "팩·모듈", "パック・モジュール", "Packs and modules"),
    (
        "bms",
        "배터리 관리 시스템(BMS)",
        "バッテリーマネジメントシステム(BMS)",
        "Battery management systems (BMS)",
    ),
    ("equipment", "제조 장비", "製造装置", "Manufacturing equipment"),
    ("recycling", "재활용", "リサイクル", "Recycling"),
    ("solid_state", "전고체 전지", "全固体電池", "Solid-state batteries"),
    ("packaging_materials", "파우치·포장재", "外装・包装材", "Packaging materials"),
    ("hydrogen_fuel_cells", "수소·연료전지", "水素・燃料電池", "Hydrogen and fuel cells"),
)
