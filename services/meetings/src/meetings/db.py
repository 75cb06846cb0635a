"""The meetings service's tables live in the `meetings` schema, owned by the `plaza_meetings` role."""

from sqlalchemy.orm import DeclarativeBase

from plaza_kit.db import schema_metadata
from plaza_kit.idempotency import IdempotencyStore, idempotency_table

SCHEMA = "meetings"


class Base(DeclarativeBase):
    """Declarative base of every meetings table."""

    metadata = schema_metadata(SCHEMA)


idempotency = IdempotencyStore(idempotency_table(Base.metadata))
