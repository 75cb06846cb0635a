"""Signed identity tokens: how the gateway vouches for a caller and how services verify it.

The gateway authenticates a partner (API key or OAuth token) and forwards a short-lived JWT (EdDSA/Ed25519)
in `X-Plaza-Identity` naming the client, its organisation and its scopes. Services hold only public keys
(a JWKS); a request they cannot verify is refused with 401, so a service reached directly, bypassing the
gateway, exposes nothing. Services calling each other sign with their own key the same way.
"""

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

IDENTITY_HEADER = "x-plaza-identity"
AUDIENCE = "plaza-services"
_ALGORITHM = "EdDSA"
_LEEWAY_SECONDS = 5


class IdentityError(Exception):
    """A token that is missing, malformed, forged, expired or from an untrusted issuer."""


@dataclass(frozen=True)
class Principal:
    """Who is calling, as vouched for by the gateway (a partner client) or by a service."""

    subject: str
    organisation_id: uuid.UUID | None
    scopes: frozenset[str]
    kind: Literal["client", "service"] = "client"

    def has_scope(self, scope: str) -> bool:
        """Whether the principal holds `scope`; `admin` holds every scope."""
        return scope in self.scopes or "admin" in self.scopes

    @property
    def is_admin(self) -> bool:
        """Whether the principal may administer the platform."""
        return "admin" in self.scopes

    def belongs_to(self, organisation_id: uuid.UUID | None) -> bool:
        """Whether the principal acts for `organisation_id`."""
        return organisation_id is not None and self.organisation_id == organisation_id


def generate_private_key_pem() -> str:
    """A new Ed25519 private key, PEM (PKCS#8)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_jwk(private_key_pem: str, kid: str) -> dict[str, Any]:
    """The public JWK (OKP/Ed25519) of a private key."""
    private_key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    assert isinstance(private_key, Ed25519PrivateKey)
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
    return {**jwk, "kid": kid, "alg": _ALGORITHM, "use": "sig"}


class IdentitySigner:
    """Mints identity tokens with one private key; `issuer` is the gateway or a service name."""

    def __init__(self, private_key_pem: str, *, kid: str, issuer: str) -> None:
        self._key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.kid = kid
        self.issuer = issuer

    def mint(self, principal: Principal, *, ttl_seconds: int = 60) -> str:
        """A token for `principal`, valid `ttl_seconds`."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": principal.subject,
            "org": str(principal.organisation_id) if principal.organisation_id else None,
            "scope": " ".join(sorted(principal.scopes)),
            "kind": principal.kind,
            "iat": now,
            "exp": now + ttl_seconds,
        }
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM, headers={"kid": self.kid})  # type: ignore[arg-type]


GATEWAY_ISSUER = "plaza-gateway"  # the only issuer that vouches for partner clients


class IdentityVerifier:
    """Verifies identity tokens against a JWKS of trusted public keys (each key names its issuer)."""

    def __init__(self, jwks: dict[str, Any] | str) -> None:
        document = json.loads(jwks) if isinstance(jwks, str) else jwks
        self._keys: dict[str, tuple[Ed25519PublicKey, str | None]] = {}
        for jwk in document.get("keys", []):
            public_key = OKPAlgorithm.from_jwk(json.dumps(jwk))
            if isinstance(public_key, Ed25519PublicKey):
                self._keys[jwk["kid"]] = (public_key, jwk.get("iss"))

    @property
    def configured(self) -> bool:
        """Whether any key is trusted (with none, every token is refused: fail closed)."""
        return bool(self._keys)

    def verify(self, token: str) -> Principal:
        """The principal a token vouches for; raises IdentityError otherwise."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as error:
            raise IdentityError("the identity token is malformed") from error
        if kid not in self._keys:
            raise IdentityError("the identity token is signed by an untrusted key")
        public_key, issuer = self._keys[kid]
        try:
            claims = jwt.decode(
                token,
                public_key,
                algorithms=[_ALGORITHM],
                audience=AUDIENCE,
                issuer=issuer,
                leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise IdentityError(f"the identity token is invalid: {error}") from error
        organisation = claims.get("org")
        try:
            organisation_id = uuid.UUID(organisation) if organisation else None
        except ValueError as error:
            raise IdentityError("the identity token names a malformed organisation") from error
        kind: Literal["client", "service"] = "service" if claims.get("kind") == "service" else "client"
        scopes = frozenset(str(claims.get("scope", "")).split())
        if issuer != GATEWAY_ISSUER and (
            kind != "service"
            or organisation_id is not None
            or "admin" in scopes
            or f"plaza-{claims['sub']}" != issuer
        ):
            # Only the gateway vouches for partner clients; a service's key vouches for that service alone.
            raise IdentityError("a service's key may only vouch for that service itself")
        return Principal(
            subject=str(claims["sub"]),
            organisation_id=organisation_id,
            scopes=scopes,
            kind=kind,
        )


def jwks_of(*keys: tuple[str, str, str]) -> dict[str, Any]:
    """A JWKS trusting each (private key PEM, kid, issuer); the issuer is pinned per key."""
    return {"keys": [{**public_jwk(pem, kid), "iss": issuer} for pem, kid, issuer in keys]}
