"""The API shape of shares."""

from collections.abc import Sequence

from investment.leads.models import Lead, ShareAccess
from investment.sharing.models import LeadShare
from investment.sharing.schemas import ShareList, ShareRead


def to_read(share: LeadShare) -> ShareRead:
    """One share."""
    return ShareRead(
        organisation_id=share.organisation_id,
        access=ShareAccess(share.access),
        granted_at=share.granted_at,
        granted_by=share.granted_by,
    )


def share_list(lead: Lead, shares: Sequence[LeadShare]) -> ShareList:
    """The lead's shares."""
    return ShareList(owner_organisation_id=lead.owner_organisation_id, items=[to_read(s) for s in shares])
