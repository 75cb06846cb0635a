"""Wire shapes of the sector taxonomy."""

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from plaza_contracts import ContractModel, InputModel

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class SectorLabels(InputModel):
    """A sector's label in all three languages."""

    ko: Label
    ja: Label
    en: Label


class SectorCreate(InputModel):
    """A new sector of the taxonomy."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$", description="Stable code, lower-case snake case.")
    label: SectorLabels
    position: int = Field(default=1000, ge=0, le=32767, description="Sort position in listings.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "hydrogen_storage",
                    "label": {"ko": "수소 저장", "ja": "水素貯蔵", "en": "Hydrogen storage"},
                }
            ]
        }
    )


class SectorRead(ContractModel):
    """A sector with its labels."""

    code: str
    label: SectorLabels


class SectorList(ContractModel):
    """The whole taxonomy (it is small), in display order."""

    items: list[SectorRead]
