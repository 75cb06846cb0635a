"""The plaza replayed end to end through the gateway: the event, its agenda, registrations checked
against the real registry, tables and an interpreter, requests from Japanese buyers, a lost race for one
slot, a reschedule, a company's calendar feed read without a key and parsed by an independent parser,
outcomes and the organisers' report."""

import concurrent.futures
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID, DEMO_ORGANISATIONS
from plaza_dev.stack import Stack
from plaza_kit.scopes import Scope

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
PARTICIPANT_SCOPES = (Scope.MEETINGS_READ, Scope.MEETINGS_WRITE)


@pytest.fixture
def kotra(stack: Stack) -> Iterator[httpx.Client]:
    """KOTRA's client: it organises the plaza."""
    with httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("kotra")}, timeout=20
    ) as http:
        yield http


def _company_client(stack: Stack, make_client: Callable[..., MadeClient], key: str) -> httpx.Client:
    made = make_client(
        *PARTICIPANT_SCOPES, organisation_id=DEMO_COMPANIES[key], rate_per_minute=6000, burst=500
    )
    return httpx.Client(base_url=stack.gateway_url, headers={"X-API-Key": made.key}, timeout=20)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json()


def _register(
    kotra: httpx.Client, event: str, company: str, name: str, languages: list[str], **extra: Any
) -> str:
    body = {
        "company_id": str(DEMO_COMPANIES.get(company) or DEMO_ORGANISATIONS[company]),
        "name": {"en": name},
        "languages": languages,
        **extra,
    }
    return str(_ok(kotra.post(f"/v1/events/{event}/registrations", json=body), 201)["id"])


def test_the_demo_plaza_is_loaded(kotra: httpx.Client) -> None:
    event = _ok(kotra.get(f"/v1/events/{DEMO_EVENT_ID}"))
    assert event["title"]["en"] == "2025 Korea–Japan Next-Generation Battery Plaza"
    assert event["venue"]["name"] == "STATION Ai"
    sessions = _ok(kotra.get(f"/v1/events/{DEMO_EVENT_ID}/sessions", params={"limit": 50}))["items"]
    kinds = [session["kind"] for session in sessions]
    assert {"keynote", "presentation", "ir_session", "pitch", "b2b_block"} <= set(kinds)
    meetings = _ok(kotra.get("/v1/meetings", params={"event_id": str(DEMO_EVENT_ID)}))["items"]
    # six booked by the demo; nine once tests/test_schedule_runs_e2e.py has published its schedule-all run
    assert len(meetings) in (6, 9)


