"""Who may see and change what at an event.

- An event's **organisers** are the organisations in `event.organiser_ids` (and platform admins): they see
  and change all of it; changing needs `meetings:organise` as well, which the routes declare.
- A **company** acts through a client of its own registry id (`principal.organisation_id == company_id`):
  it sees its own registrations, requests and meetings.
- Another **service** of the platform calling with its own identity and `meetings:read` (the investment
  service opening a lead from a meeting) reads every event, request and meeting — but no notes or personal
  data beyond the meeting's own shape — and decides itself what its caller may see. Reading is all it
  may do: it is neither a side nor an organiser (`GET /v1/meetings/{id}` only).
- Everyone else holding `meetings:read` sees events that are not drafts, their agendas and the list of
  participants without personal data; other companies' private records answer 404, as if they did not
  exist (`plaza_kit.auth.hide_unless_visible`).
"""

import uuid
from collections.abc import Iterable

from meetings.events.models import Event, EventStatus
from plaza_kit.errors import ForbiddenError
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope


def is_organiser(principal: Principal, event: Event) -> bool:
    """Whether the principal organises `event` (admins organise every event)."""
    return principal.is_admin or (
        principal.organisation_id is not None and principal.organisation_id in event.organiser_ids
    )


def acts_for(principal: Principal, company_id: uuid.UUID) -> bool:
    """Whether the principal is the company itself."""
    return principal.belongs_to(company_id)


def sees_company(principal: Principal, event: Event, company_id: uuid.UUID) -> bool:
    """Whether the principal may see a company's private records at `event`."""
    return is_organiser(principal, event) or acts_for(principal, company_id)


def reads_everything(principal: Principal) -> bool:
    """A platform service reading with its own identity (it enforces its own callers' rights)."""
    return principal.kind == "service" and principal.has_scope(Scope.MEETINGS_READ)


def sees_any(principal: Principal, event: Event, company_ids: Iterable[uuid.UUID]) -> bool:
    """Whether the principal may see a record shared by `company_ids` (a request, a meeting) and act on it
    as one of its sides or an organiser."""
    return is_organiser(principal, event) or any(acts_for(principal, company) for company in company_ids)


def can_see_event(principal: Principal, event: Event) -> bool:
    """Drafts are for their organisers; every other event is visible to every reader."""
    return event.status != EventStatus.DRAFT or is_organiser(principal, event) or reads_everything(principal)


def require_organiser(principal: Principal, event: Event) -> None:
    """403 unless the principal organises `event` (the event itself is visible to them)."""
    if not is_organiser(principal, event):
        raise ForbiddenError("only the event's organisers may do this")
