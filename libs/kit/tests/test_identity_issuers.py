"""Only the gateway vouches for partner clients; a service's key vouches for that service alone."""

import uuid

import pytest

from plaza_kit.identity import (
    IdentityError,
    IdentitySigner,
    IdentityVerifier,
    Principal,
    generate_private_key_pem,
    jwks_of,
)

GATEWAY_PEM, MEETINGS_PEM = generate_private_key_pem(), generate_private_key_pem()
VERIFIER = IdentityVerifier(
    jwks_of((GATEWAY_PEM, "gateway-1", "plaza-gateway"), (MEETINGS_PEM, "meetings-1", "plaza-meetings"))
)
MEETINGS = IdentitySigner(MEETINGS_PEM, kid="meetings-1", issuer="plaza-meetings")
GATEWAY = IdentitySigner(GATEWAY_PEM, kid="gateway-1", issuer="plaza-gateway")


def test_a_service_vouches_for_itself() -> None:
    token = MEETINGS.mint(Principal("meetings", None, frozenset({"registry:read"}), kind="service"))
    assert VERIFIER.verify(token) == Principal("meetings", None, frozenset({"registry:read"}), kind="service")


@pytest.mark.parametrize(
    "principal",
    [
        Principal("kotra-crm", uuid.uuid4(), frozenset({"registry:read"})),  # a partner client
        Principal("meetings", None, frozenset({"admin"}), kind="service"),  # admin
        Principal("investment", None, frozenset({"registry:read"}), kind="service"),  # another service
        Principal("meetings", uuid.uuid4(), frozenset({"registry:read"}), kind="service"),  # an organisation
    ],
)
def test_a_service_key_cannot_vouch_for_anyone_else(principal: Principal) -> None:
    with pytest.raises(IdentityError, match="only vouch for that service"):
        VERIFIER.verify(MEETINGS.mint(principal))


def test_the_gateway_vouches_for_clients() -> None:
    client = Principal("kotra-crm", uuid.uuid4(), frozenset({"admin"}))
    assert VERIFIER.verify(GATEWAY.mint(client)) == client
