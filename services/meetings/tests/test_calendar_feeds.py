"""Calendar feeds over the real database: create, list, revoke, and the feed itself read back by icalendar.

Meetings are written straight to the tables here (the booking API has its own tests): a feed only reads them,
so its tests need no slot claims, quotas or requests.
"""

import hashlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from meetings.agenda.models import AgendaSession, Slot
from meetings.app import create_app
from meetings.bookings.models import Meeting
from meetings.registrations.models import Registration
from meetings.settings import MeetingsSettings
from meetings.setup.models import Interpreter, MeetingTable
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker

from .helpers import ORGANISER, STRANGER, create_event

TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass
class Harness:
    """The app over one rolled-back transaction, an HTTP client (the organiser's), and a way to write rows."""

    http: httpx.AsyncClient
    anonymous: httpx.AsyncClient  # no identity at all, as the gateway forwards a feed read
    sessions: async_sessionmaker[AsyncSession]

    async def write(self, *rows: Any) -> None:
        async with self.sessions() as session:
            session.add_all(rows)
            await session.commit()

    async def run(self, statement: str, **values: Any) -> None:
        async with self.sessions() as session:
            await session.execute(text(statement), values)
            await session.commit()


@pytest.fixture
async def harness(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> AsyncIterator[Harness]:
    app = create_app(meetings_settings)
    async with app.router.lifespan_context(app), meetings_engine.connect() as connection:
        transaction = await connection.begin()
        sessions = make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        bind_database(app, meetings_engine, sessions)
        await app.state.read_pool.close()  # lean reads borrow the test's connection (plaza_kit.read_pool)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(
                transport=transport, base_url="http://meetings", headers=organiser_headers
            ) as http,
            httpx.AsyncClient(transport=transport, base_url="http://meetings") as anonymous,
        ):
            yield Harness(http, anonymous, sessions)
        await transaction.rollback()


@dataclass
class Plaza:
    """One event with two companies, their people, an interpreter, a table, two slots and one meeting."""

    event_id: uuid.UUID
    korean: uuid.UUID  # company A, the requester
    japanese: uuid.UUID  # company B
    korean_person: Registration
    japanese_person: Registration
    interpreter_person: Registration
    slots: list[Slot]
    meeting: Meeting


def _person(event_id: uuid.UUID, company: uuid.UUID, country: str, **fields: Any) -> Registration:
    values: dict[str, Any] = {"role": "delegate", **fields}
    return Registration(
        id=uuid.uuid4(),
        event_id=event_id,
        company_id=company,
        company_country=country,
        status="confirmed",
        check_in_code=uuid.uuid4().hex[:12],
        **values,
    )


@pytest.fixture
async def plaza(harness: Harness) -> Plaza:
    event = await create_event(harness.http)
    event_id = uuid.UUID(event["id"])
    korean, japanese = uuid.uuid4(), uuid.uuid4()
    names_a = {"company_name_ko": "한빛소재", "company_name_en": "Hanbit Materials"}
    names_b = {"company_name_ja": "関東電機", "company_name_en": "Kanto Denki"}
    korean_person = _person(event_id, korean, "KR", name_ko="박서준", languages=["ko", "ja"], **names_a)
    japanese_person = _person(event_id, japanese, "JP", name_ja="佐藤健", languages=["ja"], **names_b)
    interpreter_person = _person(
        event_id,
        ORGANISER,
        "JP",
        name_ko="김민지",
        name_ja="キム・ミンジ",
        languages=["en", "ko", "ja"],
        company_name_en="Plaza organisers",
        role="interpreter",
    )
    block = AgendaSession(
        id=uuid.uuid4(),
        event_id=event_id,
        kind="b2b_block",
        title_en="B2B meetings",
        starts_at=datetime(2025, 9, 18, 13, 0, tzinfo=TOKYO),
        ends_at=datetime(2025, 9, 18, 14, 0, tzinfo=TOKYO),
    )
    slots = [
        Slot(
            id=uuid.uuid4(),
            event_id=event_id,
            session_id=block.id,
            starts_at=datetime(2025, 9, 18, 13, 0, tzinfo=TOKYO) + timedelta(minutes=30 * index),
            ends_at=datetime(2025, 9, 18, 13, 30, tzinfo=TOKYO) + timedelta(minutes=30 * index),
        )
        for index in range(2)
    ]
    table = MeetingTable(id=uuid.uuid4(), event_id=event_id, name="A-1")
    interpreter = Interpreter(
        id=uuid.uuid4(), event_id=event_id, registration_id=interpreter_person.id, language_pairs=["ko-ja"]
    )
    meeting = Meeting(
        id=uuid.uuid4(),
        event_id=event_id,
        slot_id=slots[0].id,
        table_id=table.id,
        interpreter_id=interpreter.id,
        company_a_id=korean,
        company_b_id=japanese,
        people_a=[korean_person.id],
        people_b=[japanese_person.id],
        people=[korean_person.id, japanese_person.id, interpreter_person.id],
        purpose="export_import",
        priority=3,
        status="scheduled",
        sequence=0,
        booked_by="test",
        version=1,
        updated_at=datetime(2025, 9, 1, 9, 0, tzinfo=UTC),
    )
    await harness.write(korean_person, japanese_person, interpreter_person, block)
    await harness.write(*slots, table)
    await harness.write(interpreter)
    await harness.write(meeting)
    return Plaza(
        event_id, korean, japanese, korean_person, japanese_person, interpreter_person, slots, meeting
    )


