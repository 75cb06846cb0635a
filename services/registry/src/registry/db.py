"""The registry's tables live in the `registry` schema, owned by the `plaza_registry` role."""

from sqlalchemy.orm import DeclarativeBase

from plaza_kit.db import schema_metadata
from plaza_kit.idempotency import IdempotencyStore, idempotency_table

SCHEMA = "registry"


class Base(DeclarativeBase):
    """Declarative base of every registry table."""

    metadata = schema_metadata(SCHEMA)


idempotency = IdempotencyStore(idempotency_table(Base.metadata))
