"""The gateway's signing key and the demo-key seed: kept under `.plaza/keys/` by the run command, made
fresh for every test stack.

The signing key (Ed25519, PEM) signs the identity tokens the gateway forwards; every service trusts its
public JWKS. The seed derives the demo clients' API keys, so they stay the same from run to run (partners'
CI can keep using them); delete `.plaza/keys/demo-seed` to get new ones.
"""

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaza_kit.identity import generate_private_key_pem, jwks_of, public_jwk

GATEWAY_ISSUER = "plaza-gateway"


@dataclass(frozen=True)
class SigningKey:
    """The gateway's private key and its key id."""

    pem: str
    kid: str

    @property
    def jwks(self) -> dict[str, Any]:
        """The JWKS services trust: this key, pinned to the gateway issuer."""
        return jwks_of((self.pem, self.kid, GATEWAY_ISSUER))

    @property
    def jwks_json(self) -> str:
        """The JWKS as an environment value."""
        return json.dumps(self.jwks)

    @classmethod
    def from_pem(cls, pem: str) -> "SigningKey":
        """A key whose id is derived from its public half (a new key gets a new id)."""
        thumb = hashlib.sha256(public_jwk(pem, "x")["x"].encode()).hexdigest()[:12]
        return cls(pem=pem, kid=f"gateway-{thumb}")


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def signing_key(keys_dir: Path | None) -> SigningKey:
    """The key kept in `keys_dir` (created on first use), or a fresh one when no folder is given."""
    if keys_dir is None:
        return SigningKey.from_pem(generate_private_key_pem())
    path = keys_dir / "gateway-signing-key.pem"
    if not path.exists():
        _write_private(path, generate_private_key_pem().encode())
    return SigningKey.from_pem(path.read_text())


def demo_seed(keys_dir: Path | None) -> bytes:
    """The secret the demo keys derive from, kept in `keys_dir` (or fresh)."""
    if keys_dir is None:
        return secrets.token_bytes(32)
    path = keys_dir / "demo-seed"
    if not path.exists():
        _write_private(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())
