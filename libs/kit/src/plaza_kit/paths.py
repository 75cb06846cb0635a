"""Path parameters that hold a record's id, kept apart from the fixed paths beside them.

`/v1/companies/{company_id}` also matches `/v1/companies/import`, so `PUT /v1/companies/import` reached the
company routes and answered 422 (an invalid id) instead of 405 with `Allow: POST`. A parameter declared
with `record_id("company_id")` (`{company_id:record_id}`) matches any segment except a bare lowercase word
or words joined by hyphens: the fixed paths of the API (`import`, `lookup`, `from-meeting`) are such words,
ids never are (a UUID always holds its version digit). A malformed id
still reaches its route and is a 422 naming the parameter; FastAPI documents the path unchanged
(`/v1/companies/{company_id}`).
"""

from starlette.convertors import Convertor, register_url_convertor

RECORD_ID = "record_id"


class RecordIdConvertor(Convertor[str]):
    """A path segment that is not a bare lowercase word; the value is left to the route to validate."""

    regex = r"(?![a-z]+(?:-[a-z]+)*(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor(RECORD_ID, RecordIdConvertor())


def record_id(name: str) -> str:
    """The path template of parameter `name` holding a record id (registers the convertor first)."""
    return f"{{{name}:{RECORD_ID}}}"
