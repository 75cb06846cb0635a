"""Membership of a company in an organisation (a consortium, an association, a partner body)."""

import uuid
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from plaza_contracts import uuid7
from registry.companies.models import Company
from registry.db import Base


class Membership(Base):
    """`member_id` belongs to `organisation_id` (both registry entries) since `joined_on`, in `role`."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("organisation_id", "member_id"),
        CheckConstraint("organisation_id <> member_id", name="not_self"),
        CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on", name="dates_order"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(100), default="member")
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MembershipWithSides(NamedTuple):
    """A membership with the organisation and the member it joins."""

    membership: Membership
    organisation: Company
    member: Company
