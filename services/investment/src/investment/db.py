"""The investment service's tables live in the `investment` schema, owned by the `plaza_investment` role."""

from sqlalchemy.orm import DeclarativeBase

from plaza_kit.db import schema_metadata
from plaza_kit.idempotency import IdempotencyStore, idempotency_table

SCHEMA = "investment"


class Base(DeclarativeBase):
    """Declarative base of every investment table."""

    metadata = schema_metadata(SCHEMA)


idempotency = IdempotencyStore(idempotency_table(Base.metadata))
