"""Signed keyset cursors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza_contracts import CursorCodec, InvalidCursorError

codec = CursorCodec("k" * 32)


@given(
    key=st.lists(st.one_of(st.text(max_size=20), st.integers()), min_size=1, max_size=3),
    country=st.one_of(st.none(), st.sampled_from(["KR", "JP"])),
)
def test_round_trip(key: list[object], country: str | None) -> None:
    cursor = codec.encode(key, {"country": country})
    assert codec.decode(cursor, {"country": country}) == key


def test_a_flipped_character_is_detected() -> None:
    cursor = codec.encode(["00000000-0000-7000-8000-000000000001"], {})
    payload, signature = cursor.split(".")
    tampered = ("A" if payload[0] != "A" else "B") + payload[1:] + "." + signature
    with pytest.raises(InvalidCursorError):
        codec.decode(tampered, {})


def test_another_key_is_refused() -> None:
    cursor = CursorCodec("other-secret-of-32-bytes-length!").encode([1], {})
    with pytest.raises(InvalidCursorError):
        codec.decode(cursor, {})


def test_another_query_is_refused() -> None:
    cursor = codec.encode([1], {"country": "KR"})
    with pytest.raises(InvalidCursorError, match="different query"):
        codec.decode(cursor, {"country": "JP"})


@pytest.mark.parametrize("garbage", ["", ".", "abc", "a.b.c", "!!!.???"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidCursorError):
        codec.decode(garbage, {})


def test_short_secrets_are_rejected() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        CursorCodec("short")
