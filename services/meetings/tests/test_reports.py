"""Organisers' reports over the real database, with exact counts, as JSON and as CSV for Excel.

The event is made through the API; registrations, slots, requests, meetings and outcomes are written with
the ORM in the test's transaction (the report queries read the tables, whoever wrote them).
"""

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meetings.agenda.models import AgendaSession, Slot
from meetings.bookings.models import Meeting, MeetingOutcome
from meetings.registrations.models import Registration
from meetings.reports.csv_export import BOM, csv_bytes, wants_csv
from meetings.requests.models import MeetingRequest
from meetings.setup.models import Interpreter, MeetingTable
from plaza_kit.scopes import Scope

from .helpers import STRANGER, create_event

BLOCK_START = datetime(2025, 9, 18, 4, 0, tzinfo=UTC)  # 13:00 in Nagoya


@pytest.fixture
async def db(client: httpx.AsyncClient) -> AsyncIterator[AsyncSession]:
    """A session on the test's connection and transaction: what it commits, the next request sees."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    sessionmaker: async_sessionmaker[AsyncSession] = transport.app.state.sessionmaker  # type: ignore[attr-defined]
    async with sessionmaker() as session:
        yield session


@dataclass
class Plaza:
    """The report fixture's ids."""

    event_id: str
    k1: uuid.UUID  # 한빛소재 / Hanbit Materials (KR)
    k2: uuid.UUID  # 선케미칼 (KR, Korean name only)
    j1: uuid.UUID  # 三河電池材料 / Mikawa Battery Materials (JP)
    j2: uuid.UUID  # 尾張精密 / "Owari Precision, Ltd." (JP; a comma for the CSV)
    slots: list[str]
    interpreter_people: list[uuid.UUID]


NAMES: dict[str, tuple[str | None, str | None, str | None, str]] = {
    "k1": ("한빛소재", None, "Hanbit Materials", "KR"),
    "k2": ("선케미칼", None, None, "KR"),
    "j1": (None, "三河電池材料", "Mikawa Battery Materials", "JP"),
    "j2": (None, "尾張精密", "Owari Precision, Ltd.", "JP"),
}


def _registration(
    event_id: uuid.UUID,
    company_id: uuid.UUID,
    names: tuple[str | None, str | None, str | None, str],
    *,
    status: str = "confirmed",
    created_at: datetime | None = None,
) -> Registration:
    ko, ja, en, country = names
    now = created_at or datetime.now(UTC)
    return Registration(
        id=uuid.uuid4(),
        event_id=event_id,
        company_id=company_id,
        company_name_ko=ko,
        company_name_ja=ja,
        company_name_en=en,
        company_country=country,
        name_en=f"Person of {en or ko or ja}",
        role="delegate",
        languages=["ko"] if country == "KR" else ["ja"],
        status=status,
        check_in_code=uuid.uuid4().hex[:8].upper(),
        version=1,
        created_at=now,
        updated_at=now,
    )


def _request(
    event_id: uuid.UUID, requester: uuid.UUID, requested: uuid.UUID, status: str, **extra: Any
) -> MeetingRequest:
    return MeetingRequest(
        id=uuid.uuid4(),
        event_id=event_id,
        requester_company_id=requester,
        requested_company_id=requested,
        requester_people=[uuid.uuid4()],
        requested_people=[],
        purpose="export_import",
        priority=3,
        status=status,
        created_by="test",
        version=1,
        **extra,
    )


def _meeting(
    event_id: uuid.UUID,
    slot_id: str,
    a: uuid.UUID,
    b: uuid.UUID,
    status: str,
    table: MeetingTable | None,
    interpreter: Interpreter | None,
) -> Meeting:
    people = [uuid.uuid4(), uuid.uuid4()]
    return Meeting(
        id=uuid.uuid4(),
        event_id=event_id,
        slot_id=uuid.UUID(slot_id),
        table_id=table.id if table else None,
        interpreter_id=interpreter.id if interpreter else None,
        company_a_id=a,
        company_b_id=b,
        people_a=people[:1],
        people_b=people[1:],
        people=people,
        purpose="export_import",
        priority=3,
        status=status,
        sequence=0,
        locked=False,
        booked_by="test",
        version=1,
    )


