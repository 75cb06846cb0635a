"""Signing keys and the demo-key seed: kept under `.plaza/keys/` by the run command, made fresh for every
test stack.

Each component has an Ed25519 signing key (PEM): the gateway's signs the identity tokens it forwards, a
service's signs its own identity when it calls another service (`plaza_kit.client`). Every service trusts
the public JWKS of all of them, each key pinned to its issuer (`plaza-<component>`). The seed derives the
demo clients' API keys, so they stay the same from run to run (partners' CI can keep using them); delete
`.plaza/keys/demo-seed` to get new ones.
"""

import hashlib
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaza_kit.identity import generate_private_key_pem, jwks_of, public_jwk

GATEWAY_ISSUER = "plaza-gateway"


@dataclass(frozen=True)
class SigningKey:
    """A component's private key, its key id, and the issuer its tokens name."""

    pem: str
    kid: str
    issuer: str = GATEWAY_ISSUER

    @property
    def jwks(self) -> dict[str, Any]:
        """A JWKS holding this key alone, pinned to its issuer."""
        return jwks_of((self.pem, self.kid, self.issuer))

    @property
    def jwks_json(self) -> str:
        """The JWKS as an environment value."""
        return json.dumps(self.jwks)

    @classmethod
    def from_pem(cls, pem: str, component: str = "gateway") -> "SigningKey":
        """A key whose id is derived from its public half (a new key gets a new id)."""
        thumb = hashlib.sha256(public_jwk(pem, "x")["x"].encode()).hexdigest()[:12]
        return cls(pem=pem, kid=f"{component}-{thumb}", issuer=f"plaza-{component}")


def trusted_jwks_json(keys: Sequence[SigningKey]) -> str:
    """The JWKS (as an environment value) trusting every key in `keys`, each pinned to its issuer."""
    return json.dumps(jwks_of(*((key.pem, key.kid, key.issuer) for key in keys)))


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def signing_key(keys_dir: Path | None, component: str = "gateway") -> SigningKey:
    """The component's key kept in `keys_dir` (created on first use), or a fresh one without a folder."""
    if keys_dir is None:
        return SigningKey.from_pem(generate_private_key_pem(), component)
    path = keys_dir / f"{component}-signing-key.pem"
    if not path.exists():
        _write_private(path, generate_private_key_pem().encode())
    return SigningKey.from_pem(path.read_text(), component)


def demo_seed(keys_dir: Path | None) -> bytes:
    """The secret the demo keys derive from, kept in `keys_dir` (or fresh)."""
    if keys_dir is None:
        return secrets.token_bytes(32)
    path = keys_dir / "demo-seed"
    if not path.exists():
        _write_private(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())
