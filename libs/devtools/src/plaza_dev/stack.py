"""The whole platform on one machine: database bootstrap, migrations, demo data, processes.

Used by the run command (`plaza run`) and by the end-to-end tests, so both start the set the same way.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plaza_dev.embedded_pg import free_port
from plaza_dev.processes import ChildProcess
from plaza_kit.bootstrap import bootstrap, service_url
from plaza_kit.migrations import upgrade

SERVICES: tuple[str, ...] = ("registry", "meetings", "investment")
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

    @classmethod
    def on_free_ports(cls, admin_url: str, database: str, **kwargs: object) -> "Stack":
        """A stack whose processes listen on ports nothing else uses (tests run beside a dev stack)."""
        ports = {name: free_port() for name in DEFAULT_PORTS}
        return cls(admin_url=admin_url, database=database, ports=ports, **kwargs)  # type: ignore[arg-type]

    def database_url(self, service: str) -> str:
        """The URL `service` connects with (its own role)."""
        return service_url(self.admin_url, self.database, service)

    def prepare(self, load_demo: Callable[[str], None] | None = None) -> None:
        """Bootstrap the database, migrate every service, and optionally load demo data."""
        asyncio.run(bootstrap(self.admin_url, self.database))
        for service in SERVICES:
            upgrade(service, self.database_url(service))
        if load_demo is not None:
            load_demo(self.database_url("registry"))

    def service_env(self, service: str) -> dict[str, str]:
        """Environment of one service process."""
        prefix = service.upper()
        return {
            f"{prefix}_DATABASE_URL": self.database_url(service),
            f"{prefix}_PORT": str(self.ports[service]),
            **self.extra_env,
        }

    def gateway_env(self) -> dict[str, str]:
        """Environment of the gateway process."""
        env = {"GATEWAY_PORT": str(self.ports["gateway"]), **self.extra_env}
        for service in SERVICES:
            env[f"GATEWAY_{service.upper()}_URL"] = f"http://127.0.0.1:{self.ports[service]}"
        return env

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
        gateway = ChildProcess(
            "gateway",
            "gateway",
            self.ports["gateway"],
            self.gateway_env(),
            log_path=self._log_path("gateway"),
        )
        gateway.start()
        self.children.append(gateway)
        gateway.wait_ready(timeout)

    def child(self, name: str) -> ChildProcess:
        """The running process called `name`."""
        return next(child for child in self.children if child.name == name)

    def stop(self) -> None:
        """Stop every process, gateway first."""
        for child in reversed(self.children):
            child.stop()
        self.children.clear()

    @property
    def gateway_url(self) -> str:
        """Where partner systems call."""
        return f"http://127.0.0.1:{self.ports['gateway']}"
