"""Leads, the append-only log of their transitions, and the FX rates frozen when a lead is signed."""

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from investment.db import Base
from investment.fx.models import RateOn
from plaza_contracts import uuid7


class ShareAccess(enum.StrEnum):
    """What an organisation a lead is shared with may do (the owner may do everything)."""

    READ = "read"
    EDIT = "edit"


class Access(enum.IntEnum):
    """What a caller may do with a lead, in increasing order."""

    NONE = 0  # answered 404, as if the lead did not exist
    READ = 1
    EDIT = 2
    OWNER = 3  # the owner organisation (and admins): also shares and revokes


class TransitionKind(enum.StrEnum):
    """What a transition changed."""

    CREATED = "created"  # the lead began at its first stage
    STAGE = "stage"
    STATUS = "status"


class Lead(Base):
    """A possible deal. Party names are the registry's at the time of writing (ids are the reference)."""

    __tablename__ = "lead"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'on_hold', 'won', 'lost', 'abandoned')", name="status_known"),
        CheckConstraint("pipeline IN ('trade', 'joint_development', 'equity')", name="pipeline_known"),
        CheckConstraint("korean_party_id IS NOT NULL OR japanese_party_id IS NOT NULL", name="has_a_party"),
        CheckConstraint("(value_amount IS NULL) = (value_currency IS NULL)", name="value_complete"),
        CheckConstraint("value_amount IS NULL OR value_amount >= 0", name="value_non_negative"),
        CheckConstraint(
            "(signing_date IS NULL) = (signed_amount IS NULL)"
            " AND (signed_amount IS NULL) = (signed_currency IS NULL)",
            name="signing_complete",
        ),
        CheckConstraint("signed_amount IS NULL OR signed_amount >= 0", name="signed_non_negative"),
        CheckConstraint("probability IS NULL OR probability BETWEEN 0 AND 100", name="probability_range"),
        CheckConstraint(
            "(origin_kind = 'plaza' AND origin_event_id IS NOT NULL AND origin_source IS NULL)"
            " OR (origin_kind = 'other' AND origin_event_id IS NULL AND origin_meeting_id IS NULL"
            " AND origin_source IS NOT NULL)",
            name="origin_consistent",
        ),
        CheckConstraint("status <> 'won' OR signing_date IS NOT NULL", name="won_is_signed"),
        CheckConstraint("status <> 'lost' OR lost_reason IS NOT NULL", name="lost_has_reason"),
        # The lead list's owner filter, and the reports' visibility test: the funnel reads the visible
        # leads' pipelines from this index alone (an index-only scan, not the wide rows).
        Index(
            "ix_lead_owner_organisation_id_covering",
            "owner_organisation_id",
            "id",
            postgresql_include=["pipeline"],
        ),
        Index("ix_lead_korean_party_id", "korean_party_id"),
        Index("ix_lead_japanese_party_id", "japanese_party_id"),
        Index("ix_lead_origin_event_id", "origin_event_id"),
        # One lead per meeting outcome, whoever asks and however often (leads from meetings).
        Index(
            "uq_lead_origin_meeting_id",
            "origin_meeting_id",
            unique=True,
            postgresql_where=text("origin_meeting_id IS NOT NULL"),
        ),
        Index("ix_lead_tags", "tags", postgresql_using="gin"),
        Index("ix_lead_hs_codes", "hs_codes", postgresql_using="gin"),
        Index("ix_lead_sectors", "sectors", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    deal_type: Mapped[str] = mapped_column(String(30))
    pipeline: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    stage_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    korean_party_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    korean_party_name: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    korean_party_country: Mapped[str | None] = mapped_column(CHAR(2))
    japanese_party_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    japanese_party_name: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    japanese_party_country: Mapped[str | None] = mapped_column(CHAR(2))
    origin_kind: Mapped[str] = mapped_column(String(10))
    origin_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    origin_meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    origin_source: Mapped[str | None] = mapped_column(String(500))
    hs_codes: Mapped[list[str]] = mapped_column(ARRAY(String(10)), default=list)
    sectors: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    value_currency: Mapped[str | None] = mapped_column(CHAR(3))
    probability: Mapped[int | None] = mapped_column(SmallInteger)
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    owner_person: Mapped[str | None] = mapped_column(String(200))
    next_follow_up_date: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    signing_date: Mapped[date | None] = mapped_column(Date)
    signed_amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    signed_currency: Mapped[str | None] = mapped_column(CHAR(3))
    lost_reason: Mapped[str | None] = mapped_column(String(1000))
    lost_to: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LeadTransition(Base):
    """One change of a lead's stage or status; never updated or deleted (a trigger refuses both)."""

    __tablename__ = "lead_transition"
    __table_args__ = (
        CheckConstraint("kind IN ('created', 'stage', 'status')", name="kind_known"),
        Index("ix_lead_transition_lead_id", "lead_id", "at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment.lead.id"))
    kind: Mapped[str] = mapped_column(String(10))
    from_value: Mapped[str | None] = mapped_column(String(40))
    to_value: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by_subject: Mapped[str] = mapped_column(String(200))
    by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(String(1000))


class LeadStageSpell(Base):
    """A time a lead spent in one stage, kept by PostgreSQL from the transition log (so that the funnel reads
    one narrow row a spell instead of a window over the log).

    Not written by the service: the migration's statement-level trigger `AFTER INSERT ON lead_transition`
    recomputes, for every lead an insert touched, `lead(at) OVER (PARTITION BY lead_id ORDER BY at, id)`
    over its creation and stage rows (status moves, such as going on hold, neither open nor close a spell)
    and `first_entry` (the lead's first spell in that stage), and upserts the rows that changed. It is the
    funnel's former window, by construction, however the rows arrive (directly inserted histories, COPY,
    out of order). One row per such transition (its id); the spell's pipeline is its lead's.
    """

    __tablename__ = "lead_stage_spell"
    __table_args__ = (
        # The funnel's join with the visible leads and the trigger's per-lead recomputation.
        Index(
            "ix_lead_stage_spell_lead_id",
            "lead_id",
            postgresql_include=["stage", "entered_at", "left_at", "first_entry"],
        ),
    )

    transition_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investment.lead_transition.id"), primary_key=True
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment.lead.id"))
    stage: Mapped[str] = mapped_column(String(40))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The lead's first spell in this stage (by time, then id): the funnel counts these, not DISTINCT leads.
    first_entry: Mapped[bool] = mapped_column(Boolean)


class LeadSigningRate(Base):
    """A rate of the signing date, frozen on the lead when it was signed (every currency known then)."""

    __tablename__ = "lead_signing_rate"
    __table_args__ = (CheckConstraint("rate > 0", name="rate_positive"),)

    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment.lead.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(CHAR(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))
    rate_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(50))


class LeadView(NamedTuple):
    """A lead with what the caller may do with it."""

    lead: Lead
    access: Access


class StageSpell(NamedTuple):
    """A time a lead spent in one stage (`left_at` None: it is still there)."""

    stage: str
    entered_at: datetime
    left_at: datetime | None
    seconds: int


class Figures(NamedTuple):
    """A value and its weighted value in one currency, and the rates they were computed with."""

    value: Decimal
    weighted: Decimal
    rates: list[RateOn]


class Valuation(NamedTuple):
    """What a lead is worth in `currency` at the rates of `on` and at its frozen signing rates."""

    lead: Lead
    currency: str
    on: date
    probability: int
    at_date: Figures | None
    at_signing: Figures | None
