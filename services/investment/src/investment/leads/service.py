"""Lead use cases: create, read what the caller may see, change, move along the pipeline, value.

**Access.** A lead belongs to its owner organisation (the creator's); the owner may share it with other
organisations for reading or editing (`investment.sharing`). Everyone else gets 404, as if it did not exist;
a reader who tries to change it gets 403. Admins act as owners.

**Writes.** The registry is asked about the parties before the lead's row is locked and before anything is
written, so a registry outage is a 503 that leaves nothing behind and holds no lock while waiting. Changes
lock the lead's row (`SELECT … FOR UPDATE`) and compare `If-Match` under the lock, so two clients holding the
same version cannot both win (412 for the second). Every stage and status change appends one row to the
transition log in the same transaction.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from investment.fx import service as fx
from investment.fx.models import RateOn
from investment.leads import repository
from investment.leads.models import (
    Access,
    Figures,
    Lead,
    LeadSigningRate,
    LeadTransition,
    LeadView,
    StageSpell,
    TransitionKind,
    Valuation,
)
from investment.leads.rules import lead_probability, reported_value, stage_spells
from investment.leads.schemas import LeadCreate, LeadUpdate, OtherOrigin, PlazaOrigin, TransitionCreate
from investment.money import BASE_CURRENCY, MissingRateError, converted, weighted
from investment.pipelines.stages import (
    LeadStatus,
    Pipeline,
    pipeline_for,
    pipeline_named,
    stage_moves,
    status_moves,
)
from plaza_contracts import CompanyRef
from plaza_kit.client_registry import RegistryClient
from plaza_kit.concurrency import ensure_matches
from plaza_kit.errors import ForbiddenError, NotFoundError, UnavailableError, UnprocessableError
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

PARTY_FIELDS = ("korean_party_id", "japanese_party_id")


def access_of(principal: Principal, lead: Lead, shared: str | None) -> Access:
    """What the principal may do with the lead."""
    if principal.is_admin or principal.belongs_to(lead.owner_organisation_id):
        return Access.OWNER
    if shared == "edit":
        return Access.EDIT
    if shared == "read":
        return Access.READ
    return Access.NONE


def _require(access: Access, need: Access, lead_id: uuid.UUID) -> None:
    if access == Access.NONE:
        raise NotFoundError(f"no lead with id {lead_id}")
    if access < need:
        if need == Access.OWNER:
            raise ForbiddenError("only the organisation that owns this lead may do this")
        raise ForbiddenError("this lead is shared with your organisation for reading only")


async def lead_view(
    session: AsyncSession,
    lead_id: uuid.UUID,
    principal: Principal,
    need: Access = Access.READ,
    *,
    for_update: bool = False,
) -> LeadView:
    """The lead if the caller may see it (404 otherwise) and do `need` with it (403 otherwise)."""
    found = await repository.get_with_share(
        session, lead_id, principal.organisation_id, for_update=for_update
    )
    if found is None:
        raise NotFoundError(f"no lead with id {lead_id}")
    lead, shared = found
    access = access_of(principal, lead, shared)
    _require(access, need, lead_id)
    return LeadView(lead, access)


async def _registry_parties(
    registry: RegistryClient, asked: dict[str, uuid.UUID | None]
) -> dict[str, CompanyRef | None]:
    """field → the registry's company (the survivor of a merged id); an unknown id is a 422 naming it."""
    ids = [company for company in asked.values() if company is not None]
    if not ids:
        return dict.fromkeys(asked)
    lookup = await registry.company_refs(ids)
    resolved = lookup.resolved()
    unknown = [field for field, company in asked.items() if company is not None and company not in resolved]
    if unknown:
        detail = "; ".join(f"{field}: the registry knows no company {asked[field]}" for field in unknown)
        raise UnprocessableError(detail, extensions={"unknown_fields": unknown})
    return {field: resolved[company] if company is not None else None for field, company in asked.items()}


