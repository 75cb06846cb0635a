"""Organisation identifiers: real published numbers, formatting, rejections and check-digit properties.

Valid numbers for the property tests are built with the module's own check-digit functions; those are
pinned independently by the real published numbers and, for the LEI, by the ISO 7064 "mod 97 == 1" rule
computed here from scratch.
"""

import pickle
import string
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.identifiers import (
    SCHEME_DESCRIPTIONS,
    IdentifierScheme,
    InvalidIdentifierError,
    canonicalise,
    display_form,
    iso7064_mod97_remainder,
    jp_corporate_number_check_digit,
    kr_brn_check_digit,
    kr_crn_check_digit,
    lei_check_digits,
)

JP = IdentifierScheme.JP_CORPORATE_NUMBER
BRN = IdentifierScheme.KR_BUSINESS_REGISTRATION_NUMBER
CRN = IdentifierScheme.KR_CORPORATE_REGISTRATION_NUMBER
LEI = IdentifierScheme.LEI
NUMERIC_SCHEMES = (JP, BRN, CRN)

TOYOTA_JP = "1180301018771"
NTA_JP = "7000012050002"  # the National Tax Agency itself
SAMSUNG_BRN = "1248100998"
NAVER_BRN = "2208162517"
SAMSUNG_CRN = "1301110006246"
GLEIF_LEI = "506700GE1G29325QX363"
BLOOMBERG_LEI = "5493001KJTIIGC8Y1R12"

FULL_WIDTH = str.maketrans(
    string.digits + string.ascii_letters + "-",
    "０１２３４５６７８９"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "－",
)


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def reason_for(scheme: IdentifierScheme, raw: str) -> str:
    with pytest.raises(InvalidIdentifierError) as caught:
        canonicalise(scheme, raw)
    assert caught.value.scheme is scheme
    return caught.value.reason


def is_accepted(scheme: IdentifierScheme, raw: str) -> bool:
    try:
        canonicalise(scheme, raw)
    except InvalidIdentifierError:
        return False
    return True


def mod97_from_scratch(text: str) -> int:
    """ISO 7064 MOD 97-10 as the standard states it: A=10 ... Z=35, the whole thing as one number."""
    letters = {letter: str(value) for value, letter in enumerate(string.ascii_uppercase, start=10)}
    return int("".join(letters.get(character, character) for character in text)) % 97


# --- real published numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "raw", "canonical", "shown"),
    [
        (JP, "1180301018771", TOYOTA_JP, TOYOTA_JP),
        (JP, "1-1803-0101-8771", TOYOTA_JP, TOYOTA_JP),
        (JP, "1 1803 0101 8771", TOYOTA_JP, TOYOTA_JP),
        (JP, "１１８０３０１０１８７７１", TOYOTA_JP, TOYOTA_JP),
        (JP, "１ｰ１８０３ｰ０１０１ｰ８７７１", TOYOTA_JP, TOYOTA_JP),
        (JP, "1ー1803ー0101ー8771", TOYOTA_JP, TOYOTA_JP),
        (JP, "7000012050002", NTA_JP, NTA_JP),
        (BRN, "124-81-00998", SAMSUNG_BRN, "124-81-00998"),
        (BRN, "1248100998", SAMSUNG_BRN, "124-81-00998"),
        (BRN, "124 81 00998", SAMSUNG_BRN, "124-81-00998"),
        (BRN, "１２４－８１－００９９８", SAMSUNG_BRN, "124-81-00998"),
        (BRN, "124–81–00998", SAMSUNG_BRN, "124-81-00998"),  # en dashes
        (BRN, "124—81—00998", SAMSUNG_BRN, "124-81-00998"),  # em dashes
        (BRN, "124‐81‑00998", SAMSUNG_BRN, "124-81-00998"),  # hyphen, non-breaking hyphen
        (BRN, "124−81−00998", SAMSUNG_BRN, "124-81-00998"),  # minus signs
        (BRN, "124.81.00998", SAMSUNG_BRN, "124-81-00998"),
        (BRN, "\u3000124 - 81 - 00998\n", SAMSUNG_BRN, "124-81-00998"),  # ideographic space, newline
        (BRN, "220-81-62517", NAVER_BRN, "220-81-62517"),
        (CRN, "130111-0006246", SAMSUNG_CRN, "130111-0006246"),
        (CRN, "1301110006246", SAMSUNG_CRN, "130111-0006246"),
        (CRN, "１３０１１１－０００６２４６", SAMSUNG_CRN, "130111-0006246"),
        (CRN, "130111 − 0006246", SAMSUNG_CRN, "130111-0006246"),
        (LEI, GLEIF_LEI, GLEIF_LEI, GLEIF_LEI),
        (LEI, "506700ge1g29325qx363", GLEIF_LEI, GLEIF_LEI),
        (LEI, "5067 00GE 1G29 325Q X363", GLEIF_LEI, GLEIF_LEI),
        (LEI, "５０６７００ＧＥ１Ｇ２９３２５ＱＸ３６３", GLEIF_LEI, GLEIF_LEI),
        (LEI, "５０６７００ｇｅ１ｇ２９３２５ｑｘ３６３", GLEIF_LEI, GLEIF_LEI),
        (LEI, BLOOMBERG_LEI, BLOOMBERG_LEI, BLOOMBERG_LEI),
        (LEI, "5493-001K-JTII-GC8Y-1R12", BLOOMBERG_LEI, BLOOMBERG_LEI),
    ],
)
def test_real_numbers_in_common_formatting(
    scheme: IdentifierScheme, raw: str, canonical: str, shown: str
) -> None:
    assert canonicalise(scheme, raw) == canonical
    assert display_form(scheme, canonical) == shown


