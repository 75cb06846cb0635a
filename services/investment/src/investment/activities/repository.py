"""Queries on activities; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from investment.activities.models import Activity


async def get(
    session: AsyncSession, lead_id: uuid.UUID, activity_id: uuid.UUID, *, for_update: bool = False
) -> Activity | None:
    """One activity of the lead, optionally locked."""
    query = select(Activity).where(Activity.id == activity_id, Activity.lead_id == lead_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def timeline(
    session: AsyncSession,
    lead_id: uuid.UUID,
    *,
    kind: str | None,
    open_tasks: bool,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Activity]:
    """The lead's activities in time order (then id), optionally only one kind or the open tasks."""
    query = (
        select(Activity)
        .where(Activity.lead_id == lead_id)
        .order_by(Activity.occurred_at, Activity.id)
        .limit(limit)
    )
    if kind is not None:
        query = query.where(Activity.kind == kind)
    if open_tasks:
        query = query.where(Activity.kind == "task", Activity.completed_at.is_(None))
    if after is not None:
        query = query.where(tuple_(Activity.occurred_at, Activity.id) > tuple_(*after))
    return (await session.scalars(query)).all()
