"""The API shape of recorded changes."""

from registry.history.models import CompanyChange
from registry.history.schemas import CompanyChangeRead


def to_read(change: CompanyChange) -> CompanyChangeRead:
    """The API shape of one recorded change."""
    return CompanyChangeRead.model_validate(change, from_attributes=True)
