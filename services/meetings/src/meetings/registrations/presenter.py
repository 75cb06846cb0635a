"""The API shape of stored registrations: the one place that decides who sees a person's personal data."""

from meetings.access import sees_company
from meetings.events.models import Event
from meetings.registrations.models import Registration, RegistrationRole, RegistrationStatus
from meetings.registrations.schemas import RegisteredCompany, RegistrationRead
from meetings.texts import local, texts
from plaza_kit.identity import Principal


def to_read(registration: Registration, event: Event, viewer: Principal) -> RegistrationRead:
    """A registration as `viewer` may see it: e-mail, check-in code and arrival only for the event's
    organisers and the person's own company (everyone else reads the participant directory)."""
    private = sees_company(viewer, event, registration.company_id)
    checked_in_at = registration.checked_in_at
    return RegistrationRead(
        id=registration.id,
        event_id=registration.event_id,
        company=RegisteredCompany(
            id=registration.company_id,
            name=texts(
                registration.company_name_ko, registration.company_name_ja, registration.company_name_en
            ),
            country=registration.company_country,
        ),
        name=texts(registration.name_ko, registration.name_ja, registration.name_en),
        role=RegistrationRole(registration.role),
        job_title=registration.job_title,
        languages=list(registration.languages),
        status=RegistrationStatus(registration.status),
        waitlist_rank=registration.waitlist_rank,
        email=registration.email if private else None,
        check_in_code=registration.check_in_code if private else None,
        checked_in_at=local(checked_in_at, event.time_zone) if private and checked_in_at else None,
        cancelled_at=registration.cancelled_at,
        version=registration.version,
        created_at=registration.created_at,
        updated_at=registration.updated_at,
    )
