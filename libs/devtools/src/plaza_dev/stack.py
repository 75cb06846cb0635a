"""The whole platform on one machine: database bootstrap, migrations, demo data, clients, processes.

Used by the run command (`plaza run`) and by the end-to-end tests, so both start the set the same way:
services trust the gateway's signing key (`<SERVICE>_TRUSTED_KEYS`), the gateway holds it
(`GATEWAY_SIGNING_KEY`), and the demo clients exist at the gateway with the keys in `credentials`.
"""

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gateway.keys import new_key
from gateway.provision import ClientCredentials, ClientSpec, provision
from plaza_dev.demo_clients import demo_specs
from plaza_dev.embedded_pg import free_port
from plaza_dev.keys import SigningKey, demo_seed, signing_key
from plaza_dev.processes import ChildProcess
from plaza_kit.bootstrap import bootstrap, service_url
from plaza_kit.migrations import upgrade

SERVICES: tuple[str, ...] = ("registry", "meetings", "investment")
MIGRATED: tuple[str, ...] = (*SERVICES, "gateway")
DEFAULT_PORTS = {"gateway": 8000, "registry": 8001, "meetings": 8002, "investment": 8003}


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
    signing: SigningKey = field(init=False)
    credentials: dict[str, ClientCredentials] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.signing = signing_key(self.keys_dir)
        self._seed = demo_seed(self.keys_dir)

    @classmethod
    def on_free_ports(cls, admin_url: str, database: str, **kwargs: object) -> "Stack":
        """A stack whose processes listen on ports nothing else uses (tests run beside a dev stack)."""
        ports = {name: free_port() for name in DEFAULT_PORTS}
        return cls(admin_url=admin_url, database=database, ports=ports, **kwargs)  # type: ignore[arg-type]

    def database_url(self, service: str) -> str:
        """The URL `service` (or the gateway) connects with (its own role)."""
        return service_url(self.admin_url, self.database, service)

    def prepare(self, load_demo: Callable[[str], None] | None = None) -> None:
        """Bootstrap the database, migrate, optionally load demo data, and provision the demo clients."""
        asyncio.run(bootstrap(self.admin_url, self.database))
        for service in MIGRATED:
            upgrade(service, self.database_url(service))
        if load_demo is not None:
            load_demo(self.database_url("registry"))
        for created in asyncio.run(provision(self.database_url("gateway"), demo_specs(self._seed))):
            self.credentials[created.name.removeprefix("demo-")] = created

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
        spec = ClientSpec(name, tuple(scopes), organisation_id, rate_per_minute, burst)
        [created] = asyncio.run(provision(self.database_url("gateway"), [(spec, new_key())]))
        return created

    def key(self, name: str) -> str:
        """The API key of a demo client: `kotra`, `consulate`, `consortium` or `admin`."""
        return self.credentials[name].key

    def service_env(self, service: str) -> dict[str, str]:
        """Environment of one service process."""
        prefix = service.upper()
        return {
            f"{prefix}_DATABASE_URL": self.database_url(service),
            f"{prefix}_PORT": str(self.ports[service]),
            f"{prefix}_TRUSTED_KEYS": self.signing.jwks_json,
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
            env[f"GATEWAY_{service.upper()}_URL"] = f"http://127.0.0.1:{self.ports[service]}"
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
                service,
                service,
                self.ports[service],
                self.service_env(service),
                log_path=self._log_path(service),
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
