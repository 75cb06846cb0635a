"""Moving leads along their pipelines: allowed moves only, stage-gated fields, won needs investment:win,
the append-only history with time in stage, and values at a chosen date's and the signing date's rates."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from investment.leads.models import LeadTransition
from investment.leads.rules import stage_spells
from investment.pipelines.stages import EQUITY, JOINT_DEVELOPMENT, TRADE, stage_moves
from plaza_kit.scopes import Scope

from .conftest import Headers
from .helpers import OWNER, create_lead, lead_body, move, put_rate

Parties = tuple[uuid.UUID, uuid.UUID]
SIGNED = {"signing_date": "2025-09-18", "signed_value": {"amount": "1200000000", "currency": "KRW"}}


def test_the_pipelines_have_the_issues_stages() -> None:
    assert [s.code for s in TRADE.stages] == [
        "identified",
        "contacted",
        "negotiating",
        "sample_trial",
        "contract_signed",
    ]
    assert [s.code for s in JOINT_DEVELOPMENT.stages] == [
        "identified",
        "nda",
        "joint_proposal",
        "agreement_signed",
    ]
    assert [s.code for s in EQUITY.stages] == [
        "identified",
        "ir_meeting",
        "due_diligence",
        "term_sheet",
        "investment_notified",
        "funds_remitted",
        "completed",
    ]


def test_stage_moves() -> None:
    assert stage_moves(TRADE, "identified", "open") == ("contacted",)
    assert stage_moves(TRADE, "negotiating", "open") == ("contacted", "sample_trial")
    assert stage_moves(TRADE, "contract_signed", "open") == ()  # no way back out of the signature
    assert stage_moves(EQUITY, "funds_remitted", "open") == ("investment_notified", "completed")
    assert stage_moves(TRADE, "negotiating", "on_hold") == ()


async def test_get_the_pipelines(client: httpx.AsyncClient) -> None:
    pipelines = (await client.get("/v1/pipelines")).json()["items"]
    assert [p["code"] for p in pipelines] == ["trade", "joint_development", "equity"]
    trade = pipelines[0]
    assert trade["deal_types"] == ["export", "import", "other"]
    assert [(s["code"], s["default_probability"], s["signed"]) for s in trade["stages"]] == [
        ("identified", 10, False),
        ("contacted", 20, False),
        ("negotiating", 40, False),
        ("sample_trial", 60, False),
        ("contract_signed", 100, True),
    ]
    assert (await client.get("/v1/pipelines/equity")).json()["stages"][4]["code"] == "investment_notified"
    assert (await client.get("/v1/pipelines/nope")).status_code == 404


async def test_a_forbidden_move_lists_the_allowed_ones(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    skipped = await move(client, lead["id"], stage="negotiating")
    assert skipped.status_code == 422
    assert skipped.json()["allowed"] == ["contacted"]
    assert "allowed: contacted" in skipped.json()["detail"]
    other_pipeline = await move(client, lead["id"], stage="nda")
    assert other_pipeline.status_code == 422
    both = await move(client, lead["id"], stage="contacted", status="on_hold")
    assert both.status_code == 422


async def test_a_lead_moves_on_and_back(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    on = await move(client, lead["id"], stage="contacted", reason="Met at the plaza")
    assert on.status_code == 200, on.text
    assert on.json()["stage"] == "contacted"
    assert on.json()["effective_probability"] == 20
    assert on.headers["etag"] == '"2"'
    back = await move(client, lead["id"], stage="identified")
    assert back.json()["stage"] == "identified"


async def test_a_signed_stage_needs_a_signing_date_and_value(
    client: httpx.AsyncClient, parties: Parties, admin: dict[str, str]
) -> None:
    await put_rate(client, admin, "KRW", "2025-09-01", "1600")
    lead = await create_lead(client, lead_body(*parties))
    for stage in ("contacted", "negotiating", "sample_trial"):
        assert (await move(client, lead["id"], stage=stage)).status_code == 200
    missing = await move(client, lead["id"], stage="contract_signed")
    assert missing.status_code == 422
    assert missing.json()["required"] == ["signing_date", "signed_value"]
    half = await move(client, lead["id"], stage="contract_signed", signing_date="2025-09-18")
    assert half.json()["required"] == ["signed_value"]
    signed = await move(client, lead["id"], stage="contract_signed", **SIGNED)
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["signing"] == {"date": "2025-09-18", "value": {"amount": "1200000000", "currency": "KRW"}}
    assert body["effective_probability"] == 100
    assert body["weighted_value"] == {"amount": "1200000000", "currency": "KRW"}
    assert body["allowed_stages"] == []


async def test_signing_in_a_currency_without_a_rate_is_422(
    client: httpx.AsyncClient, parties: Parties
) -> None:
    lead = await create_lead(client, lead_body(*parties, deal_type="joint_development"))
    for stage in ("nda", "joint_proposal"):
        await move(client, lead["id"], stage=stage)
    response = await move(
        client,
        lead["id"],
        stage="agreement_signed",
        signing_date="1990-01-01",
        signed_value={"amount": "100", "currency": "GBP"},
    )
    assert response.status_code == 422
    assert response.json()["currency"] == "GBP"


async def test_won_needs_a_signature_and_the_win_scope(
    client: httpx.AsyncClient, parties: Parties, as_org: Headers, admin: dict[str, str]
) -> None:
    await put_rate(client, admin, "KRW", "2025-09-01", "1600")
    lead = await create_lead(client, lead_body(*parties))
    unsigned = await move(client, lead["id"], status="won")
    assert unsigned.status_code == 422
    assert "signed" in unsigned.json()["detail"]
    for stage in ("contacted", "negotiating", "sample_trial"):
        await move(client, lead["id"], stage=stage)
    await move(client, lead["id"], stage="contract_signed", **SIGNED)
    no_scope = as_org(OWNER, Scope.INVESTMENT_READ, Scope.INVESTMENT_WRITE)
    refused = await client.post(
        f"/v1/leads/{lead['id']}/transitions", json={"status": "won"}, headers=no_scope
    )
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["investment:win"]
    won = await move(client, lead["id"], status="won")
    assert won.status_code == 200
    assert won.json()["status"] == "won"
    assert won.json()["allowed_statuses"] == []
    final = await move(client, lead["id"], status="open")
    assert final.status_code == 422
    assert final.json()["allowed"] == []


async def test_lost_needs_a_reason_and_can_be_reopened(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    assert (await move(client, lead["id"], status="lost")).json()["required"] == ["lost_reason"]
    lost = await move(client, lead["id"], status="lost", lost_reason="Price", lost_to="A competitor Co.")
    assert lost.status_code == 200
    assert (lost.json()["lost_reason"], lost.json()["lost_to"]) == ("Price", "A competitor Co.")
    assert lost.json()["effective_probability"] == 0
    assert (await move(client, lead["id"], stage="contacted")).status_code == 422  # only open leads move
    assert (await move(client, lead["id"], status="on_hold")).json()["allowed"] == ["open"]
    reopened = await move(client, lead["id"], status="open", reason="They came back")
    assert reopened.json()["lost_reason"] is None
    held = await move(client, lead["id"], status="on_hold")
    assert held.json()["allowed_statuses"] == ["open", "lost", "abandoned"]
    assert (await move(client, lead["id"], status="abandoned")).json()["status"] == "abandoned"


async def test_transitions_check_if_match(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}/transitions"
    assert (
        await client.post(url, json={"stage": "contacted"}, headers={"If-Match": '"1"'})
    ).status_code == 200
    assert (
        await client.post(url, json={"stage": "negotiating"}, headers={"If-Match": '"1"'})
    ).status_code == 412


async def test_the_history_logs_every_move(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    await move(client, lead["id"], stage="contacted", reason="First call")
    await move(client, lead["id"], status="on_hold", reason="Budget freeze")
    history = (await client.get(f"/v1/leads/{lead['id']}/history")).json()
    moves = [(t["kind"], t["from"], t["to"], t["reason"]) for t in history["transitions"]]
    assert moves == [
        ("created", None, "identified", None),
        ("stage", "identified", "contacted", "First call"),
        ("status", "open", "on_hold", "Budget freeze"),
    ]
    assert all(
        t["by"] == "test-client" and t["by_organisation_id"] == str(OWNER) for t in history["transitions"]
    )
    spells = history["time_in_stage"]
    assert [(s["stage"], s["left_at"] is None) for s in spells] == [
        ("identified", False),
        ("contacted", True),
    ]


def test_time_in_stage_on_a_hand_built_history() -> None:
    start = datetime(2025, 9, 18, 1, 0, tzinfo=UTC)
    log = [
        LeadTransition(kind="created", from_value=None, to_value="identified", at=start),
        LeadTransition(
            kind="stage", from_value="identified", to_value="contacted", at=start + timedelta(days=2)
        ),
        LeadTransition(kind="status", from_value="open", to_value="on_hold", at=start + timedelta(days=3)),
        LeadTransition(
            kind="stage", from_value="contacted", to_value="negotiating", at=start + timedelta(days=9)
        ),
    ]
    spells = stage_spells(log, now=start + timedelta(days=10))
    assert [(s.stage, s.seconds) for s in spells] == [
        ("identified", 2 * 86400),
        ("contacted", 7 * 86400),  # on hold meanwhile: time in stage counts the stage, not the status
        ("negotiating", 86400),
    ]


async def test_the_log_is_append_only(
    live_client: httpx.AsyncClient, parties: Parties, investment_engine: AsyncEngine
) -> None:
    lead = await create_lead(live_client, lead_body(*parties))
    for statement in (
        "UPDATE investment.lead_transition SET reason = 'rewritten' WHERE lead_id = :lead",
        "DELETE FROM investment.lead_transition WHERE lead_id = :lead",
    ):
        async with investment_engine.connect() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text(statement), {"lead": lead["id"]})


async def test_values_at_a_chosen_date_and_at_the_frozen_signing_rates(
    client: httpx.AsyncClient, parties: Parties, admin: dict[str, str]
) -> None:
    for currency, rate in (("USD", "1.25"), ("KRW", "1500"), ("JPY", "160")):
        await put_rate(client, admin, currency, "2025-09-17", rate)
    lead = await create_lead(
        client,
        lead_body(*parties, estimated_value={"amount": "1500000000", "currency": "KRW"}, probability=30),
    )
    url = f"/v1/leads/{lead['id']}/valuation"
    before = (await client.get(url, params={"currency": "USD", "on": "2025-09-18"})).json()
    assert before["at_date"]["value"]["amount"] == "1250000.00"  # 1.5bn KRW = 1m EUR = 1.25m USD
    assert before["at_date"]["weighted_value"]["amount"] == "375000.00"  # × 30 %
    assert before["at_signing"] is None
    for stage in ("contacted", "negotiating", "sample_trial"):
        await move(client, lead["id"], stage=stage)
    signed = {"signing_date": "2025-09-18", "signed_value": {"amount": "1200000000", "currency": "KRW"}}
    assert (await move(client, lead["id"], stage="contract_signed", **signed)).status_code == 200
    # The rates move after the signing: the chosen date's figures follow them, the signing figures do not.
    await put_rate(client, admin, "KRW", "2025-10-01", "1600")
    await put_rate(client, admin, "USD", "2025-10-01", "1.20")
    await put_rate(client, admin, "KRW", "2025-09-17", "1400")  # a correction after the freeze, too
    later = (await client.get(url, params={"currency": "USD", "on": "2025-10-02"})).json()
    assert later["value"] == {"amount": "1200000000", "currency": "KRW"}
    assert later["probability"] == 30  # the lead's own probability holds until it is won
    assert later["at_date"]["value"]["amount"] == "900000.00"  # 1.2bn / 1600 × 1.20
    assert later["at_signing"]["signing_date"] == "2025-09-18"
    assert later["at_signing"]["value"]["amount"] == "1000000.00"  # 1.2bn / 1500 × 1.25, frozen
    assert later["at_signing"]["weighted_value"]["amount"] == "300000.00"
    in_jpy = (await client.get(url, params={"currency": "JPY", "on": "2025-10-02"})).json()
    assert in_jpy["at_signing"]["value"]["amount"] == "128000000"  # 1.2bn / 1500 × 160
    assert {r["currency"]: r["rate"] for r in in_jpy["at_signing"]["rates"]} == {"JPY": "160", "KRW": "1500"}
    missing = await client.get(url, params={"currency": "GBP", "on": "2025-10-02"})
    assert missing.status_code == 422
