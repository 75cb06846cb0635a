"""Every ORM model of the registry, imported in one place for Alembic."""

from registry.companies.models import Company

__all__ = ["Company"]
