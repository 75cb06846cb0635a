"""The meetings model: events, agenda and slots, registrations, B2B set-up, requests, meetings with
their slot claims (the no-double-booking guarantee), feedback, outcomes, calendar feeds.

Exclusion constraints (btree_gist) keep sessions in one room and the slots of one event from overlapping.

Revision ID: d7c9c66524f8
Revises: 7c3d9e0f1a02
Create Date: 2026-12-04 01:23:08.939807
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d7c9c66524f8"
down_revision: str | None = "7c3d9e0f1a02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title_ko", sa.String(length=300), nullable=True),
        sa.Column("title_ja", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("venue_name", sa.String(length=300), nullable=False),
        sa.Column("venue_address", sa.String(length=1000), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("confirmed_count", sa.Integer(), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("slot_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("request_expiry_hours", sa.Integer(), nullable=True),
        sa.Column("meeting_rule", sa.String(length=30), nullable=False),
        sa.Column("default_quota", sa.SmallInteger(), nullable=True),
        sa.Column("organiser_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "meeting_rule IN ('any', 'across_countries')", name=op.f("ck_event_meeting_rule_known")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'closed', 'finished')", name=op.f("ck_event_status_known")
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name=op.f("ck_event_capacity_positive")),
        sa.CheckConstraint(
            "capacity IS NULL OR confirmed_count <= capacity", name=op.f("ck_event_within_capacity")
        ),
        sa.CheckConstraint(
            "coalesce(title_ko, title_ja, title_en) IS NOT NULL", name=op.f("ck_event_has_title")
        ),
        sa.CheckConstraint("confirmed_count >= 0", name=op.f("ck_event_confirmed_count_non_negative")),
        sa.CheckConstraint(
            "default_quota IS NULL OR default_quota > 0", name=op.f("ck_event_quota_positive")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_event_ends_after_start")),
        sa.CheckConstraint(
            "request_expiry_hours IS NULL OR request_expiry_hours > 0", name=op.f("ck_event_expiry_positive")
        ),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 240", name=op.f("ck_event_slot_minutes_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        schema="meetings",
    )
    op.create_index(
        "ix_event_organiser_ids",
        "event",
        ["organiser_ids"],
        unique=False,
        schema="meetings",
        postgresql_using="gin",
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
        schema="meetings",
    )
    op.create_table(
        "agenda_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title_ko", sa.String(length=300), nullable=True),
        sa.Column("title_ja", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("room", sa.String(length=200), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("attendee_count", sa.Integer(), nullable=False),
        sa.Column("speakers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('keynote', 'presentation', 'seminar', 'ir_session', 'pitch', 'networking',"
            " 'b2b_block')",
            name=op.f("ck_agenda_session_kind_known"),
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR attendee_count <= capacity", name=op.f("ck_agenda_session_within_capacity")
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity > 0", name=op.f("ck_agenda_session_capacity_positive")
        ),
        sa.CheckConstraint(
            "coalesce(title_ko, title_ja, title_en) IS NOT NULL", name=op.f("ck_agenda_session_has_title")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_agenda_session_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_agenda_session_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_session")),
        schema="meetings",
    )
    op.create_index(
        op.f("ix_agenda_session_event_id"), "agenda_session", ["event_id"], unique=False, schema="meetings"
    )
    op.create_table(
        "b2b_table",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["meetings.event.id"], name=op.f("fk_b2b_table_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_b2b_table")),
        sa.UniqueConstraint("event_id", "name", name=op.f("uq_b2b_table_event_id_name")),
        schema="meetings",
    )
    op.create_index(
        "uq_b2b_table_event_id_company_id",
        "b2b_table",
        ["event_id", "company_id"],
        unique=True,
        schema="meetings",
        postgresql_where="company_id IS NOT NULL",
    )
    op.create_table(
        "company_quota",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("quota", sa.SmallInteger(), nullable=True),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.CheckConstraint("booked >= 0", name=op.f("ck_company_quota_booked_non_negative")),
        sa.CheckConstraint("quota IS NULL OR booked <= quota", name=op.f("ck_company_quota_within_quota")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_company_quota_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "company_id", name=op.f("pk_company_quota")),
        schema="meetings",
    )
    op.create_table(
        "registration",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("company_name_ko", sa.String(length=500), nullable=True),
        sa.Column("company_name_ja", sa.String(length=500), nullable=True),
        sa.Column("company_name_en", sa.String(length=500), nullable=True),
        sa.Column("company_country", sa.CHAR(length=2), nullable=False),
        sa.Column("name_ko", sa.String(length=200), nullable=True),
        sa.Column("name_ja", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("waitlist_rank", sa.BigInteger(), nullable=True),
        sa.Column("check_in_code", sa.String(length=12), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_rank IS NOT NULL)",
            name=op.f("ck_registration_rank_iff_waitlisted"),
        ),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waitlisted', 'cancelled')", name=op.f("ck_registration_status_known")
        ),
        sa.CheckConstraint(
            "coalesce(name_ko, name_ja, name_en) IS NOT NULL", name=op.f("ck_registration_has_name")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_registration_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("event_id", "check_in_code", name=op.f("uq_registration_event_id_check_in_code")),
        schema="meetings",
    )
    op.create_index(
        "ix_registration_event_id_company_id",
        "registration",
        ["event_id", "company_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_registration_waitlist",
        "registration",
        ["event_id", "waitlist_rank"],
        unique=False,
        schema="meetings",
        postgresql_where="status = 'waitlisted'",
    )
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(kind = 'person') = (registration_id IS NOT NULL)",
            name=op.f("ck_calendar_feed_person_has_registration"),
        ),
        sa.CheckConstraint("kind IN ('company', 'person')", name=op.f("ck_calendar_feed_kind_known")),
        sa.CheckConstraint("language IN ('ko', 'ja', 'en')", name=op.f("ck_calendar_feed_language_known")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_calendar_feed_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["meetings.registration.id"],
            name=op.f("fk_calendar_feed_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
        schema="meetings",
    )
    op.create_index(
        op.f("ix_calendar_feed_event_id"), "calendar_feed", ["event_id"], unique=False, schema="meetings"
    )
    op.create_table(
        "interpreter",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("language_pairs", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("table_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "cardinality(language_pairs) > 0 AND language_pairs <@ ARRAY['ko-ja', 'ko-en', 'ja-en']::text[]",
            name=op.f("ck_interpreter_pairs_known"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_interpreter_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["meetings.registration.id"],
            name=op.f("fk_interpreter_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["meetings.b2b_table.id"],
            name=op.f("fk_interpreter_table_id_b2b_table"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpreter")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_interpreter_registration_id")),
        schema="meetings",
    )
    op.create_index(
        op.f("ix_interpreter_event_id"), "interpreter", ["event_id"], unique=False, schema="meetings"
    )
    op.create_table(
        "session_attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["meetings.registration.id"],
            name=op.f("fk_session_attendance_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["meetings.agenda_session.id"],
            name=op.f("fk_session_attendance_session_id_agenda_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "registration_id", name=op.f("pk_session_attendance")),
        schema="meetings",
    )
    op.create_index(
        op.f("ix_session_attendance_registration_id"),
        "session_attendance",
        ["registration_id"],
        unique=False,
        schema="meetings",
    )
    op.create_table(
        "slot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_slot_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["meetings.event.id"], name=op.f("fk_slot_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["meetings.agenda_session.id"],
            name=op.f("fk_slot_session_id_agenda_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot")),
        sa.UniqueConstraint("event_id", "starts_at", name=op.f("uq_slot_event_id_starts_at")),
        schema="meetings",
    )
    op.create_index(op.f("ix_slot_session_id"), "slot", ["session_id"], unique=False, schema="meetings")
    op.create_table(
        "blocked_slot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("slot_id", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=True),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "num_nonnulls(registration_id, company_id) = 1", name=op.f("ck_blocked_slot_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_blocked_slot_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["meetings.registration.id"],
            name=op.f("fk_blocked_slot_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["meetings.slot.id"], name=op.f("fk_blocked_slot_slot_id_slot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocked_slot")),
        schema="meetings",
    )
    op.create_index(
        op.f("ix_blocked_slot_event_id"), "blocked_slot", ["event_id"], unique=False, schema="meetings"
    )
    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("requester_company_id", sa.Uuid(), nullable=False),
        sa.Column("requested_company_id", sa.Uuid(), nullable=False),
        sa.Column("requester_people", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("requested_people", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("proposed_slot_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_by_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('export_import', 'joint_development', 'equity_investment', 'other')",
            name=op.f("ck_meeting_request_purpose_known"),
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'accepted', 'declined', 'withdrawn', 'expired')",
            name=op.f("ck_meeting_request_status_known"),
        ),
        sa.CheckConstraint(
            "cardinality(requester_people) > 0", name=op.f("ck_meeting_request_requester_people_named")
        ),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name=op.f("ck_meeting_request_priority_range")),
        sa.CheckConstraint(
            "requester_company_id <> requested_company_id", name=op.f("ck_meeting_request_two_companies")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["meetings.event.id"],
            name=op.f("fk_meeting_request_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_slot_id"],
            ["meetings.slot.id"],
            name=op.f("fk_meeting_request_proposed_slot_id_slot"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_request")),
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_request_event_id_requested",
        "meeting_request",
        ["event_id", "requested_company_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_request_event_id_requester",
        "meeting_request",
        ["event_id", "requester_company_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_request_expiring",
        "meeting_request",
        ["event_id", "expires_at"],
        unique=False,
        schema="meetings",
        postgresql_where=sa.text("status = 'requested' AND expires_at IS NOT NULL"),
    )
    op.create_index(
        "uq_meeting_request_open_pair",
        "meeting_request",
        [
            "event_id",
            sa.literal_column("least(requester_company_id, requested_company_id)"),
            sa.literal_column("greatest(requester_company_id, requested_company_id)"),
        ],
        unique=True,
        schema="meetings",
        postgresql_where=sa.text("status = 'requested'"),
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("slot_id", sa.Uuid(), nullable=False),
        sa.Column("table_id", sa.Uuid(), nullable=True),
        sa.Column("interpreter_id", sa.Uuid(), nullable=True),
        sa.Column("company_a_id", sa.Uuid(), nullable=False),
        sa.Column("company_b_id", sa.Uuid(), nullable=False),
        sa.Column("people_a", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("people_b", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("people", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("booked_by", sa.String(length=200), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'checked_in', 'held', 'no_show', 'cancelled')",
            name=op.f("ck_meeting_status_known"),
        ),
        sa.CheckConstraint("company_a_id <> company_b_id", name=op.f("ck_meeting_two_companies")),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name=op.f("ck_meeting_priority_range")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["meetings.event.id"], name=op.f("fk_meeting_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interpreter_id"],
            ["meetings.interpreter.id"],
            name=op.f("fk_meeting_interpreter_id_interpreter"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meetings.meeting_request.id"],
            name=op.f("fk_meeting_request_id_meeting_request"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["slot_id"], ["meetings.slot.id"], name=op.f("fk_meeting_slot_id_slot")),
        sa.ForeignKeyConstraint(
            ["table_id"], ["meetings.b2b_table.id"], name=op.f("fk_meeting_table_id_b2b_table")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("request_id", name=op.f("uq_meeting_request_id")),
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_event_id_company_a_id",
        "meeting",
        ["event_id", "company_a_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_event_id_company_b_id",
        "meeting",
        ["event_id", "company_b_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_meeting_event_id_slot_id", "meeting", ["event_id", "slot_id"], unique=False, schema="meetings"
    )
    op.create_index(
        "ix_meeting_people", "meeting", ["people"], unique=False, schema="meetings", postgresql_using="gin"
    )
    op.create_index(
        "uq_meeting_live_pair",
        "meeting",
        [
            "event_id",
            sa.literal_column("least(company_a_id, company_b_id)"),
            sa.literal_column("greatest(company_a_id, company_b_id)"),
        ],
        unique=True,
        schema="meetings",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )
    op.create_table(
        "meeting_feedback",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5", name=op.f("ck_meeting_feedback_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.meeting.id"],
            name=op.f("fk_meeting_feedback_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "company_id", name=op.f("pk_meeting_feedback")),
        schema="meetings",
    )
    op.create_table(
        "meeting_outcome",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("value_amount", sa.Numeric(precision=24, scale=4), nullable=True),
        sa.Column("value_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('no_interest', 'follow_up', 'cooperation_possible')",
            name=op.f("ck_meeting_outcome_outcome_known"),
        ),
        sa.CheckConstraint(
            "purpose IN ('export_import', 'joint_development', 'equity_investment', 'other')",
            name=op.f("ck_meeting_outcome_purpose_known"),
        ),
        sa.CheckConstraint(
            "(value_amount IS NULL) = (value_currency IS NULL)",
            name=op.f("ck_meeting_outcome_value_complete"),
        ),
        sa.CheckConstraint(
            "value_amount IS NULL OR value_amount >= 0", name=op.f("ck_meeting_outcome_value_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.meeting.id"],
            name=op.f("fk_meeting_outcome_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_outcome")),
        schema="meetings",
    )
    op.create_table(
        "slot_claim",
        sa.Column("slot_id", sa.Uuid(), nullable=False),
        sa.Column("resource_kind", sa.String(length=10), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("attendee_id", sa.Uuid(), nullable=True),
        sa.Column("blocked_slot_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "resource_kind IN ('person', 'company', 'table')", name=op.f("ck_slot_claim_resource_kind_known")
        ),
        sa.CheckConstraint(
            "(session_id IS NULL) = (attendee_id IS NULL)", name=op.f("ck_slot_claim_attendance_complete")
        ),
        sa.CheckConstraint(
            "num_nonnulls(meeting_id, request_id, session_id, blocked_slot_id) = 1",
            name=op.f("ck_slot_claim_one_holder"),
        ),
        sa.ForeignKeyConstraint(
            ["blocked_slot_id"],
            ["meetings.blocked_slot.id"],
            name=op.f("fk_slot_claim_blocked_slot_id_blocked_slot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["meetings.event.id"], name=op.f("fk_slot_claim_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.meeting.id"],
            name=op.f("fk_slot_claim_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meetings.meeting_request.id"],
            name=op.f("fk_slot_claim_request_id_meeting_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id", "attendee_id"],
            ["meetings.session_attendance.session_id", "meetings.session_attendance.registration_id"],
            name="fk_slot_claim_attendance",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["meetings.slot.id"], name=op.f("fk_slot_claim_slot_id_slot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("slot_id", "resource_kind", "resource_id", name=op.f("pk_slot_claim")),
        schema="meetings",
    )
    op.create_index(
        "ix_slot_claim_event_id_resource",
        "slot_claim",
        ["event_id", "resource_kind", "resource_id"],
        unique=False,
        schema="meetings",
    )
    op.create_index(
        "ix_slot_claim_meeting_id",
        "slot_claim",
        ["meeting_id"],
        unique=False,
        schema="meetings",
        postgresql_where=sa.text("meeting_id IS NOT NULL"),
    )
    op.create_index(
        "ix_slot_claim_request_id",
        "slot_claim",
        ["request_id"],
        unique=False,
        schema="meetings",
        postgresql_where=sa.text("request_id IS NOT NULL"),
    )
    op.execute(
        "ALTER TABLE meetings.agenda_session ADD CONSTRAINT ex_agenda_session_room_overlap "
        "EXCLUDE USING gist (event_id WITH =, room WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (room IS NOT NULL)"
    )
    op.execute(
        "ALTER TABLE meetings.slot ADD CONSTRAINT ex_slot_overlap "
        "EXCLUDE USING gist (event_id WITH =, tstzrange(starts_at, ends_at) WITH &&)"
    )


def downgrade() -> None:
    op.drop_index(
        "ix_slot_claim_request_id",
        table_name="slot_claim",
        schema="meetings",
        postgresql_where=sa.text("request_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_slot_claim_meeting_id",
        table_name="slot_claim",
        schema="meetings",
        postgresql_where=sa.text("meeting_id IS NOT NULL"),
    )
    op.drop_index("ix_slot_claim_event_id_resource", table_name="slot_claim", schema="meetings")
    op.drop_table("slot_claim", schema="meetings")
    op.drop_table("meeting_outcome", schema="meetings")
    op.drop_table("meeting_feedback", schema="meetings")
    op.drop_index(
        "uq_meeting_live_pair",
        table_name="meeting",
        schema="meetings",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )
    op.drop_index("ix_meeting_people", table_name="meeting", schema="meetings", postgresql_using="gin")
    op.drop_index("ix_meeting_event_id_slot_id", table_name="meeting", schema="meetings")
    op.drop_index("ix_meeting_event_id_company_b_id", table_name="meeting", schema="meetings")
    op.drop_index("ix_meeting_event_id_company_a_id", table_name="meeting", schema="meetings")
    op.drop_table("meeting", schema="meetings")
    op.drop_index(
        "uq_meeting_request_open_pair",
        table_name="meeting_request",
        schema="meetings",
        postgresql_where=sa.text("status = 'requested'"),
    )
    op.drop_index(
        "ix_meeting_request_expiring",
        table_name="meeting_request",
        schema="meetings",
        postgresql_where=sa.text("status = 'requested' AND expires_at IS NOT NULL"),
    )
    op.drop_index("ix_meeting_request_event_id_requester", table_name="meeting_request", schema="meetings")
    op.drop_index("ix_meeting_request_event_id_requested", table_name="meeting_request", schema="meetings")
    op.drop_table("meeting_request", schema="meetings")
    op.drop_index(op.f("ix_blocked_slot_event_id"), table_name="blocked_slot", schema="meetings")
    op.drop_table("blocked_slot", schema="meetings")
    op.drop_index(op.f("ix_slot_session_id"), table_name="slot", schema="meetings")
    op.drop_table("slot", schema="meetings")
    op.drop_index(
        op.f("ix_session_attendance_registration_id"), table_name="session_attendance", schema="meetings"
    )
    op.drop_table("session_attendance", schema="meetings")
    op.drop_index(op.f("ix_interpreter_event_id"), table_name="interpreter", schema="meetings")
    op.drop_table("interpreter", schema="meetings")
    op.drop_index(op.f("ix_calendar_feed_event_id"), table_name="calendar_feed", schema="meetings")
    op.drop_table("calendar_feed", schema="meetings")
    op.drop_index(
        "ix_registration_waitlist",
        table_name="registration",
        schema="meetings",
        postgresql_where="status = 'waitlisted'",
    )
    op.drop_index("ix_registration_event_id_company_id", table_name="registration", schema="meetings")
    op.drop_table("registration", schema="meetings")
    op.drop_table("company_quota", schema="meetings")
    op.drop_index(
        "uq_b2b_table_event_id_company_id",
        table_name="b2b_table",
        schema="meetings",
        postgresql_where="company_id IS NOT NULL",
    )
    op.drop_table("b2b_table", schema="meetings")
    op.drop_index(op.f("ix_agenda_session_event_id"), table_name="agenda_session", schema="meetings")
    op.drop_table("agenda_session", schema="meetings")
    op.drop_table("idempotency_record", schema="meetings")
    op.drop_index("ix_event_organiser_ids", table_name="event", schema="meetings", postgresql_using="gin")
    op.drop_table("event", schema="meetings")
