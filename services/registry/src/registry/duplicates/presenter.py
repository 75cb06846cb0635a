"""The API shapes of likely duplicates."""

from plaza_contracts import CompanyRef
from registry.companies.models import Company
from registry.duplicates.models import LikelyPair
from registry.duplicates.schemas import DuplicatePair
from registry.refs.presenter import company_ref


def candidate(company: Company) -> CompanyRef:
    """A company shown as one side of a likely duplicate, or as a candidate in a 409."""
    return company_ref(company)


def pair_read(pair: LikelyPair) -> DuplicatePair:
    """The API shape of a likely duplicate pair."""
    return DuplicatePair(
        first=candidate(pair.first),
        second=candidate(pair.second),
        matched_key=pair.matched_key,
        similarity=pair.similarity,
    )


def pair_position(pair: LikelyPair) -> list[str]:
    """The cursor position of a pair: both ids."""
    return [str(pair.first.id), str(pair.second.id)]
