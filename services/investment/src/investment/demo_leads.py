"""The demo plaza's leads: what came of its B2B meetings, in all three pipelines, in KRW, JPY and USD.

KOTRA owns them (and shares the signed export with the Consulate General for reading). Each names its demo
meeting (`plaza_contracts.demo.meetings_demo_id`) and its parties' registry ids; the party names are copies
of the registry's demo names, as a lead written through the API would copy them (`tests/test_demo_data.py`
checks the copies). The rows are inserted, then moved through the pipeline by the service's own
transitions, so the history, the signing and its frozen rates are what the API would have written.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from investment.leads import service as leads
from investment.leads.models import Lead, LeadTransition, TransitionKind
from investment.leads.schemas import TransitionCreate
from investment.pipelines.stages import LeadStatus, pipeline_for
from investment.sharing.models import LeadShare
from plaza_contracts import Money, deterministic_uuid7
from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID, DEMO_ORGANISATIONS, meetings_demo_id
from plaza_kit.identity import Principal

KOTRA = DEMO_ORGANISATIONS["kotra"]
DEMO_PRINCIPAL = Principal(
    subject="plaza-demo",
    organisation_id=KOTRA,
    scopes=frozenset({"investment:read", "investment:write", "investment:win"}),
)
# Copies of the registry's demo names (ko, ja, en) and countries of the parties the demo leads name.
PARTIES: dict[str, tuple[str | None, str | None, str | None, str]] = {
    "hanbit-materials": ("한빛소재㈜", None, "Hanbit Materials Co., Ltd.", "KR"),
    "seon-chemical": ("세온케미칼 주식회사", "セオンケミカル", "Seon Chemical Inc.", "KR"),
    "daon-energytech": ("다온에너지텍", None, "Daon Energytech", "KR"),
    "mirae-cell-equipment": ("미래셀이큅", "ミレセルイクイップ", "Mirae Cell Equipment", "KR"),
    "mikawa-battery-materials": (
        "미카와전지재료",
        "三河電池材料株式会社",
        "Mikawa Battery Materials Co., Ltd.",
        "JP",
    ),
    "owari-precision": (None, "尾張精機株式会社", "Owari Precision Machinery K.K.", "JP"),
    "chita-energy": (None, "株式会社知多エナジー", "Chita Energy Inc.", "JP"),
}
_EPOCH_MS = int(datetime(2025, 9, 18, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class DemoLead:
    key: str
    meeting: tuple[str, int]  # the demo request's "requester>requested" person keys and position
    deal_type: str
    korean: str
    japanese: str
    title: str
    value: tuple[str, str]  # amount, currency
    stages: tuple[str, ...] = ()  # moved through, in order, after the first
    signed: tuple[date, str, str] | None = None  # at the first signed stage: date, amount, currency
    won: bool = False
    hs_codes: tuple[str, ...] = ()
    shared_with: str | None = None


DEMO_LEADS: tuple[DemoLead, ...] = (
    DemoLead(
        "owari-mirae-stacking",
        ("owari-1>mirae-1", 2),
        "export",
        "mirae-cell-equipment",
        "owari-precision",
        "Pouch-cell stacking equipment for Owari's Kasugai line",
        ("1200000000", "KRW"),
        stages=("contacted", "negotiating", "sample_trial", "contract_signed"),
        signed=(date(2025, 12, 1), "1150000000", "KRW"),
        won=True,
        hs_codes=("847989",),
        shared_with="consulate-nagoya",
    ),
    DemoLead(
        "mikawa-hanbit-cathode",
        ("mikawa-1>hanbit-1", 0),
        "joint_development",
        "hanbit-materials",
        "mikawa-battery-materials",
        "High-nickel cathode materials for Mikawa's 2027 line",
        ("250000000", "JPY"),
        stages=("nda", "joint_proposal"),
        hs_codes=("284190",),
    ),
    DemoLead(
        "chita-seon-additives",
        ("chita-1>seon-1", 1),
        "export",
        "seon-chemical",
        "chita-energy",
        "Electrolyte additives: samples and pricing",
        ("30000000", "JPY"),
        stages=("contacted",),
        hs_codes=("382499",),
    ),
    DemoLead(
        "mikawa-daon-stake",
        ("mikawa-2>daon-1", 3),
        "equity_investment",
        "daon-energytech",
        "mikawa-battery-materials",
        "Minority stake in Daon Energytech",
        ("5000000", "USD"),
        stages=("ir_meeting", "due_diligence", "term_sheet", "investment_notified"),
        signed=(date(2025, 12, 1), "4500000", "USD"),
    ),
)


def lead_id(key: str) -> uuid.UUID:
    """The fixed id of a demo lead."""
    return deterministic_uuid7(_EPOCH_MS, f"plaza-demo-investment:lead:{key}")


def _party(lead: Lead, prefix: str, key: str) -> None:
    ko, ja, en, country = PARTIES[key]
    name = {language: text for language, text in (("ko", ko), ("ja", ja), ("en", en)) if text}
    setattr(lead, f"{prefix}_id", DEMO_COMPANIES[key])
    setattr(lead, f"{prefix}_name", name)
    setattr(lead, f"{prefix}_country", country)


def _row(demo: DemoLead, now: datetime) -> Lead:
    pipeline = pipeline_for(demo.deal_type)
    lead = Lead(
        id=lead_id(demo.key),
        deal_type=demo.deal_type,
        pipeline=pipeline.code,
        stage=pipeline.first.code,
        status=str(LeadStatus.OPEN),
        stage_entered_at=now,
        title=demo.title,
        origin_kind="plaza",
        origin_event_id=DEMO_EVENT_ID,
        origin_meeting_id=meetings_demo_id("meeting", *demo.meeting),
        hs_codes=list(demo.hs_codes),
        sectors=["batteries"],
        value_amount=Decimal(demo.value[0]),
        value_currency=demo.value[1],
        owner_organisation_id=KOTRA,
        owner_person="KOTRA Nagoya investment desk",
        tags=["plaza-2025"],
        version=1,
        created_at=now,
        updated_at=now,
    )
    _party(lead, "korean_party", demo.korean)
    _party(lead, "japanese_party", demo.japanese)
    return lead


async def _move(session: AsyncSession, demo: DemoLead) -> None:
    for stage in demo.stages:
        signing = {}
        if demo.signed is not None and stage == _first_signed(demo):
            day, amount, currency = demo.signed
            signing = {"signing_date": day, "signed_value": Money(amount=Decimal(amount), currency=currency)}
        move = TransitionCreate(stage=stage, reason="demo", **signing)
        await leads.transition(session, lead_id(demo.key), move, DEMO_PRINCIPAL, None)
    if demo.won:
        won = TransitionCreate(status=LeadStatus.WON, reason="contract signed at the plaza's follow-up")
        await leads.transition(session, lead_id(demo.key), won, DEMO_PRINCIPAL, None)


def _first_signed(demo: DemoLead) -> str | None:
    pipeline = pipeline_for(demo.deal_type)
    return next((stage for stage in demo.stages if pipeline.stage(stage).signed), None)


async def load_leads(session: AsyncSession) -> int:
    """Insert the demo leads that are not there yet (after the demo FX rates); how many were inserted."""
    inserted = 0
    for demo in DEMO_LEADS:
        if await session.get(Lead, lead_id(demo.key)) is not None:
            continue
        now = datetime.now(UTC)
        lead = _row(demo, now)
        session.add(lead)
        await session.flush()
        session.add(
            LeadTransition(
                lead_id=lead.id,
                kind=str(TransitionKind.CREATED),
                from_value=None,
                to_value=lead.stage,
                at=now,
                by_subject=DEMO_PRINCIPAL.subject,
                by_organisation_id=KOTRA,
                reason="opened from the meeting's outcome",
            )
        )
        await session.flush()
        await _move(session, demo)
        if demo.shared_with is not None:
            session.add(
                LeadShare(
                    lead_id=lead.id,
                    organisation_id=DEMO_ORGANISATIONS[demo.shared_with],
                    access="read",
                    granted_at=now,
                    granted_by=DEMO_PRINCIPAL.subject,
                )
            )
        inserted += 1
    await session.flush()
    return inserted
