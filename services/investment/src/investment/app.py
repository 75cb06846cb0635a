"""The investment app factory."""

from fastapi import FastAPI

from investment.settings import InvestmentSettings
from plaza_kit.app import create_service_app

DESCRIPTION = """Leads that come out of meetings — export/import deals, joint development, equity
investment — tracked through a pipeline to signed deals."""


def create_app(settings: InvestmentSettings | None = None) -> FastAPI:
    """Build the investment app; settings come from `INVESTMENT_*` variables unless given."""
    return create_service_app(
        service="investment",
        settings=settings or InvestmentSettings(),
        title="Plaza investment",
        description=DESCRIPTION,
        routers=[],
    )
