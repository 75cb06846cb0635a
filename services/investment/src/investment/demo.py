"""Demo FX rates, loaded idempotently (rates already stored for a currency and date are left alone).

Euro reference rates of a few days around the demo plaza (18 September 2025) and today's month, for the
currencies the plaza's deals are in (KRW, JPY, USD) and a few others. They are demo figures in the ECB's
format, not a copy of its publication: import the ECB's file (`POST /v1/fx-rates/imports/ecb`) for real
rates. Then the demo plaza's leads (`demo_leads.py`).

`python -m investment.demo [database-url]` (defaults to `INVESTMENT_DATABASE_URL`).
"""

import asyncio
import os
import sys
from datetime import date
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from investment.demo_leads import load_leads
from investment.fx.models import FxRate
from plaza_kit.settings import asyncpg_url

DEMO_SOURCE = "demo"
DEMO_RATES: dict[date, dict[str, str]] = {
    date(2025, 9, 1): {"USD": "1.1700", "JPY": "172.50", "KRW": "1625.00", "GBP": "0.8660", "CNY": "8.3500"},
    date(2025, 9, 18): {"USD": "1.1800", "JPY": "173.80", "KRW": "1640.00", "GBP": "0.8700", "CNY": "8.3900"},
    date(2025, 10, 1): {"USD": "1.1730", "JPY": "173.90", "KRW": "1648.00", "GBP": "0.8720", "CNY": "8.3600"},
    date(2025, 12, 1): {"USD": "1.1600", "JPY": "180.50", "KRW": "1705.00", "GBP": "0.8780", "CNY": "8.2100"},
}


def demo_rows() -> list[dict[str, object]]:
    """The demo rates as rows of `fx_rate`."""
    return [
        {"currency": currency, "rate_date": day, "rate": Decimal(rate), "source": DEMO_SOURCE}
        for day, rates in DEMO_RATES.items()
        for currency, rate in rates.items()
    ]


async def load_demo(database_url: str) -> int:
    """Insert the demo rates that are not stored yet, then the demo leads (`demo_leads.py`) that are not
    there; how many rates and leads were inserted."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            return await load_into(session)
    finally:
        await engine.dispose()


async def load_into(session: AsyncSession) -> int:
    """The demo rates and leads in `session`'s transaction (the caller commits); how many were inserted."""
    statement = insert(FxRate).values(demo_rows()).on_conflict_do_nothing().returning(FxRate.currency)
    rates = len((await session.execute(statement)).all())
    return rates + await load_leads(session)


def load_demo_sync(database_url: str) -> None:
    """Blocking wrapper for the run command (the catalogue's `demo_data` entry point)."""
    asyncio.run(load_demo(database_url))


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["INVESTMENT_DATABASE_URL"]
    print(f"demo FX rates and leads inserted: {asyncio.run(load_demo(url))}")
