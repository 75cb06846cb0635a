"""Property tests for registry.names."""

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from registry.names import (
    cjk_grams,
    duplicate_key,
    duplicate_keys,
    fold,
    query_grams,
    romanise,
    search_document,
)
from registry.names.scripts import is_cjk, is_hangul_syllable, is_kana_syllable

# Characters of names as they are typed: Hangul, kana (also half-width), kanji, Latin, digits, brackets,
# the circled legal forms and punctuation.
_NAME_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.characters(min_codepoint=0x3041, max_codepoint=0x30FF),
    st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("abcKLTDinco.,&-()（）[] 　株式会社주식회사㈱㈜㈲"),
)
names = st.one_of(st.text(_NAME_CHARACTERS, max_size=20), st.text(max_size=20))
name_lists = st.lists(st.one_of(st.none(), names), max_size=5)


@given(names)
def test_fold_is_idempotent(name: str) -> None:
    assert fold(fold(name)) == fold(name)


@given(names)
def test_fold_has_no_outer_or_double_spaces(name: str) -> None:
    folded = fold(name)
    assert folded == folded.strip()
    assert "  " not in folded


@given(names)
def test_duplicate_key_of_folded_name_is_the_same(name: str) -> None:
    assert duplicate_key(fold(name)) == duplicate_key(name)


@given(names)
def test_duplicate_key_is_none_or_letters_digits_and_marks(name: str) -> None:
    key = duplicate_key(name)
    assert key is None or (key and all(unicodedata.category(char)[0] in "LNM" for char in key))


@given(names)
def test_legal_forms_around_a_name_do_not_change_its_key(name: str) -> None:
    key = duplicate_key(name)
    assume(key is not None and key == fold(name))
    assert duplicate_key(f"株式会社{name}") == key
    assert duplicate_key(f"{name} 주식회사") == key
    assert duplicate_key(f"㈱{name}") == key
    assert duplicate_key(f"(주){name}") == key


@given(name_lists)
def test_duplicate_keys_are_sorted_unique_keys(names_: list[str | None]) -> None:
    keys = duplicate_keys(names_)
    assert keys == sorted(set(keys))
    assert set(keys) == {key for name in names_ if name and (key := duplicate_key(name)) is not None}


@given(names)
def test_romanise_leaves_no_hangul_or_kana(name: str) -> None:
    latin = romanise(name)
    has_hangul_or_kana = any(is_hangul_syllable(char) or is_kana_syllable(char) for char in fold(name))
    assert (latin is None) is not has_hangul_or_kana
    if latin is not None:
        assert not any(is_hangul_syllable(char) or is_kana_syllable(char) for char in latin)


@given(st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=10))
def test_hangul_romanises_to_lower_case_ascii_letters(name: str) -> None:
    latin = romanise(name)
    assert latin is not None
    assert latin.isascii()
    assert latin.isalpha()
    assert latin == latin.lower()


@given(name_lists)
def test_search_document_holds_every_folded_name(names_: list[str | None]) -> None:
    document = search_document(names_)
    for name in names_:
        if name and fold(name):
            assert fold(name) in document


@given(names, st.data())
def test_grams_contain_the_query_grams_of_every_short_substring(name: str, data: st.DataObject) -> None:
    folded = fold(name)
    assume(folded)
    start = data.draw(st.integers(min_value=0, max_value=len(folded) - 1))
    length = data.draw(st.integers(min_value=1, max_value=2))
    substring = folded[start : start + length]
    assume(all(is_cjk(char) for char in substring))
    grams = query_grams(substring)
    assert grams is not None
    assert set(grams) <= set(cjk_grams([name]))


@given(names)
def test_every_cjk_pair_of_a_name_is_findable(name: str) -> None:
    folded = fold(name)
    grams = set(cjk_grams([name]))
    for index in range(len(folded)):
        for substring in (folded[index], folded[index : index + 2]):
            if all(is_cjk(char) for char in substring):
                found = query_grams(substring)
                assert found is not None
                assert set(found) <= grams