def feeds_path(plaza: Plaza) -> str:
    return f"/v1/events/{plaza.event_id}/calendar-feeds"


async def make_feed(harness: Harness, plaza: Plaza, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    response = await harness.http.post(feeds_path(plaza), json=body, **kwargs)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def feed_path(created: dict[str, Any]) -> str:
    return httpx.URL(created["url"]).path


def events_in(body: bytes) -> list[Any]:
    calendar: Any = Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


async def test_an_organiser_creates_a_company_feed_whose_secret_is_shown_once(
    harness: Harness, plaza: Plaza
) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    assert created["kind"] == "company"
    assert created["company_id"] == str(plaza.korean)
    assert created["registration_id"] is None
    assert created["language"] == "ko"  # the company's first registered person's first language
    url = httpx.URL(created["url"])
    assert (url.scheme, url.host) == ("http", "meetings")
    token = url.path.removeprefix("/v1/calendar/").removesuffix(".ics")
    assert token.startswith("plzcal_")
    assert len(token) > 40
    listed = (await harness.http.get(feeds_path(plaza))).json()["items"]
    assert [feed["id"] for feed in listed] == [created["id"]]
    assert "url" not in listed[0]
    async with harness.sessions() as session:
        stored = (
            await session.execute(
                text("SELECT token_hash, created_by FROM calendar_feed WHERE id = :id"), {"id": created["id"]}
            )
        ).one()
    assert bytes(stored.token_hash) == hashlib.sha256(token.encode()).digest()


async def test_the_url_names_the_host_the_gateway_was_called_on(harness: Harness, plaza: Plaza) -> None:
    forwarded = {"X-Forwarded-Host": "api.plaza.example", "X-Forwarded-Proto": "https"}
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)}, headers=forwarded)
    assert created["url"].startswith("https://api.plaza.example/v1/calendar/plzcal_")
    bogus = {"X-Forwarded-Host": "evil.example/path?x=", "X-Forwarded-Proto": "javascript"}
    fallback = await make_feed(harness, plaza, {"company_id": str(plaza.korean)}, headers=bogus)
    assert fallback["url"].startswith("http://meetings/v1/calendar/")


