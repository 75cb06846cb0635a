"""Alembic environment of the investment service (its own schema and version table)."""

from investment.db import Base
from plaza_kit.migrations import run_env

run_env(Base.metadata)
