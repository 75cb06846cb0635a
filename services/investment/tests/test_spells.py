"""`lead_stage_spell` is kept by PostgreSQL from the transition log: for random histories written straight
into the log (one row a statement, many rows a statement, out of order, ties in time, status moves in
between), the table always equals the funnel's former window over the log — `lead(at) OVER (PARTITION BY
lead_id ORDER BY at, id)` over the creation and stage rows, with whether a spell is the lead's first in its
stage. Everything runs in a rolled-back transaction.
"""

import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from investment.leads.models import Lead, LeadStageSpell, LeadTransition
from plaza_contracts import uuid7

T0 = datetime(2031, 6, 2, 9, 0, tzinfo=UTC)
STAGES = ("identified", "qualified", "proposal", "negotiation", "signed")


@pytest.fixture(name="connection")
async def connection_fixture(investment_engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with investment_engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


async def _lead(connection: AsyncConnection) -> uuid.UUID:
    lead = uuid7()
    await connection.execute(
        insert(Lead).values(
            id=lead,
            deal_type="export",
            pipeline="trade",
            stage="identified",
            status="open",
            stage_entered_at=T0,
            title="spells",
            korean_party_id=uuid.uuid4(),
            origin_kind="other",
            origin_source="test",
            hs_codes=[],
            sectors=[],
            owner_organisation_id=uuid.uuid4(),
            tags=[],
            version=1,
        )
    )
    return lead


def _history(rng: random.Random, lead: uuid.UUID) -> list[dict[str, Any]]:
    """A creation row, then stage and status moves (some at the same instant as the one before)."""
    at = T0
    rows = [_row(lead, "created", None, STAGES[0], at)]
    for _ in range(rng.randint(0, 8)):
        at += timedelta(seconds=rng.choice((0, 1, 60, 3600, 86400)))
        if rng.random() < 0.3:
            rows.append(_row(lead, "status", "open", rng.choice(("on_hold", "open")), at))
        else:
            rows.append(_row(lead, "stage", None, rng.choice(STAGES), at))
    return rows


def _row(lead: uuid.UUID, kind: str, from_value: str | None, to_value: str, at: datetime) -> dict[str, Any]:
    return {
        "id": uuid7(),
        "lead_id": lead,
        "kind": kind,
        "from_value": from_value,
        "to_value": to_value,
        "at": at,
        "by_subject": "test",
    }


async def _spells(connection: AsyncConnection, leads: list[uuid.UUID]) -> set[tuple[Any, ...]]:
    s = LeadStageSpell
    query = select(s.transition_id, s.lead_id, s.stage, s.entered_at, s.left_at, s.first_entry).where(
        s.lead_id.in_(leads)
    )
    return {tuple(row) for row in (await connection.execute(query)).all()}


async def _window(connection: AsyncConnection, leads: list[uuid.UUID]) -> set[tuple[Any, ...]]:
    t = LeadTransition
    left = func.lead(t.at).over(partition_by=t.lead_id, order_by=(t.at, t.id))
    first = func.row_number().over(partition_by=(t.lead_id, t.to_value), order_by=(t.at, t.id)) == 1
    query = select(t.id, t.lead_id, t.to_value, t.at, left, first).where(
        t.kind.in_(("created", "stage")), t.lead_id.in_(leads)
    )
    return {tuple(row) for row in (await connection.execute(query)).all()}


@pytest.mark.parametrize("seed", range(6))
async def test_spells_match_the_log_for_random_histories(connection: AsyncConnection, seed: int) -> None:
    rng = random.Random(seed)
    leads = [await _lead(connection) for _ in range(8)]
    pending = [row for lead in leads for row in _history(rng, lead)]
    rng.shuffle(pending)  # rows of several leads interleaved, a lead's own rows out of time order
    while pending:
        size = rng.randint(1, 5)
        batch, pending = pending[:size], pending[size:]
        await connection.execute(insert(LeadTransition), batch)
        assert await _spells(connection, leads) == await _window(connection, leads)
    assert await _spells(connection, leads)  # not vacuously equal


async def test_a_status_move_neither_opens_nor_closes_a_spell(connection: AsyncConnection) -> None:
    lead = await _lead(connection)
    rows = [
        _row(lead, "created", None, "identified", T0),
        _row(lead, "status", "open", "on_hold", T0 + timedelta(hours=1)),
        _row(lead, "status", "on_hold", "open", T0 + timedelta(hours=2)),
        _row(lead, "stage", "identified", "qualified", T0 + timedelta(hours=3)),
    ]
    for row in rows:
        await connection.execute(insert(LeadTransition).values(row))
    spells = sorted(await _spells(connection, [lead]), key=lambda spell: spell[3])
    assert [(s[2], s[3], s[4], s[5]) for s in spells] == [
        ("identified", T0, T0 + timedelta(hours=3), True),
        ("qualified", T0 + timedelta(hours=3), None, True),
    ]
