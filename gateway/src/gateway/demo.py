"""The gateway's demo data: the partner clients the run command and the end-to-end tests provision.

KOTRA, the Consulate General in Nagoya and the Aichi consortium each get a client acting for their own
registry organisation (`plaza_contracts.demo`); `admin` is the platform operator's client. Keys derive from
a seed (see `plaza_dev.keys`), so they are stable for as long as the seed is kept.

The dev tools reach this module through the catalogue (`GATEWAY.provisioning`), never by importing it.
"""

import asyncio
import uuid
from collections.abc import Sequence

from gateway.keys import derived_key, new_key
from gateway.provision import ClientCredentials, ClientSpec, provision
from plaza_contracts.demo import DEMO_ORGANISATIONS
from plaza_kit.scopes import Scope

# The three organised the plaza together: every partner scope, never admin.
PARTNER_SCOPES: tuple[str, ...] = tuple(str(scope) for scope in Scope if scope is not Scope.ADMIN)
ORGANISATION_KEYS = {
    "kotra": "kotra",
    "consulate": "consulate-nagoya",
    "consortium": "aichi-battery-consortium",
}


def demo_organisation_ids() -> dict[str, uuid.UUID]:
    """Client name → the registry id of its organisation."""
    return {client: DEMO_ORGANISATIONS[entry] for client, entry in ORGANISATION_KEYS.items()}


def demo_specs(seed: bytes) -> list[tuple[ClientSpec, str]]:
    """(client, key) for the three partners and the admin."""
    specs = [
        ClientSpec(f"demo-{name}", PARTNER_SCOPES, organisation_id, rate_per_minute=1200, burst=200)
        for name, organisation_id in demo_organisation_ids().items()
    ]
    specs.append(ClientSpec("demo-admin", (str(Scope.ADMIN),), None, rate_per_minute=1200, burst=200))
    return [(spec, derived_key(seed, spec.name)) for spec in specs]


def provision_demo_clients(database_url: str, seed: bytes) -> dict[str, ClientCredentials]:
    """Create (or update) the demo clients; `kotra`, `consulate`, `consortium`, `admin` → credentials."""
    created = asyncio.run(provision(database_url, demo_specs(seed)))
    return {credentials.name.removeprefix("demo-"): credentials for credentials in created}


def provision_client(
    database_url: str,
    name: str,
    scopes: Sequence[str],
    organisation_id: uuid.UUID | None = None,
    *,
    rate_per_minute: int = 600,
    burst: int = 100,
) -> ClientCredentials:
    """Create (or update) one client with a new key (tests and benchmarks)."""
    spec = ClientSpec(name, tuple(scopes), organisation_id, rate_per_minute, burst)
    [created] = asyncio.run(provision(database_url, [(spec, new_key())]))
    return created
