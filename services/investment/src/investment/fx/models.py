"""FX rates: units of a currency per euro on a date (the ECB's convention), with where they came from."""

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import CHAR, CheckConstraint, Date, DateTime, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from investment.db import Base


class FxRate(Base):
    """One currency's rate on one date; writing it again replaces it (the euro itself is never stored)."""

    __tablename__ = "fx_rate"
    __table_args__ = (
        CheckConstraint("rate > 0", name="rate_positive"),
        CheckConstraint("currency <> 'EUR'", name="not_the_base"),
    )

    currency: Mapped[str] = mapped_column(CHAR(3), primary_key=True)
    rate_date: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))
    source: Mapped[str] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RateOn(NamedTuple):
    """The rate used for a currency on a date: the latest on or before it."""

    currency: str
    rate: Decimal
    rate_date: date
    source: str


class ImportSummary(NamedTuple):
    """What an import wrote."""

    rates: int
    dates: int
    first_date: date | None
    last_date: date | None
    currencies: list[str]
    skipped_currencies: list[str]
