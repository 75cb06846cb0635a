"""The company table: one row per real organisation (company, start-up, university, institute, …)."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CHAR, CheckConstraint, DateTime, Enum, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from plaza_contracts import uuid7
from registry.db import Base


class CompanyKind(enum.StrEnum):
    """What kind of body a registry entry is."""

    company = "company"
    startup = "startup"
    university = "university"
    research_institute = "research_institute"
    government_body = "government_body"
    association = "association"


class Company(Base):
    """A company or other body; names in ko/ja/en, at least one."""

    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint("coalesce(name_ko, name_ja, name_en) IS NOT NULL", name="has_name"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_code"),
        Index(None, "country", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[CompanyKind] = mapped_column(
        Enum(
            CompanyKind,
            name="company_kind",
            native_enum=False,
            length=32,
            validate_strings=True,
            create_constraint=True,
        ),
        default=CompanyKind.company,
    )
    name_ko: Mapped[str | None] = mapped_column(String(500))
    name_ja: Mapped[str | None] = mapped_column(String(500))
    name_en: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(CHAR(2))
    owner_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        doc="The partner organisation that registered the record and may change it."
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as declared)
