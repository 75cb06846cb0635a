"""Maps a request (method, concrete path) to its OpenAPI operation id and path parameters.

Built from the merged OpenAPI document; used off the hot path (by the audit writer), so a document that
changes as services redeploy is simply re-read.
"""

import re
from dataclasses import dataclass
from typing import Any

_PARAMETER = re.compile(r"\{([^}/]+)\}")
_ID_SEGMENT = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+)$"
)
_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True, slots=True)
class Match:
    """The operation a request is for and the values of its path parameters (in template order)."""

    operation: str
    parameters: tuple[str, ...]


class OperationIndex:
    """Path templates of one document, compiled per method; literal segments win over parameters."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._routes: dict[str, list[tuple[int, re.Pattern[str], str]]] = {}
        for template, item in document.get("paths", {}).items():
            pattern = re.compile(
                "^"
                + _PARAMETER.sub("([^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
                + "$"
            )
            literal_weight = -len(_PARAMETER.findall(template))
            for method in _METHODS:
                operation = item.get(method)
                if operation is not None:
                    operation_id = operation.get("operationId") or f"{method.upper()} {template}"
                    self._routes.setdefault(method.upper(), []).append(
                        (literal_weight, pattern, operation_id)
                    )
        for routes in self._routes.values():
            routes.sort(key=lambda route: route[0], reverse=True)

    def match(self, method: str, path: str) -> Match | None:
        """The operation serving `method path`, if the document has one."""
        for _, pattern, operation_id in self._routes.get(method, ()):
            found = pattern.match(path)
            if found:
                return Match(operation_id, found.groups())
        return None


def fallback_operation(method: str, path: str) -> str:
    """`METHOD /route/{id}`: the route with id-like segments generalised, when no document matches."""
    segments = ["{id}" if _ID_SEGMENT.match(segment) else segment for segment in path.split("/")]
    return f"{method} {'/'.join(segments)}"
