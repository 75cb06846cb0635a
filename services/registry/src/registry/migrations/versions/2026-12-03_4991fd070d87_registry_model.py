"""The full registry: company details, identifiers, sectors, products, memberships, contacts, history,
duplicate control and search columns, idempotency records; seeds the sector taxonomy. Companies stored
before this revision get their search columns from `python -m registry.reindex` (run after migrating): a
migration never imports the service's code, whose naming rules may change after it was written.

Revision ID: 4991fd070d87
Revises: 5b1c2e7a9d01
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "4991fd070d87"
down_revision: str | None = "5b1c2e7a9d01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _extend_company()
    op.create_table(
        "idempotency_record",
        sa.Column("principal", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_record")),
        schema="registry",
    )
    op.create_table(
        "sector",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label_ko", sa.String(length=200), nullable=False),
        sa.Column("label_ja", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("code ~ '^[a-z][a-z0-9_]{1,39}$'", name=op.f("ck_sector_code_format")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sector")),
        schema="registry",
    )
    op.create_table(
        "company_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=200), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["registry.company.id"],
            name=op.f("fk_company_change_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_change")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_company_change_company_id_id"),
        "company_change",
        ["company_id", "id"],
        unique=False,
        schema="registry",
    )
    op.create_table(
        "company_identifier",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["registry.company.id"],
            name=op.f("fk_company_identifier_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "scheme", name=op.f("pk_company_identifier")),
        sa.UniqueConstraint("scheme", "value", name=op.f("uq_company_identifier_scheme_value")),
        schema="registry",
    )
    op.create_table(
        "company_product",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("name_ko", sa.String(length=500), nullable=True),
        sa.Column("name_ja", sa.String(length=500), nullable=True),
        sa.Column("name_en", sa.String(length=500), nullable=True),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "hs_code ~ '^[0-9]{4}([0-9]{2}){0,3}$'", name=op.f("ck_company_product_hs_code_digits")
        ),
        sa.CheckConstraint(
            "coalesce(name_ko, name_ja, name_en) IS NOT NULL", name=op.f("ck_company_product_has_name")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["registry.company.id"],
            name=op.f("fk_company_product_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_product")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_company_product_company_id"),
        "company_product",
        ["company_id"],
        unique=False,
        schema="registry",
    )
    op.create_index(
        "ix_company_product_hs_code",
        "company_product",
        ["hs_code"],
        unique=False,
        schema="registry",
    )
    op.create_table(
        "company_sector",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["registry.company.id"],
            name=op.f("fk_company_sector_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sector_code"], ["registry.sector.code"], name=op.f("fk_company_sector_sector_code_sector")
        ),
        sa.PrimaryKeyConstraint("company_id", "sector_code", name=op.f("pk_company_sector")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_company_sector_sector_code"),
        "company_sector",
        ["sector_code"],
        unique=False,
        schema="registry",
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("name_ko", sa.String(length=200), nullable=True),
        sa.Column("name_ja", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "coalesce(name_ko, name_ja, name_en) IS NOT NULL", name=op.f("ck_contact_has_name")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["registry.company.id"],
            name=op.f("fk_contact_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        schema="registry",
    )
    op.create_index(op.f("ix_contact_company_id"), "contact", ["company_id"], unique=False, schema="registry")
    op.create_table(
        "distinct_pair",
        sa.Column("low_id", sa.Uuid(), nullable=False),
        sa.Column("high_id", sa.Uuid(), nullable=False),
        sa.Column(
            "confirmed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("low_id < high_id", name=op.f("ck_distinct_pair_ordered")),
        sa.ForeignKeyConstraint(
            ["high_id"],
            ["registry.company.id"],
            name=op.f("fk_distinct_pair_high_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["low_id"],
            ["registry.company.id"],
            name=op.f("fk_distinct_pair_low_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("low_id", "high_id", name=op.f("pk_distinct_pair")),
        schema="registry",
    )
    op.create_table(
        "duplicate_candidate",
        sa.Column("low_id", sa.Uuid(), nullable=False),
        sa.Column("high_id", sa.Uuid(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("low_id < high_id", name=op.f("ck_duplicate_candidate_ordered")),
        sa.ForeignKeyConstraint(
            ["high_id"],
            ["registry.company.id"],
            name=op.f("fk_duplicate_candidate_high_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["low_id"],
            ["registry.company.id"],
            name=op.f("fk_duplicate_candidate_low_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("low_id", "high_id", name=op.f("pk_duplicate_candidate")),
        schema="registry",
    )
    op.create_index(
        op.f("ix_duplicate_candidate_high_id"),
        "duplicate_candidate",
        ["high_id"],
        unique=False,
        schema="registry",
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
            name=op.f("ck_membership_dates_order"),
        ),
        sa.CheckConstraint("organisation_id <> member_id", name=op.f("ck_membership_not_self")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["registry.company.id"],
            name=op.f("fk_membership_member_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["registry.company.id"],
            name=op.f("fk_membership_organisation_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint(
            "organisation_id", "member_id", name=op.f("uq_membership_organisation_id_member_id")
        ),
        schema="registry",
    )
    op.create_index(
        op.f("ix_membership_member_id"), "membership", ["member_id"], unique=False, schema="registry"
    )
    _seed_sectors()


def downgrade() -> None:
    merged = op.get_bind().scalar(sa.text("SELECT count(*) FROM registry.company WHERE status = 'merged'"))
    if merged:
        raise RuntimeError(
            f"{merged} companies are merged redirects; the earlier schema cannot tell them from active "
            "companies. Delete them deliberately before downgrading."
        )
    op.drop_index(op.f("ix_duplicate_candidate_high_id"), table_name="duplicate_candidate", schema="registry")
    op.drop_table("duplicate_candidate", schema="registry")
    op.drop_index(op.f("ix_membership_member_id"), table_name="membership", schema="registry")
    op.drop_table("membership", schema="registry")
    op.drop_table("distinct_pair", schema="registry")
    op.drop_index(op.f("ix_contact_company_id"), table_name="contact", schema="registry")
    op.drop_table("contact", schema="registry")
    op.drop_index(op.f("ix_company_sector_sector_code"), table_name="company_sector", schema="registry")
    op.drop_table("company_sector", schema="registry")
    op.drop_index(
        "ix_company_product_hs_code",
        table_name="company_product",
        schema="registry",
    )
    op.drop_index(op.f("ix_company_product_company_id"), table_name="company_product", schema="registry")
    op.drop_table("company_product", schema="registry")
    op.drop_table("company_identifier", schema="registry")
    op.drop_index(op.f("ix_company_change_company_id_id"), table_name="company_change", schema="registry")
    op.drop_table("company_change", schema="registry")
    op.drop_table("sector", schema="registry")
    op.drop_table("idempotency_record", schema="registry")
    _shrink_company()


_COMPANY_COLUMNS = (
    sa.Column("name_ja_kana", sa.String(length=500), nullable=True),
    sa.Column("name_latin", sa.String(length=500), nullable=True),
    sa.Column("region", sa.String(length=200), nullable=True),
    sa.Column("address", sa.String(length=1000), nullable=True),
    sa.Column("website", sa.String(length=2048), nullable=True),
    sa.Column("size_band", sa.String(length=32), nullable=True),
    sa.Column("founded_year", sa.SmallInteger(), nullable=True),
    sa.Column("description_ko", sa.Text(), nullable=True),
    sa.Column("description_ja", sa.Text(), nullable=True),
    sa.Column("description_en", sa.Text(), nullable=True),
    sa.Column("parent_id", sa.Uuid(), nullable=True),
    sa.Column("merged_into_id", sa.Uuid(), nullable=True),
    sa.Column("status", sa.String(length=32), server_default="active", nullable=False),
    sa.Column("name_keys", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
    sa.Column("search_document", sa.Text(), server_default="", nullable=False),
    sa.Column("search_grams", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
)
_COMPANY_CHECKS = {
    "company_status": "status IN ('active', 'archived', 'merged')",
    "size_band": "size_band IN ('micro', 'small', 'medium', 'large', 'very_large')",
    "merged_has_survivor": "(status = 'merged') = (merged_into_id IS NOT NULL)",
    "founded_year_range": "founded_year BETWEEN 1000 AND 2200",
    "not_merged_into_itself": "merged_into_id <> id",
}


def _extend_company() -> None:
    for column in _COMPANY_COLUMNS:
        op.add_column("company", column, schema="registry")
    for name, condition in _COMPANY_CHECKS.items():
        op.create_check_constraint(op.f(f"ck_company_{name}"), "company", condition, schema="registry")
    for column in ("parent_id", "merged_into_id"):
        op.create_foreign_key(
            op.f(f"fk_company_{column}_company"),
            "company",
            "company",
            [column],
            ["id"],
            source_schema="registry",
            referent_schema="registry",
        )
        op.create_index(op.f(f"ix_company_{column}"), "company", [column], schema="registry")
    op.create_index(op.f("ix_company_status"), "company", ["status"], schema="registry")
    op.create_index(
        "ix_company_name_keys", "company", ["name_keys"], schema="registry", postgresql_using="gin"
    )
    op.create_index(
        "ix_company_search_grams", "company", ["search_grams"], schema="registry", postgresql_using="gin"
    )
    op.create_index(
        "ix_company_search_document_trgm",
        "company",
        ["search_document"],
        schema="registry",
        postgresql_using="gin",
        postgresql_ops={"search_document": "gin_trgm_ops"},
    )


def _shrink_company() -> None:
    for index in ("ix_company_search_document_trgm", "ix_company_search_grams", "ix_company_name_keys"):
        op.drop_index(index, table_name="company", schema="registry")
    for index in ("ix_company_status", "ix_company_parent_id", "ix_company_merged_into_id"):
        op.drop_index(op.f(index), table_name="company", schema="registry")
    for column in ("parent_id", "merged_into_id"):
        op.drop_constraint(
            op.f(f"fk_company_{column}_company"), "company", schema="registry", type_="foreignkey"
        )
    for name in _COMPANY_CHECKS:
        op.drop_constraint(op.f(f"ck_company_{name}"), "company", schema="registry", type_="check")
    for column in reversed(_COMPANY_COLUMNS):
        op.drop_column("company", column.name, schema="registry")


# A copy of registry.sectors.taxonomy as it was at this revision (migrations never change with the code).
_SECTORS = (
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


def _seed_sectors() -> None:
    table = sa.table(
        "sector",
        sa.column("code"),
        sa.column("label_ko"),
        sa.column("label_ja"),
        sa.column("label_en"),
        sa.column("position"),
        schema="registry",
    )
    op.bulk_insert(
        table,
        [
            {"code": code, "label_ko": ko, "label_ja": ja, "label_en": en, "position": position * 10}
            for position, (code, ko, ja, en) in enumerate(_SECTORS)
        ],
    )
