"""OAuth access tokens: short-lived EdDSA JWTs the gateway issues to clients and verifies itself.

They are signed with the gateway's key but for a different audience (`plaza-api`) than the identity
tokens it forwards to services (`plaza-services`), so neither can stand in for the other. A token names the
API key whose secret obtained it (`key`), so revoking that key also ends its tokens at once.
"""

import time
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ISSUER = "plaza-gateway"
ACCESS_AUDIENCE = "plaza-api"
_ALGORITHM = "EdDSA"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a verified access token says."""

    client_id: uuid.UUID
    key_id: uuid.UUID
    scopes: frozenset[str]
    expires_at: float


class AccessTokens:
    """Issues and verifies access tokens with the gateway's Ed25519 key."""

    def __init__(self, private_key_pem: str, *, kid: str, ttl_seconds: int) -> None:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the gateway signing key must be an Ed25519 private key (PEM)")
        self._private: Ed25519PrivateKey = key
        self._public: Ed25519PublicKey = key.public_key()
        self.kid = kid
        self.ttl_seconds = ttl_seconds

    def issue(
        self,
        *,
        client_id: uuid.UUID,
        key_id: uuid.UUID,
        organisation_id: uuid.UUID | None,
        scopes: frozenset[str],
    ) -> str:
        """A token for the client, valid `ttl_seconds`."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": ACCESS_AUDIENCE,
            "sub": str(client_id),
            "org": str(organisation_id) if organisation_id else None,
            "scope": " ".join(sorted(scopes)),
            "key": str(key_id),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self.ttl_seconds,
        }
        return jwt.encode(claims, self._private, algorithm=_ALGORITHM, headers={"kid": self.kid})

    def verify(self, token: str) -> AccessClaims | None:
        """The claims of a valid token issued by this gateway, or None."""
        try:
            claims = jwt.decode(
                token,
                self._public,
                algorithms=[_ALGORITHM],
                audience=ACCESS_AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "aud", "iss", "key"]},
            )
            return AccessClaims(
                client_id=uuid.UUID(str(claims["sub"])),
                key_id=uuid.UUID(str(claims["key"])),
                scopes=frozenset(str(claims.get("scope", "")).split()),
                expires_at=float(claims["exp"]),
            )
        except (jwt.PyJWTError, ValueError):
            return None