async def build_plaza(client: httpx.AsyncClient, db: AsyncSession) -> Plaza:
    """Four companies, three slots, three tables, two interpreters, six requests, five meetings, four
    outcomes; and a second event whose rows must not show up."""
    event = await create_event(client)
    other = await create_event(client)
    event_id, other_id = uuid.UUID(event["id"]), uuid.UUID(other["id"])
    ids = {key: uuid.uuid4() for key in NAMES}
    k1, k2, j1, j2 = ids["k1"], ids["k2"], ids["j1"], ids["j2"]
    early = datetime.now(UTC) - timedelta(days=1)
    # An older, cancelled registration of K1 under another name: the live one's name is reported.
    db.add(
        _registration(event_id, k1, ("옛이름", None, "Old Name", "KR"), status="cancelled", created_at=early)
    )
    db.add_all(_registration(event_id, ids[key], names) for key, names in NAMES.items())
    agency = uuid.uuid4()
    people = [_registration(event_id, agency, ("통역", None, "Interpreting Co", "KR")) for _ in range(2)]
    db.add_all(people)
    block = AgendaSession(
        id=uuid.uuid4(),
        event_id=event_id,
        kind="b2b_block",
        title_en="B2B",
        starts_at=BLOCK_START,
        ends_at=BLOCK_START + timedelta(minutes=90),
        attendee_count=0,
        speakers=[],
    )
    db.add(block)
    await db.flush()
    slots = [
        Slot(
            id=uuid.uuid4(),
            event_id=event_id,
            session_id=block.id,
            starts_at=BLOCK_START + timedelta(minutes=30 * index),
            ends_at=BLOCK_START + timedelta(minutes=30 * (index + 1)),
        )
        for index in range(3)
    ]
    t1 = MeetingTable(id=uuid.uuid4(), event_id=event_id, name="T1", company_id=k1)
    t2 = MeetingTable(id=uuid.uuid4(), event_id=event_id, name="T2")
    t3 = MeetingTable(id=uuid.uuid4(), event_id=event_id, name="T3")
    db.add_all([*slots, t1, t2, t3])
    await db.flush()
    i1, i2 = (
        Interpreter(id=uuid.uuid4(), event_id=event_id, registration_id=person.id, language_pairs=["ko-ja"])
        for person in people
    )
    db.add_all([i1, i2])
    await db.flush()  # no ORM relationships: rows a foreign key points at go first
    now = datetime.now(UTC)
    db.add_all(
        [
            _request(event_id, j1, k1, "accepted"),
            _request(event_id, j1, k2, "declined"),
            _request(event_id, j2, k1, "requested", expires_at=now + timedelta(days=1)),
            _request(event_id, j2, k2, "requested", expires_at=now - timedelta(hours=1)),  # expired, unswept
            _request(event_id, k1, j2, "withdrawn"),
            _request(event_id, k2, j1, "expired"),
            _request(other_id, k1, j1, "accepted"),  # another event
        ]
    )
    s = [str(slot.id) for slot in slots]
    m1 = _meeting(event_id, s[0], k1, j1, "held", t1, i1)
    m2 = _meeting(event_id, s[0], k2, j2, "no_show", t2, None)
    m3 = _meeting(event_id, s[1], k1, j2, "scheduled", t1, i1)
    m4 = _meeting(event_id, s[1], k2, j1, "cancelled", t2, i2)
    m5 = _meeting(event_id, s[2], k2, j1, "checked_in", t3, i2)
    db.add_all([m1, m2, m3, m4, m5])
    await db.flush()
    db.add_all(
        [
            MeetingOutcome(
                meeting_id=m1.id,
                outcome="cooperation_possible",
                purpose="export_import",
                value_amount=Decimal("150000000"),
                value_currency="JPY",
                recorded_by="test",
            ),
            MeetingOutcome(
                meeting_id=m3.id, outcome="follow_up", purpose="export_import", recorded_by="test"
            ),
            MeetingOutcome(
                meeting_id=m5.id,
                outcome="follow_up",
                purpose="joint_development",
                value_amount=Decimal("300000000"),
                value_currency="KRW",
                recorded_by="test",
            ),
            MeetingOutcome(
                meeting_id=m2.id, outcome="no_interest", purpose="equity_investment", recorded_by="test"
            ),
        ]
    )
    await db.commit()
    return Plaza(event["id"], k1, k2, j1, j2, s, [person.id for person in people])


