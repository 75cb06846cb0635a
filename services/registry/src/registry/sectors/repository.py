"""Queries on the sector taxonomy; no commits here (the request boundary commits)."""

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.sectors.models import Sector


async def in_display_order(session: AsyncSession) -> Sequence[Sector]:
    """Every sector, in display order."""
    return (await session.scalars(select(Sector).order_by(Sector.position, Sector.code))).all()


async def insert_new(session: AsyncSession, sector: Sector) -> Sector | None:
    """Store `sector` unless its code exists (ON CONFLICT DO NOTHING: no check-then-write); None if it did."""
    inserted = await session.scalar(
        insert(Sector)
        .values(
            code=sector.code,
            label_ko=sector.label_ko,
            label_ja=sector.label_ja,
            label_en=sector.label_en,
            position=sector.position,
        )
        .on_conflict_do_nothing()
        .returning(Sector.code)
    )
    return None if inserted is None else await session.get(Sector, inserted)


async def known_codes(session: AsyncSession, codes: Collection[str]) -> set[str]:
    """The codes among `codes` that name a sector."""
    return set(await session.scalars(select(Sector.code).where(Sector.code.in_(set(codes)))))
