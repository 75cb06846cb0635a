"""HTTP route of the bulk import."""

from typing import Annotated

from fastapi import APIRouter

from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.imports.schemas import ImportReport, ImportRequest
from registry.imports.service import run_import

router = APIRouter(prefix="/v1/companies", tags=["companies"])


@router.post("/import", operation_id="companies_import", summary="Import many companies")
async def import_companies(
    body: ImportRequest, session: SessionDep, principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)]
) -> ImportReport:
    """Import up to 2,000 companies from JSON rows or CSV, e.g. a consortium's member list.

    Every row is checked like a single create (check digits, duplicates against the registry and within the
    file). `all_or_nothing` stores nothing unless every row is good; `valid_only` stores the good rows;
    `dry_run` only reports. Rows whose identifier is already registered are matched (`existing`), not
    duplicated; with `member_of`, created and matched companies become members of that organisation (which
    your organisation must own). The report gives each row's outcome and errors.
    """
    return await run_import(session, body, principal)
