"""Which service owns which public path: `/v1/<collection>/...` → service.

The table is explicit on purpose: a partner-facing path changes owner only by a reviewed edit here. Tests
check it against the catalogue (`plaza_kit.catalogue`: each service's `collections`), and that every path
every service documents is routed to that service. The gateway's own collections (`admin`, `oauth`) are
answered by the gateway itself and can never be routed to a service.
"""

from plaza_kit.catalogue import GATEWAY, SERVICES

COLLECTION_OWNERS: dict[str, str] = {
    "companies": "registry",
    "organisations": "registry",
    "sectors": "registry",
    "events": "meetings",
    "meetings": "meetings",
    "leads": "investment",
    "deals": "investment",
}
GATEWAY_COLLECTIONS = frozenset(GATEWAY.collections)
API_PREFIX = "/v1/"

assert not GATEWAY_COLLECTIONS & COLLECTION_OWNERS.keys(), "the gateway's own collections are not proxied"


def catalogue_routes() -> dict[str, str]:
    """The routing table the catalogue implies; `COLLECTION_OWNERS` must equal it (a test checks)."""
    return {collection: service.name for service in SERVICES for collection in service.collections}


def owner_of(path: str, owners: dict[str, str] = COLLECTION_OWNERS) -> str | None:
    """The service that serves `path`, or None when no service does (the gateway's own paths included)."""
    if not path.startswith(API_PREFIX):
        return None
    collection = path[len(API_PREFIX) :].split("/", 1)[0]
    if collection in GATEWAY_COLLECTIONS:
        return None
    return owners.get(collection)
