"""Sector taxonomy use cases."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import FieldError
from plaza_kit.errors import ConflictError, UnprocessableError
from registry.sectors import repository
from registry.sectors.models import Sector
from registry.sectors.schemas import SectorCreate


async def list_sectors(session: AsyncSession) -> Sequence[Sector]:
    """Every sector in display order."""
    return await repository.in_display_order(session)


async def create_sector(session: AsyncSession, data: SectorCreate) -> Sector:
    """Add a sector; an existing code is a 409."""
    sector = Sector(
        code=data.code,
        label_ko=data.label.ko,
        label_ja=data.label.ja,
        label_en=data.label.en,
        position=data.position,
    )
    stored = await repository.insert_new(session, sector)
    if stored is None:
        raise ConflictError(f"the sector {data.code} already exists")
    return stored


async def ensure_sectors_exist(
    session: AsyncSession, codes: Sequence[str], pointer: str = "/sectors"
) -> None:
    """422 naming each unknown sector code."""
    if not codes:
        return
    known = await repository.known_codes(session, codes)
    unknown = [
        FieldError(
            pointer=f"{pointer}/{index}",
            location="body",
            code="unknown_sector",
            message=f"no sector {code!r}",
        )
        for index, code in enumerate(codes)
        if code not in known
    ]
    if unknown:
        raise UnprocessableError("unknown sector codes; see GET /v1/sectors", errors=unknown)
