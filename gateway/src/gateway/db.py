"""The gateway's tables live in the `gateway` schema, owned by the `plaza_gateway` role."""

from sqlalchemy.orm import DeclarativeBase

from plaza_kit.db import schema_metadata

SCHEMA = "gateway"


class Base(DeclarativeBase):
    """Declarative base of every gateway table."""

    metadata = schema_metadata(SCHEMA)
