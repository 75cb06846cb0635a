"""Wire shapes of activities."""

import uuid
from datetime import date
from typing import Annotated, Self

from pydantic import ConfigDict, Field, StrictBool, StringConstraints, model_validator

from investment.activities.models import ActivityKind
from plaza_contracts import NOT_NULL, ContractModel, InputModel, UtcDateTime

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class ActivityCreate(InputModel):
    """A note, call, e-mail, meeting or task on the lead's timeline (only a task has a due date)."""

    kind: ActivityKind
    subject: Subject = Field(description="In any language.")
    body: Body | None = None
    occurred_at: UtcDateTime | None = Field(default=None, description="When it happened; default now.")
    due_date: date | None = Field(default=None, description="Tasks only.")

    @model_validator(mode="after")
    def _task_fields(self) -> Self:
        if self.due_date is not None and self.kind != ActivityKind.TASK:
            raise ValueError("only a task has a due_date")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "task", "subject": "샘플 발송 / サンプル送付", "due_date": "2025-10-15"},
                {"kind": "call", "subject": "Price discussion", "body": "Asked for a 12-month volume."},
            ]
        }
    )


class ActivityUpdate(InputModel):
    """A JSON merge patch of an activity; `completed: true` completes a task, `false` reopens it."""

    subject: Annotated[Subject | None, NOT_NULL] = None
    body: Body | None = None
    occurred_at: Annotated[UtcDateTime | None, NOT_NULL] = None
    due_date: date | None = None
    completed: Annotated[StrictBool | None, NOT_NULL] = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"completed": True}]})


class ActivityRead(ContractModel):
    """An entry of a lead's timeline."""

    id: uuid.UUID
    lead_id: uuid.UUID
    kind: ActivityKind
    subject: str
    body: str | None
    occurred_at: UtcDateTime
    due_date: date | None
    completed_at: UtcDateTime | None
    overdue: bool = Field(description="An open task whose due date has passed.")
    created_by: str
    created_by_organisation_id: uuid.UUID | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
