"""The registry's tables live in the `registry` schema, owned by the `plaza_registry` role."""

from sqlalchemy.orm import DeclarativeBase

from plaza_kit.db import schema_metadata

SCHEMA = "registry"


class Base(DeclarativeBase):
    """Declarative base of every registry table."""

    metadata = schema_metadata(SCHEMA)
