"""Which service owns which public path: `/v1/<collection>/...` → service.

The table is explicit on purpose: a partner-facing path changes owner only by a reviewed edit here. Tests
check it against the catalogue (`plaza_kit.catalogue`: each service's `collections`), and that every path
every service documents is routed to that service. The gateway's own collections (`admin`, `oauth`) are
answered by the gateway itself and can never be routed to a service.

Public collections (`PUBLIC_COLLECTIONS`, checked against the catalogue's `public_collections`) are read
without a credential: the secret in their path is the credential (`plaza_kit.auth.secret_url`), so the
gateway forwards GET/HEAD with no identity, limits them per client address, and logs their paths redacted.
"""

from plaza_kit.catalogue import GATEWAY, SERVICES

COLLECTION_OWNERS: dict[str, str] = {
    "companies": "registry",
    "organisations": "registry",
    "sectors": "registry",
    "events": "meetings",
    "meetings": "meetings",
    "calendar": "meetings",
    "leads": "investment",
    "pipelines": "investment",
    "fx-rates": "investment",
    "reports": "investment",
}
PUBLIC_COLLECTIONS = frozenset({"calendar"})
GATEWAY_COLLECTIONS = frozenset(GATEWAY.collections)
API_PREFIX = "/v1/"
PUBLIC_PREFIXES = tuple(sorted(f"{API_PREFIX}{collection}/" for collection in PUBLIC_COLLECTIONS))
"""`str.startswith` takes a tuple: one call tells a public path from the others on the hot path."""
REDACTED_SEGMENT = "{redacted}"

assert not GATEWAY_COLLECTIONS & COLLECTION_OWNERS.keys(), "the gateway's own collections are not proxied"
assert COLLECTION_OWNERS.keys() >= PUBLIC_COLLECTIONS, "a public collection is owned by a service"


def catalogue_routes() -> dict[str, str]:
    """The routing table the catalogue implies; `COLLECTION_OWNERS` must equal it (a test checks)."""
    return {collection: service.name for service in SERVICES for collection in service.collections}


def catalogue_public_collections() -> frozenset[str]:
    """The public collections the catalogue declares; `PUBLIC_COLLECTIONS` must equal them (a test checks)."""
    return frozenset(collection for service in SERVICES for collection in service.public_collections)


def is_public(path: str) -> bool:
    """Whether `path` is below a public collection (`/v1/calendar/...`), read without a credential."""
    return path.startswith(PUBLIC_PREFIXES)


def redacted(path: str) -> str:
    """A public path as logs may show it: the collection, every later segment (the secret) redacted."""
    collection, _, rest = path[len(API_PREFIX) :].partition("/")
    return f"{API_PREFIX}{collection}/{REDACTED_SEGMENT}" if rest else path


def owner_of(path: str, owners: dict[str, str] = COLLECTION_OWNERS) -> str | None:
    """The service that serves `path`, or None when no service does (the gateway's own paths included)."""
    if not path.startswith(API_PREFIX):
        return None
    collection = path[len(API_PREFIX) :].split("/", 1)[0]
    if collection in GATEWAY_COLLECTIONS:
        return None
    return owners.get(collection)
