"""Shares: a lead made visible to another partner organisation, for reading or editing."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from investment.db import Base


class LeadShare(Base):
    """One organisation's access to one lead; revoking deletes the row."""

    __tablename__ = "lead_share"
    __table_args__ = (
        CheckConstraint("access IN ('read', 'edit')", name="access_known"),
        Index("ix_lead_share_organisation_id", "organisation_id", "lead_id"),
    )

    lead_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investment.lead.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    access: Mapped[str] = mapped_column(String(10))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    granted_by: Mapped[str] = mapped_column(String(200))
