"""Company tables: one row per real organisation, with its identifiers, sectors and products.

`name_keys`, `search_document` and `search_grams` are derived from the names on every write (see
`registry.names` and `registry.companies.search`); they exist so PostgreSQL can find duplicates and answer
searches from GIN indexes.
"""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CHAR,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


ORGANISATION_KINDS = (CompanyKind.government_body, CompanyKind.association)


class CompanyStatus(enum.StrEnum):
    """Active records are listed and searched; archived ones only on request; merged ones redirect."""

    active = "active"
    archived = "archived"
    merged = "merged"


class SizeBand(enum.StrEnum):
    """Headcount band (employees): micro 1–9, small 10–49, medium 50–249, large 250–999, very_large 1000+."""

    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"
    very_large = "very_large"


def _string_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    return Enum(
        enum_class, name=name, native_enum=False, length=32, validate_strings=True, create_constraint=True
    )


class Company(Base):
    """A company or other body; names in ko/ja/en (at least one), plus kana reading and romanisation."""

    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint("coalesce(name_ko, name_ja, name_en) IS NOT NULL", name="has_name"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_code"),
        CheckConstraint("founded_year BETWEEN 1000 AND 2200", name="founded_year_range"),
        CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_survivor"),
        CheckConstraint("merged_into_id <> id", name="not_merged_into_itself"),
        Index(None, "country", "id"),
        Index("ix_company_name_keys", "name_keys", postgresql_using="gin"),
        Index("ix_company_search_grams", "search_grams", postgresql_using="gin"),
        Index(
            "ix_company_search_document_trgm",
            "search_document",
            postgresql_using="gin",
            postgresql_ops={"search_document": "gin_trgm_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[CompanyKind] = mapped_column(_string_enum(CompanyKind, "company_kind"))
    status: Mapped[CompanyStatus] = mapped_column(
        _string_enum(CompanyStatus, "company_status"), default=CompanyStatus.active, index=True
    )
    name_ko: Mapped[str | None] = mapped_column(String(500))
    name_ja: Mapped[str | None] = mapped_column(String(500))
    name_en: Mapped[str | None] = mapped_column(String(500))
    name_ja_kana: Mapped[str | None] = mapped_column(String(500))
    name_latin: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(CHAR(2))
    region: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(1000))
    website: Mapped[str | None] = mapped_column(String(2048))
    size_band: Mapped[SizeBand | None] = mapped_column(_string_enum(SizeBand, "size_band"))
    founded_year: Mapped[int | None] = mapped_column(SmallInteger)
    description_ko: Mapped[str | None] = mapped_column(Text)
    description_ja: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("company.id"), index=True)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("company.id"), index=True)
    owner_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        doc="The partner organisation that registered the record and may change it."
    )
    name_keys: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    search_document: Mapped[str] = mapped_column(Text, default="")
    search_grams: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    identifier_rows: Mapped[list["CompanyIdentifier"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CompanyIdentifier.scheme"
    )
    sector_rows: Mapped[list["CompanySector"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CompanySector.sector_code"
    )
    product_rows: Mapped[list["CompanyProduct"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CompanyProduct.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as declared)


class CompanyIdentifier(Base):
    """An official identifier of a company; one value per scheme per company, unique across the registry."""

    __tablename__ = "company_identifier"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    scheme: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(40))


class CompanySector(Base):
    """A sector of the value chain a company works in."""

    __tablename__ = "company_sector"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    sector_code: Mapped[str] = mapped_column(ForeignKey("sector.code"), primary_key=True, index=True)


class CompanyProduct(Base):
    """A product a company makes or sells, with its HS code (digits only, 4 to 10)."""

    __tablename__ = "company_product"
    __table_args__ = (
        CheckConstraint("hs_code ~ '^[0-9]{4}([0-9]{2}){0,3}$'", name="hs_code_digits"),
        CheckConstraint("coalesce(name_ko, name_ja, name_en) IS NOT NULL", name="has_name"),
        Index("ix_company_product_hs_code", "hs_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    name_ko: Mapped[str | None] = mapped_column(String(500))
    name_ja: Mapped[str | None] = mapped_column(String(500))
    name_en: Mapped[str | None] = mapped_column(String(500))
    hs_code: Mapped[str] = mapped_column(String(10))
