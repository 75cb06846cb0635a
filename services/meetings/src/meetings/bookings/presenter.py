"""The API shapes of meetings and placements."""

import uuid
from decimal import Decimal

from meetings.bookings.availability import Placement
from meetings.bookings.models import MeetingStatus, MeetingView, Outcome
from meetings.bookings.schemas import (
    FeedbackRead,
    InterpreterRef,
    MeetingRead,
    MoneyRead,
    OutcomeRead,
    PlacementRead,
    SideRead,
    TableRef,
)
from meetings.requests.models import Purpose
from meetings.texts import Texts, local
from plaza_contracts.values import minor_units


def _side(shown: MeetingView, company_id: uuid.UUID, people: list[uuid.UUID]) -> SideRead:
    ko, ja, en = shown.names.get(company_id, (None, None, None))
    return SideRead(company_id=company_id, name=Texts(ko=ko, ja=ja, en=en), people=people)


def to_read(shown: MeetingView) -> MeetingRead:
    """A meeting with its times in its event's zone."""
    meeting, zone = shown.meeting, shown.time_zone
    outcome = shown.outcome

    return MeetingRead(
        id=meeting.id,
        event_id=meeting.event_id,
        request_id=meeting.request_id,
        a=_side(shown, meeting.company_a_id, list(meeting.people_a)),
        b=_side(shown, meeting.company_b_id, list(meeting.people_b)),
        slot_id=meeting.slot_id,
        starts_at=local(shown.starts_at, zone),
        ends_at=local(shown.ends_at, zone),
        table=TableRef(id=meeting.table_id, name=shown.table_name or "") if meeting.table_id else None,
        interpreter=(
            InterpreterRef(id=meeting.interpreter_id, name=shown.interpreter_name or "")
            if meeting.interpreter_id
            else None
        ),
        purpose=Purpose(meeting.purpose),
        priority=meeting.priority,
        status=MeetingStatus(meeting.status),
        sequence=meeting.sequence,
        locked=meeting.locked,
        cancel_reason=meeting.cancel_reason,
        feedback=[
            FeedbackRead(
                company_id=row.company_id, rating=row.rating, notes=row.notes, updated_at=row.updated_at
            )
            for row in shown.feedback
        ],
        outcome=(
            OutcomeRead(
                outcome=Outcome(outcome.outcome),
                purpose=Purpose(outcome.purpose),
                estimated_value=(
                    MoneyRead(
                        amount=_amount(outcome.value_amount, outcome.value_currency),
                        currency=outcome.value_currency,
                    )
                    if outcome.value_amount is not None and outcome.value_currency
                    else None
                ),
                summary=outcome.summary,
                recorded_at=outcome.recorded_at,
            )
            if outcome is not None
            else None
        ),
        version=meeting.version,
        created_at=meeting.created_at,
        updated_at=meeting.updated_at,
    )


def _amount(value: Decimal, currency: str) -> str:
    """The amount with exactly the currency's minor-unit places (JPY and KRW none, USD two)."""
    return f"{value.quantize(Decimal(1).scaleb(-minor_units(currency))):f}"


def placement_read(placement: Placement, time_zone: str) -> PlacementRead:
    """A free slot with the table and interpreter a meeting would get there."""
    return PlacementRead(
        slot_id=placement.slot.id,
        starts_at=local(placement.slot.starts_at, time_zone),
        ends_at=local(placement.slot.ends_at, time_zone),
        table=TableRef(id=placement.table.id, name=placement.table.name) if placement.table else None,
        interpreter=(
            InterpreterRef(id=placement.interpreter.id, name=placement.interpreter.name)
            if placement.interpreter
            else None
        ),
    )
