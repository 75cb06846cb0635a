"""`POST /v1/companies/refs` and `POST /v1/organisations/refs`: many ids → the contract references.

What the meetings and investment services (and partner systems) call to validate and show the bodies they
refer to: up to 500 ids in one call, answered as `plaza_contracts.CompanyRefLookup` /
`OrganisationRefLookup` (`items`, `merged`, `unknown`). Safe to retry: a lookup changes nothing.
"""

from typing import Annotated, Any

from fastapi import APIRouter

from plaza_contracts import CompanyRefLookup, OrganisationRefLookup, RefLookupRequest
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.demo import demo_id
from registry.refs import service

router = APIRouter()

_SK_ON, _KOTRA = str(demo_id("sk-on")), str(demo_id("kotra"))
_MERGED = "01995a1e-ec00-7000-8000-0000000000aa"  # an illustrative id, merged into SK On
_UNKNOWN = "01995a1e-ec00-7000-8000-0000000000ff"


def _example(summary: str, ids: list[str], answer: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": summary,
            "content": {
                "application/json": {"examples": {"lookup": {"summary": f"ids {ids}", "value": answer}}}
            },
        }
    }


_COMPANY_ANSWER = {
    "items": [{"id": _SK_ON, "name": {"ko": "SK온", "ja": "SKオン", "en": "SK On"}, "country": "KR"}],
    "merged": [{"id": _MERGED, "merged_into_id": _SK_ON}],
    "unknown": [_UNKNOWN],
}
_ORGANISATION_ANSWER = {
    "items": [
        {
            "id": _KOTRA,
            "name": {
                "ko": "대한무역투자진흥공사",
                "ja": "大韓貿易投資振興公社",
                "en": "Korea Trade-Investment Promotion Agency (KOTRA)",
            },
        }
    ],
    "merged": [],
    "unknown": [_SK_ON],
}


@router.post(
    "/v1/companies/refs",
    operation_id="companies_refs",
    summary="Resolve companies to references",
    tags=["companies"],
    responses=_example("Found, merged and unknown ids", [_SK_ON, _MERGED, _UNKNOWN], _COMPANY_ANSWER),
)
async def company_refs(
    body: RefLookupRequest, session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> CompanyRefLookup:
    """Up to 500 ids of companies or other bodies (universities, institutes, organisations) → their
    `CompanyRef` (id, name in ko/ja/en, country). A merged id is listed in `merged` with the company that
    absorbed it, whose reference is in `items`; ids the registry never had are in `unknown`. Archived
    companies are found. Each id is answered once, however often it is asked."""
    return await service.company_refs(session, body.ids)


@router.post(
    "/v1/organisations/refs",
    operation_id="organisations_refs",
    summary="Resolve organisations to references",
    tags=["organisations"],
    responses=_example("Found and unknown ids", [_KOTRA, _SK_ON], _ORGANISATION_ANSWER),
)
async def organisation_refs(
    body: RefLookupRequest, session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> OrganisationRefLookup:
    """Up to 500 ids of partner organisations (government bodies and associations) → their
    `OrganisationRef` (id, name). Merged ids are answered by their survivor as in `companies_refs`; an id
    of a body that is not an organisation (a company, a university) is in `unknown`."""
    return await service.organisation_refs(session, body.ids)
