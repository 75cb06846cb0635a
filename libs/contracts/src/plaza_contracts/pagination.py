"""Cursor (keyset) pagination: the page shape and opaque, tamper-evident cursors.

A cursor carries the sort key of the last item of a page plus a fingerprint of the query it belongs to,
serialised as JSON, base64url-encoded and signed with HMAC-SHA256. Clients treat it as opaque; a cursor
that was altered, signed by another key, or presented with different filters is refused (400), never
silently reinterpreted.
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import Field

from plaza_contracts.base import ContractModel

DEFAULT_PAGE_LIMIT = 20
MAX_PAGE_LIMIT = 100
_SIGNATURE_BYTES = 16

ItemT = TypeVar("ItemT")


class Page(ContractModel, Generic[ItemT]):
    """One page of a collection, in a stable order."""

    items: list[ItemT] = Field(description="The items of this page.")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


class InvalidCursorError(ValueError):
    """A cursor that is malformed, forged, or belongs to a different query."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def query_fingerprint(filters: Mapping[str, Any]) -> str:
    """A short, stable digest of a query's filters, so a cursor cannot be replayed on another query."""
    canonical = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return _b64encode(hashlib.sha256(canonical.encode()).digest()[:8])


class CursorCodec:
    """Encodes and verifies signed keyset cursors."""

    def __init__(self, secret: str | bytes) -> None:
        self._key = secret.encode() if isinstance(secret, str) else secret
        if len(self._key) < 16:
            raise ValueError("the cursor secret must be at least 16 bytes")

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]

    def encode(self, key: Sequence[Any], filters: Mapping[str, Any]) -> str:
        """A cursor pointing after the row whose sort key is `key`, for the query with `filters`."""
        payload = json.dumps(
            {"k": list(key), "q": query_fingerprint(filters)}, default=str, separators=(",", ":")
        ).encode()
        return f"{_b64encode(payload)}.{_b64encode(self._sign(payload))}"

    def decode(self, cursor: str, filters: Mapping[str, Any]) -> list[Any]:
        """The sort key carried by `cursor`; raises InvalidCursorError when it cannot be trusted."""
        try:
            payload_text, signature_text = cursor.split(".", 1)
            payload = _b64decode(payload_text)
            signature = _b64decode(signature_text)
        except (ValueError, binascii.Error) as error:
            raise InvalidCursorError("the cursor is malformed") from error
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise InvalidCursorError("the cursor was not issued by this service or has been altered")
        try:
            body = json.loads(payload)
            key, fingerprint = body["k"], body["q"]
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidCursorError("the cursor is malformed") from error
        if fingerprint != query_fingerprint(filters) or not isinstance(key, list):
            raise InvalidCursorError("the cursor belongs to a different query (filters changed)")
        return key
