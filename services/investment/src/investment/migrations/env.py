"""Alembic environment of the investment service (its own schema and version table)."""

from investment import models  # noqa: F401  (registers every table on the metadata)
from investment.db import Base
from plaza_kit.migrations import run_env

run_env(Base.metadata)