def test_the_plaza_replayed_through_the_gateway(
    stack: Stack, kotra: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    consulate = str(DEMO_ORGANISATIONS["consulate-nagoya"])
    event = _ok(
        kotra.post(
            "/v1/events",
            json={
                "title": {
                    "ko": "한일 배터리 플라자",
                    "ja": "日韓バッテリープラザ",
                    "en": "Battery Plaza (replay)",
                },
                "venue": {"name": "STATION Ai", "address": "Nagoya"},
                "time_zone": "Asia/Tokyo",
                "starts_at": "2025-09-18T09:30:00+09:00",
                "ends_at": "2025-09-18T18:00:00+09:00",
                "organiser_ids": [consulate],
                "capacity": 150,
                "languages": ["ko", "ja"],
                "b2b": {"slot_minutes": 30, "meeting_rule": "across_countries"},
            },
        ),
        201,
    )
    event_id = event["id"]
    assert consulate in event["organiser_ids"]
    _ok(kotra.post(f"/v1/events/{event_id}/status", json={"status": "open"}))
    hiroshima = str(DEMO_COMPANIES["hiroshima-city-university"])
    _ok(
        kotra.post(
            f"/v1/events/{event_id}/sessions",
            json={
                "kind": "keynote",
                "title": {"en": "The Korean battery industry and Korea–Japan cooperation"},
                "room": "Hall",
                "starts_at": "2025-09-18T10:00:00+09:00",
                "ends_at": "2025-09-18T10:40:00+09:00",
                "speakers": [{"company_id": hiroshima, "name": {"ko": "이재호", "en": "Lee Jae-ho"}}],
            },
        ),
        201,
    )
    _ok(
        kotra.post(
            f"/v1/events/{event_id}/sessions",
            json={
                "kind": "b2b_block",
                "title": {"en": "B2B consultations"},
                "room": "B2B Lounge",
                "starts_at": "2025-09-18T14:00:00+09:00",
                "ends_at": "2025-09-18T16:00:00+09:00",
            },
        ),
        201,
    )
    slots = [slot["id"] for slot in _ok(kotra.get(f"/v1/events/{event_id}/slots"))["items"]]
    assert len(slots) == 4

    unknown = kotra.post(
        f"/v1/events/{event_id}/registrations",
        json={"company_id": str(uuid.uuid4()), "name": {"en": "Nobody"}},
    )
    assert unknown.status_code == 422  # the registry does not know the company
    _register(kotra, event_id, "hanbit-materials", "Kim Min-jun", ["ko"], role="exhibitor")
    mikawa = _register(kotra, event_id, "mikawa-battery-materials", "Ken Sato", ["ja"], role="buyer")
    chita = _register(kotra, event_id, "chita-energy", "Aoi Tanaka", ["ja"], role="buyer")
    interpreter_person = _register(kotra, event_id, "kotra", "Oh Se-rin", ["ko", "ja"], role="interpreter")
    table = _ok(
        kotra.post(
            f"/v1/events/{event_id}/tables",
            json={"name": "K01", "company_id": str(DEMO_COMPANIES["hanbit-materials"])},
        ),
        201,
    )
    interpreter = _ok(
        kotra.post(
            f"/v1/events/{event_id}/interpreters",
            json={"registration_id": interpreter_person, "language_pairs": ["ko-ja"]},
        ),
        201,
    )

    as_hanbit = _company_client(stack, make_client, "hanbit-materials")
    as_mikawa = _company_client(stack, make_client, "mikawa-battery-materials")
    as_chita = _company_client(stack, make_client, "chita-energy")

    def ask(client: httpx.Client, company: str, person: str) -> str:
        body = {
            "requester_company_id": str(DEMO_COMPANIES[company]),
            "requested_company_id": str(DEMO_COMPANIES["hanbit-materials"]),
            "requester_people": [person],
            "purpose": "joint_development",
            "priority": 4,
        }
        return str(_ok(client.post(f"/v1/events/{event_id}/requests", json=body), 201)["id"])

    first, second = ask(as_mikawa, "mikawa-battery-materials", mikawa), ask(as_chita, "chita-energy", chita)
    free = _ok(as_hanbit.get(f"/v1/events/{event_id}/requests/{first}/available-slots"))
    assert free["needs_interpreter"] is True
    assert [item["slot_id"] for item in free["items"]] == slots
    assert free["items"][0]["table"]["id"] == table["id"]
    assert free["items"][0]["interpreter"]["id"] == interpreter["id"]

    # Both buyers are accepted into the first slot at the same moment: exactly one wins.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda request: as_hanbit.post(
                    f"/v1/events/{event_id}/requests/{request}/accept", json={"slot_id": slots[0]}
                ),
                [first, second],
            )
        )
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    won = next(answer for answer in answers if answer.status_code == 200).json()["meeting"]
    lost = next(answer for answer in answers if answer.status_code == 409)
    assert lost.headers["content-type"].startswith("application/problem+json")
    assert lost.json()["next_free_slots"][0]["slot_id"] == slots[1]
    loser = second if won["request_id"] == first else first
    other = _ok(as_hanbit.post(f"/v1/events/{event_id}/requests/{loser}/accept", json={"slot_id": slots[1]}))
    moved = _ok(kotra.post(f"/v1/meetings/{won['id']}/reschedule", json={"slot_id": slots[3]}))
    assert moved["id"] == won["id"]
    assert moved["sequence"] == 1
    assert moved["starts_at"] == "2025-09-18T15:30:00+09:00"

    # The Korean firm's calendar feed, read without a key as a calendar app would.
    feed = _ok(
        as_hanbit.post(
            f"/v1/events/{event_id}/calendar-feeds",
            json={"company_id": str(DEMO_COMPANIES["hanbit-materials"]), "language": "ko"},
        ),
        201,
    )
    token_url = httpx.URL(feed["url"])
    calendar = httpx.get(f"{stack.gateway_url}{token_url.path}")
    assert calendar.status_code == 200, calendar.text
    assert calendar.headers["content-type"].startswith("text/calendar")
    parsed: Any = icalendar.Calendar.from_ical(
        calendar.content
    )  # a wide union of property types: read as read
    events = {str(item["UID"]): item for item in parsed.walk("VEVENT")}
    assert len(events) == 2
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "Asia/Tokyo"
    moved_entry = next(item for uid, item in events.items() if won["id"] in uid)
    assert int(moved_entry["SEQUENCE"]) == 1
    start = moved_entry["DTSTART"].dt
    assert start.astimezone(ZoneInfo("Asia/Seoul")).strftime("%H:%M") == "15:30"
    assert start.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "08:30"  # CEST

    # After the meeting: held, outcome, each side's feedback; the organisers' report counts it.
    _ok(kotra.post(f"/v1/meetings/{other['meeting']['id']}/held"))
    _ok(
        as_hanbit.put(
            f"/v1/meetings/{other['meeting']['id']}/outcome",
            json={
                "outcome": "cooperation_possible",
                "purpose": "joint_development",
                "estimated_value": {"amount": "300000000", "currency": "JPY"},
            },
        )
    )
    _ok(
        as_hanbit.put(
            f"/v1/meetings/{other['meeting']['id']}/feedback", json={"rating": 5, "notes": "NDA next"}
        )
    )
    buyer_view = _ok(
        (as_mikawa if loser == first else as_chita).get(f"/v1/meetings/{other['meeting']['id']}")
    )
    assert buyer_view["feedback"][0]["notes"] is None  # the Korean firm's notes are its own
    stranger = httpx.get(
        f"{stack.gateway_url}/v1/meetings/{won['id']}", headers={"X-API-Key": stack.key("consortium")}
    )
    assert stranger.status_code == 404
    report = _ok(kotra.get(f"/v1/events/{event_id}/reports/meetings"))
    per_company = {row["company_id"]: row for row in report["companies"]}
    korean = per_company[str(DEMO_COMPANIES["hanbit-materials"])]
    assert (korean["scheduled"], korean["held"], korean["cancelled"]) == (2, 1, 0)
    assert (report["totals"]["scheduled"], report["totals"]["held"]) == (2, 1)
    csv = kotra.get(f"/v1/events/{event_id}/reports/meetings", params={"format": "csv"})
    assert csv.status_code == 200
    assert csv.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Korean and Japanese
    revoked = as_hanbit.delete(f"/v1/events/{event_id}/calendar-feeds/{feed['id']}")
    assert revoked.status_code == 204
    assert httpx.get(f"{stack.gateway_url}{token_url.path}").status_code == 404
