"""The API shapes of memberships."""

from registry.organisations.models import MembershipWithSides
from registry.organisations.schemas import MembershipRead
from registry.refs.presenter import company_ref


def to_read(listed: MembershipWithSides) -> MembershipRead:
    """The API shape of a membership, with both sides named."""
    membership = listed.membership
    return MembershipRead(
        id=membership.id,
        organisation=company_ref(listed.organisation),
        member=company_ref(listed.member),
        role=membership.role,
        joined_on=membership.joined_on,
        left_on=membership.left_on,
        created_at=membership.created_at,
    )
