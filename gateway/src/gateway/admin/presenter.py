"""The API shapes of clients, keys and audit records."""

from datetime import UTC, datetime
from typing import cast

from gateway.admin.schemas import AuditRead, ClientRead, IssuedKey, KeyRead, KeyStatus
from gateway.models import ApiClient, ApiKey, AuditEvent, NewKey


def client_read(client: ApiClient) -> ClientRead:
    """The API shape of a client."""
    return ClientRead(
        id=client.id,
        name=client.name,
        organisation_id=client.organisation_id,
        scopes=sorted(client.scopes),
        rate_per_minute=client.rate_per_minute,
        burst=client.burst,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def key_read(key: ApiKey) -> KeyRead:
    """The API shape of a key (never the key itself)."""
    return KeyRead(
        id=key.id,
        client_id=key.client_id,
        prefix=key.prefix,
        status=cast(KeyStatus, key.status_at(datetime.now(UTC))),
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        replaced_by=key.replaced_by,
    )


def issued_key(new: NewKey) -> IssuedKey:
    """A key just issued, with its secret (this answer is the only place the secret appears)."""
    return IssuedKey(**key_read(new.key).model_dump(), key=new.secret)


def audit_read(event: AuditEvent) -> AuditRead:
    """The API shape of an audited write."""
    return AuditRead.model_validate(event, from_attributes=True)
