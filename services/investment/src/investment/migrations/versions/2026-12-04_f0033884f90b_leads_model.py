"""The investment model: leads (parties, origin, value, stage and status, signing), the append-only
transition log (a trigger refuses UPDATE and DELETE), the FX rates frozen at signing, shares between
organisations, the activity timeline, FX rates, and the idempotency keys of creates.

Revision ID: f0033884f90b
Revises: 9e4f1a2b3c03
Create Date: 2026-12-04 18:41:54.858325
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f0033884f90b"
down_revision: str | None = "9e4f1a2b3c03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fx_rate",
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=20, scale=10), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("currency <> 'EUR'", name=op.f("ck_fx_rate_not_the_base")),
        sa.CheckConstraint("rate > 0", name=op.f("ck_fx_rate_rate_positive")),
        sa.PrimaryKeyConstraint("currency", "rate_date", name=op.f("pk_fx_rate")),
        schema="investment",
    )
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
        schema="investment",
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_type", sa.String(length=30), nullable=False),
        sa.Column("pipeline", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("korean_party_id", sa.Uuid(), nullable=True),
        sa.Column("korean_party_name", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("korean_party_country", sa.CHAR(length=2), nullable=True),
        sa.Column("japanese_party_id", sa.Uuid(), nullable=True),
        sa.Column("japanese_party_name", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("japanese_party_country", sa.CHAR(length=2), nullable=True),
        sa.Column("origin_kind", sa.String(length=10), nullable=False),
        sa.Column("origin_event_id", sa.Uuid(), nullable=True),
        sa.Column("origin_meeting_id", sa.Uuid(), nullable=True),
        sa.Column("origin_source", sa.String(length=500), nullable=True),
        sa.Column("hs_codes", postgresql.ARRAY(sa.String(length=10)), nullable=False),
        sa.Column("sectors", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("value_amount", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("value_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("probability", sa.SmallInteger(), nullable=True),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("owner_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("owner_person", sa.String(length=200), nullable=True),
        sa.Column("next_follow_up_date", sa.Date(), nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("signing_date", sa.Date(), nullable=True),
        sa.Column("signed_amount", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("signed_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("lost_reason", sa.String(length=1000), nullable=True),
        sa.Column("lost_to", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(origin_kind = 'plaza' AND origin_event_id IS NOT NULL AND origin_source IS NULL)"
            " OR (origin_kind = 'other' AND origin_event_id IS NULL AND origin_meeting_id IS NULL"
            " AND origin_source IS NOT NULL)",
            name=op.f("ck_lead_origin_consistent"),
        ),
        sa.CheckConstraint(
            "pipeline IN ('trade', 'joint_development', 'equity')", name=op.f("ck_lead_pipeline_known")
        ),
        sa.CheckConstraint(
            "status <> 'lost' OR lost_reason IS NOT NULL", name=op.f("ck_lead_lost_has_reason")
        ),
        sa.CheckConstraint("status <> 'won' OR signing_date IS NOT NULL", name=op.f("ck_lead_won_is_signed")),
        sa.CheckConstraint(
            "status IN ('open', 'on_hold', 'won', 'lost', 'abandoned')", name=op.f("ck_lead_status_known")
        ),
        sa.CheckConstraint(
            "(signing_date IS NULL) = (signed_amount IS NULL)"
            " AND (signed_amount IS NULL) = (signed_currency IS NULL)",
            name=op.f("ck_lead_signing_complete"),
        ),
        sa.CheckConstraint(
            "(value_amount IS NULL) = (value_currency IS NULL)", name=op.f("ck_lead_value_complete")
        ),
        sa.CheckConstraint(
            "korean_party_id IS NOT NULL OR japanese_party_id IS NOT NULL", name=op.f("ck_lead_has_a_party")
        ),
        sa.CheckConstraint(
            "probability IS NULL OR probability BETWEEN 0 AND 100", name=op.f("ck_lead_probability_range")
        ),
        sa.CheckConstraint(
            "signed_amount IS NULL OR signed_amount >= 0", name=op.f("ck_lead_signed_non_negative")
        ),
        sa.CheckConstraint(
            "value_amount IS NULL OR value_amount >= 0", name=op.f("ck_lead_value_non_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
        schema="investment",
    )
    op.create_index(
        "ix_lead_hs_codes", "lead", ["hs_codes"], unique=False, schema="investment", postgresql_using="gin"
    )
    op.create_index(
        "ix_lead_japanese_party_id", "lead", ["japanese_party_id"], unique=False, schema="investment"
    )
    op.create_index("ix_lead_korean_party_id", "lead", ["korean_party_id"], unique=False, schema="investment")
    op.create_index("ix_lead_origin_event_id", "lead", ["origin_event_id"], unique=False, schema="investment")
    op.create_index(
        "uq_lead_origin_meeting_id",
        "lead",
        ["origin_meeting_id"],
        unique=True,
        schema="investment",
        postgresql_where=sa.text("origin_meeting_id IS NOT NULL"),
    )
    op.create_index(
        "ix_lead_owner_organisation_id",
        "lead",
        ["owner_organisation_id", "id"],
        unique=False,
        schema="investment",
    )
    op.create_index(
        "ix_lead_sectors", "lead", ["sectors"], unique=False, schema="investment", postgresql_using="gin"
    )
    op.create_index(
        "ix_lead_tags", "lead", ["tags"], unique=False, schema="investment", postgresql_using="gin"
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_by_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind = 'task' OR (due_date IS NULL AND completed_at IS NULL)",
            name=op.f("ck_activity_task_fields"),
        ),
        sa.CheckConstraint(
            "kind IN ('note', 'call', 'email', 'meeting', 'task')", name=op.f("ck_activity_kind_known")
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["investment.lead.id"], name=op.f("fk_activity_lead_id_lead")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        schema="investment",
    )
    op.create_index(
        "ix_activity_lead_id", "activity", ["lead_id", "occurred_at", "id"], unique=False, schema="investment"
    )
    op.create_table(
        "lead_share",
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("access", sa.String(length=10), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("access IN ('read', 'edit')", name=op.f("ck_lead_share_access_known")),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["investment.lead.id"], name=op.f("fk_lead_share_lead_id_lead"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lead_id", "organisation_id", name=op.f("pk_lead_share")),
        schema="investment",
    )
    op.create_index(
        "ix_lead_share_organisation_id",
        "lead_share",
        ["organisation_id", "lead_id"],
        unique=False,
        schema="investment",
    )
    op.create_table(
        "lead_signing_rate",
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=20, scale=10), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_lead_signing_rate_rate_positive")),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["investment.lead.id"], name=op.f("fk_lead_signing_rate_lead_id_lead")
        ),
        sa.PrimaryKeyConstraint("lead_id", "currency", name=op.f("pk_lead_signing_rate")),
        schema="investment",
    )
    op.create_table(
        "lead_transition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("from_value", sa.String(length=40), nullable=True),
        sa.Column("to_value", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_subject", sa.String(length=200), nullable=False),
        sa.Column("by_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "kind IN ('created', 'stage', 'status')", name=op.f("ck_lead_transition_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["investment.lead.id"], name=op.f("fk_lead_transition_lead_id_lead")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_transition")),
        schema="investment",
    )
    op.create_index(
        "ix_lead_transition_lead_id",
        "lead_transition",
        ["lead_id", "at", "id"],
        unique=False,
        schema="investment",
    )

    op.execute(
        """
        CREATE FUNCTION investment.lead_transition_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the transition log is append-only (% refused)', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON investment.lead_transition"
        " FOR EACH ROW EXECUTE FUNCTION investment.lead_transition_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER append_only ON investment.lead_transition")
    op.execute("DROP FUNCTION investment.lead_transition_append_only()")
    op.drop_index("ix_lead_transition_lead_id", table_name="lead_transition", schema="investment")
    op.drop_table("lead_transition", schema="investment")
    op.drop_table("lead_signing_rate", schema="investment")
    op.drop_index("ix_lead_share_organisation_id", table_name="lead_share", schema="investment")
    op.drop_table("lead_share", schema="investment")
    op.drop_index("ix_activity_lead_id", table_name="activity", schema="investment")
    op.drop_table("activity", schema="investment")
    op.drop_index("ix_lead_tags", table_name="lead", schema="investment", postgresql_using="gin")
    op.drop_index("ix_lead_sectors", table_name="lead", schema="investment", postgresql_using="gin")
    op.drop_index("ix_lead_owner_organisation_id", table_name="lead", schema="investment")
    op.drop_index(
        "uq_lead_origin_meeting_id",
        table_name="lead",
        schema="investment",
        postgresql_where=sa.text("origin_meeting_id IS NOT NULL"),
    )
    op.drop_index("ix_lead_origin_event_id", table_name="lead", schema="investment")
    op.drop_index("ix_lead_korean_party_id", table_name="lead", schema="investment")
    op.drop_index("ix_lead_japanese_party_id", table_name="lead", schema="investment")
    op.drop_index("ix_lead_hs_codes", table_name="lead", schema="investment", postgresql_using="gin")
    op.drop_table("lead", schema="investment")
    op.drop_table("idempotency_record", schema="investment")
    op.drop_table("fx_rate", schema="investment")
