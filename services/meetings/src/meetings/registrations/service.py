"""Registration use cases: register a person, read what the caller may see, change, cancel (promoting the
waiting list), check in at the door.

Capacity and the waiting list are decided under the event's row lock (`visible_event(for_update=True)`), so
concurrent registrations and cancellations of one event run one after the other for that short moment:
`confirmed_count` stays exact (the CHECK `confirmed_count <= capacity` is the backstop), waiting-list ranks
are unique and increasing, and each free place is given to exactly one waitlisted person. The registry is
asked about the company before that lock is taken and before anything is written, so a registry outage is
a 503 that leaves nothing behind and holds no lock while waiting.
"""

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, sees_company
from meetings.agenda import repository as agenda
from meetings.bookings import service as bookings
from meetings.events.models import Event
from meetings.events.rules import accepts_registrations, is_finished
from meetings.events.service import organised_event, visible_event
from meetings.registrations import repository
from meetings.registrations.models import Registration, RegistrationRole, RegistrationStatus
from meetings.registrations.schemas import RegistrationCreate, RegistrationUpdate
from meetings.registrations.waitlist import promote_waitlisted
from meetings.requests import service as requests
from plaza_contracts import CompanyRef
from plaza_kit.client_registry import RegistryClient
from plaza_kit.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I: read aloud and typed at the door
CODE_LENGTH = 8


def new_check_in_code() -> str:
    """A random check-in code (40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalised_code(code: str) -> str:
    """A code as typed (any case, with spaces or dashes) in its stored form."""
    return code.strip().upper().replace("-", "").replace(" ", "")


def _require_may_register(principal: Principal, event: Event, company_id: uuid.UUID) -> None:
    """Organisers register anyone until the event is finished; a company registers its own people while
    the event is open; nobody else registers anyone."""
    if is_organiser(principal, event):
        if is_finished(event.status):
            raise ConflictError("the event is finished; nobody can register any more")
        return
    if not acts_for(principal, company_id):
        raise ForbiddenError("you may register people of your own company only")
    if not accepts_registrations(event.status):
        raise ConflictError(f"the event is {event.status}: registration is not open")


async def _registry_company(registry: RegistryClient, company_id: uuid.UUID) -> CompanyRef:
    """The company as the registry knows it now (the survivor of a merged id); unknown is a 422."""
    company = await registry.company_ref(company_id)
    if company is None:
        raise UnprocessableError(f"company_id: the registry knows no company {company_id}")
    return company


async def register(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    data: RegistrationCreate,
    principal: Principal,
) -> tuple[Event, Registration]:
    """Register a person: confirmed while the event has room, else waitlisted at the end of the list."""
    event = await visible_event(session, event_id, principal)
    _require_may_register(principal, event, data.company_id)
    company = await _registry_company(registry, data.company_id)  # before any lock and any write
    session.expire(event)  # read it again under the lock, as it is now
    event = await visible_event(session, event_id, principal, for_update=True)
    _require_may_register(principal, event, data.company_id)
    now = datetime.now(UTC)
    if event.capacity is None or event.confirmed_count < event.capacity:
        status, rank = RegistrationStatus.CONFIRMED, None
        event.confirmed_count += 1
        await session.flush()
    else:
        status, rank = RegistrationStatus.WAITLISTED, await repository.next_waitlist_rank(session, event.id)
    registration = await repository.insert_with_code(
        session,
        {
            "event_id": event.id,
            "company_id": company.id,
            "company_name_ko": company.name.ko,
            "company_name_ja": company.name.ja,
            "company_name_en": company.name.en,
            "company_country": company.country,
            "name_ko": data.name.ko,
            "name_ja": data.name.ja,
            "name_en": data.name.en,
            "role": str(data.role),
            "job_title": data.job_title,
            "languages": list(dict.fromkeys(data.languages)),
            "email": data.email,
            "status": str(status),
            "waitlist_rank": rank,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
        new_check_in_code,
    )
    return event, registration


async def list_registrations(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    company_id: uuid.UUID | None,
    status: RegistrationStatus | None,
    role: RegistrationRole | None,
    check_in_code: str | None = None,
    after_id: uuid.UUID | None,
    limit: int,
) -> tuple[Event, Sequence[Registration]]:
    """Organisers: every registration. Others: the confirmed participants, and every one of their own.

    A check-in code finds only registrations whose code the caller may see, so codes cannot be probed.
    """
    event = await visible_event(session, event_id, principal)
    organiser = is_organiser(principal, event)
    code_owner = None
    if check_in_code is not None and not organiser:
        if principal.organisation_id is None:
            return event, []
        code_owner = principal.organisation_id
    rows = await repository.page(
        session,
        event.id,
        everything=organiser,
        own_company_id=principal.organisation_id,
        company_id=company_id,
        code_company_id=code_owner,
        status=status,
        role=role,
        check_in_code=normalised_code(check_in_code) if check_in_code is not None else None,
        after_id=after_id,
        limit=limit,
    )
    return event, rows


def _visible(principal: Principal, event: Event, registration: Registration) -> bool:
    """Confirmed participants are in the directory; waitlisted and cancelled ones are private records."""
    return registration.status == RegistrationStatus.CONFIRMED or sees_company(
        principal, event, registration.company_id
    )


async def _seen(
    session: AsyncSession,
    event: Event,
    registration_id: uuid.UUID,
    principal: Principal,
    *,
    for_update: bool = False,
) -> Registration:
    registration = await repository.get(session, event.id, registration_id, for_update=for_update)
    if registration is None or not _visible(principal, event, registration):
        raise NotFoundError(f"no registration {registration_id} at event {event.id}")
    return registration


def _require_own(principal: Principal, event: Event, registration: Registration) -> None:
    if not sees_company(principal, event, registration.company_id):
        raise ForbiddenError("you may change people of your own company only")


async def get_registration(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID, principal: Principal
) -> tuple[Event, Registration]:
    """One registration the caller may see."""
    event = await visible_event(session, event_id, principal)
    return event, await _seen(session, event, registration_id, principal)


async def update_registration(
    session: AsyncSession,
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    patch: RegistrationUpdate,
    principal: Principal,
) -> tuple[Event, Registration]:
    """Change some fields of a person of the caller's company (organisers: of anyone)."""
    event = await visible_event(session, event_id, principal)
    registration = await _seen(session, event, registration_id, principal, for_update=True)
    _require_own(principal, event, registration)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ConflictError("the registration is cancelled; register the person again instead")
    fields = patch.model_fields_set
    if patch.name is not None:
        names = patch.name.model_fields_set
        ko = patch.name.ko if "ko" in names else registration.name_ko
        ja = patch.name.ja if "ja" in names else registration.name_ja
        en = patch.name.en if "en" in names else registration.name_en
        if not (ko or ja or en):
            raise UnprocessableError("name: at least one of ko, ja, en must remain")
        registration.name_ko, registration.name_ja, registration.name_en = ko, ja, en
    if patch.role is not None:
        registration.role = str(patch.role)
    if "job_title" in fields:
        registration.job_title = patch.job_title
    if patch.languages is not None:
        registration.languages = list(dict.fromkeys(patch.languages))
    if "email" in fields:
        registration.email = patch.email
    registration.version += 1
    registration.updated_at = datetime.now(UTC)
    await session.flush()
    return event, registration


