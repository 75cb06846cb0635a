"""Alembic environment of the registry (its own schema and version table)."""

from plaza_kit.migrations import run_env
from registry import models  # noqa: F401  (registers every table on the metadata)
from registry.db import Base

run_env(Base.metadata)
