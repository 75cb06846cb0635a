"""baseline: the meetings schema starts empty; its domain tables arrive with the meetings issue

Revision ID: 7c3d9e0f1a02
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "7c3d9e0f1a02"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision marks the schema as managed, so readiness can check it is at head."""


def downgrade() -> None:
    """Nothing to undo."""
