"""The demo partner clients the run command and the end-to-end tests provision at the gateway.

KOTRA, the Consulate General in Nagoya and the Aichi consortium each get a client acting for their own
registry organisation; `admin` is the platform operator's client. Keys derive from a seed (see
`plaza_dev.keys`), so they are stable for as long as the seed is kept.
"""

import uuid

from gateway.keys import derived_key
from gateway.provision import ClientSpec
from plaza_kit.scopes import Scope
from registry.demo import demo_id

# The three organised the plaza together: every partner scope, never admin.
PARTNER_SCOPES: tuple[str, ...] = tuple(str(scope) for scope in Scope if scope is not Scope.ADMIN)
ORGANISATION_KEYS = {
    "kotra": "kotra",
    "consulate": "consulate-nagoya",
    "consortium": "aichi-battery-consortium",
}


def demo_organisation_ids() -> dict[str, uuid.UUID]:
    """Client name → the registry id of its organisation (the registry's demo data decides)."""
    return {client: demo_id(entry) for client, entry in ORGANISATION_KEYS.items()}


def demo_specs(seed: bytes) -> list[tuple[ClientSpec, str]]:
    """(client, key) for the three partners and the admin."""
    specs = [
        ClientSpec(f"demo-{name}", PARTNER_SCOPES, organisation_id, rate_per_minute=1200, burst=200)
        for name, organisation_id in demo_organisation_ids().items()
    ]
    specs.append(ClientSpec("demo-admin", (str(Scope.ADMIN),), None, rate_per_minute=1200, burst=200))
    return [(spec, derived_key(seed, spec.name)) for spec in specs]