async def follow_merges(session: AsyncSession, registry: RegistryClient, view: LeadView) -> LeadView:
    """The lead with its parties as the registry knows them now: a party merged into another company since
    the lead was written is re-pointed to the survivor (name and country too) as the lead is read, so the
    link survives the merge. A registry that is down leaves the stored parties (the read still answers)."""
    lead = view.lead
    asked = [company for company in (lead.korean_party_id, lead.japanese_party_id) if company is not None]
    if not asked:
        return view
    try:
        lookup = await registry.company_refs(asked)
    except UnavailableError:
        return view
    merged = {item.id for item in lookup.merged}
    resolved = lookup.resolved()
    changed = False
    for field in ("korean_party_id", "japanese_party_id"):
        company = getattr(lead, field)
        if company in merged and company in resolved:
            _set_party(lead, field, resolved[company])
            changed = True
    if changed:
        lead.version += 1  # what the lead answers changed: an old ETag is stale
        lead.updated_at = datetime.now(UTC)
        await session.flush()
    return view


def _set_party(lead: Lead, field: str, company: CompanyRef | None) -> None:
    prefix = field.removesuffix("_id")
    name = company.name.model_dump(exclude_none=True) if company is not None else None
    setattr(lead, f"{prefix}_id", company.id if company is not None else None)
    setattr(lead, f"{prefix}_name", name)
    setattr(lead, f"{prefix}_country", company.country if company is not None else None)


def _set_origin(lead: Lead, origin: PlazaOrigin | OtherOrigin) -> None:
    lead.origin_kind = origin.kind
    if isinstance(origin, PlazaOrigin):
        lead.origin_event_id, lead.origin_meeting_id, lead.origin_source = (
            origin.event_id,
            origin.meeting_id,
            None,
        )
    else:
        lead.origin_event_id, lead.origin_meeting_id, lead.origin_source = None, None, origin.source


def _log(
    session: AsyncSession,
    lead: Lead,
    kind: TransitionKind,
    from_value: str | None,
    to_value: str,
    principal: Principal,
    reason: str | None,
    at: datetime,
) -> None:
    session.add(
        LeadTransition(
            lead_id=lead.id,
            kind=str(kind),
            from_value=from_value,
            to_value=to_value,
            at=at,
            by_subject=principal.subject,
            by_organisation_id=principal.organisation_id,
            reason=reason,
        )
    )


async def create_lead(
    session: AsyncSession, registry: RegistryClient, data: LeadCreate, principal: Principal
) -> LeadView:
    """A new open lead at its pipeline's first stage, owned by the caller's organisation."""
    if principal.organisation_id is None:
        raise UnprocessableError("a lead belongs to an organisation: call as a client of one")
    parties = await _registry_parties(
        registry, {"korean_party_id": data.korean_party_id, "japanese_party_id": data.japanese_party_id}
    )
    _distinct_parties(parties)
    pipeline = pipeline_for(data.deal_type)
    now = datetime.now(UTC)
    lead = Lead(
        deal_type=str(data.deal_type),
        pipeline=pipeline.code,
        stage=pipeline.first.code,
        status=str(LeadStatus.OPEN),
        stage_entered_at=now,
        title=data.title,
        description=data.description,
        hs_codes=list(data.hs_codes),
        sectors=list(data.sectors),
        value_amount=data.estimated_value.amount if data.estimated_value else None,
        value_currency=data.estimated_value.currency if data.estimated_value else None,
        probability=data.probability,
        expected_close_date=data.expected_close_date,
        owner_organisation_id=principal.organisation_id,
        owner_person=data.owner_person,
        next_follow_up_date=data.next_follow_up_date,
        tags=list(data.tags),
        version=1,
        created_at=now,
        updated_at=now,
    )
    for field, company in parties.items():
        _set_party(lead, field, company)
    _set_origin(lead, data.origin)
    session.add(lead)
    await session.flush()
    _log(session, lead, TransitionKind.CREATED, None, lead.stage, principal, None, now)
    await session.flush()
    return LeadView(lead, Access.OWNER)


def _distinct_parties(parties: dict[str, CompanyRef | None]) -> None:
    korean, japanese = parties.get("korean_party_id"), parties.get("japanese_party_id")
    if korean is not None and japanese is not None and korean.id == japanese.id:
        raise UnprocessableError("the Korean and the Japanese party are the same registry company")


async def list_leads(
    session: AsyncSession,
    principal: Principal,
    *,
    filters: dict[str, Any],
    after_id: uuid.UUID | None,
    limit: int,
) -> list[LeadView]:
    """The leads the caller may see, in id order."""
    rows = await repository.visible_page(
        session,
        organisation_id=principal.organisation_id,
        everything=principal.is_admin,
        filters=filters,
        after_id=after_id,
        limit=limit,
    )
    return [LeadView(lead, access_of(principal, lead, shared)) for lead, shared in rows]


