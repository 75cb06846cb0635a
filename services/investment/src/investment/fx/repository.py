"""Queries on FX rates; no commits here (the request boundary commits)."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, literal_column, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from investment.fx.models import FxRate, RateOn

UPSERT_BATCH = 5000  # rows per statement (5 parameters each, under asyncpg's 32,767)
INSERTED = (literal_column("xmax") == 0).label("inserted")  # a row an upsert inserted has no xmax yet


async def upsert(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Write rates (currency, rate_date, rate, source), replacing those of the same currency and date;
    how many rows were inserted (the rest replaced stored ones)."""
    inserted = 0
    now = datetime.now(UTC)
    for start in range(0, len(rows), UPSERT_BATCH):
        batch = [{**row, "updated_at": now} for row in rows[start : start + UPSERT_BATCH]]
        values = insert(FxRate).values(batch)
        statement = values.on_conflict_do_update(
            index_elements=[FxRate.currency, FxRate.rate_date],
            set_={"rate": values.excluded.rate, "source": values.excluded.source, "updated_at": now},
        ).returning(FxRate.currency, INSERTED)
        result = await session.execute(statement)
        inserted += sum(1 for row in result if row.inserted)
    return inserted


async def get(session: AsyncSession, currency: str, rate_date: date) -> FxRate | None:
    """The rate of `currency` on exactly `rate_date`."""
    query = select(FxRate).where(FxRate.currency == currency, FxRate.rate_date == rate_date)
    return (await session.scalars(query.execution_options(populate_existing=True))).first()


async def page(
    session: AsyncSession,
    *,
    currency: str | None,
    from_date: date | None,
    to_date: date | None,
    after: tuple[date, str] | None,
    limit: int,
) -> Sequence[FxRate]:
    """Rates, newest date first, then by currency (descending, so the keyset is one tuple comparison)."""
    query = select(FxRate).order_by(FxRate.rate_date.desc(), FxRate.currency.desc()).limit(limit)
    if currency is not None:
        query = query.where(FxRate.currency == currency)
    if from_date is not None:
        query = query.where(FxRate.rate_date >= from_date)
    if to_date is not None:
        query = query.where(FxRate.rate_date <= to_date)
    if after is not None:
        query = query.where(tuple_(FxRate.rate_date, FxRate.currency) < tuple_(*after))
    return (await session.scalars(query)).all()


async def rates_on(session: AsyncSession, on: date, currencies: Sequence[str] | None) -> list[RateOn]:
    """For each currency (every stored one when None), its latest rate on or before `on`."""
    latest = select(FxRate.currency, func.max(FxRate.rate_date).label("rate_date")).where(
        FxRate.rate_date <= on
    )
    if currencies is not None:
        latest = latest.where(FxRate.currency.in_(list(currencies)))
    newest = latest.group_by(FxRate.currency).subquery()
    query = (
        select(FxRate.currency, FxRate.rate, FxRate.rate_date, FxRate.source)
        .join(newest, (FxRate.currency == newest.c.currency) & (FxRate.rate_date == newest.c.rate_date))
        .order_by(FxRate.currency)
    )
    return [RateOn(*row) for row in (await session.execute(query)).all()]
