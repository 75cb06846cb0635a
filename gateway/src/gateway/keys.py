"""API keys: how they look, how they are made and how they are stored (SHA-256 only).

A key is `plz_` followed by 43 base64url characters (256 random bits). With that much entropy a plain
SHA-256 is a safe verifier (no password-style slow hash is needed, and the hot path stays fast); the key
itself is shown once, when issued, and never stored or logged.
"""

import base64
import hashlib
import hmac
import secrets

KEY_PREFIX = "plz_"
DISPLAY_PREFIX_LENGTH = 12  # "plz_" + 8 characters: enough to recognise a key in a list, useless to guess it


def _encode(raw: bytes) -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_key() -> str:
    """A new random API key."""
    return _encode(secrets.token_bytes(32))


def derived_key(seed: bytes, label: str) -> str:
    """A key derived from a secret `seed` and a label: the same seed gives the same demo keys every run."""
    return _encode(hmac.new(seed, f"plaza-api-key:{label}".encode(), hashlib.sha256).digest())


def key_hash(key: str) -> bytes:
    """The stored verifier of a key."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()


def display_prefix(key: str) -> str:
    """The first characters of a key, shown in listings so operators can tell keys apart."""
    return key[:DISPLAY_PREFIX_LENGTH]


def looks_like_key(value: str) -> bool:
    """Cheap shape check before any lookup: wrong-shaped values never reach the database."""
    return value.startswith(KEY_PREFIX) and 40 <= len(value) <= 64
