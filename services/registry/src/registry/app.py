"""The registry app factory."""

from fastapi import FastAPI

from plaza_kit.app import create_service_app
from plaza_kit.read_pool import install as install_read_pool
from registry.companies.lookup import router as lookup_router
from registry.companies.router import router as companies_router
from registry.contacts.router import router as contacts_router
from registry.db import idempotency
from registry.duplicates.router import router as duplicates_router
from registry.history.router import router as history_router
from registry.imports.router import router as import_router
from registry.organisations.router import router as organisations_router
from registry.refs.router import router as refs_router
from registry.sectors.router import router as sectors_router
from registry.settings import RegistrySettings

DESCRIPTION = """Companies, universities, research institutes and partner organisations taking part in
Korea–Japan industrial cooperation events, with names in Korean, Japanese and English, verified
identifiers (法人番号, 사업자등록번호, 법인등록번호, LEI), duplicate control and search in any script."""

TAGS = [
    {"name": "companies", "description": "Companies and other bodies, in ko/ja/en: search, history, import."},
    {"name": "duplicates", "description": "Likely duplicates and merges."},
    {"name": "organisations", "description": "Partner organisations and consortia, with their members."},
    {"name": "contacts", "description": "People at companies (personal data: `contacts:read`)."},
    {"name": "sectors", "description": "The value-chain sector taxonomy."},
]


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    """Build the registry app; settings come from `REGISTRY_*` variables unless given."""
    settings = settings or RegistrySettings()
    app = create_service_app(
        service="registry",
        settings=settings,
        title="Plaza registry",
        description=DESCRIPTION,
        # Fixed paths (/duplicates, /lookup, /refs, /import) before /{company_id}.
        routers=[
            duplicates_router,
            lookup_router,
            refs_router,
            import_router,
            companies_router,
            history_router,
            contacts_router,
            organisations_router,
            sectors_router,
        ],
        openapi_tags=TAGS,
        idempotency=idempotency,
    )
    install_read_pool(app, settings, application_name="plaza-registry-reads")
    return app
