"""Queries on leads, their transitions and signing rates; no commits here (the request boundary commits).

A lead is visible to its owner organisation and to the organisations it is shared with (`lead_share`);
`visible_to` is that rule as SQL, used by every read that lists leads (reports too).
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from investment.leads.models import Lead, LeadSigningRate, LeadTransition
from investment.sharing.models import LeadShare


def visible_to(organisation_id: uuid.UUID | None, *, everything: bool = False) -> ColumnElement[bool]:
    """The leads an organisation may see: its own and those shared with it (admins: every lead).

    The shared ones as `id IN (uncorrelated subquery)`, not a correlated EXISTS: PostgreSQL runs it once
    as a hashed subplan and costs it so (an EXISTS under an OR is costed as one index probe per lead
    even when the hashed alternative is used, and that inflated estimate switched JIT compilation on for
    every report: ~40 ms of a ~200 ms report at 50,000 leads). The same rule: `lead_share.lead_id` is
    never NULL (part of its key), so IN and EXISTS agree.
    """
    if everything:
        return true()
    if organisation_id is None:
        return Lead.id.is_(None)  # nothing: a lead always has an owner
    share = aliased(LeadShare)  # not the outer join's LeadShare, which would be correlated into it
    shared = select(share.lead_id).where(share.organisation_id == organisation_id)
    return or_(Lead.owner_organisation_id == organisation_id, Lead.id.in_(shared))


async def get_with_share(
    session: AsyncSession, lead_id: uuid.UUID, organisation_id: uuid.UUID | None, *, for_update: bool = False
) -> tuple[Lead, str | None] | None:
    """The lead and the access it is shared with to `organisation_id` (None: not shared), optionally with
    the lead's row locked for the rest of the transaction."""
    query = (
        select(Lead, LeadShare.access)
        .outerjoin(
            LeadShare, and_(LeadShare.lead_id == Lead.id, LeadShare.organisation_id == organisation_id)
        )
        .where(Lead.id == lead_id)
    )
    if for_update:
        # populate_existing: a row already in the session is re-read under the lock, not served stale.
        query = query.with_for_update(of=Lead).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


async def visible_page(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID | None,
    everything: bool,
    filters: dict[str, Any],
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[tuple[Lead, str | None]]:
    """Visible leads in id order with the caller's share access, filtered (see `_filtered`)."""
    query = (
        select(Lead, LeadShare.access)
        .outerjoin(
            LeadShare, and_(LeadShare.lead_id == Lead.id, LeadShare.organisation_id == organisation_id)
        )
        .where(visible_to(organisation_id, everything=everything))
        .order_by(Lead.id)
        .limit(limit)
    )
    query = query.where(*_filtered(filters))
    if after_id is not None:
        query = query.where(Lead.id > after_id)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


def _filtered(filters: dict[str, Any]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name in ("deal_type", "pipeline", "stage", "status"):
        if filters.get(name) is not None:
            conditions.append(getattr(Lead, name) == str(filters[name]))
    if (company := filters.get("company_id")) is not None:
        conditions.append(or_(Lead.korean_party_id == company, Lead.japanese_party_id == company))
    if (event := filters.get("event_id")) is not None:
        conditions.append(Lead.origin_event_id == event)
    if (tag := filters.get("tag")) is not None:
        conditions.append(Lead.tags.contains([tag]))
    if (sector := filters.get("sector")) is not None:
        conditions.append(Lead.sectors.contains([sector]))
    if (hs_code := filters.get("hs_code")) is not None:
        codes = func.unnest(Lead.hs_codes).table_valued("code").render_derived()
        conditions.append(exists(select(1).select_from(codes).where(codes.c.code.startswith(hs_code))))
    if (owner := filters.get("owner_organisation_id")) is not None:
        conditions.append(Lead.owner_organisation_id == owner)
    if (due := filters.get("follow_up_by")) is not None:
        conditions.append(Lead.next_follow_up_date <= due)
    return conditions


async def transitions(session: AsyncSession, lead_id: uuid.UUID) -> Sequence[LeadTransition]:
    """The lead's transition log, oldest first."""
    query = select(LeadTransition).where(LeadTransition.lead_id == lead_id)
    return (await session.scalars(query.order_by(LeadTransition.at, LeadTransition.id))).all()


async def signing_rates(session: AsyncSession, lead_id: uuid.UUID) -> Sequence[LeadSigningRate]:
    """The rates frozen on the lead when it was signed."""
    query = select(LeadSigningRate).where(LeadSigningRate.lead_id == lead_id)
    return (await session.scalars(query.order_by(LeadSigningRate.currency))).all()
