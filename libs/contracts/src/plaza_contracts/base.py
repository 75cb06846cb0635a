"""Base classes for wire models.

Contracts read tolerantly and write strictly: models that describe what a service *returns* ignore unknown
fields (a provider may add one without breaking its consumers), while models that describe what a client
*sends* forbid them (a typo in a field name is an error, not a silently ignored value).
"""

import datetime
import functools
import re
import types
import typing
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic.types import StringConstraints


class ContractModel(BaseModel):
    """A shape a service returns or publishes; unknown fields are ignored when read."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def _max_length(annotation: Any) -> int | None:
    """The `maxLength` a string field documents, looked for through `Annotated` and `X | None`."""
    limits = []
    if typing.get_origin(annotation) is typing.Annotated:
        for item in typing.get_args(annotation)[1:]:
            if isinstance(item, StringConstraints | MaxLen) and item.max_length is not None:
                limits.append(item.max_length)
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        limits += [limit for arg in typing.get_args(annotation) if (limit := _max_length(arg)) is not None]
    return min(limits) if limits else None


class InputModel(BaseModel):
    """A shape a client sends; unknown fields are rejected.

    Strings are trimmed (`str_strip_whitespace`), but their documented `maxLength` holds for what was
    *sent*: a value longer than the limit is refused even when the excess is only whitespace, as the
    document says.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _sent_length(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and info.field_name is not None:
            limit = _field_limit(cls, info.field_name)
            if limit is not None and len(value) > limit:
                raise ValueError(f"at most {limit} characters")
        if info.field_name is not None and _is_date_field(cls, info.field_name):
            refuse_non_iso_date(value)
        return value


@functools.cache
def _field_limit(model: type[BaseModel], name: str) -> int | None:
    field = model.model_fields[name]
    limits = [item.max_length for item in field.metadata if isinstance(item, StringConstraints | MaxLen)]
    found = [limit for limit in limits if limit is not None]
    nested = _max_length(field.annotation)
    if nested is not None:
        found.append(nested)
    return min(found) if found else None


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def refuse_non_iso_date(value: Any) -> Any:
    """A date is sent as `YYYY-MM-DD`, as documented: pydantic alone would also read a number (or a string of
    digits) as Unix time."""
    if value is None or isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("send a date as YYYY-MM-DD")
    return value


@functools.cache
def _is_date_field(model: type[BaseModel], name: str) -> bool:
    """Whether the field holds a calendar date (`date` or `date | None`, not a datetime)."""
    annotation = model.model_fields[name].annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return datetime.date in typing.get_args(annotation)
    return annotation is datetime.date