@pytest.mark.parametrize(
    ("check_digit", "body", "expected"),
    [
        (jp_corporate_number_check_digit, TOYOTA_JP[1:], int(TOYOTA_JP[0])),
        (jp_corporate_number_check_digit, NTA_JP[1:], int(NTA_JP[0])),
        (kr_brn_check_digit, SAMSUNG_BRN[:-1], int(SAMSUNG_BRN[-1])),
        (kr_brn_check_digit, NAVER_BRN[:-1], int(NAVER_BRN[-1])),
        (kr_crn_check_digit, SAMSUNG_CRN[:-1], int(SAMSUNG_CRN[-1])),
        # Edge cases of the modular arithmetic: a zero sum.
        (jp_corporate_number_check_digit, "0" * 12, 9),
        (kr_brn_check_digit, "0" * 9, 0),
        (kr_crn_check_digit, "0" * 12, 0),
    ],
)
def test_numeric_check_digits(check_digit: Callable[[str], int], body: str, expected: int) -> None:
    assert check_digit(body) == expected


@pytest.mark.parametrize("lei", [GLEIF_LEI, BLOOMBERG_LEI])
def test_lei_check_digits_of_real_numbers(lei: str) -> None:
    assert lei_check_digits(lei[:18]) == lei[18:]
    assert mod97_from_scratch(lei) == 1
    assert iso7064_mod97_remainder(lei) == 1


@pytest.mark.parametrize(
    ("check_digit", "bad_input"),
    [
        (jp_corporate_number_check_digit, "18030101877"),  # 11 digits
        (jp_corporate_number_check_digit, "１８０３０１０１８７７１"),  # full-width: callers must clean first
        (kr_brn_check_digit, "12481009A"),
        (kr_brn_check_digit, "1248100998"),  # 10 digits
        (kr_crn_check_digit, "130111-000624"),
        (lei_check_digits, "506700ge1g29325qx3"),  # lower case is not canonical
        (lei_check_digits, "506700GE1G29325QX"),  # 17 characters
    ],
)
def test_check_digit_functions_refuse_malformed_input(
    check_digit: Callable[[str], object], bad_input: str
) -> None:
    with pytest.raises(ValueError, match="must be exactly"):
        check_digit(bad_input)


# --- rejections -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", list(IdentifierScheme))
@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty_input_is_rejected(scheme: IdentifierScheme, raw: str) -> None:
    assert reason_for(scheme, raw) == "is empty"