def _parse_csv(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith(BOM.encode("utf-8"))
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    return list(csv.reader(io.StringIO(text, newline="")))


# --- the reports ----------------------------------------------------------------------------------------


async def test_requests_report(client: httpx.AsyncClient, db: AsyncSession) -> None:
    plaza = await build_plaza(client, db)
    response = await client.get(f"/v1/events/{plaza.event_id}/reports/requests")
    assert response.status_code == 200, response.text
    report = response.json()
    counts = {
        row["company_id"]: [
            row[name]
            for name in (
                "sent",
                "received",
                "accepted_sent",
                "accepted_received",
                "declined",
                "withdrawn",
                "pending",
                "expired",
            )
        ]
        for row in report["companies"]
    }
    assert counts == {
        str(plaza.k1): [1, 2, 0, 1, 0, 1, 1, 0],
        str(plaza.k2): [1, 2, 0, 0, 1, 0, 0, 2],
        str(plaza.j1): [2, 1, 1, 0, 1, 0, 0, 1],
        str(plaza.j2): [2, 1, 0, 0, 0, 1, 1, 1],
    }
    # In name order (English where there is one), names from the live registrations.
    assert [row["company_id"] for row in report["companies"]] == [
        str(plaza.k1),
        str(plaza.j1),
        str(plaza.j2),
        str(plaza.k2),
    ]
    first = report["companies"][0]
    assert (first["company_name"], first["country"]) == (
        {"ko": "한빛소재", "ja": None, "en": "Hanbit Materials"},
        "KR",
    )
    assert report["totals"] == {
        "requests": 6,
        "accepted": 1,
        "declined": 1,
        "withdrawn": 1,
        "pending": 1,
        "expired": 2,
    }


async def test_meetings_report(client: httpx.AsyncClient, db: AsyncSession) -> None:
    plaza = await build_plaza(client, db)
    report = (await client.get(f"/v1/events/{plaza.event_id}/reports/meetings")).json()
    names = ("scheduled", "upcoming", "checked_in", "held", "no_show", "cancelled")
    counts = {row["company_id"]: [row[name] for name in names] for row in report["companies"]}
    assert counts == {
        str(plaza.k1): [2, 1, 0, 1, 0, 0],
        str(plaza.k2): [2, 0, 1, 0, 1, 1],
        str(plaza.j1): [2, 0, 1, 1, 0, 1],
        str(plaza.j2): [2, 1, 0, 0, 1, 0],
    }
    assert report["totals"] == {
        "scheduled": 4,
        "upcoming": 1,
        "checked_in": 1,
        "held": 1,
        "no_show": 1,
        "cancelled": 1,
    }


async def test_slot_usage_report(client: httpx.AsyncClient, db: AsyncSession) -> None:
    plaza = await build_plaza(client, db)
    # The second interpreter takes a break in the first slot (a blocked slot claims their person).
    blocked = await client.post(
        f"/v1/events/{plaza.event_id}/blocked-slots",
        json={
            "slot_id": plaza.slots[0],
            "registration_id": str(plaza.interpreter_people[1]),
            "reason": "Break",
        },
    )
    assert blocked.status_code == 201, blocked.text
    report = (await client.get(f"/v1/events/{plaza.event_id}/reports/slot-usage")).json()
    assert report["time_zone"] == "Asia/Tokyo"
    assert [
        (
            slot["slot_id"],
            slot["starts_at"],
            slot["meetings"],
            slot["tables_in_use"],
            slot["tables_total"],
            slot["interpreters_in_use"],
            slot["interpreters_unavailable"],
            slot["interpreters_total"],
        )
        for slot in report["slots"]
    ] == [
        (plaza.slots[0], "2025-09-18T13:00:00+09:00", 2, 2, 3, 1, 1, 2),
        (plaza.slots[1], "2025-09-18T13:30:00+09:00", 1, 1, 3, 1, 0, 2),  # the cancelled meeting is free
        (plaza.slots[2], "2025-09-18T14:00:00+09:00", 1, 1, 3, 1, 0, 2),
    ]


async def test_outcomes_report(client: httpx.AsyncClient, db: AsyncSession) -> None:
    plaza = await build_plaza(client, db)
    report = (await client.get(f"/v1/events/{plaza.event_id}/reports/outcomes")).json()
    by_purpose = {item.pop("purpose"): item for item in report["purposes"]}
    zero = {"no_interest": 0, "follow_up": 0, "cooperation_possible": 0}
    assert by_purpose == {
        "export_import": {
            "meetings": 2,
            "outcomes": {"no_interest": 0, "follow_up": 1, "cooperation_possible": 1},
            "estimated_values": [{"currency": "JPY", "amount": "150000000"}],
        },
        "joint_development": {
            "meetings": 1,
            "outcomes": zero | {"follow_up": 1},
            "estimated_values": [{"currency": "KRW", "amount": "300000000"}],
        },
        "equity_investment": {"meetings": 1, "outcomes": zero | {"no_interest": 1}, "estimated_values": []},
        "other": {"meetings": 0, "outcomes": zero, "estimated_values": []},
    }
    assert report["totals"] == {
        "meetings": 4,
        "outcomes": {"no_interest": 1, "follow_up": 2, "cooperation_possible": 1},
        "estimated_values": [
            {"currency": "JPY", "amount": "150000000"},
            {"currency": "KRW", "amount": "300000000"},
        ],
    }


async def test_an_event_without_b2b_activity_reports_zeros(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/reports"
    requests = (await client.get(f"{base}/requests")).json()
    assert (requests["companies"], requests["totals"]["requests"]) == ([], 0)
    assert (await client.get(f"{base}/meetings")).json()["totals"]["scheduled"] == 0
    assert (await client.get(f"{base}/slot-usage")).json()["slots"] == []
    assert (await client.get(f"{base}/outcomes")).json()["totals"]["meetings"] == 0
    assert [row[0] for row in _parse_csv(await client.get(f"{base}/outcomes", params={"format": "csv"}))] == [
        "purpose",
        "export_import",
        "joint_development",
        "equity_investment",
        "other",
        "total",
    ]


# --- CSV ------------------------------------------------------------------------------------------------


async def test_reports_as_csv_for_excel(client: httpx.AsyncClient, db: AsyncSession) -> None:
    plaza = await build_plaza(client, db)
    base = f"/v1/events/{plaza.event_id}/reports"
    by_query = await client.get(f"{base}/requests", params={"format": "csv"})
    assert by_query.status_code == 200, by_query.text
    assert by_query.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_query.headers["content-disposition"] == f'attachment; filename="requests-{plaza.event_id}.csv"'
    rows = _parse_csv(by_query)
    assert rows[0] == [
        "company_id",
        "company_name_ko",
        "company_name_ja",
        "company_name_en",
        "country",
        "sent",
        "received",
        "accepted_sent",
        "accepted_received",
        "declined",
        "withdrawn",
        "pending",
        "expired",
    ]
    assert rows[1] == [
        str(plaza.k1),
        "한빛소재",
        "",
        "Hanbit Materials",
        "KR",
        "1",
        "2",
        "0",
        "1",
        "0",
        "1",
        "1",
        "0",
    ]
    assert rows[3][:5] == [str(plaza.j2), "", "尾張精密", "Owari Precision, Ltd.", "JP"]
    assert '"Owari Precision, Ltd."' in by_query.content.decode("utf-8-sig")  # quoted for the comma
    assert rows[-1] == ["total", "", "", "", "", "6", "6", "1", "1", "1", "1", "1", "2"]

    by_accept = await client.get(f"{base}/meetings", headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"] == "text/csv; charset=utf-8"
    meetings = _parse_csv(by_accept)
    assert meetings[-1] == ["total", "", "", "", "", "4", "1", "1", "1", "1", "1"]

    slots = _parse_csv(await client.get(f"{base}/slot-usage", params={"format": "csv"}))
    assert slots[1][:4] == [plaza.slots[0], "2025-09-18T13:00:00+09:00", "2025-09-18T13:30:00+09:00", "2"]

    outcomes = _parse_csv(await client.get(f"{base}/outcomes", headers={"Accept": "text/csv"}))
    assert outcomes[0] == [
        "purpose",
        "meetings",
        "no_interest",
        "follow_up",
        "cooperation_possible",
        "estimated_value_JPY",
        "estimated_value_KRW",
    ]
    assert outcomes[1] == ["export_import", "2", "0", "1", "1", "150000000", ""]
    assert outcomes[-1] == ["total", "4", "1", "2", "1", "150000000", "300000000"]

    # JSON unless CSV is asked for; `?format=json` wins over the header.
    assert (await client.get(f"{base}/meetings")).headers["content-type"] == "application/json"
    forced = await client.get(f"{base}/meetings", params={"format": "json"}, headers={"Accept": "text/csv"})
    assert forced.headers["content-type"] == "application/json"


def test_the_csv_writer_is_excel_safe() -> None:
    data = csv_bytes(
        ["name", "note", "count"],
        [
            ["한빛소재", "日韓バッテリー, 名古屋", 3],
            ['He said "hi"', "two\nlines", -2],
            ['=HYPERLINK("http://evil")', "@SUM(A1)", None],
        ],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0] == "name,note,count"
    assert '"日韓バッテリー, 名古屋"' in text
    assert '"He said ""hi"""' in text
    assert '"two\nlines"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["name", "note", "count"],
        ["한빛소재", "日韓バッテリー, 名古屋", "3"],
        ['He said "hi"', "two\nlines", "-2"],
        ['\'=HYPERLINK("http://evil")', "'@SUM(A1)", ""],  # shown as text, never run as a formula
    ]


@pytest.mark.parametrize(
    ("report_format", "accept", "expected"),
    [
        (None, None, False),
        (None, "text/csv", True),
        (None, "application/json", False),
        (None, "text/csv, application/json", False),
        (None, "application/json;q=0.5, text/csv", True),
        (None, "text/csv, */*;q=0.1", True),
        (None, "text/html,application/xhtml+xml,*/*;q=0.8", False),
        (None, "text/csv;q=0", False),
        ("csv", "application/json", True),
        ("json", "text/csv", False),
    ],
)
def test_csv_is_chosen_by_format_or_accept(
    report_format: str | None, accept: str | None, expected: bool
) -> None:
    assert wants_csv(report_format, accept) is expected


# --- access ---------------------------------------------------------------------------------------------


async def test_reports_are_for_organisers(client: httpx.AsyncClient, as_org: Any) -> None:
    event = await create_event(client)
    draft = await create_event(client, open_it=False)
    stranger = as_org(STRANGER, Scope.MEETINGS_READ, Scope.MEETINGS_ORGANISE)
    company = as_org(uuid.uuid4())  # a participant: read and write, not organise
    for report in ("requests", "meetings", "slot-usage", "outcomes"):
        path = f"/v1/events/{event['id']}/reports/{report}"
        assert (await client.get(path)).status_code == 200
        assert (await client.get(path, headers=stranger)).status_code == 403
        assert (await client.get(path, headers=company)).status_code == 403
        hidden = await client.get(f"/v1/events/{draft['id']}/reports/{report}", headers=stranger)
        assert hidden.status_code == 404
        assert (await client.get(f"/v1/events/{uuid.uuid4()}/reports/{report}")).status_code == 404
