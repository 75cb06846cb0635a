"""Sharing use cases: the owner organisation shares a lead with partner organisations and revokes that.

Only the owner (and admins) share and revoke; an organisation that can see the lead sees whom it is shared
with. The registry is asked about the organisation before anything is written (unknown: 422; down: 503).
Each share writes one row keyed by (lead, organisation), so sharing twice changes the access, never
duplicates it.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from investment.leads.models import Access, Lead
from investment.leads.service import lead_view
from investment.sharing import repository
from investment.sharing.models import LeadShare
from investment.sharing.schemas import ShareWrite
from plaza_kit.client_registry import RegistryClient
from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal


async def shares(
    session: AsyncSession, lead_id: uuid.UUID, principal: Principal
) -> tuple[Lead, Sequence[LeadShare]]:
    """The lead and its shares."""
    lead = (await lead_view(session, lead_id, principal)).lead
    return lead, await repository.of_lead(session, lead.id)


async def share(
    session: AsyncSession,
    registry: RegistryClient,
    lead_id: uuid.UUID,
    data: ShareWrite,
    principal: Principal,
) -> tuple[LeadShare, bool]:
    """Share the lead with an organisation (or change its access); the share and whether it is new."""
    lead = (await lead_view(session, lead_id, principal, Access.OWNER)).lead
    if data.organisation_id == lead.owner_organisation_id:
        raise UnprocessableError("organisation_id: the lead belongs to that organisation already")
    if await registry.organisation_ref(data.organisation_id) is None:
        raise UnprocessableError(
            f"organisation_id: the registry knows no organisation {data.organisation_id}"
        )
    return await repository.upsert(
        session,
        lead_id=lead.id,
        organisation_id=data.organisation_id,
        access=str(data.access),
        granted_at=datetime.now(UTC),
        granted_by=principal.subject,
    )


async def revoke(
    session: AsyncSession, lead_id: uuid.UUID, organisation_id: uuid.UUID, principal: Principal
) -> None:
    """Stop sharing the lead with an organisation (404 when it was not shared with it)."""
    lead = (await lead_view(session, lead_id, principal, Access.OWNER)).lead
    if not await repository.remove(session, lead.id, organisation_id):
        raise NotFoundError(f"the lead is not shared with organisation {organisation_id}")
