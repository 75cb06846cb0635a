"""HTTP routes of the sector taxonomy, under `/v1/sectors`."""

from typing import Annotated

from fastapi import APIRouter, Response, status

from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.sectors import service
from registry.sectors.presenter import to_read
from registry.sectors.schemas import SectorCreate, SectorList, SectorRead

router = APIRouter(prefix="/v1/sectors", tags=["sectors"])


@router.get("", operation_id="sectors_list", summary="List sectors")
async def list_sectors(
    session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> SectorList:
    """The sector taxonomy of the value chain, with labels in Korean, Japanese and English."""
    return SectorList(items=[to_read(sector) for sector in await service.list_sectors(session)])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="sectors_create",
    summary="Add a sector",
    responses={409: {"description": "A sector with this code exists"}},
)
async def create_sector(
    body: SectorCreate,
    session: SessionDep,
    response: Response,
    _: Annotated[Principal, requires(Scope.ADMIN)],
) -> SectorRead:
    """Extend the taxonomy (platform admins only), e.g. for a hydrogen or future-manufacturing plaza."""
    created = await service.create_sector(session, body)
    response.headers["Location"] = f"/v1/sectors/{created.code}"
    return to_read(created)