async def cancel_registration(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID, principal: Principal
) -> tuple[Event, Registration]:
    """Cancel a registration; a freed place goes to the first of the waiting list in the same transaction.

    The person's session attendances go (their slot claims cascade) and so do the claims of their blocked
    slots; requests and meetings naming them forget them (`requests.service.drop_person`,
    `bookings.service.drop_person`: a side left with nobody withdraws the request or cancels the meeting).
    Cancelling twice is harmless.
    """
    event = await visible_event(session, event_id, principal)
    _require_own(principal, event, await _seen(session, event, registration_id, principal))
    session.expire_all()  # read both again under the locks (only callers allowed to cancel take them)
    event = await visible_event(session, event_id, principal, for_update=True)  # serialises the event
    registration = await _seen(session, event, registration_id, principal, for_update=True)
    _require_own(principal, event, registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return event, registration
    now = datetime.now(UTC)
    if registration.status == RegistrationStatus.CONFIRMED:
        event.confirmed_count -= 1
    registration.status = RegistrationStatus.CANCELLED
    registration.waitlist_rank = None
    registration.cancelled_at = now
    registration.version += 1
    registration.updated_at = now
    await session.flush()
    await agenda.release_attendances_of(session, registration.id)
    await repository.release_blocked_slots(session, registration.id)
    await requests.drop_person(session, event, registration.id)  # requests naming them forget them
    await bookings.drop_person(session, event, registration.id)  # and so do their meetings
    await promote_waitlisted(session, event)
    return event, registration


async def check_in(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID, code: str, principal: Principal
) -> tuple[Event, Registration]:
    """Mark a person as arrived when the code they show is theirs; a second check-in changes nothing."""
    event = await organised_event(session, event_id, principal)
    registration = await repository.get(session, event.id, registration_id, for_update=True)
    if registration is None:
        raise NotFoundError(f"no registration {registration_id} at event {event.id}")
    if not secrets.compare_digest(normalised_code(code).encode(), registration.check_in_code.encode()):
        raise UnprocessableError("code: this is not the registration's check-in code")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ConflictError(f"the registration is {registration.status}; only confirmed people check in")
    if registration.checked_in_at is None:
        now = datetime.now(UTC)
        registration.checked_in_at = now
        registration.version += 1
        registration.updated_at = now
        await session.flush()
    return event, registration
