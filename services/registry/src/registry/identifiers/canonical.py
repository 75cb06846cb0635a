"""Turning typed identifiers into the canonical stored form, and canonical forms into display forms."""

import string
from collections.abc import Callable
from dataclasses import dataclass

from registry.identifiers.check_digits import (
    jp_corporate_number_check_digit,
    kr_brn_check_digit,
    kr_crn_check_digit,
    lei_check_digits,
)
from registry.identifiers.errors import InvalidIdentifierError
from registry.identifiers.formatting import strip_formatting
from registry.identifiers.schemes import IdentifierScheme

_DIGITS = frozenset(string.digits)
# ASCII only: str.isalnum() would also admit e.g. Arabic-Indic digits, and str.upper() would turn "ß" into
# "SS", so the character check must come before upper-casing and must not rely on Unicode categories.
_ALPHANUMERICS = frozenset(string.digits + string.ascii_letters)

_LEI_LENGTH = 20
_LEI_BODY_LENGTH = 18


@dataclass(frozen=True, slots=True)
class _NumericScheme:
    """A digits-only scheme with a single check digit at one end."""

    length: int
    check_digit_first: bool
    check_digit: Callable[[str], int]
    display_groups: tuple[int, ...]

    def split(self, digits: str) -> tuple[str, int]:
        """(the digits the check digit is computed over, the given check digit)."""
        if self.check_digit_first:
            return digits[1:], int(digits[0])
        return digits[:-1], int(digits[-1])

    @property
    def check_digit_position(self) -> str:
        return "first digit" if self.check_digit_first else "last digit"


_NUMERIC_SCHEMES: dict[IdentifierScheme, _NumericScheme] = {
    IdentifierScheme.JP_CORPORATE_NUMBER: _NumericScheme(
        length=13, check_digit_first=True, check_digit=jp_corporate_number_check_digit, display_groups=(13,)
    ),
    IdentifierScheme.KR_BUSINESS_REGISTRATION_NUMBER: _NumericScheme(
        length=10, check_digit_first=False, check_digit=kr_brn_check_digit, display_groups=(3, 2, 5)
    ),
    IdentifierScheme.KR_CORPORATE_REGISTRATION_NUMBER: _NumericScheme(
        length=13, check_digit_first=False, check_digit=kr_crn_check_digit, display_groups=(6, 7)
    ),
}


def canonicalise(scheme: IdentifierScheme, raw: str) -> str:
    """Accept common formatting, return the canonical stored form, or raise InvalidIdentifierError.

    Accepted formatting: anything NFKC folds to ASCII (full-width digits, letters and hyphens), whitespace,
    hyphens and dashes, dots, and ー between two digits or letters. Canonical forms are digits only for the
    numeric schemes and 20 upper-case letters and digits for LEI.
    """
    compact = strip_formatting(raw)
    if not compact:
        reason = "is empty" if not raw.strip() else "contains only separators (spaces, hyphens or dots)"
        raise InvalidIdentifierError(scheme, reason)
    if scheme is IdentifierScheme.LEI:
        return _canonical_lei(compact)
    return _canonical_numeric(scheme, _NUMERIC_SCHEMES[scheme], compact)


def display_form(scheme: IdentifierScheme, canonical: str) -> str:
    """The conventional human formatting: BRN 124-81-00998, CRN 130111-0006246, the others unchanged.

    Only canonical input is accepted, so that un-normalised data reaching a display path is noticed rather
    than formatted.
    """
    expected = canonicalise(scheme, canonical)
    if expected != canonical:
        raise InvalidIdentifierError(scheme, f"is not in canonical form (which is {expected!r})")
    if scheme is IdentifierScheme.LEI:
        return canonical
    return _group(canonical, _NUMERIC_SCHEMES[scheme].display_groups)


def _canonical_numeric(scheme: IdentifierScheme, rules: _NumericScheme, compact: str) -> str:
    _require_characters(scheme, compact, _DIGITS, "a digit")
    if len(compact) != rules.length:
        raise InvalidIdentifierError(scheme, f"must have {rules.length} digits, got {len(compact)}")
    body, given = rules.split(compact)
    expected = rules.check_digit(body)
    if given != expected:
        raise InvalidIdentifierError(
            scheme,
            f"wrong check digit ({rules.check_digit_position}): expected {expected}, given {given}",
        )
    return compact


def _canonical_lei(compact: str) -> str:
    scheme = IdentifierScheme.LEI
    _require_characters(scheme, compact, _ALPHANUMERICS, "a Latin letter or digit")
    if len(compact) != _LEI_LENGTH:
        raise InvalidIdentifierError(scheme, f"must have {_LEI_LENGTH} characters, got {len(compact)}")
    lei = compact.upper()
    body, given = lei[:_LEI_BODY_LENGTH], lei[_LEI_BODY_LENGTH:]
    # The bare "number mod 97 == 1" test would accept letters here (e.g. "...X36L" for GLEIF's own
    # ...X363), so the check digits are required to be digits, as ISO 17442 says.
    if not set(given) <= _DIGITS:
        raise InvalidIdentifierError(
            scheme, f"check digits (last two characters) must be digits, got {given!r}"
        )
    # Comparing with the computed digits rather than testing mod 97 == 1 also rejects "99" where "02" is due;
    # both pass the bare modulus test, but ISO 7064 only ever produces 02..98.
    expected = lei_check_digits(body)
    if given != expected:
        raise InvalidIdentifierError(
            scheme, f"wrong check digits (last two characters): expected {expected}, given {given}"
        )
    return lei


def _require_characters(scheme: IdentifierScheme, compact: str, allowed: frozenset[str], kind: str) -> None:
    for character in compact:
        if character not in allowed:
            raise InvalidIdentifierError(
                scheme, f"contains {character!r} (U+{ord(character):04X}), which is not {kind}"
            )


def _group(digits: str, sizes: tuple[int, ...]) -> str:
    groups: list[str] = []
    start = 0
    for size in sizes:
        groups.append(digits[start : start + size])
        start += size
    return "-".join(groups)