async def update_lead(
    session: AsyncSession,
    registry: RegistryClient,
    lead_id: uuid.UUID,
    patch: LeadUpdate,
    principal: Principal,
    if_match: str | None,
) -> LeadView:
    """Change some fields (merge patch) of a lead the caller may edit, `If-Match` checked under the lock."""
    view = await lead_view(session, lead_id, principal, Access.EDIT)
    fields = patch.model_fields_set
    asked = {field: getattr(patch, field) for field in PARTY_FIELDS if field in fields}
    parties = await _registry_parties(registry, asked) if asked else {}  # before the lock and any write
    session.expire(view.lead)
    view = await lead_view(session, lead_id, principal, Access.EDIT, for_update=True)
    lead = view.lead
    ensure_matches(if_match, lead.version, "lead")
    for field, company in parties.items():
        _set_party(lead, field, company)
    if lead.korean_party_id is None and lead.japanese_party_id is None:
        raise UnprocessableError("a lead needs korean_party_id, japanese_party_id or both")
    if lead.korean_party_id is not None and lead.korean_party_id == lead.japanese_party_id:
        raise UnprocessableError("the Korean and the Japanese party are the same registry company")
    if patch.origin is not None:
        _set_origin(lead, patch.origin)
    if "estimated_value" in fields:
        value = patch.estimated_value
        lead.value_amount = value.amount if value is not None else None
        lead.value_currency = value.currency if value is not None else None
    for field in ("title", "hs_codes", "sectors", "tags"):
        if getattr(patch, field) is not None:
            setattr(lead, field, list(getattr(patch, field)) if field != "title" else patch.title)
    for field in ("description", "probability", "expected_close_date", "owner_person", "next_follow_up_date"):
        if field in fields:
            setattr(lead, field, getattr(patch, field))
    lead.version += 1
    lead.updated_at = datetime.now(UTC)
    await session.flush()
    return view


async def transition(
    session: AsyncSession,
    lead_id: uuid.UUID,
    move: TransitionCreate,
    principal: Principal,
    if_match: str | None,
) -> LeadView:
    """Move the lead to another stage or status, if allowed; log it."""
    view = await lead_view(session, lead_id, principal, Access.EDIT, for_update=True)
    lead = view.lead
    ensure_matches(if_match, lead.version, "lead")
    pipeline = pipeline_named(lead.pipeline)
    now = datetime.now(UTC)
    if move.stage is not None:
        await _move_stage(session, lead, pipeline, move, principal, now)
    else:
        assert move.status is not None
        _move_status(session, lead, move.status, move, principal, now)
    lead.version += 1
    lead.updated_at = now
    await session.flush()
    return view


async def _move_stage(
    session: AsyncSession,
    lead: Lead,
    pipeline: Pipeline,
    move: TransitionCreate,
    principal: Principal,
    now: datetime,
) -> None:
    assert move.stage is not None
    allowed = stage_moves(pipeline, lead.stage, lead.status)
    if move.stage not in allowed:
        where = f"a {lead.status} lead at {lead.stage}"
        names = ", ".join(allowed) if allowed else "none (only an open lead changes stage)"
        raise UnprocessableError(
            f"{where} cannot move to stage {move.stage!r}; allowed: {names}",
            extensions={"allowed": list(allowed)},
        )
    if move.lost_reason is not None or move.lost_to is not None:
        raise UnprocessableError("lost_reason and lost_to go with the status lost")
    target = pipeline.stage(move.stage)
    if target.signed and lead.signing_date is None:
        await _sign(session, lead, move, target.name)
    elif move.signing_date is not None or move.signed_value is not None:
        when = f"was signed on {lead.signing_date}" if lead.signing_date else "is not entering a signed stage"
        raise UnprocessableError(f"signing_date and signed_value are not taken here: the lead {when}")
    _log(session, lead, TransitionKind.STAGE, lead.stage, move.stage, principal, move.reason, now)
    lead.stage = move.stage
    lead.stage_entered_at = now


