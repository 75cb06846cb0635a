"""The API shape of the stored B2B set-up."""

from typing import cast

from meetings.bookings.models import CompanyQuota
from meetings.events.models import Event
from meetings.setup.models import BlockedSlotView, InterpreterWithPerson, MeetingTable
from meetings.setup.schemas import (
    BlockedSlotList,
    BlockedSlotRead,
    InterpreterRead,
    LanguagePair,
    QuotaRead,
    TableRead,
)
from meetings.texts import local, texts


def table_to_read(table: MeetingTable) -> TableRead:
    """A table."""
    return TableRead(
        id=table.id,
        event_id=table.event_id,
        name=table.name,
        company_id=table.company_id,
        fixed=table.company_id is not None,
        created_at=table.created_at,
    )


def interpreter_to_read(found: InterpreterWithPerson) -> InterpreterRead:
    """An interpreter with the name and languages of their registration (no e-mail: that is personal)."""
    interpreter, person = found
    return InterpreterRead(
        id=interpreter.id,
        event_id=interpreter.event_id,
        registration_id=interpreter.registration_id,
        company_id=person.company_id,
        name=texts(person.name_ko, person.name_ja, person.name_en),
        languages=list(person.languages),
        language_pairs=[cast(LanguagePair, pair) for pair in interpreter.language_pairs],
        table_id=interpreter.table_id,
        created_at=interpreter.created_at,
    )


def blocked_to_read(view: BlockedSlotView, event: Event) -> BlockedSlotRead:
    """A blocked slot, its times in the event's zone."""
    blocked = view.blocked
    company_id = blocked.company_id if blocked.company_id is not None else view.person_company_id
    assert company_id is not None  # a person's block always has the person's registration
    return BlockedSlotRead(
        id=blocked.id,
        event_id=blocked.event_id,
        slot_id=blocked.slot_id,
        starts_at=local(view.starts_at, event.time_zone),
        ends_at=local(view.ends_at, event.time_zone),
        subject="person" if blocked.registration_id is not None else "company",
        registration_id=blocked.registration_id,
        company_id=company_id,
        reason=blocked.reason,
        created_at=blocked.created_at,
    )


def blocked_list(views: list[BlockedSlotView], event: Event) -> BlockedSlotList:
    """The blocks one request made."""
    return BlockedSlotList(items=[blocked_to_read(view, event) for view in views])


def quota_to_read(row: CompanyQuota) -> QuotaRead:
    """A company's quota: the cap in force, what is booked, what remains."""
    return QuotaRead(
        company_id=row.company_id,
        max_meetings=row.quota,
        booked=row.booked,
        remaining=max(row.quota - row.booked, 0) if row.quota is not None else None,
        overridden=row.overridden,
    )
