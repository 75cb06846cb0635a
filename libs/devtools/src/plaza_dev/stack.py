"""The whole platform on one machine: database bootstrap, migrations, demo data, clients, processes.

Used by the run command (`plaza run`) and by the end-to-end tests, so both start the set the same way:
services trust the gateway's signing key (`<SERVICE>_TRUSTED_KEYS`), the gateway holds it
(`GATEWAY_SIGNING_KEY`), and the demo clients exist at the gateway with the keys in `credentials`.
"""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from plaza_dev.embedded_pg import free_port
from plaza_dev.keys import SigningKey, demo_seed, signing_key, trusted_jwks_json
from plaza_dev.processes import ChildProcess
from plaza_kit.bootstrap import bootstrap, service_url
from plaza_kit.catalogue import COMPONENTS, GATEWAY, SERVICES, resolve
from plaza_kit.migrations import upgrade

DEFAULT_PORTS = {component.name: component.default_port for component in COMPONENTS}


class ClientCredentials(Protocol):
    """A client provisioned at the gateway and its API key (see `gateway.provision.ClientCredentials`)."""

    @property
    def client_id(self) -> uuid.UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str: ...


@dataclass
class Stack:
    """The services and the gateway over one PostgreSQL database."""

    admin_url: str
    database: str
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    log_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    children: list[ChildProcess] = field(default_factory=list)
    keys_dir: Path | None = None  # None: a fresh signing key and demo seed for this stack only
    redis_url: str | None = None  # shared rate limits and revocations (GATEWAY_REDIS_URL)
    redis_prefix: str | None = None  # keeps this stack's Redis keys apart from other stacks'
    signing: SigningKey = field(init=False)  # the gateway's
    service_keys: dict[str, SigningKey] = field(init=False)  # each service's own, for calls between them
    credentials: dict[str, ClientCredentials] = field(default_factory=dict, init=False)  # demo clients

    def __post_init__(self) -> None:
        self.signing = signing_key(self.keys_dir)
        self.service_keys = {service.name: signing_key(self.keys_dir, service.name) for service in SERVICES}
        self._seed = demo_seed(self.keys_dir)

    @classmethod
    def on_free_ports(cls, admin_url: str, database: str, **kwargs: object) -> "Stack":
        """A stack whose processes listen on ports nothing else uses (tests run beside a dev stack)."""
        ports = {name: free_port() for name in DEFAULT_PORTS}
        return cls(admin_url=admin_url, database=database, ports=ports, **kwargs)  # type: ignore[arg-type]

    def database_url(self, service: str) -> str:
        """The URL `service` (or the gateway) connects with (its own role)."""
        return service_url(self.admin_url, self.database, service)

    def prepare(self, load_demo: bool = False) -> None:
        """Bootstrap the database, migrate every component, optionally load each one's demo data (the
        catalogue's `demo_data` entry points), and provision the gateway's demo clients."""
        asyncio.run(bootstrap(self.admin_url, self.database))
        for component in COMPONENTS:
            upgrade(component.name, self.database_url(component.name))
        if load_demo:
            for component in COMPONENTS:
                if component.demo_data is not None:
                    resolve(component.demo_data)(self.database_url(component.name))
        provisioning = resolve(f"{GATEWAY.provisioning}")
        self.credentials.update(
            provisioning.provision_demo_clients(self.database_url(GATEWAY.name), self._seed)
        )

    def create_client(
        self,
        name: str,
        scopes: Sequence[str],
        organisation_id: uuid.UUID | None = None,
        *,
        rate_per_minute: int = 600,
        burst: int = 100,
    ) -> ClientCredentials:
        """Create (or update) a client with a new key, directly in the gateway's database (benchmarks)."""
        provisioning = resolve(f"{GATEWAY.provisioning}")
        created: ClientCredentials = provisioning.provision_client(
            self.database_url(GATEWAY.name),
            name,
            scopes,
            organisation_id,
            rate_per_minute=rate_per_minute,
            burst=burst,
        )
        return created

    def key(self, name: str) -> str:
        """The API key of a demo client: `kotra`, `consulate`, `consortium` or `admin`."""
        return self.credentials[name].key

    def service_env(self, service: str) -> dict[str, str]:
        """Environment of one service process."""
        prefix = service.upper()  # the catalogue's env_prefix without its underscore
        return {
            f"{prefix}_DATABASE_URL": self.database_url(service),
            f"{prefix}_PORT": str(self.ports[service]),
            f"{prefix}_TRUSTED_KEYS": trusted_jwks_json([self.signing, *self.service_keys.values()]),
            f"{prefix}_SIGNING_KEY": self.service_keys[service].pem,
            f"{prefix}_SIGNING_KEY_ID": self.service_keys[service].kid,
            **{
                f"{prefix}_{upstream.name.upper()}_URL": f"http://127.0.0.1:{self.ports[upstream.name]}"
                for upstream in SERVICES
                if upstream.name != service
            },
            **self.extra_env,
        }

    def gateway_env(self, port: int | None = None) -> dict[str, str]:
        """Environment of a gateway process (on `port`, by default the stack's gateway port)."""
        env = {
            "GATEWAY_PORT": str(port or self.ports["gateway"]),
            "GATEWAY_DATABASE_URL": self.database_url("gateway"),
            "GATEWAY_SIGNING_KEY": self.signing.pem,
            "GATEWAY_SIGNING_KEY_ID": self.signing.kid,
        }
        if self.redis_url:
            env["GATEWAY_REDIS_URL"] = self.redis_url
        if self.redis_prefix:
            env["GATEWAY_REDIS_PREFIX"] = self.redis_prefix
        for service in SERVICES:
            env[f"{GATEWAY.env_prefix}{service.name.upper()}_URL"] = (
                f"http://127.0.0.1:{self.ports[service.name]}"
            )
        return {**env, **self.extra_env}

    def _log_path(self, name: str) -> str | None:
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return str(self.log_dir / f"{name}.log")

    def start(self, timeout: float = 60.0) -> None:
        """Start the services, wait until they are ready, then the gateway."""
        for service in SERVICES:
            child = ChildProcess(
                service.name,
                service.name,
                self.ports[service.name],
                self.service_env(service.name),
                log_path=self._log_path(service.name),
            )
            child.start()
            self.children.append(child)
        for child in self.children:
            child.wait_ready(timeout)
        self.start_gateway("gateway", self.ports["gateway"], timeout)

    def start_gateway(self, name: str, port: int, timeout: float = 60.0) -> ChildProcess:
        """Start a gateway process (another replica when the stack runs already) and wait until ready."""
        gateway = ChildProcess(name, "gateway", port, self.gateway_env(port), log_path=self._log_path(name))
        gateway.start()
        self.children.append(gateway)
        gateway.wait_ready(timeout)
        return gateway

    def child(self, name: str) -> ChildProcess:
        """The running process called `name`."""
        return next(child for child in self.children if child.name == name)

    def stop(self) -> None:
        """Stop every process, gateways first."""
        for child in reversed(self.children):
            child.stop()
        self.children.clear()

    @property
    def gateway_url(self) -> str:
        """Where partner systems call."""
        return f"http://127.0.0.1:{self.ports['gateway']}"