@pytest.mark.parametrize("scheme", list(IdentifierScheme))
def test_separators_alone_are_rejected(scheme: IdentifierScheme) -> None:
    assert "only separators" in reason_for(scheme, " - . – ")


@pytest.mark.parametrize(
    ("scheme", "raw", "expected_reason"),
    [
        (JP, "118030101877", "must have 13 digits, got 12"),
        (JP, "11803010187710", "must have 13 digits, got 14"),
        (BRN, "124-81-0099", "must have 10 digits, got 9"),
        (BRN, "124-81-009980", "must have 10 digits, got 11"),
        (CRN, "130111-000624", "must have 13 digits, got 12"),
        (CRN, "１３０１１１－０００６２４６０", "must have 13 digits, got 14"),
        (LEI, "506700GE1G29325QX36", "must have 20 characters, got 19"),
        (LEI, "506700GE1G29325QX3630", "must have 20 characters, got 21"),
    ],
)
def test_wrong_length_is_rejected(scheme: IdentifierScheme, raw: str, expected_reason: str) -> None:
    assert reason_for(scheme, raw) == expected_reason


@pytest.mark.parametrize(
    ("scheme", "raw", "expected_reason"),
    [
        (BRN, "124-8I-00998", "contains 'I' (U+0049), which is not a digit"),
        (BRN, "124-81-0O998", "contains 'O' (U+004F), which is not a digit"),
        (JP, "1180301018771a", "contains 'a' (U+0061), which is not a digit"),
        (CRN, "130111_0006246", "contains '_' (U+005F), which is not a digit"),
        (CRN, "130111/0006246", "contains '/' (U+002F), which is not a digit"),
        # Arabic-Indic digits pass str.isdigit() and survive NFKC; they must still be refused.
        (JP, "١١٨٠٣٠١٠١٨٧٧١", "contains '١' (U+0661), which is not a digit"),
        # ー is only a separator between digits, not a leading or trailing mark.
        (JP, "ー1180301018771", "contains 'ー' (U+30FC), which is not a digit"),
        (BRN, "1248100998ー", "contains 'ー' (U+30FC), which is not a digit"),
        (LEI, "506700GE1G29325QX3É3", "contains 'É' (U+00C9), which is not a Latin letter or digit"),
        # "ß".upper() is "SS": the character check must happen before upper-casing.
        (LEI, "506700GE1G29325QXßS3", "contains 'ß' (U+00DF), which is not a Latin letter or digit"),
        (LEI, "506700GE1G29325QX36+", "contains '+' (U+002B), which is not a Latin letter or digit"),
    ],
)
def test_foreign_characters_are_rejected(scheme: IdentifierScheme, raw: str, expected_reason: str) -> None:
    assert reason_for(scheme, raw) == expected_reason


@pytest.mark.parametrize(
    ("scheme", "raw", "expected_reason"),
    [
        (JP, "2180301018771", "wrong check digit (first digit): expected 1, given 2"),
        (JP, "0180301018771", "wrong check digit (first digit): expected 1, given 0"),
        (BRN, "124-81-00997", "wrong check digit (last digit): expected 8, given 7"),
        (CRN, "130111-0006245", "wrong check digit (last digit): expected 6, given 5"),
        (LEI, "506700GE1G29325QX336", "wrong check digits (last two characters): expected 63, given 36"),
    ],
)
def test_wrong_check_digit_says_expected_and_given(
    scheme: IdentifierScheme, raw: str, expected_reason: str
) -> None:
    assert reason_for(scheme, raw) == expected_reason


def test_lei_check_digits_must_be_digits_even_when_mod97_is_satisfied() -> None:
    # Expanded, "L" is 21, so the number still passes the bare "mod 97 == 1" test.
    forged = GLEIF_LEI[:19] + "L"
    assert mod97_from_scratch(forged) == 1
    assert reason_for(LEI, forged) == "check digits (last two characters) must be digits, got '6L'"


