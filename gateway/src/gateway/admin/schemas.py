"""Wire shapes of the admin API: clients, keys and audit entries."""

import uuid
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from plaza_contracts import ContractModel, InputModel, UtcDateTime
from plaza_kit.scopes import Scope

ClientName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _json_integer(value: Any) -> Any:
    """Refuse what JSON Schema's `integer` refuses but Pydantic's lax `int` takes: `true`/`false` and
    numeric strings. (`60.0` is an integer to JSON Schema, and stays accepted.)"""
    if isinstance(value, bool | str):
        raise ValueError("Input should be a JSON integer")
    return value


def _timestamp_text(value: Any) -> Any:
    """Refuse numbers for a timestamp: the document says an RFC 3339 string, Pydantic would take epoch
    seconds (`0` became 1970-01-01)."""
    if value is not None and not isinstance(value, str):
        raise ValueError("Input should be an RFC 3339 timestamp string")
    return value


JSON_INTEGER = BeforeValidator(_json_integer)
RatePerMinute = Annotated[
    int, Field(ge=1, le=1_000_000, description="Sustained requests per minute."), JSON_INTEGER
]
Burst = Annotated[
    int, Field(ge=1, le=100_000, description="Requests allowed at once (bucket size)."), JSON_INTEGER
]
_EXAMPLE_ORG = "01995a1e-ec00-7000-8000-00000000000a"


class ClientCreate(InputModel):
    """A new partner client."""

    name: ClientName = Field(description="Unique, human-readable name of the client.")
    organisation_id: uuid.UUID | None = Field(
        default=None, description="Registry id of the organisation the client acts for; none for operators."
    )
    scopes: list[Scope] = Field(min_length=1, description="What the client may do.")
    rate_per_minute: RatePerMinute | None = Field(default=None, description="Default: the gateway's.")
    burst: Burst | None = Field(default=None, description="Default: the gateway's.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "kotra-crm",
                    "organisation_id": _EXAMPLE_ORG,
                    "scopes": ["registry:read", "registry:write"],
                    "rate_per_minute": 600,
                    "burst": 100,
                }
            ]
        }
    )


class ClientUpdate(InputModel):
    """Changes to a client; absent (or `null`) fields stay. Takes effect at once on every gateway replica."""

    scopes: list[Scope] | None = Field(
        default=None, min_length=1, description="Replaces the scopes; `null`: unchanged."
    )
    rate_per_minute: RatePerMinute | None = Field(
        default=None, description="Sustained requests per minute; `null`: unchanged."
    )
    burst: Burst | None = Field(
        default=None, description="Requests allowed at once (bucket size); `null`: unchanged."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"rate_per_minute": 1200, "burst": 200}]})


class ClientRead(ContractModel):
    """A partner client."""

    id: uuid.UUID = Field(description="Client id; also the OAuth `client_id`.")
    name: str
    organisation_id: uuid.UUID | None
    scopes: list[str]
    rate_per_minute: int
    burst: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


KeyStatus = Literal["active", "expiring", "expired", "revoked"]


class KeyRead(ContractModel):
    """An API key as stored: never the key itself, only its first characters."""

    id: uuid.UUID
    client_id: uuid.UUID
    prefix: str = Field(description="The key's first characters, to recognise it.", examples=["plz_Ab12Cd34"])
    status: KeyStatus = Field(
        description="`expiring`: valid until `expires_at` (e.g. replaced by rotation, in its grace period)."
    )
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    replaced_by: uuid.UUID | None = Field(description="The key that replaced this one at rotation.")


class IssuedKey(KeyRead):
    """A key just issued: `key` is shown this once and cannot be retrieved again."""

    key: str = Field(
        description="The API key (send as `X-API-Key`, or as the OAuth `client_secret`).",
        examples=["plz_4f0c2yJ5Wq1pX8nV3bT7sK9mD2hL6aZ0eR5uG1cY8iQ"],
    )


class KeyIssue(InputModel):
    """Options of a new key."""

    expires_at: Annotated[UtcDateTime | None, BeforeValidator(_timestamp_text)] = Field(
        default=None, description="When the key stops working; none: never."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"expires_at": "2027-09-18T00:00:00Z"}]})


class KeyRotate(InputModel):
    """Rotation: a new key is issued and the old one keeps working for `grace_seconds`."""

    grace_seconds: Annotated[int, JSON_INTEGER] = Field(
        default=86_400,
        ge=0,
        le=30 * 86_400,
        description="How long the old key stays valid, in seconds (0: ends now).",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"grace_seconds": 3600}]})


class AuditRead(ContractModel):
    """One write that went through the gateway."""

    id: uuid.UUID
    occurred_at: UtcDateTime
    client_id: uuid.UUID
    organisation_id: uuid.UUID | None
    request_id: str
    method: str
    operation: str = Field(description="The operation id, or `METHOD /route/{id}` when none is known.")
    target_id: str | None = Field(description="The id of the record written, when there is one.")
    status: int
