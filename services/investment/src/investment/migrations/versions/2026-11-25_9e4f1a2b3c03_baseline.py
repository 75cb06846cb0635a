"""baseline: the investment schema starts empty; its domain tables arrive with the investment issue

Revision ID: 9e4f1a2b3c03
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "9e4f1a2b3c03"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision marks the schema as managed, so readiness can check it is at head."""


def downgrade() -> None:
    """Nothing to undo."""
