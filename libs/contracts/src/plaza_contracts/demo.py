"""Well-known ids of the demo data, shared by every component that ships demo records.

Partners' integration tests run against `./plaza run` and rely on these ids staying the same. The registry
creates these organisations (its demo data decides the ids; a registry test pins them to these values) and
the gateway's demo clients act for them.
"""

import uuid

DEMO_ORGANISATIONS: dict[str, uuid.UUID] = {
    "kotra": uuid.UUID("01995a1e-ec00-706f-8eff-4b33ed8e5fbf"),
    "consulate-nagoya": uuid.UUID("01995a1e-ec01-7710-bca1-807739e5ab78"),
    "aichi-battery-consortium": uuid.UUID("01995a1e-ec02-7ba1-a05a-e19603b34ac9"),
}
"""Registry demo key → id of the three organisations that ran the 2025 plaza together."""
