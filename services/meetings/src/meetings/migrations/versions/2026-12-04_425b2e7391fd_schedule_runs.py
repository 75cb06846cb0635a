"""schedule runs: "schedule all" attempts of an event, their instance, result, progress and publication

At most one queued or running run per event (a partial unique index).

Revision ID: 425b2e7391fd
Revises: d7c9c66524f8
Create Date: 2026-12-04 18:01:36.322818
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "425b2e7391fd"
down_revision: str | None = "d7c9c66524f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("instance", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("skipped", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("progress", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("time_limit_seconds", sa.Integer(), nullable=False),
        sa.Column("worker_pid", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("publication", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "heartbeat_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'finished', 'failed', 'cancelled', 'published')",
            name=op.f("ck_schedule_run_status_known"),
        ),
        sa.CheckConstraint("time_limit_seconds > 0", name=op.f("ck_schedule_run_time_limit_positive")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_schedule_run_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_run")),
        schema="meetings",
    )
    op.create_index(
        "ix_schedule_run_event_id_id", "schedule_run", ["event_id", "id"], unique=False, schema="meetings"
    )
    op.create_index(
        "uq_schedule_run_active_event",
        "schedule_run",
        ["event_id"],
        unique=True,
        schema="meetings",
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_schedule_run_active_event",
        table_name="schedule_run",
        schema="meetings",
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )
    op.drop_index("ix_schedule_run_event_id_id", table_name="schedule_run", schema="meetings")
    op.drop_table("schedule_run", schema="meetings")
