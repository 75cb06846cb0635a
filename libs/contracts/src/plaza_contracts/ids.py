"""Identifiers: time-ordered UUIDs (UUIDv7, RFC 9562).

Python 3.11 has no ``uuid.uuid7``; this is a small, dependency-free generator. Ids created later sort later
(to the millisecond), which keeps B-tree inserts local and makes ``ORDER BY id`` a creation order for keyset
pagination.
"""

import hashlib
import os
import time
import uuid


def _build(unix_ms: int, rand: bytes) -> uuid.UUID:
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80
    value |= int.from_bytes(rand[:10], "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version 7
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # RFC 9562 variant
    return uuid.UUID(int=value)


def uuid7() -> uuid.UUID:
    """A new random UUIDv7 for the current time."""
    return _build(time.time_ns() // 1_000_000, os.urandom(10))


def deterministic_uuid7(unix_ms: int, seed: str) -> uuid.UUID:
    """A UUIDv7 whose time and random bits come from the arguments: stable ids for demo and fixture data."""
    return _build(unix_ms, hashlib.sha256(seed.encode()).digest())


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix time in milliseconds carried by a UUIDv7."""
    return value.int >> 80
