"""The sector taxonomy of the value chain (batteries first; extendable to hydrogen and other sectors)."""

from sqlalchemy import CheckConstraint, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class Sector(Base):
    """One sector with its labels in Korean, Japanese and English."""

    __tablename__ = "sector"
    __table_args__ = (CheckConstraint("code ~ '^[a-z][a-z0-9_]{1,39}$'", name="code_format"),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_ko: Mapped[str] = mapped_column(String(200))
    label_ja: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(SmallInteger, default=1000)
