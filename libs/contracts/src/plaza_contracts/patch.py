"""Merge-patch helpers for input shapes (RFC 7396)."""

from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class _NotNull:
    """Marks a merge-patch field that may be left out (no change) but not sent as `null`.

    RFC 7396 reads `null` as "remove", which a required value (a kind, a country, the list of sectors)
    cannot be: `Annotated[X | None, NOT_NULL] = None` refuses an explicit `null` with a 422 naming the field
    (a default is never validated, so leaving the field out still works) and documents the field as `X`,
    not nullable, so the document says what the validation does.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_refuse_null, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        documented = handler(schema)
        branches = documented.pop("anyOf", None)
        if branches is not None:
            kept = [branch for branch in branches if branch != {"type": "null"}]
            if len(kept) == 1:
                documented.update(kept[0])
            else:
                documented["anyOf"] = kept
        return documented


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "cannot be null; leave the field out to keep its value")
    return value


NOT_NULL = _NotNull()
