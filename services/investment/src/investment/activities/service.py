"""Activity use cases: add to a lead's timeline, read it, change an entry, complete a task.

Whoever may see the lead reads its timeline; whoever may edit it (owner, edit share) writes to it.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from investment.activities import repository
from investment.activities.models import Activity, ActivityKind
from investment.activities.schemas import ActivityCreate, ActivityUpdate
from investment.leads.models import Access
from investment.leads.service import lead_view
from plaza_kit.concurrency import ensure_matches
from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal


async def add(
    session: AsyncSession, lead_id: uuid.UUID, data: ActivityCreate, principal: Principal
) -> Activity:
    """A new entry on the timeline of a lead the caller may edit."""
    lead = (await lead_view(session, lead_id, principal, Access.EDIT)).lead
    now = datetime.now(UTC)
    activity = Activity(
        lead_id=lead.id,
        kind=str(data.kind),
        subject=data.subject,
        body=data.body,
        occurred_at=data.occurred_at or now,
        due_date=data.due_date,
        completed_at=None,
        created_by=principal.subject,
        created_by_organisation_id=principal.organisation_id,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(activity)
    await session.flush()
    return activity


async def timeline(
    session: AsyncSession,
    lead_id: uuid.UUID,
    principal: Principal,
    *,
    kind: ActivityKind | None,
    open_tasks: bool,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Activity]:
    """A page of the lead's timeline, oldest first."""
    lead = (await lead_view(session, lead_id, principal)).lead
    return await repository.timeline(
        session, lead.id, kind=str(kind) if kind else None, open_tasks=open_tasks, after=after, limit=limit
    )


async def one(
    session: AsyncSession, lead_id: uuid.UUID, activity_id: uuid.UUID, principal: Principal
) -> Activity:
    """One activity of a lead the caller may see."""
    await lead_view(session, lead_id, principal)
    activity = await repository.get(session, lead_id, activity_id)
    if activity is None:
        raise NotFoundError(f"no activity with id {activity_id} on this lead")
    return activity


async def update(
    session: AsyncSession,
    lead_id: uuid.UUID,
    activity_id: uuid.UUID,
    patch: ActivityUpdate,
    principal: Principal,
    if_match: str | None,
) -> Activity:
    """Change an activity (merge patch, `If-Match` checked under its row lock); complete or reopen a task."""
    await lead_view(session, lead_id, principal, Access.EDIT)
    activity = await repository.get(session, lead_id, activity_id, for_update=True)
    if activity is None:
        raise NotFoundError(f"no activity with id {activity_id} on this lead")
    ensure_matches(if_match, activity.version, "activity")
    fields = patch.model_fields_set
    is_task = activity.kind == ActivityKind.TASK
    if not is_task and (patch.completed is not None or patch.due_date is not None):
        raise UnprocessableError("only a task has a due date and a completion")
    if patch.subject is not None:
        activity.subject = patch.subject
    if "body" in fields:
        activity.body = patch.body
    if patch.occurred_at is not None:
        activity.occurred_at = patch.occurred_at
    if "due_date" in fields:
        activity.due_date = patch.due_date
    now = datetime.now(UTC)
    if patch.completed is True and activity.completed_at is None:
        activity.completed_at = now
    elif patch.completed is False:
        activity.completed_at = None
    activity.version += 1
    activity.updated_at = now
    await session.flush()
    return activity