async def test_the_feed_is_icalendar_in_the_feeds_language(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    response = await harness.anonymous.get(feed_path(created))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    calendar: Any = Calendar.from_ical(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Asia/Tokyo"
    assert calendar["X-WR-CALNAME"] == "한일 배터리 플라자: 미팅 일정"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{plaza.meeting.id}@plaza"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Kanto Denki 미팅"  # no Korean name registered: the English one
    assert event["LOCATION"] == "테이블: A-1, STATION Ai"
    assert "통역사: 김민지" in event["DESCRIPTION"]
    assert b"DTSTART;TZID=Asia/Tokyo:20250918T130000" in response.content
    assert event["DTSTART"].dt.astimezone(ZoneInfo("Asia/Seoul")).hour == 13


async def test_a_person_feed_speaks_the_persons_language(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"registration_id": str(plaza.japanese_person.id)})
    assert (created["kind"], created["language"]) == ("person", "ja")
    assert created["company_id"] == str(plaza.japanese)
    (event,) = events_in((await harness.anonymous.get(feed_path(created))).content)
    assert event["SUMMARY"] == "Hanbit Materialsとの商談"  # no Japanese name registered: the English one
    assert "通訳: キム・ミンジ" in event["DESCRIPTION"]
    english = await make_feed(
        harness, plaza, {"registration_id": str(plaza.japanese_person.id), "language": "en"}
    )
    (event,) = events_in((await harness.anonymous.get(feed_path(english))).content)
    assert event["SUMMARY"] == "Meeting with Hanbit Materials"
    assert event["LOCATION"] == "Table: A-1, STATION Ai"


async def test_an_interpreters_feed_names_both_companies(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"registration_id": str(plaza.interpreter_person.id)})
    assert created["language"] == "en"
    (event,) = events_in((await harness.anonymous.get(feed_path(created))).content)
    assert event["SUMMARY"] == "Meeting: Hanbit Materials and Kanto Denki"


async def test_polling_with_the_etag_is_a_304_until_the_meeting_changes(
    harness: Harness, plaza: Plaza
) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.japanese)})
    first = await harness.anonymous.get(feed_path(created))
    tag = first.headers["etag"]
    again = await harness.anonymous.get(feed_path(created), headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    await harness.run(
        "UPDATE meeting SET slot_id = :slot, sequence = sequence + 1, updated_at = now() WHERE id = :id",
        slot=plaza.slots[1].id,
        id=plaza.meeting.id,
    )
    moved = await harness.anonymous.get(feed_path(created), headers={"If-None-Match": tag})
    assert moved.status_code == 200
    assert moved.headers["etag"] != tag
    (before,) = events_in(first.content)
    (after,) = events_in(moved.content)
    assert after["UID"] == before["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["DTSTART"].dt - before["DTSTART"].dt == timedelta(minutes=30)


async def test_a_cancelled_meeting_stays_as_cancelled(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean), "language": "en"})
    await harness.run(
        "UPDATE meeting SET status = 'cancelled', sequence = 2, updated_at = now() WHERE id = :id",
        id=plaza.meeting.id,
    )
    (event,) = events_in((await harness.anonymous.get(feed_path(created))).content)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert event["SUMMARY"] == "Cancelled: Meeting with Kanto Denki"


