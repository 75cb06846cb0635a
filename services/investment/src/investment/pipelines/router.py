"""HTTP routes of pipelines: `/v1/pipelines` (fixed definitions, the same for everyone)."""

from typing import Annotated, Any

from fastapi import APIRouter

from investment.pipelines import presenter
from investment.pipelines.schemas import PipelineList, PipelineRead
from investment.pipelines.stages import pipeline_named
from plaza_kit.auth import requires
from plaza_kit.errors import NotFoundError
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/pipelines", tags=["pipelines"])
Reader = Annotated[Principal, requires(Scope.INVESTMENT_READ)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such pipeline"}}


@router.get("", operation_id="pipelines_list", summary="List the pipelines")
async def list_pipelines(principal: Reader) -> PipelineList:
    """The pipelines (trade, joint development, equity/FDI), the deal types each serves, and their stages in
    order with the default probability of each."""
    return presenter.all_pipelines()


@router.get("/{code}", operation_id="pipelines_get", summary="Get a pipeline", responses=NOT_FOUND)
async def get_pipeline(code: str, principal: Reader) -> PipelineRead:
    """One pipeline by its code (`trade`, `joint_development`, `equity`)."""
    try:
        return presenter.to_read(pipeline_named(code))
    except KeyError:
        raise NotFoundError(f"no pipeline {code!r}") from None
