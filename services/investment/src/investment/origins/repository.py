"""Every SQL statement of leads from meetings."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from investment.leads.models import Lead


async def lead_of_meeting(session: AsyncSession, meeting_id: uuid.UUID) -> uuid.UUID | None:
    """The lead opened from the meeting, if any (one at most: `uq_lead_origin_meeting_id`)."""
    return await session.scalar(select(Lead.id).where(Lead.origin_meeting_id == meeting_id))
