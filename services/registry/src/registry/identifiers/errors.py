"""The one error raised for an identifier that cannot be accepted."""

from registry.identifiers.schemes import IdentifierScheme


class InvalidIdentifierError(ValueError):
    """An identifier is not valid for its scheme; `reason` says why, in English, for the API client.

    A `ValueError` so that pydantic validators can raise it directly and have it reported as a 422.
    """

    scheme: IdentifierScheme
    reason: str

    def __init__(self, scheme: IdentifierScheme, reason: str) -> None:
        # Both go into args so the default pickling (cls(*args)) rebuilds the error faithfully.
        super().__init__(scheme, reason)
        self.scheme = scheme
        self.reason = reason

    def __str__(self) -> str:
        return f"invalid {self.scheme.value}: {self.reason}"
