"""Queries on shares; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from investment.sharing.models import LeadShare


async def upsert(
    session: AsyncSession,
    *,
    lead_id: uuid.UUID,
    organisation_id: uuid.UUID,
    access: str,
    granted_at: datetime,
    granted_by: str,
) -> tuple[LeadShare, bool]:
    """Share (or change the access of a share); the row and whether it is new."""
    values = {
        "lead_id": lead_id,
        "organisation_id": organisation_id,
        "access": access,
        "granted_at": granted_at,
        "granted_by": granted_by,
    }
    statement = (
        insert(LeadShare)
        .values(values)
        .on_conflict_do_update(
            index_elements=[LeadShare.lead_id, LeadShare.organisation_id],
            set_={"access": access, "granted_at": granted_at, "granted_by": granted_by},
        )
        .returning((literal_column("xmax") == 0).label("inserted"))  # an inserted row has no xmax yet
    )
    inserted = bool((await session.execute(statement)).scalar_one())
    query = select(LeadShare).where(
        LeadShare.lead_id == lead_id, LeadShare.organisation_id == organisation_id
    )
    share = (await session.scalars(query.execution_options(populate_existing=True))).one()
    return share, inserted


async def of_lead(session: AsyncSession, lead_id: uuid.UUID) -> Sequence[LeadShare]:
    """The lead's shares, by organisation id."""
    query = select(LeadShare).where(LeadShare.lead_id == lead_id).order_by(LeadShare.organisation_id)
    return (await session.scalars(query)).all()


async def remove(session: AsyncSession, lead_id: uuid.UUID, organisation_id: uuid.UUID) -> bool:
    """Revoke a share; whether there was one."""
    statement = (
        delete(LeadShare)
        .where(LeadShare.lead_id == lead_id, LeadShare.organisation_id == organisation_id)
        .returning(LeadShare.organisation_id)
    )
    return (await session.execute(statement)).first() is not None
