"""Alembic environment of the meetings service (its own schema and version table)."""

from meetings import models  # noqa: F401  (registers every table on the metadata)
from meetings.db import Base
from plaza_kit.migrations import run_env

run_env(Base.metadata)
