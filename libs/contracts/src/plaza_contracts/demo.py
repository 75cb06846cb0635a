"""Well-known ids of the demo data, shared by every component that ships demo records.

Partners' integration tests run against `./plaza run` and rely on these ids staying the same. The registry
creates these organisations (its demo data decides the ids; a registry test pins them to these values) and
the gateway's demo clients act for them.
"""

import uuid
from datetime import UTC, datetime

from plaza_contracts.ids import deterministic_uuid7

DEMO_ORGANISATIONS: dict[str, uuid.UUID] = {
    "kotra": uuid.UUID("01995a1e-ec00-706f-8eff-4b33ed8e5fbf"),
    "consulate-nagoya": uuid.UUID("01995a1e-ec01-7710-bca1-807739e5ab78"),
    "aichi-battery-consortium": uuid.UUID("01995a1e-ec02-7ba1-a05a-e19603b34ac9"),
}
"""Registry demo key → id of the three organisations that ran the 2025 plaza together."""

DEMO_COMPANIES: dict[str, uuid.UUID] = {
    "station-ai": uuid.UUID("01995a1e-ec03-740a-be80-c5ae771939bb"),
    "hiroshima-city-university": uuid.UUID("01995a1e-ec04-7c3b-afaa-5b35a59dde9f"),
    "sk-on": uuid.UUID("01995a1e-ec05-7474-820f-d44e6f89af0e"),
    "mps-korea": uuid.UUID("01995a1e-ec06-7548-9bbb-4744fc801e12"),
    # The ten Korean battery materials / equipment / packaging firms at the B2B tables (fictional).
    "hanbit-materials": uuid.UUID("01995a1e-ec07-75d2-b453-515332b64dae"),
    "seon-chemical": uuid.UUID("01995a1e-ec08-7e56-9cfe-ed954be0d80e"),
    "daon-energytech": uuid.UUID("01995a1e-ec09-790b-b84d-67ce9d99cc28"),
    "cheongsol-separator": uuid.UUID("01995a1e-ec0a-7e57-beea-5b82385b2aff"),
    "mirae-cell-equipment": uuid.UUID("01995a1e-ec0b-7e1b-b7d8-bb925e91999b"),
    "nuri-packaging": uuid.UUID("01995a1e-ec0c-7534-bdb8-ab875a53483d"),
    "onsaemi-foil": uuid.UUID("01995a1e-ec0d-7457-b9b7-49138b4997c3"),
    "solmaru-binder": uuid.UUID("01995a1e-ec0e-7ac3-81ca-2e1f0ba2013a"),
    "haedeun-coating": uuid.UUID("01995a1e-ec0f-7c57-a4b4-d3ff9734c50a"),
    "gyeol-solid-state": uuid.UUID("01995a1e-ec10-7a98-bcf1-1c9fd23ea961"),
    # Japanese companies from Aichi (fictional).
    "mikawa-battery-materials": uuid.UUID("01995a1e-ec11-732d-88c2-7cf8b197a476"),
    "owari-precision": uuid.UUID("01995a1e-ec12-7476-aa47-5c6354f4aae2"),
    "chita-energy": uuid.UUID("01995a1e-ec13-7b53-a413-9dffea2a95cd"),
    "toyohashi-separator": uuid.UUID("01995a1e-ec14-7633-99a9-5b04cd9ffd03"),
    "meiko-recycling": uuid.UUID("01995a1e-ec15-7418-b662-fa691cde342e"),
}
"""Registry demo key → id of the companies, university and start-ups of the 2025 plaza (a registry test pins
them): the meetings and investment demo data and request examples name them."""

DEMO_EVENT_ID = uuid.UUID("01995a1e-ec00-7e00-8000-000000000e01")
"""The meetings service's demo event: the 2025 Korea–Japan Next-Generation Battery Plaza."""


_MEETINGS_DEMO_EPOCH_MS = int(datetime(2025, 9, 18, tzinfo=UTC).timestamp() * 1000)


def meetings_demo_id(kind: str, key: str, position: int = 0) -> uuid.UUID:
    """The fixed id of a record of the meetings demo (e.g. `("meeting", "mikawa-1>hanbit-1", 0)`: the
    meeting of the demo's first request): the investment demo's leads name the demo meetings by it."""
    return deterministic_uuid7(_MEETINGS_DEMO_EPOCH_MS + position, f"plaza-demo-meetings:{kind}:{key}")
