"""Alembic environment of the gateway (its own schema and version table)."""

from gateway import models  # noqa: F401  (registers every table on the metadata)
from gateway.db import Base
from plaza_kit.migrations import run_env

run_env(Base.metadata)
