"""The API shape of pipelines."""

from investment.pipelines.schemas import PipelineList, PipelineRead, StageRead
from investment.pipelines.stages import PIPELINES, Pipeline


def to_read(pipeline: Pipeline) -> PipelineRead:
    """A pipeline with its stages in order."""
    return PipelineRead(
        code=pipeline.code,
        name=pipeline.name,
        deal_types=list(pipeline.deal_types),
        stages=[
            StageRead(
                code=stage.code,
                name=stage.name,
                position=position,
                default_probability=stage.default_probability,
                signed=stage.signed,
            )
            for position, stage in enumerate(pipeline.stages, start=1)
        ],
    )


def all_pipelines() -> PipelineList:
    """Every pipeline, trade first."""
    return PipelineList(items=[to_read(pipeline) for pipeline in PIPELINES])
