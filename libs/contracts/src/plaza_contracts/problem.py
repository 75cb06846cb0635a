"""RFC 9457 problem details: the one error body of every Plaza service and the gateway."""

from typing import Any

from pydantic import Field

from plaza_contracts.base import ContractModel

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/problems/"  # relative URI reference; the gateway documents each type there


def problem_type(slug: str) -> str:
    """The `type` URI of a problem, from its short slug (e.g. ``not-found``)."""
    return PROBLEM_TYPE_BASE + slug


class FieldError(ContractModel):
    """One field-level validation problem."""

    pointer: str = Field(
        description="JSON Pointer (RFC 6901) to the offending field in the request.", examples=["/name/en"]
    )
    location: str = Field(description="Where the field is: body, query, path or header.", examples=["body"])
    code: str = Field(description="Machine-readable reason.", examples=["missing"])
    message: str = Field(description="Human-readable reason.", examples=["Field required"])


class Problem(ContractModel):
    """An error, as `application/problem+json` (RFC 9457)."""

    type: str = Field(
        default="about:blank",
        description="URI identifying the problem type.",
        examples=[problem_type("not-found")],
    )
    title: str = Field(
        description="Short, human-readable summary of the problem type.", examples=["Not found"]
    )
    status: int = Field(ge=400, le=599, description="The HTTP status code.", examples=[404])
    detail: str | None = Field(default=None, description="Explanation specific to this occurrence.")
    instance: str | None = Field(
        default=None, description="URI reference of this occurrence (the request path)."
    )
    request_id: str | None = Field(default=None, description="The request id (also in `X-Request-ID`).")
    errors: list[FieldError] | None = Field(default=None, description="Field-level validation problems.")

    def to_body(self) -> dict[str, Any]:
        """The JSON body, without the members that are not set."""
        return self.model_dump(mode="json", exclude_none=True)
