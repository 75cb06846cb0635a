"""The leads by (owner, id) with their pipeline (issue 10), replacing the plain (owner, id) index: the
reports' visibility test and the funnel's pipelines then come from an index-only scan, not the wide rows.

Revision ID: aabf465633f3
Revises: f0033884f90b
Create Date: 2026-12-04 19:32:40.434446
"""

from collections.abc import Sequence

from alembic import op

revision: str = "aabf465633f3"
down_revision: str | None = "f0033884f90b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_lead_owner_organisation_id_covering",
        "lead",
        ["owner_organisation_id", "id"],
        unique=False,
        schema="investment",
        postgresql_include=["pipeline"],
    )
    op.drop_index(op.f("ix_lead_owner_organisation_id"), table_name="lead", schema="investment")


def downgrade() -> None:
    op.create_index(
        op.f("ix_lead_owner_organisation_id"),
        "lead",
        ["owner_organisation_id", "id"],
        unique=False,
        schema="investment",
    )
    op.drop_index("ix_lead_owner_organisation_id_covering", table_name="lead", schema="investment")
