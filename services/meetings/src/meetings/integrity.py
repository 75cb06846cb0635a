"""The booking guarantee, re-checked on stored state with SQL that does not trust the claims table.

No person, company, table or interpreter is in two live meetings of one slot (computed from the meetings
themselves); every live meeting holds exactly the claims it should and nothing else holds claims it should
not; quotas count live meetings. The race and property tests run it after every round, the booking
benchmark after its run, and an operator can run it against a live database:
`python -m meetings.integrity <event-id> [database-url]` (prints what is wrong, exit 1 if anything is).
"""

import asyncio
import os
import sys
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from plaza_kit.settings import asyncpg_url

DOUBLE_BOOKINGS = """
WITH live AS (SELECT * FROM meetings.meeting WHERE event_id = :event AND status <> 'cancelled'),
uses AS (
    SELECT slot_id, 'person' AS kind, unnest(people) AS resource, id FROM live
    UNION ALL SELECT slot_id, 'company', company_a_id, id FROM live
    UNION ALL SELECT slot_id, 'company', company_b_id, id FROM live
    UNION ALL SELECT slot_id, 'table', table_id, id FROM live WHERE table_id IS NOT NULL
    UNION ALL SELECT slot_id, 'interpreter', interpreter_id, id FROM live WHERE interpreter_id IS NOT NULL
)
SELECT slot_id, kind, resource, array_agg(id) FROM uses GROUP BY 1, 2, 3 HAVING count(*) > 1
"""

MISSING_OR_EXTRA_CLAIMS = """
WITH live AS (SELECT * FROM meetings.meeting WHERE event_id = :event AND status <> 'cancelled'),
expected AS (
    SELECT id, slot_id, 'person' AS kind, unnest(people) AS resource FROM live
    UNION SELECT id, slot_id, 'company', company_a_id FROM live
    UNION SELECT id, slot_id, 'company', company_b_id FROM live
    UNION SELECT id, slot_id, 'table', table_id FROM live WHERE table_id IS NOT NULL
),
actual AS (
    SELECT meeting_id AS id, slot_id, resource_kind AS kind, resource_id AS resource
    FROM meetings.slot_claim WHERE event_id = :event AND meeting_id IS NOT NULL
)
(SELECT 'missing', * FROM expected EXCEPT SELECT 'missing', * FROM actual)
UNION ALL
(SELECT 'extra', * FROM actual EXCEPT SELECT 'extra', * FROM expected)
"""

STALE_HOLDS = """
SELECT c.request_id, r.status
FROM meetings.slot_claim c JOIN meetings.meeting_request r ON r.id = c.request_id
WHERE c.event_id = :event AND r.status <> 'requested'
"""

OPEN_HOLDS_WITHOUT_CLAIMS = """
SELECT r.id FROM meetings.meeting_request r
WHERE r.event_id = :event AND r.status = 'requested' AND r.proposed_slot_id IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM meetings.slot_claim c WHERE c.request_id = r.id AND c.resource_kind = 'company'
  )
"""

QUOTA_COUNTS = """
WITH live AS (
    SELECT company_a_id AS company FROM meetings.meeting WHERE event_id = :event AND status <> 'cancelled'
    UNION ALL
    SELECT company_b_id FROM meetings.meeting WHERE event_id = :event AND status <> 'cancelled'
),
counted AS (SELECT company, count(*) AS meetings FROM live GROUP BY company)
SELECT q.company_id, q.booked, coalesce(c.meetings, 0)
FROM meetings.company_quota q LEFT JOIN counted c ON c.company = q.company_id
WHERE q.event_id = :event AND q.booked <> coalesce(c.meetings, 0)
"""

LIVE_PAIRS = """
SELECT least(company_a_id, company_b_id), greatest(company_a_id, company_b_id), count(*)
FROM meetings.meeting WHERE event_id = :event AND status <> 'cancelled' GROUP BY 1, 2 HAVING count(*) > 1
"""


CHECKS = (
    ("double bookings", DOUBLE_BOOKINGS),
    ("claims that disagree with meetings", MISSING_OR_EXTRA_CLAIMS),
    ("holds of requests no longer open", STALE_HOLDS),
    ("open holding requests without claims", OPEN_HOLDS_WITHOUT_CLAIMS),
    ("quota counts off", QUOTA_COUNTS),
    ("pairs with two live meetings", LIVE_PAIRS),
)


async def problems_of(engine: AsyncEngine, event_id: uuid.UUID) -> dict[str, list[tuple[object, ...]]]:
    """Every broken invariant of the event, with the offending rows (empty when all hold)."""
    problems: dict[str, list[tuple[object, ...]]] = {}
    async with engine.connect() as connection:
        for name, query in CHECKS:
            rows = (await connection.execute(text(query), {"event": event_id})).all()
            if rows:
                problems[name] = [tuple(row) for row in rows]
    return problems


async def assert_consistent(engine: AsyncEngine, event_id: uuid.UUID) -> None:
    """Fail with what is wrong when the event's stored state breaks any booking invariant."""
    problems = await problems_of(engine, event_id)
    if problems:
        raise AssertionError(f"booking invariants broken: {problems}")


async def live_meetings_in(engine: AsyncEngine, event_id: uuid.UUID, slot_id: uuid.UUID) -> int:
    """How many live meetings the event has in a slot."""
    async with engine.connect() as connection:
        count = await connection.scalar(
            text(
                "SELECT count(*) FROM meetings.meeting "
                "WHERE event_id = :event AND slot_id = :slot AND status <> 'cancelled'"
            ),
            {"event": event_id, "slot": slot_id},
        )
    return int(count or 0)


def main(argv: list[str] | None = None) -> None:
    """`python -m meetings.integrity <event-id> [database-url]` (URL defaults to `MEETINGS_DATABASE_URL`)."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m meetings.integrity <event-id> [database-url]")
    url = args[1] if len(args) > 1 else os.environ.get("MEETINGS_DATABASE_URL", "")
    if not url:
        raise SystemExit("set MEETINGS_DATABASE_URL or pass the URL")

    async def run() -> dict[str, list[tuple[object, ...]]]:
        engine = create_async_engine(asyncpg_url(url))
        try:
            return await problems_of(engine, uuid.UUID(args[0]))
        finally:
            await engine.dispose()

    problems = asyncio.run(run())
    for name, rows in problems.items():
        print(f"{name}: {rows}")
    print("consistent" if not problems else "INCONSISTENT")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
