"""Check-digit arithmetic of each scheme, on already clean ASCII input.

These are exposed so that callers (and tests) can build valid numbers from arbitrary bodies. Malformed
input is a programming error here, so it raises a plain `ValueError` rather than `InvalidIdentifierError`.
"""

import string
from collections.abc import Set

_DIGITS = frozenset(string.digits)
_LEI_BODY_CHARACTERS = frozenset(string.digits + string.ascii_uppercase)

# 사업자등록번호: weights of the first nine digits.
_KR_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def jp_corporate_number_check_digit(body12: str) -> int:
    """The check digit (the leading digit) of a Japanese corporate number with the given 12-digit base.

    National Tax Agency rule: 9 - (sum of P_n * Q_n mod 9), where P_n is the n-th digit counted from the
    right and Q_n is 1 for odd n, 2 for even n. The result is always 1..9, never 0.
    """
    _require(body12, 12, _DIGITS, "body12")
    weighted = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(body12), start=1))
    return 9 - weighted % 9


def kr_brn_check_digit(first9: str) -> int:
    """The check digit (the last digit) of a Korean business registration number.

    Weights 1,3,7,1,3,7,1,3,5, plus the tens digit of (9th digit x 5), which makes the 9th position
    behave like a full permutation of 0..9 modulo 10.
    """
    _require(first9, 9, _DIGITS, "first9")
    weighted = sum(int(digit) * weight for digit, weight in zip(first9, _KR_BRN_WEIGHTS, strict=True))
    weighted += int(first9[8]) * 5 // 10
    return (10 - weighted % 10) % 10


def kr_crn_check_digit(first12: str) -> int:
    """The check digit (the last digit) of a Korean corporate registration number.

    Weights alternate 1,2,1,2,... from the left; the products are summed as they are (no Luhn digit sum).
    """
    _require(first12, 12, _DIGITS, "first12")
    weighted = sum(int(digit) * (1 if index % 2 == 0 else 2) for index, digit in enumerate(first12))
    return (10 - weighted % 10) % 10


def lei_check_digits(first18: str) -> str:
    """The two check digits of an LEI (ISO 17442) with the given 18 upper-case letters and digits.

    ISO 7064 MOD 97-10: with letters read as A=10 ... Z=35, the whole 20 characters read as one number must
    be 1 modulo 97, so the check digits are 98 - (body followed by 00, mod 97). Always 02..98.
    """
    _require(first18, 18, _LEI_BODY_CHARACTERS, "first18")
    return f"{98 - iso7064_mod97_remainder(first18 + '00'):02d}"


def iso7064_mod97_remainder(text: str) -> int:
    """`text` (digits and upper-case letters) read as one number, letters expanded to 10..35, mod 97."""
    return int("".join(str(int(character, 36)) for character in text)) % 97


def _require(value: str, length: int, alphabet: Set[str], name: str) -> None:
    if len(value) != length or not set(value) <= alphabet:
        raise ValueError(f"{name} must be exactly {length} characters from {''.join(sorted(alphabet))!r}")
