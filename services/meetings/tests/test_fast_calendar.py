"""The cheap calendar feed: one statement resolves the token and fingerprints everything the feed shows; the
rendered body is cached per feed with that fingerprint, so it is served only while it is exactly what
rendering would give. Proven here by changing each thing a feed shows — through the API (a reschedule, a
cancellation) and behind its back (a table, an interpreter's or a company's name, the event's title) — and
reading again: the next read always has the new text, and a 304 renders nothing."""

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.calendar import presenter, service

from .plaza import Plaza, build_plaza


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times a feed was rendered (`presenter.to_ics` calls), with an empty cache to start."""
    calls: list[int] = []
    real = presenter.to_ics

    def counted(content: Any) -> bytes:
        calls.append(1)
        return real(content)

    monkeypatch.setattr(presenter, "to_ics", counted)
    service._cache.clear()
    yield calls
    service._cache.clear()


async def _book(client: httpx.AsyncClient, plaza: Plaza, a: Any, b: Any, slot: int) -> dict[str, Any]:
    body = {
        "event_id": str(plaza.event_id),
        "company_a_id": str(a.id),
        "company_b_id": str(b.id),
        "slot_id": str(plaza.slots[slot]),
    }
    response = await client.post("/v1/meetings", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _feed_path(client: httpx.AsyncClient, plaza: Plaza, **subject: str) -> str:
    response = await client.post(f"/v1/events/{plaza.event_id}/calendar-feeds", json=subject)
    assert response.status_code == 201, response.text
    return "/v1/calendar/" + str(response.json()["url"]).rsplit("/", 1)[1]


def _events(body: bytes) -> list[Any]:
    return [component for component in Calendar.from_ical(body).walk("VEVENT")]


@pytest.fixture
async def plaza(live_client: httpx.AsyncClient, meetings_engine: AsyncEngine) -> Plaza:
    return await build_plaza(live_client, meetings_engine, korean=1, japanese=2, slots=3, floating_tables=1)


async def test_a_reschedule_is_in_the_next_read(
    live_client: httpx.AsyncClient, plaza: Plaza, renders: list[int]
) -> None:
    korean, japanese = plaza.korean[0], plaza.japanese[0]
    meeting = await _book(live_client, plaza, japanese, korean, 0)
    path = await _feed_path(live_client, plaza, company_id=str(korean.id), language="en")
    first = await live_client.get(path)
    again = await live_client.get(path)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert len(renders) == 1  # the second read came from the cache
    [before] = _events(first.content)
    moved = await live_client.post(
        f"/v1/meetings/{meeting['id']}/reschedule", json={"slot_id": str(plaza.slots[2])}
    )
    assert moved.status_code == 200, moved.text
    after_move = await live_client.get(path)
    [after] = _events(after_move.content)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["DTSTART"].dt - before["DTSTART"].dt == (after["DTEND"].dt - before["DTEND"].dt)
    assert after["DTSTART"].dt.isoformat() == moved.json()["starts_at"]
    assert after_move.headers["etag"] != first.headers["etag"]
    assert len(renders) == 2
    cancelled = await live_client.post(f"/v1/meetings/{meeting['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    [gone] = _events((await live_client.get(path)).content)
    assert (str(gone["STATUS"]), gone["SEQUENCE"]) == ("CANCELLED", 2)


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ("UPDATE b2b_table SET name = 'Renamed table' WHERE id = :table", "Renamed table"),
        (
            "UPDATE registration SET name_en = 'Renamed interpreter' WHERE id = :interpreter_person",
            "Renamed interpreter",
        ),
        ("UPDATE registration SET company_name_en = 'Renamed buyer' WHERE id = :buyer", "Renamed buyer"),
        ("UPDATE event SET title_en = 'Renamed plaza' WHERE id = :event", "Renamed plaza"),
        ("UPDATE event SET venue_name = 'Renamed venue' WHERE id = :event", "Renamed venue"),
        ("UPDATE slot SET ends_at = ends_at - interval '5 minutes' WHERE id = :slot", "DTEND;TZID"),
    ],
)
async def test_whatever_the_feed_shows_changes_its_next_read(
    live_client: httpx.AsyncClient,
    meetings_engine: AsyncEngine,
    plaza: Plaza,
    renders: list[int],
    change: str,
    shown: str,
) -> None:
    """Changes that touch no meeting row (names, the table, the event, the slot) are seen at once too."""
    korean, japanese = plaza.korean[0], plaza.japanese[0]
    meeting = await _book(live_client, plaza, japanese, korean, 1)
    assert meeting["interpreter"] is not None
    path = await _feed_path(live_client, plaza, company_id=str(korean.id), language="en")
    first = await live_client.get(path)
    values = {
        "table": meeting["table"]["id"],
        "interpreter_person": str(plaza.interpreters[0][1]),
        "buyer": str(japanese.people[0]),
        "event": str(plaza.event_id),
        "slot": str(plaza.slots[1]),
    }
    async with meetings_engine.begin() as connection:
        await connection.execute(text(change), {k: v for k, v in values.items() if f":{k}" in change})
    second = await live_client.get(path)
    assert second.content != first.content
    assert shown in second.content.decode().replace("\r\n ", "")
    assert second.headers["etag"] != first.headers["etag"]
    service._cache.clear()
    fresh = await live_client.get(path)  # rendered anew: what the cache served is what rendering gives
    assert (fresh.content, fresh.headers["etag"]) == (second.content, second.headers["etag"])
    assert len(renders) == 3


async def test_a_304_renders_nothing(
    live_client: httpx.AsyncClient, plaza: Plaza, renders: list[int]
) -> None:
    await _book(live_client, plaza, plaza.japanese[1], plaza.korean[0], 0)
    path = await _feed_path(live_client, plaza, company_id=str(plaza.japanese[1].id))
    tag = (await live_client.get(path)).headers["etag"]
    service._cache.clear()  # another process, or after a restart: the tag is the same without the body
    again = await live_client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["etag"] == tag
    assert again.content == b""
    head = await live_client.head(path, headers={"If-None-Match": f'W/{tag}, "other"'})
    assert head.status_code == 304
    assert len(renders) == 1


async def test_a_revoked_feed_is_gone_though_it_was_cached(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    path = await _feed_path(live_client, plaza, registration_id=str(plaza.korean[0].people[0]))
    assert (await live_client.get(path)).status_code == 200
    listed = (await live_client.get(f"/v1/events/{plaza.event_id}/calendar-feeds")).json()["items"]
    [feed] = [item for item in listed if item["registration_id"] == str(plaza.korean[0].people[0])]
    revoked = await live_client.delete(f"/v1/events/{plaza.event_id}/calendar-feeds/{feed['id']}")
    assert revoked.status_code == 204
    gone = await live_client.get(path)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"


async def test_a_person_feed_and_a_company_feed_show_their_own_meetings(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    korean = plaza.korean[0]
    first = await _book(live_client, plaza, plaza.japanese[0], korean, 0)
    second = await _book(live_client, plaza, plaza.japanese[1], korean, 1)
    company = _events(
        (await live_client.get(await _feed_path(live_client, plaza, company_id=str(korean.id)))).content
    )
    assert {str(event["UID"]) for event in company} == {f"meeting-{m['id']}@plaza" for m in (first, second)}
    buyer = plaza.japanese[0].people[0]
    person = _events(
        (await live_client.get(await _feed_path(live_client, plaza, registration_id=str(buyer)))).content
    )
    assert [str(event["UID"]) for event in person] == [f"meeting-{first['id']}@plaza"]
    interpreter = plaza.interpreters[0][1]
    theirs = await live_client.get(await _feed_path(live_client, plaza, registration_id=str(interpreter)))
    assert len(_events(theirs.content)) == 2
    assert (await live_client.get(f"/v1/calendar/plzcal_{uuid.uuid4().hex}.ics")).status_code == 404
