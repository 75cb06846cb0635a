"""companies

Revision ID: 5b1c2e7a9d01
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1c2e7a9d01"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name_ko", sa.String(length=500), nullable=True),
        sa.Column("name_ja", sa.String(length=500), nullable=True),
        sa.Column("name_en", sa.String(length=500), nullable=True),
        sa.Column("country", sa.CHAR(length=2), nullable=False),
        sa.Column("owner_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "coalesce(name_ko, name_ja, name_en) IS NOT NULL", name=op.f("ck_company_has_name")
        ),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name=op.f("ck_company_country_code")),
        sa.CheckConstraint(
            "kind IN ('company', 'startup', 'university', 'research_institute', 'government_body', "
            "'association')",
            name=op.f("ck_company_company_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        schema="registry",
    )
    op.create_index(op.f("ix_company_country_id"), "company", ["country", "id"], schema="registry")


def downgrade() -> None:
    op.drop_index(op.f("ix_company_country_id"), table_name="company", schema="registry")
    op.drop_table("company", schema="registry")
