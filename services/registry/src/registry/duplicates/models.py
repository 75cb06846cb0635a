"""Pairs of companies a client confirmed to be different organisations despite similar names."""

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, func
from sqlalchemy.orm import Mapped, mapped_column

from registry.companies.models import Company
from registry.db import Base


class DistinctPair(Base):
    """`low_id` < `high_id`: each pair is stored once, whichever side confirmed it."""

    __tablename__ = "distinct_pair"
    __table_args__ = (CheckConstraint("low_id < high_id", name="ordered"),)

    low_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), primary_key=True)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DuplicateCandidate(Base):
    """A likely duplicate found when a company was created or renamed: a similar, not identical, name.

    Identical names are refused at the door (unless confirmed distinct); similar ones are let in and
    queued here for review in `GET /v1/companies/duplicates`.
    """

    __tablename__ = "duplicate_candidate"
    __table_args__ = (CheckConstraint("low_id < high_id", name="ordered"),)

    low_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    similarity: Mapped[float] = mapped_column(Float)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LikelyPair(NamedTuple):
    """Two active companies that are probably one organisation, and why: a shared key or a similarity."""

    first: Company
    second: Company
    matched_key: str | None
    similarity: float | None