async def test_head_answers_the_headers(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    response = await harness.anonymous.head(feed_path(created))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"]


async def test_a_revoked_feed_is_gone(harness: Harness, plaza: Plaza) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    assert (await harness.anonymous.get(feed_path(created))).status_code == 200
    revoked = await harness.http.delete(f"{feeds_path(plaza)}/{created['id']}")
    assert revoked.status_code == 204, revoked.text
    gone = await harness.anonymous.get(feed_path(created))
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert (await harness.http.get(feeds_path(plaza))).json()["items"] == []
    assert (await harness.http.delete(f"{feeds_path(plaza)}/{created['id']}")).status_code == 404


@pytest.mark.parametrize(
    "token", ["plzcal_unknown", "nothing-like-a-token", "plzcal_" + "x" * 200, "%00", "plzcal_%2e%2e"]
)
async def test_unknown_tokens_are_404(harness: Harness, token: str) -> None:
    response = await harness.anonymous.get(f"/v1/calendar/{token}.ics")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_company_makes_feeds_for_itself_and_its_people(
    harness: Harness, plaza: Plaza, as_org: Any
) -> None:
    own = as_org(plaza.korean, "meetings:read")
    company = await make_feed(harness, plaza, {"company_id": str(plaza.korean)}, headers=own)
    person = await make_feed(harness, plaza, {"registration_id": str(plaza.korean_person.id)}, headers=own)
    await make_feed(
        harness, plaza, {"company_id": str(plaza.japanese)}
    )  # the organiser's, of another company
    listed = (await harness.http.get(feeds_path(plaza), headers=own)).json()["items"]
    assert {feed["id"] for feed in listed} == {company["id"], person["id"]}
    everything = (await harness.http.get(feeds_path(plaza))).json()["items"]
    assert len(everything) == 3
    revoked = await harness.http.delete(f"{feeds_path(plaza)}/{person['id']}", headers=own)
    assert revoked.status_code == 204


async def test_another_organisation_cannot_touch_a_companys_feeds(
    harness: Harness, plaza: Plaza, as_org: Any
) -> None:
    organisers = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    for stranger in (as_org(STRANGER, "meetings:read"), as_org(plaza.japanese, "meetings:read")):
        for body in ({"company_id": str(plaza.korean)}, {"registration_id": str(plaza.korean_person.id)}):
            refused = await harness.http.post(feeds_path(plaza), json=body, headers=stranger)
            assert refused.status_code == 404, refused.text
        revoke = await harness.http.delete(f"{feeds_path(plaza)}/{organisers['id']}", headers=stranger)
        assert revoke.status_code == 404
    stranger_list = await harness.http.get(feeds_path(plaza), headers=as_org(STRANGER, "meetings:read"))
    assert stranger_list.json()["items"] == []
    assert (await harness.anonymous.get(feed_path(organisers))).status_code == 200  # still open


async def test_feeds_need_the_read_scope_and_an_identity(harness: Harness, plaza: Plaza, as_org: Any) -> None:
    body = {"company_id": str(plaza.korean)}
    assert (await harness.anonymous.post(feeds_path(plaza), json=body)).status_code == 401
    no_scope = as_org(plaza.korean, "registry:read")
    assert (await harness.http.post(feeds_path(plaza), json=body, headers=no_scope)).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {},
        {
            "company_id": "01995a1e-ec07-75d2-b453-515332b64dae",
            "registration_id": "01995a1e-ec07-75d2-b453-515332b64dae",
        },
        {"company_id": "01995a1e-ec07-75d2-b453-515332b64dae", "language": "zh"},
        {"company_id": "not-a-uuid"},
    ],
)
async def test_bad_bodies_are_422(harness: Harness, plaza: Plaza, body: dict[str, Any]) -> None:
    assert (await harness.http.post(feeds_path(plaza), json=body)).status_code == 422


async def test_a_person_of_another_event_or_a_hidden_event_is_404(
    harness: Harness, plaza: Plaza, as_org: Any
) -> None:
    other = await create_event(harness.http)
    path = f"/v1/events/{other['id']}/calendar-feeds"
    response = await harness.http.post(path, json={"registration_id": str(plaza.korean_person.id)})
    assert response.status_code == 404
    draft = await create_event(harness.http, open_it=False)
    hidden = await harness.http.post(
        f"/v1/events/{draft['id']}/calendar-feeds",
        json={"company_id": str(STRANGER)},
        headers=as_org(STRANGER, "meetings:read"),
    )
    assert hidden.status_code == 404


async def test_the_secret_stays_out_of_the_access_log(
    harness: Harness, plaza: Plaza, caplog: pytest.LogCaptureFixture
) -> None:
    created = await make_feed(harness, plaza, {"company_id": str(plaza.korean)})
    token = feed_path(created).removeprefix("/v1/calendar/").removesuffix(".ics")
    caplog.set_level(logging.INFO, logger="plaza.access")
    assert (await harness.anonymous.get(feed_path(created))).status_code == 200
    paths = [record.__dict__["path"] for record in caplog.records if record.name == "plaza.access"]
    assert paths == ["/v1/calendar/{redacted}.ics"]
    assert all(token not in record.getMessage() for record in caplog.records)


def test_the_feed_operation_is_documented_as_a_secret_url(meetings_settings: MeetingsSettings) -> None:
    document = create_app(meetings_settings).openapi()
    operation = document["paths"]["/v1/calendar/{token}.ics"]["get"]
    assert operation["security"] == []
    assert operation["x-plaza-access"] == "secret-url"
    assert "text/calendar" in operation["responses"]["200"]["content"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["token"]
    create = document["paths"]["/v1/events/{event_id}/calendar-feeds"]["post"]
    assert create["security"] == [{"PlazaIdentity": ["meetings:read"]}]
