"""Field types of company shapes: identifiers with check digits, HS codes, kana readings, websites, years."""

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from registry.identifiers import IdentifierScheme, InvalidIdentifierError, canonicalise

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
RegionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
AddressText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]

_KANA = re.compile(r"^[\u3040-\u30ff\uff66-\uff9f\s・ー\-]+$")
_HS_CODE = re.compile(r"^[0-9]{4}([0-9]{2}){0,3}$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _identifier(scheme: IdentifierScheme) -> AfterValidator:
    def validate(raw: str) -> str:
        try:
            return canonicalise(scheme, raw)
        except InvalidIdentifierError as error:
            raise ValueError(f"{scheme.value}: {error.reason}") from error

    return AfterValidator(validate)


def _kana(value: str) -> str:
    if not _KANA.match(value):
        raise ValueError("a reading is written in kana (hiragana or katakana) only")
    return value


def canonical_hs_code(value: str) -> str:
    """'8507.60' → '850760': digits only, 4, 6, 8 or 10 of them."""
    digits = re.sub(r"[.\s]", "", value)
    if not _HS_CODE.match(digits):
        raise ValueError("an HS code has 4, 6, 8 or 10 digits, optionally dotted (e.g. 8507.60)")
    return digits


def display_hs_code(digits: str) -> str:
    """'850760' → '8507.60' (heading, then subheading and national digits in pairs)."""
    return digits[:4] + ("." + digits[4:] if len(digits) > 4 else "")


def _website(value: str) -> str:
    if not _WEBSITE.match(value):
        raise ValueError("a website is an http(s) URL")
    return value


def _not_in_future(year: int) -> int:
    if year > datetime.now(UTC).year:
        raise ValueError("the founding year cannot be in the future")
    return year


KanaReading = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_kana),
    Field(description="Japanese reading of the name, in kana.", examples=["トヨタジドウシャ"]),
]
HsCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=4, max_length=13),
    AfterValidator(canonical_hs_code),
    Field(description="Harmonized System code: 4–10 digits, dotted after the heading.", examples=["8507.60"]),
]
Website = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2048),
    AfterValidator(_website),
    Field(examples=["https://www.example.co.jp"]),
]
FoundedYear = Annotated[int, Field(ge=1000, le=2200), AfterValidator(_not_in_future)]

JpCorporateNumber = Annotated[
    str,
    StringConstraints(max_length=40),
    _identifier(IdentifierScheme.JP_CORPORATE_NUMBER),
    Field(description="Japan corporate number (法人番号), 13 digits.", examples=["1180301018771"]),
]
KrBusinessRegistrationNumber = Annotated[
    str,
    StringConstraints(max_length=40),
    _identifier(IdentifierScheme.KR_BUSINESS_REGISTRATION_NUMBER),
    Field(
        description="Korea business registration number (사업자등록번호), 10 digits.", examples=["1248100998"]
    ),
]
KrCorporateRegistrationNumber = Annotated[
    str,
    StringConstraints(max_length=40),
    _identifier(IdentifierScheme.KR_CORPORATE_REGISTRATION_NUMBER),
    Field(
        description="Korea corporate registration number (법인등록번호), 13 digits.",
        examples=["1301110006246"],
    ),
]
LegalEntityIdentifier = Annotated[
    str,
    StringConstraints(max_length=40),
    _identifier(IdentifierScheme.LEI),
    Field(
        description="Legal Entity Identifier (ISO 17442), 20 characters.", examples=["506700GE1G29325QX363"]
    ),
]
