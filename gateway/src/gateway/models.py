"""The gateway's tables: partner clients, their API keys (hashes only) and the audit trail of writes."""

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from plaza_contracts import uuid7


class ApiClient(Base):
    """A partner system (or an operator's tool) that calls the API for one organisation."""

    __tablename__ = "api_client"
    __table_args__ = (
        CheckConstraint("rate_per_minute > 0", name="rate_positive"),
        CheckConstraint("burst > 0", name="burst_positive"),
        Index(None, "name", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        doc="The organisation the client acts for (registry id); None for platform operators."
    )
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    rate_per_minute: Mapped[int] = mapped_column(Integer)
    burst: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ApiKey(Base):
    """One API key of a client: only its SHA-256 is stored; the key itself is shown once, at issue."""

    __tablename__ = "api_key"
    __table_args__ = (
        Index(None, "secret_hash", unique=True),
        Index(None, "client_id", "id"),
        CheckConstraint("octet_length(secret_hash) = 32", name="hash_length"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_client.id", ondelete="CASCADE"))
    prefix: Mapped[str] = mapped_column(String(16), doc="The key's first characters, to recognise it.")
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(doc="The key that replaced this one at rotation.")

    def status_at(self, now: datetime) -> str:
        """`active`, `expiring` (valid until `expires_at`), `expired` or `revoked` at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is None:
            return "active"
        return "expiring" if self.expires_at > now else "expired"


class NewKey(NamedTuple):
    """A key just issued, with its secret: the only moment the secret exists outside the client."""

    key: ApiKey
    secret: str


class AuditEvent(Base):
    """One write through the gateway: who, for which organisation, what, on what, with which outcome."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "client_id", "id"),
        Index(None, "organisation_id", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client_id: Mapped[uuid.UUID]
    organisation_id: Mapped[uuid.UUID | None]
    request_id: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(10))
    operation: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(SmallInteger)
