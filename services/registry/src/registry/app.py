"""The registry app factory."""

from fastapi import FastAPI

from plaza_kit.app import create_service_app
from registry.companies.router import router as companies_router
from registry.settings import RegistrySettings

DESCRIPTION = """Companies, universities, research institutes and partner organisations taking part in
Korea–Japan industrial cooperation events, with names in Korean, Japanese and English."""


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """Build the registry app; settings come from `REGISTRY_*` variables unless given."""
    return create_service_app(
        service="registry",
        settings=settings or RegistrySettings(),
        title="Plaza registry",
        description=DESCRIPTION,
        routers=[companies_router],
        openapi_tags=[{"name": "companies", "description": "Companies and other bodies, in ko/ja/en."}],
    )
