"""Wire shapes of pipelines."""

from pydantic import Field

from investment.pipelines.stages import DealType
from plaza_contracts import ContractModel


class StageRead(ContractModel):
    """One stage of a pipeline."""

    code: str = Field(examples=["negotiating"])
    name: str = Field(examples=["Negotiating"])
    position: int = Field(description="Order in the pipeline, from 1.")
    default_probability: int = Field(description="Per cent; the weighted value's default at this stage.")
    signed: bool = Field(description="Entering this stage needs a signing date and a signed value.")


class PipelineRead(ContractModel):
    """A pipeline: the ordered stages of some deal types."""

    code: str = Field(examples=["trade"])
    name: str = Field(examples=["Trade"])
    deal_types: list[DealType]
    stages: list[StageRead]


class PipelineList(ContractModel):
    """Every pipeline."""

    items: list[PipelineRead]