async def _sign(session: AsyncSession, lead: Lead, move: TransitionCreate, stage_name: str) -> None:
    """Record the signing and freeze every rate known on the signing date."""
    missing = [name for name in ("signing_date", "signed_value") if getattr(move, name) is None]
    if missing:
        raise UnprocessableError(
            f"the stage {stage_name!r} is a signed stage: send {' and '.join(missing)}",
            extensions={"required": missing},
        )
    assert move.signing_date is not None
    assert move.signed_value is not None
    rates = await fx.rates_on(session, move.signing_date)
    currency = move.signed_value.currency
    if currency != BASE_CURRENCY and currency not in rates:
        raise fx.missing_rate(MissingRateError(currency), move.signing_date)
    lead.signing_date = move.signing_date
    lead.signed_amount = move.signed_value.amount
    lead.signed_currency = currency
    for rate in rates.values():
        session.add(
            LeadSigningRate(
                lead_id=lead.id,
                currency=rate.currency,
                rate=rate.rate,
                rate_date=rate.rate_date,
                source=rate.source,
            )
        )


def _move_status(
    session: AsyncSession,
    lead: Lead,
    status: LeadStatus,
    move: TransitionCreate,
    principal: Principal,
    now: datetime,
) -> None:
    allowed = status_moves(lead.status)
    if status not in allowed:
        names = ", ".join(allowed) if allowed else "none (won is final)"
        raise UnprocessableError(
            f"a {lead.status} lead cannot become {status}; allowed: {names}",
            extensions={"allowed": [str(next_status) for next_status in allowed]},
        )
    if move.signing_date is not None or move.signed_value is not None:
        raise UnprocessableError("signing_date and signed_value go with entering a signed stage")
    if status == LeadStatus.WON:
        if not principal.has_scope(Scope.INVESTMENT_WIN):
            raise ForbiddenError(
                "marking a lead won requires the scope investment:win",
                extensions={"required_scopes": [str(Scope.INVESTMENT_WIN)]},
            )
        if lead.signing_date is None:
            raise UnprocessableError(
                f"a lead is won once signed: move it to a signed stage first (it is at {lead.stage})"
            )
    if status == LeadStatus.LOST:
        if move.lost_reason is None:
            raise UnprocessableError(
                "marking a lead lost needs lost_reason", extensions={"required": ["lost_reason"]}
            )
        lead.lost_reason, lead.lost_to = move.lost_reason, move.lost_to
    elif move.lost_reason is not None or move.lost_to is not None:
        raise UnprocessableError("lost_reason and lost_to go with the status lost")
    else:
        lead.lost_reason, lead.lost_to = None, None
    reason = move.reason or (move.lost_reason if status == LeadStatus.LOST else None)
    _log(session, lead, TransitionKind.STATUS, lead.status, str(status), principal, reason, now)
    lead.status = str(status)


async def history(
    session: AsyncSession, lead_id: uuid.UUID, principal: Principal
) -> tuple[Sequence[LeadTransition], list[StageSpell]]:
    """The lead's transition log and its time in each stage."""
    await lead_view(session, lead_id, principal)
    log = await repository.transitions(session, lead_id)
    return log, stage_spells(log, datetime.now(UTC))


def _figures(lead: Lead, currency: str, rates: dict[str, RateOn], on: date | None) -> Figures | None:
    value = reported_value(lead)
    if value is None:
        return None
    amount, source = value
    table = {code: rate.rate for code, rate in rates.items()}
    try:
        return Figures(
            converted(amount, source, currency, table),
            weighted(amount, source, currency, lead_probability(lead), table),
            [rates[code] for code in sorted({source, currency} & set(rates))],
        )
    except MissingRateError as error:
        raise fx.missing_rate(error, on) from None


async def valuation(
    session: AsyncSession, lead_id: uuid.UUID, principal: Principal, currency: str, on: date
) -> Valuation:
    """The lead's value and weighted value in `currency` at the rates of `on` and at its signing rates."""
    lead = (await lead_view(session, lead_id, principal)).lead
    value = reported_value(lead)
    at_date = None
    if value is not None:
        at_date = _figures(lead, currency, await fx.rates_on(session, on, [value[1], currency]), on)
    at_signing = None
    if value is not None and lead.signing_date is not None:
        frozen = {
            rate.currency: RateOn(rate.currency, rate.rate, rate.rate_date, rate.source)
            for rate in await repository.signing_rates(session, lead.id)
        }
        at_signing = _figures(lead, currency, frozen, lead.signing_date)
    return Valuation(lead, currency, on, lead_probability(lead), at_date, at_signing)
