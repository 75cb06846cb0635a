"""Leads from meetings: a meeting's outcome becomes a lead, with the event, the meeting, both companies
and the estimated value filled in from the meetings service (through the kit client, with this service's
own identity: it reads any meeting, and decides here what its caller may use).

The caller must be an organiser of the meeting's event or one of its two companies; any other meeting is
answered as unknown. One meeting makes one lead: the partial unique index `uq_lead_origin_meeting_id`
decides between concurrent retries, and the loser answers with the winner's lead (when the caller may
see it) instead of a second one.
"""

import uuid
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from investment.leads import service as leads
from investment.leads.models import LeadView
from investment.leads.schemas import LeadCreate, PlazaOrigin
from investment.origins import repository
from investment.origins.schemas import EventShape, LeadFromMeeting, MeetingShape
from investment.pipelines.stages import DealType
from plaza_contracts import CompanyRef, Money
from plaza_kit.client import ServiceClient
from plaza_kit.client_registry import RegistryClient
from plaza_kit.errors import ConflictError, NotFoundError, UnprocessableError, violated_constraint
from plaza_kit.identity import Principal

ONE_LEAD_PER_MEETING = "uq_lead_origin_meeting_id"
DEAL_OF_PURPOSE = {
    "export_import": DealType.EXPORT,
    "joint_development": DealType.JOINT_DEVELOPMENT,
    "equity_investment": DealType.EQUITY_INVESTMENT,
    "other": DealType.OTHER,
}
PARTY_OF_COUNTRY = {"KR": "korean_party_id", "JP": "japanese_party_id"}
OPENS_A_LEAD = ("follow_up", "cooperation_possible")


def _unknown(meeting_id: uuid.UUID) -> UnprocessableError:
    return UnprocessableError(f"meeting_id: no meeting {meeting_id} that you organise or took part in")


async def _meeting(meetings: ServiceClient, meeting_id: uuid.UUID, principal: Principal) -> MeetingShape:
    """The meeting, if the caller organised its event or is one of its companies (else: unknown)."""
    meeting = await meetings.fetch(
        "GET", f"/v1/meetings/{meeting_id}", MeetingShape, not_found=lambda: _unknown(meeting_id)
    )
    event = await meetings.fetch(
        "GET", f"/v1/events/{meeting.event_id}", EventShape, not_found=lambda: _unknown(meeting_id)
    )
    sides = {meeting.a.company_id, meeting.b.company_id}
    organisation = principal.organisation_id
    if not (principal.is_admin or organisation in event.organiser_ids or organisation in sides):
        raise _unknown(meeting_id)
    return meeting


def _parties(meeting: MeetingShape, refs: dict[uuid.UUID, CompanyRef]) -> dict[str, uuid.UUID]:
    """korean_party_id / japanese_party_id from the companies' countries (the survivors of merges)."""
    parties: dict[str, uuid.UUID] = {}
    for company in (meeting.a.company_id, meeting.b.company_id):
        ref = refs.get(company)
        field = PARTY_OF_COUNTRY.get(ref.country) if ref is not None else None
        if ref is not None and field is not None and field not in parties:
            parties[field] = ref.id
    if not parties:
        raise UnprocessableError("meeting_id: neither company of the meeting is Korean or Japanese")
    return parties


def _title(meeting: MeetingShape, refs: dict[uuid.UUID, CompanyRef]) -> str:
    names = [
        refs[c].name.best() if c in refs else str(c) for c in (meeting.a.company_id, meeting.b.company_id)
    ]
    return f"{names[0]} × {names[1]}"[:300]


async def _existing(session: AsyncSession, lead_id: uuid.UUID, principal: Principal) -> LeadView:
    try:
        return await leads.lead_view(session, lead_id, principal)
    except NotFoundError:
        raise ConflictError("another organisation opened a lead from this meeting already") from None


async def lead_from_meeting(
    session: AsyncSession,
    registry: RegistryClient,
    meetings: ServiceClient,
    body: LeadFromMeeting,
    principal: Principal,
) -> tuple[LeadView, bool]:
    """The meeting's lead: (new lead, True), or (the lead opened from it before, False)."""
    if principal.organisation_id is None:
        raise UnprocessableError("a lead belongs to an organisation: call as a client of one")
    meeting = await _meeting(meetings, body.meeting_id, principal)
    existing = await repository.lead_of_meeting(session, meeting.id)
    if existing is not None:
        return await _existing(session, existing, principal), False
    outcome = meeting.outcome
    if outcome is None or outcome.outcome not in OPENS_A_LEAD:
        raise UnprocessableError(
            "meeting_id: the meeting has no outcome that opens a lead (follow_up or cooperation_possible)",
            extensions={"outcome": outcome.outcome if outcome else None},
        )
    refs = (await registry.company_refs([meeting.a.company_id, meeting.b.company_id])).resolved()
    value = outcome.estimated_value
    data = LeadCreate(
        deal_type=body.deal_type or DEAL_OF_PURPOSE.get(outcome.purpose, DealType.OTHER),
        title=body.title or _title(meeting, refs),
        description=outcome.summary,
        origin=PlazaOrigin(kind="plaza", event_id=meeting.event_id, meeting_id=meeting.id),
        estimated_value=Money(amount=Decimal(value.amount), currency=value.currency) if value else None,
        owner_person=body.owner_person,
        next_follow_up_date=body.next_follow_up_date,
        **_parties(meeting, refs),
    )
    savepoint = await session.begin_nested()
    try:
        view = await leads.create_lead(session, registry, data, principal)
    except IntegrityError as error:
        await savepoint.rollback()
        if violated_constraint(error) != ONE_LEAD_PER_MEETING:
            raise
        winner = await repository.lead_of_meeting(session, meeting.id)
        assert winner is not None  # the row the index refused ours for
        return await _existing(session, winner, principal), False
    await savepoint.commit()
    return view, True
