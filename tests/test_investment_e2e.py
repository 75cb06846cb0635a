"""From a plaza meeting to a signed export contract, end to end through the gateway: KOTRA records a
meeting's outcome in the meetings service, opens a lead from it in the investment service (which fills in
the event, the meeting, both parties and the value by calling the meetings service and the registry with
its own identity), retries that concurrently (one lead), moves it through the trade pipeline to a signed,
won contract, and sees it beside the demo leads; the consulate sees only what is shared with it."""

import concurrent.futures
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID, meetings_demo_id
from plaza_dev.stack import Stack
from plaza_kit.scopes import Scope

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
# The demo's fifth request (toyohashi-1 → cheongsol-1, slot 3): booked, no outcome yet, no lead.
MEETING = meetings_demo_id("meeting", "toyohashi-1>cheongsol-1", 4)


@pytest.fixture
def kotra(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("kotra")}, timeout=30
    ) as http:
        yield http


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json()


def test_a_meeting_outcome_becomes_a_signed_export_contract(
    stack: Stack, kotra: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    outcome = {
        "outcome": "cooperation_possible",
        "purpose": "export_import",
        "estimated_value": {"amount": "80000000", "currency": "KRW"},
        "summary": "Ceramic-coated separator samples for Toyohashi's trial line.",
    }
    _ok(kotra.put(f"/v1/meetings/{MEETING}/outcome", json=outcome))

    created = kotra.post("/v1/leads/from-meeting", json={"meeting_id": str(MEETING)})
    lead = _ok(created, 201)
    assert created.headers["location"] == f"/v1/leads/{lead['id']}"
    assert lead["deal_type"] == "export"
    assert lead["stage"] == "identified"
    assert lead["origin"] == {
        "kind": "plaza",
        "event_id": str(DEMO_EVENT_ID),
        "meeting_id": str(MEETING),
        "source": None,
    }
    assert lead["korean_party"]["id"] == str(DEMO_COMPANIES["cheongsol-separator"])
    assert lead["japanese_party"]["id"] == str(DEMO_COMPANIES["toyohashi-separator"])
    assert lead["estimated_value"] == {"amount": "80000000", "currency": "KRW"}

    def retry(_: int) -> httpx.Response:
        return httpx.post(
            f"{stack.gateway_url}/v1/leads/from-meeting",
            json={"meeting_id": str(MEETING)},
            headers={"X-API-Key": stack.key("kotra")},
            timeout=30,
        )

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        retries = list(pool.map(retry, range(6)))
    assert {r.status_code for r in retries} == {200}
    assert {r.json()["id"] for r in retries} == {lead["id"]}

    stranger = make_client(
        Scope.INVESTMENT_READ, Scope.INVESTMENT_WRITE, organisation_id=DEMO_COMPANIES["hanbit-materials"]
    )
    refused = httpx.post(
        f"{stack.gateway_url}/v1/leads/from-meeting",
        json={"meeting_id": str(MEETING)},
        headers={"X-API-Key": stranger.key},
    )
    assert refused.status_code == 422  # not its meeting: as if unknown
    assert (
        httpx.get(
            f"{stack.gateway_url}/v1/leads/{lead['id']}", headers={"X-API-Key": stranger.key}
        ).status_code
        == 404
    )

    etag = created.headers["etag"]
    for stage in ("contacted", "negotiating", "sample_trial"):
        moved = kotra.post(
            f"/v1/leads/{lead['id']}/transitions", json={"stage": stage}, headers={"If-Match": etag}
        )
        _ok(moved)
        etag = moved.headers["etag"]
    unsigned = kotra.post(f"/v1/leads/{lead['id']}/transitions", json={"stage": "contract_signed"})
    assert unsigned.status_code == 422  # a signed stage needs the signing date and value
    signing = {
        "stage": "contract_signed",
        "signing_date": "2025-12-01",
        "signed_value": {"amount": "76000000", "currency": "KRW"},
    }
    _ok(kotra.post(f"/v1/leads/{lead['id']}/transitions", json=signing))
    won = _ok(kotra.post(f"/v1/leads/{lead['id']}/transitions", json={"status": "won"}))
    assert won["status"] == "won"
    valuation = _ok(
        kotra.get(f"/v1/leads/{lead['id']}/valuation", params={"currency": "USD", "on": "2025-12-01"})
    )
    # 76,000,000 KRW at the demo rates of 2025-12-01 (1,705 KRW and 1.16 USD per euro), rounded once;
    # won: probability 100, so weighted = value; signed that day, so the frozen rates agree.
    usd = {"amount": "51706.74", "currency": "USD"}
    assert valuation["at_date"]["value"] == usd
    assert valuation["at_date"]["weighted_value"] == usd
    assert valuation["at_signing"]["value"] == usd

    plaza_line = _event_line(kotra)
    history = _ok(kotra.get(f"/v1/leads/{lead['id']}/history"))
    assert len(history["transitions"]) == 6  # created, four stages, won

    # The plaza's line of the per-event report counts it: the demo's won export and this one are won.
    assert plaza_line["won"] >= 2
    assert plaza_line["leads"] >= 5
    assert plaza_line["won_value"]["currency"] == "KRW"
    assert Decimal(plaza_line["won_value"]["amount"]) >= Decimal(1_150_000_000 + 76_000_000)
    csv = kotra.get("/v1/reports/events", params={"currency": "KRW", "format": "csv"})
    assert csv.status_code == 200
    assert csv.content.startswith("\ufeff".encode())
    assert str(DEMO_EVENT_ID) in csv.content.decode("utf-8-sig")

    plaza_leads = _ok(kotra.get("/v1/leads", params={"event_id": str(DEMO_EVENT_ID), "limit": 50}))["items"]
    assert lead["id"] in {item["id"] for item in plaza_leads}
    assert {item["pipeline"] for item in plaza_leads} == {"trade", "joint_development", "equity"}
    with httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("consulate")}, timeout=30
    ) as consulate:
        shared = _ok(consulate.get("/v1/leads", params={"event_id": str(DEMO_EVENT_ID)}))["items"]
    assert lead["id"] not in {item["id"] for item in shared}  # KOTRA's, not shared with the consulate
    assert len(shared) == 1  # the demo's signed export, shared with the consulate for reading


def _event_line(kotra: httpx.Client) -> dict[str, Any]:
    report = _ok(kotra.get("/v1/reports/events", params={"currency": "KRW", "on": "2025-12-01"}))
    [line] = [line for line in report["events"] if line["event_id"] == str(DEMO_EVENT_ID)]
    return dict(line)
