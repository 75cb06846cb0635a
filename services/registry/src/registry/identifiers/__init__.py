"""Organisation identifiers: validation, canonical stored forms and display forms.

Pure functions, no I/O. Supported schemes: the Japanese corporate number (法人番号), the Korean business
registration number (사업자등록번호), the Korean corporate registration number (법인등록번호) and the LEI.
"""

from registry.identifiers.canonical import canonicalise, display_form
from registry.identifiers.check_digits import (
    iso7064_mod97_remainder,
    jp_corporate_number_check_digit,
    kr_brn_check_digit,
    kr_crn_check_digit,
    lei_check_digits,
)
from registry.identifiers.errors import InvalidIdentifierError
from registry.identifiers.schemes import SCHEME_DESCRIPTIONS, IdentifierScheme

__all__ = [
    "SCHEME_DESCRIPTIONS",
    "IdentifierScheme",
    "InvalidIdentifierError",
    "canonicalise",
    "display_form",
    "iso7064_mod97_remainder",
    "jp_corporate_number_check_digit",
    "kr_brn_check_digit",
    "kr_crn_check_digit",
    "lei_check_digits",
]
