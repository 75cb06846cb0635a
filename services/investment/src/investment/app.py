"""The investment app factory."""

from fastapi import FastAPI

from investment.activities.router import router as activities_router
from investment.db import idempotency
from investment.fx.router import router as fx_router
from investment.leads.router import router as leads_router
from investment.origins.router import router as origins_router
from investment.pipelines.router import router as pipelines_router
from investment.reports.router import router as reports_router
from investment.settings import InvestmentSettings
from investment.sharing.router import router as sharing_router
from plaza_kit.app import create_service_app
from plaza_kit.catalogue import component

DESCRIPTION = """Leads that come out of meetings — export/import deals, joint development, equity
investment — tracked through a pipeline per deal type to signed deals, with values in any currency (ECB
reference rates, frozen at signing), an activity timeline, and sharing between partner organisations."""

TAGS = [
    {"name": "leads", "description": "Leads: parties, origin, value; stage and status moves; history."},
    {"name": "activities", "description": "A lead's timeline: notes, calls, e-mails, meetings, tasks."},
    {"name": "sharing", "description": "Share a lead with partner organisations for reading or editing."},
    {"name": "pipelines", "description": "The stages of each deal type and their default probabilities."},
    {"name": "fx-rates", "description": "EUR-based FX rates: kept by administrators, imported from the ECB."},
    {"name": "reports", "description": "Pipeline, funnel, won deals, per event and per company; CSV too."},
]


def create_app(settings: InvestmentSettings | None = None) -> FastAPI:
    """Build the investment app; settings come from `INVESTMENT_*` variables unless given."""
    return create_service_app(
        service="investment",
        settings=settings or InvestmentSettings(),
        title="Plaza investment",
        description=DESCRIPTION,
        routers=[
            origins_router,
            leads_router,
            activities_router,
            sharing_router,
            pipelines_router,
            fx_router,
            reports_router,
        ],
        openapi_tags=TAGS,
        idempotency=idempotency,
        upstreams=component("investment").upstreams,
    )
