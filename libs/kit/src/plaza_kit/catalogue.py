"""The one catalogue of the platform's components: every service, and the gateway in front of them.

Everything that needs to know which services exist reads it — the database bootstrap (schemas and roles),
the `Stack` that runs the platform, the pytest plugin, the gateway's settings (one `GATEWAY_<NAME>_URL` per
service) and its routing table (checked against `collections`), and the compose check. Adding a service is one
entry here plus its package; `tests/test_catalogue.py` fails when another module lists services itself.

Entry points (`demo_data`, `provisioning`) are `module:attribute` strings resolved at run time, so the
libraries never import a service's package (import-linter enforces that; see `.importlinter`).
"""

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Component:
    """A process of the platform with its own PostgreSQL schema and role."""

    name: str  # the Python package, the schema, and the process name
    title: str
    default_port: int
    collections: tuple[str, ...]  # first path segments after /v1/ that this component answers
    demo_data: str | None = None  # "module:function": function(database_url) loads the demo data
    provisioning: str | None = None  # "module:attribute": the gateway's client provisioning for dev tools
    # Collections (among `collections`) the gateway forwards without a credential, rate-limited per client
    # address: their operations declare `secret_url()` (the secret in the path is the credential).
    public_collections: tuple[str, ...] = ()
    # The services it calls (`plaza_kit.client`): each gets a pooled client with `<name>:read`, and the
    # component's settings a `<NAME>_<UPSTREAM>_URL`.
    upstreams: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not set(self.public_collections) <= set(self.collections):
            raise ValueError(f"{self.name}: public_collections must be among its collections")

    @property
    def schema(self) -> str:
        """The PostgreSQL schema the component owns."""
        return self.name

    @property
    def role(self) -> str:
        """The PostgreSQL login role the component connects as (owner of its schema)."""
        return f"plaza_{self.name}"

    @property
    def env_prefix(self) -> str:
        """Prefix of the component's settings, e.g. `REGISTRY_` in `REGISTRY_DATABASE_URL`."""
        return f"{self.name.upper()}_"

    @property
    def app_factory(self) -> str:
        """`module:function` building the component's ASGI app."""
        return f"{self.name}.app:create_app"

    @property
    def settings_class(self) -> str:
        """`module:class` of the component's settings (e.g. `registry.settings:RegistrySettings`)."""
        return f"{self.name}.settings:{self.name.capitalize()}Settings"


SERVICES: tuple[Component, ...] = (
    Component(
        name="registry",
        title="Registry",
        default_port=8001,
        collections=("companies", "organisations", "sectors"),
        demo_data="registry.demo:load_demo_sync",
    ),
    Component(
        name="meetings",
        title="Meetings",
        default_port=8002,
        collections=("events", "meetings", "calendar"),
        public_collections=("calendar",),
        demo_data="meetings.demo:load_demo_sync",
        upstreams=("registry",),
    ),
    Component(
        name="investment",
        title="Investment",
        default_port=8003,
        collections=("leads", "pipelines", "fx-rates", "reports"),
        demo_data="investment.demo:load_demo_sync",
        upstreams=("registry", "meetings"),
    ),
)
"""The services behind the gateway, in start order."""

GATEWAY = Component(
    name="gateway",
    title="Gateway",
    default_port=8000,
    collections=("admin", "oauth"),
    provisioning="gateway.demo",
)
"""The one entry point; its own collections are never proxied."""

COMPONENTS: tuple[Component, ...] = (*SERVICES, GATEWAY)
"""Everything with a schema: bootstrapped and migrated in this order."""


def service_names() -> tuple[str, ...]:
    """The names of the services behind the gateway."""
    return tuple(service.name for service in SERVICES)


def component(name: str) -> Component:
    """The component called `name`; KeyError names the known ones."""
    for entry in COMPONENTS:
        if entry.name == name:
            return entry
    raise KeyError(f"no component {name!r}; known: {', '.join(entry.name for entry in COMPONENTS)}")


def resolve(reference: str) -> Any:
    """The object an entry point names: `package.module:attribute`, or a whole module without `:`."""
    module_name, _, attribute = reference.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module
