"""The API shape of sectors."""

from registry.sectors.models import Sector
from registry.sectors.schemas import SectorLabels, SectorRead


def to_read(sector: Sector) -> SectorRead:
    """The API shape of a sector."""
    return SectorRead(
        code=sector.code, label=SectorLabels(ko=sector.label_ko, ja=sector.label_ja, en=sector.label_en)
    )