def test_lei_check_digits_99_are_refused_where_02_are_due() -> None:
    """02 and 99 are congruent modulo 97: both pass "mod 97 == 1", but ISO 7064 only ever produces 02."""
    body = "DTHZ4GYOTZ9L40MUT2"
    assert lei_check_digits(body) == "02"
    assert mod97_from_scratch(body + "99") == 1
    assert canonicalise(LEI, body + "02") == body + "02"
    assert reason_for(LEI, body + "99") == "wrong check digits (last two characters): expected 02, given 99"


def test_error_carries_scheme_and_reason() -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        canonicalise(BRN, "124-81-00997")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.scheme is BRN
    assert str(error) == "invalid kr_brn: wrong check digit (last digit): expected 8, given 7"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (copy.scheme, copy.reason, str(copy)) == (error.scheme, error.reason, str(error))


@pytest.mark.parametrize(
    ("scheme", "not_canonical"),
    [(BRN, "124-81-00998"), (CRN, "130111-0006246"), (LEI, GLEIF_LEI.lower()), (JP, " " + TOYOTA_JP)],
)
def test_display_form_requires_the_canonical_form(scheme: IdentifierScheme, not_canonical: str) -> None:
    with pytest.raises(InvalidIdentifierError, match="not in canonical form"):
        display_form(scheme, not_canonical)


def test_display_form_rejects_invalid_numbers() -> None:
    with pytest.raises(InvalidIdentifierError, match="wrong check digit"):
        display_form(BRN, "1248100997")


def test_every_scheme_has_a_one_line_description() -> None:
    assert set(SCHEME_DESCRIPTIONS) == set(IdentifierScheme)
    for description in SCHEME_DESCRIPTIONS.values():
        assert description
        assert "\n" not in description


# --- generated numbers ------------------------------------------------------------------------------------


def digit_strings(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=length, max_size=length)


def valid_numbers(scheme: IdentifierScheme) -> st.SearchStrategy[str]:
    if scheme is JP:
        return digit_strings(12).map(lambda body: f"{jp_corporate_number_check_digit(body)}{body}")
    if scheme is BRN:
        return digit_strings(9).map(lambda body: f"{body}{kr_brn_check_digit(body)}")
    if scheme is CRN:
        return digit_strings(12).map(lambda body: f"{body}{kr_crn_check_digit(body)}")
    alphabet = string.digits + string.ascii_uppercase
    bodies = st.text(alphabet=alphabet, min_size=18, max_size=18)
    return bodies.map(lambda body: body + lei_check_digits(body))


def scheme_and_number() -> st.SearchStrategy[tuple[IdentifierScheme, str]]:
    return st.sampled_from(list(IdentifierScheme)).flatmap(
        lambda scheme: valid_numbers(scheme).map(lambda number: (scheme, number))
    )


def substitutions(number: str, alphabet: str) -> list[tuple[int, str]]:
    """Every (position, changed number) with exactly one character replaced by another from `alphabet`."""
    return [
        (position, number[:position] + replacement + number[position + 1 :])
        for position, original in enumerate(number)
        for replacement in alphabet
        if replacement != original
    ]


@given(scheme_and_number())
def test_generated_numbers_round_trip(case: tuple[IdentifierScheme, str]) -> None:
    scheme, number = case
    assert canonicalise(scheme, number) == number
    shown = display_form(scheme, number)
    assert canonicalise(scheme, shown) == number
    assert canonicalise(scheme, full_width(shown)) == number
    assert canonicalise(scheme, number.lower()) == number


SEPARATORS_ANYWHERE = [" ", "-", "‐", "‑", "–", "—", "−", "－", "ｰ", ".", "．", "\u3000", "\t"]


@given(scheme_and_number(), st.data())
def test_separators_anywhere_are_ignored(case: tuple[IdentifierScheme, str], data: st.DataObject) -> None:
    scheme, number = case
    gaps = data.draw(st.lists(st.sampled_from(["", *SEPARATORS_ANYWHERE]), min_size=19, max_size=19))
    # ｰ (half-width) becomes ー under NFKC, which only separates between characters, so not at the ends.
    edges = [separator for separator in SEPARATORS_ANYWHERE if separator != "ｰ"]
    before, after = data.draw(st.sampled_from(["", *edges])), data.draw(st.sampled_from(["", *edges]))
    inner = "".join(character + gap for character, gap in zip(number[:-1], gaps, strict=False))
    assert canonicalise(scheme, before + inner + number[-1] + after) == number


