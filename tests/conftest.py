"""End-to-end fixtures: the real services and the gateway as processes on free ports, over real HTTP."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plaza_dev.stack import SERVICES, Stack
from plaza_dev.testing import Identities, PlazaDatabase
from plaza_kit.identity import IDENTITY_HEADER
from plaza_kit.scopes import Scope
from registry.demo import demo_id, load_demo_sync


@pytest.fixture(scope="session")
def stack(
    test_database: PlazaDatabase, identities: Identities, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The platform with demo data, started once for the e2e tests."""
    trusted = {f"{service.upper()}_TRUSTED_KEYS": identities.jwks_json for service in SERVICES}
    platform = Stack.on_free_ports(
        test_database.admin_url,
        test_database.name,
        log_dir=Path(tmp_path_factory.mktemp("logs")),
        extra_env={**trusted, "GATEWAY_CONNECT_TIMEOUT": "0.5"},
    )
    platform.prepare(load_demo=load_demo_sync)
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


@pytest.fixture(scope="session")
def partner_headers(identities: Identities) -> dict[str, str]:
    """Credentials of KOTRA's partner system (read and write in the registry)."""
    token = identities.token(
        Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=demo_id("kotra"), ttl_seconds=3600
    )
    return {IDENTITY_HEADER: token}


@pytest.fixture
def gateway(stack: Stack, partner_headers: dict[str, str]) -> Iterator[httpx.Client]:
    """An HTTP client for the gateway, authenticated as KOTRA's partner system."""
    with httpx.Client(base_url=stack.gateway_url, headers=partner_headers, timeout=10) as client:
        yield client


def read_log(stack: Stack, name: str) -> str:
    """Everything process `name` has logged so far."""
    assert stack.log_dir is not None
    return (stack.log_dir / f"{name}.log").read_text(encoding="utf-8")
