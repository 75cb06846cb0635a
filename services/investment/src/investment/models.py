"""Every ORM model of the investment service, imported in one place for Alembic."""

from investment.activities.models import Activity
from investment.db import idempotency
from investment.fx.models import FxRate
from investment.leads.models import Lead, LeadSigningRate, LeadStageSpell, LeadTransition
from investment.sharing.models import LeadShare

__all__ = [
    "Activity",
    "FxRate",
    "Lead",
    "LeadShare",
    "LeadSigningRate",
    "LeadStageSpell",
    "LeadTransition",
    "idempotency",
]