@given(valid_numbers(BRN))
def test_brn_every_single_digit_substitution_is_caught(number: str) -> None:
    # Weights 1, 3 and 7 are units modulo 10, and the 9th position maps d to 5d + floor(5d/10), which
    # takes ten distinct values modulo 10, so no single substitution can keep the check digit.
    for _, changed in substitutions(number, string.digits):
        assert "check digit" in reason_for(BRN, changed)


@given(valid_numbers(JP))
def test_jp_single_digit_substitution_is_caught_except_0_and_9(number: str) -> None:
    """Sums are taken modulo 9 with weights 1 and 2, so swapping 0 for 9 in the base changes nothing."""
    for position, changed in substitutions(number, string.digits):
        blind_spot = position > 0 and {number[position], changed[position]} == {"0", "9"}
        if blind_spot:
            assert canonicalise(JP, changed) == changed
        else:
            assert "check digit" in reason_for(JP, changed)


@given(valid_numbers(CRN))
def test_crn_single_digit_substitution_is_caught_except_by_5_in_weight_2_places(number: str) -> None:
    """Weight 2 is not a unit modulo 10: in the 2nd, 4th, ... 12th digits, d and d ± 5 weigh the same."""
    for position, changed in substitutions(number, string.digits):
        weight_two = position < 12 and position % 2 == 1
        blind_spot = weight_two and abs(int(number[position]) - int(changed[position])) == 5
        if blind_spot:
            assert canonicalise(CRN, changed) == changed
        else:
            assert "check digit" in reason_for(CRN, changed)


def test_known_blind_spots_of_real_numbers() -> None:
    """Concrete instances of the two blind spots above, on the published numbers."""
    assert canonicalise(JP, "1189301018771") == "1189301018771"  # Toyota with its 4th digit 0 -> 9
    assert canonicalise(CRN, "1801110006246") == "1801110006246"  # Samsung with its 2nd digit 3 -> 8


@given(valid_numbers(LEI))
def test_lei_substitution_within_digits_or_within_letters_is_caught(number: str) -> None:
    for position, changed in substitutions(number, string.digits + string.ascii_uppercase):
        if changed[position].isdigit() == number[position].isdigit():
            assert "check digit" in reason_for(LEI, changed)


def test_lei_letter_for_digit_substitution_can_slip_through() -> None:
    """A letter expands to two digits, shifting the rest; about 1 in 97 such substitutions passes."""
    assert canonicalise(LEI, "5Z6700GE1G29325QX363") == "5Z6700GE1G29325QX363"  # GLEIF's, 0 -> Z


# "B1" and "1B" both expand to "111" (likewise M2/222 and X3/333), so swapping them cannot be seen.
LEI_INVISIBLE_SWAPS = frozenset({frozenset("B1"), frozenset("M2"), frozenset("X3")})


@given(valid_numbers(LEI))
def test_lei_adjacent_transposition_is_caught(number: str) -> None:
    for position in range(len(number) - 1):
        pair = number[position : position + 2]
        if pair[0] == pair[1] or frozenset(pair) in LEI_INVISIBLE_SWAPS:
            continue
        swapped = number[:position] + pair[::-1] + number[position + 2 :]
        assert "check digits" in reason_for(LEI, swapped)


@pytest.mark.parametrize("pair", ["B1", "1B", "M2", "2M", "X3", "3X"])
def test_lei_transpositions_that_expand_to_the_same_digits_slip_through(pair: str) -> None:
    body = "5493001KJTIIGC" + pair + "YY"
    number = body + lei_check_digits(body)
    swapped = number[:14] + pair[::-1] + number[16:]
    assert canonicalise(LEI, number) == number
    assert canonicalise(LEI, swapped) == swapped


@given(valid_numbers(LEI))
def test_generated_leis_satisfy_iso_7064(number: str) -> None:
    assert mod97_from_scratch(number) == 1
    assert 2 <= int(number[18:]) <= 98
