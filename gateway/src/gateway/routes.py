"""Which service owns which public path: `/v1/<collection>/...` → service.

The table is explicit on purpose: a partner-facing path changes owner only by a reviewed edit here, and a
test checks that every path every service documents is routed to that service.
"""

COLLECTION_OWNERS: dict[str, str] = {
    "companies": "registry",
    "organisations": "registry",
    "sectors": "registry",
    "events": "meetings",
    "meetings": "meetings",
    "leads": "investment",
    "deals": "investment",
}
API_PREFIX = "/v1/"


def owner_of(path: str) -> str | None:
    """The service that serves `path`, or None when no service does."""
    if not path.startswith(API_PREFIX):
        return None
    collection = path[len(API_PREFIX) :].split("/", 1)[0]
    return COLLECTION_OWNERS.get(collection)
