"""clients, keys (hashes only) and the audit trail

Revision ID: 7a4475d8673e
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a4475d8673e"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_client",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("scopes", sa.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("burst > 0", name=op.f("ck_api_client_burst_positive")),
        sa.CheckConstraint("rate_per_minute > 0", name=op.f("ck_api_client_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        schema="gateway",
    )
    op.create_index(op.f("ix_api_client_name"), "api_client", ["name"], unique=True, schema="gateway")
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        schema="gateway",
    )
    op.create_index(
        op.f("ix_audit_event_client_id_id"),
        "audit_event",
        ["client_id", "id"],
        unique=False,
        schema="gateway",
    )
    op.create_index(
        op.f("ix_audit_event_organisation_id_id"),
        "audit_event",
        ["organisation_id", "id"],
        unique=False,
        schema="gateway",
    )
    op.create_table(
        "api_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint("octet_length(secret_hash) = 32", name=op.f("ck_api_key_hash_length")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["gateway.api_client.id"],
            name=op.f("fk_api_key_client_id_api_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        schema="gateway",
    )
    op.create_index(
        op.f("ix_api_key_client_id_id"), "api_key", ["client_id", "id"], unique=False, schema="gateway"
    )
    op.create_index(op.f("ix_api_key_secret_hash"), "api_key", ["secret_hash"], unique=True, schema="gateway")


def downgrade() -> None:
    op.drop_index(op.f("ix_api_key_secret_hash"), table_name="api_key", schema="gateway")
    op.drop_index(op.f("ix_api_key_client_id_id"), table_name="api_key", schema="gateway")
    op.drop_table("api_key", schema="gateway")
    op.drop_index(op.f("ix_audit_event_organisation_id_id"), table_name="audit_event", schema="gateway")
    op.drop_index(op.f("ix_audit_event_client_id_id"), table_name="audit_event", schema="gateway")
    op.drop_table("audit_event", schema="gateway")
    op.drop_index(op.f("ix_api_client_name"), table_name="api_client", schema="gateway")
    op.drop_table("api_client", schema="gateway")
