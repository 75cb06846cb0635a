"""Sector taxonomy use cases."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import FieldError
from plaza_kit.errors import ConflictError, UnprocessableError
from registry.sectors.models import Sector
from registry.sectors.schemas import SectorCreate, SectorLabels, SectorRead


def to_read(sector: Sector) -> SectorRead:
    """The API shape of a sector."""
    return SectorRead(
        code=sector.code, label=SectorLabels(ko=sector.label_ko, ja=sector.label_ja, en=sector.label_en)
    )


async def list_sectors(session: AsyncSession) -> list[SectorRead]:
    """Every sector in display order."""
    rows = await session.scalars(select(Sector).order_by(Sector.position, Sector.code))
    return [to_read(sector) for sector in rows]


async def create_sector(session: AsyncSession, data: SectorCreate) -> SectorRead:
    """Add a sector; an existing code is a 409."""
    inserted = await session.scalar(
        insert(Sector)
        .values(
            code=data.code,
            label_ko=data.label.ko,
            label_ja=data.label.ja,
            label_en=data.label.en,
            position=data.position,
        )
        .on_conflict_do_nothing()
        .returning(Sector.code)
    )
    if inserted is None:
        raise ConflictError(f"the sector {data.code} already exists")
    sector = await session.get(Sector, data.code)
    assert sector is not None
    return to_read(sector)


async def ensure_sectors_exist(
    session: AsyncSession, codes: Sequence[str], pointer: str = "/sectors"
) -> None:
    """422 naming each unknown sector code."""
    if not codes:
        return
    known = set(await session.scalars(select(Sector.code).where(Sector.code.in_(set(codes)))))
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
