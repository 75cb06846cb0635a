"""The API shape of leads, their history and valuation."""

from collections.abc import Sequence
from typing import Any

from investment.fx.presenter import rate_used
from investment.leads.models import Figures, Lead, LeadTransition, LeadView, StageSpell, Valuation
from investment.leads.rules import lead_probability, reported_value
from investment.leads.schemas import (
    ACCESS_NAMES,
    FiguresRead,
    HistoryRead,
    LeadRead,
    OriginRead,
    PartyRead,
    SigningFiguresRead,
    SigningRead,
    StageSpellRead,
    TransitionRead,
    ValuationRead,
)
from investment.money import weighted
from investment.pipelines.stages import DealType, LeadStatus, pipeline_named, stage_moves, status_moves
from investment.values import money_read


def _party(company_id: Any, name: dict[str, str] | None, country: str | None) -> PartyRead | None:
    if company_id is None:
        return None
    return PartyRead(id=company_id, name=dict(name or {}), country=country or "")


def _weighted(lead: Lead) -> Any:
    value = reported_value(lead)
    if value is None:
        return None
    amount, currency = value
    return money_read(weighted(amount, currency, currency, lead_probability(lead), {}), currency)


def _signing(lead: Lead) -> SigningRead | None:
    signed = money_read(lead.signed_amount, lead.signed_currency)
    if lead.signing_date is None or signed is None:
        return None
    return SigningRead(date=lead.signing_date, value=signed)


def to_read(view: LeadView) -> LeadRead:
    """A lead as the caller may see it."""
    lead = view.lead
    pipeline = pipeline_named(lead.pipeline)
    return LeadRead(
        id=lead.id,
        deal_type=DealType(lead.deal_type),
        pipeline=lead.pipeline,
        stage=lead.stage,
        status=LeadStatus(lead.status),
        allowed_stages=list(stage_moves(pipeline, lead.stage, lead.status)),
        allowed_statuses=list(status_moves(lead.status)),
        stage_entered_at=lead.stage_entered_at,
        title=lead.title,
        description=lead.description,
        korean_party=_party(lead.korean_party_id, lead.korean_party_name, lead.korean_party_country),
        japanese_party=_party(lead.japanese_party_id, lead.japanese_party_name, lead.japanese_party_country),
        origin=OriginRead(
            kind="plaza" if lead.origin_kind == "plaza" else "other",
            event_id=lead.origin_event_id,
            meeting_id=lead.origin_meeting_id,
            source=lead.origin_source,
        ),
        hs_codes=list(lead.hs_codes),
        sectors=list(lead.sectors),
        estimated_value=money_read(lead.value_amount, lead.value_currency),
        probability=lead.probability,
        effective_probability=lead_probability(lead),
        weighted_value=_weighted(lead),
        expected_close_date=lead.expected_close_date,
        owner_organisation_id=lead.owner_organisation_id,
        owner_person=lead.owner_person,
        next_follow_up_date=lead.next_follow_up_date,
        tags=list(lead.tags),
        signing=_signing(lead),
        lost_reason=lead.lost_reason,
        lost_to=lead.lost_to,
        access=ACCESS_NAMES[view.access],
        version=lead.version,
        created_at=lead.created_at,
        updated_at=lead.updated_at,
    )


def transition_read(entry: LeadTransition) -> TransitionRead:
    """One entry of the transition log."""
    return TransitionRead(
        id=entry.id,
        kind="created" if entry.kind == "created" else "stage" if entry.kind == "stage" else "status",
        from_value=entry.from_value,
        to_value=entry.to_value,
        at=entry.at,
        by=entry.by_subject,
        by_organisation_id=entry.by_organisation_id,
        reason=entry.reason,
    )


def history_read(log: Sequence[LeadTransition], spells: Sequence[StageSpell]) -> HistoryRead:
    """The log and the time in each stage."""
    return HistoryRead(
        transitions=[transition_read(entry) for entry in log],
        time_in_stage=[
            StageSpellRead(stage=s.stage, entered_at=s.entered_at, left_at=s.left_at, seconds=s.seconds)
            for s in spells
        ],
    )


def _figures(figures: Figures | None, currency: str) -> FiguresRead | None:
    if figures is None:
        return None
    value, weighted_value = money_read(figures.value, currency), money_read(figures.weighted, currency)
    assert value is not None
    assert weighted_value is not None
    return FiguresRead(
        value=value, weighted_value=weighted_value, rates=[rate_used(rate) for rate in figures.rates]
    )


def valuation_read(valuation: Valuation) -> ValuationRead:
    """What the lead is worth in the asked currency."""
    lead = valuation.lead
    native = reported_value(lead)
    at_signing = _figures(valuation.at_signing, valuation.currency)
    return ValuationRead(
        lead_id=lead.id,
        currency=valuation.currency,
        value=money_read(*native) if native else None,
        probability=valuation.probability,
        on=valuation.on,
        at_date=_figures(valuation.at_date, valuation.currency),
        at_signing=(
            SigningFiguresRead(**at_signing.model_dump(), signing_date=lead.signing_date)
            if at_signing is not None and lead.signing_date is not None
            else None
        ),
    )
