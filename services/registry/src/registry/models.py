"""Every ORM model of the registry, imported in one place for Alembic."""

from registry.companies.models import Company, CompanyIdentifier, CompanyProduct, CompanySector
from registry.contacts.models import Contact
from registry.db import idempotency
from registry.duplicates.models import DistinctPair, DuplicateCandidate
from registry.history.models import CompanyChange
from registry.organisations.models import Membership
from registry.sectors.models import Sector

__all__ = [
    "Company",
    "CompanyChange",
    "CompanyIdentifier",
    "CompanyProduct",
    "CompanySector",
    "Contact",
    "DistinctPair",
    "DuplicateCandidate",
    "Membership",
    "Sector",
    "idempotency",
]
