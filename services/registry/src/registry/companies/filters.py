"""The filters of a companies listing: what routers build from query parameters and repositories apply."""

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompanyFilters:
    """Filters of the companies collection."""

    status: str = "active"
    country: str | None = None
    kind: str | None = None
    sector: str | None = None
    hs_code: str | None = None
    member_of: uuid.UUID | None = None
    kinds: tuple[str, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters as the cursor fingerprint sees them."""
        return {
            key: value if value is None or isinstance(value, tuple) else str(value)
            for key, value in self.__dict__.items()
        }
