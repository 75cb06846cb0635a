"""Settings shared by every component: `ComponentSettings` (the services and the gateway), `ServiceSettings`.

Settings are never built at import time: the app factory receives them, so tests construct their own.
"""

import os
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from plaza_kit.catalogue import component, service_names


def upstream_variable(prefix: str, service: str) -> str:
    """The environment variable naming a service's base URL for a component, e.g. `GATEWAY_REGISTRY_URL`."""
    return f"{prefix.upper()}{service.upper()}_URL"


def asyncpg_url(url: str) -> str:
    """A SQLAlchemy URL that uses asyncpg, from a plain `postgresql://` URL (the form operators write)."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("the database URL must start with postgresql://")


class ComponentSettings(BaseSettings):
    """What every process of the platform needs, the services and the gateway alike: where it listens, its
    database and how long a request may wait for it, its cursor key, logs and body limit.

    Subclasses set the env prefix (`REGISTRY_`, `GATEWAY_`, …) and may change a default by redeclaring the
    field (e.g. the gateway's smaller pool).
    """

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    database_url: str = Field(description="PostgreSQL URL, connecting as this component's own role.")
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8001, description="Port to listen on.")
    cursor_secret: SecretStr = Field(
        default=SecretStr("plaza-development-cursor-secret"),
        description="Key that signs pagination cursors; set a random value of 32+ bytes in production.",
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    max_body_bytes: int = Field(default=1_048_576, description="Largest accepted request body.")
    db_pool_size: int = Field(default=10, description="Connections kept open in the pool.")
    db_max_overflow: int = Field(default=10, description="Extra connections allowed under load.")
    db_statement_timeout_ms: int = Field(default=15_000, description="Server-side statement timeout.")
    # A database that is down or saturated must be a quick 503, not a hang: both waits are bounded.
    db_connect_timeout: float = Field(
        default=2.0, gt=0, description="Seconds to open a database connection (then: 503)."
    )
    db_pool_timeout: float = Field(
        default=2.0, gt=0, description="Seconds to wait for a free pooled connection (then: 503)."
    )

    upstream_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Service name → base URL of the services this one calls (the gateway: proxies to), one "
        "`<PREFIX><SERVICE>_URL` variable each (e.g. `MEETINGS_REGISTRY_URL`, `GATEWAY_REGISTRY_URL`); "
        "unset: 127.0.0.1 at the catalogue's default port.",
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        asyncpg_url(value)
        return value

    @field_validator("upstream_urls")
    @classmethod
    def _known_upstreams(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(service_names())
        if unknown:
            raise ValueError(f"no such services: {sorted(unknown)}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Constructor arguments first, then the `<SERVICE>_<UPSTREAM>_URL` variables, then the usual."""
        upstreams = _UpstreamUrls(settings_cls)
        return init_settings, upstreams, env_settings, dotenv_settings, file_secret_settings

    def upstream_url(self, service: str) -> str:
        """The base URL of `service`: its `<PREFIX><SERVICE>_URL`, else 127.0.0.1 at its default port."""
        return self.upstream_urls.get(service) or f"http://127.0.0.1:{component(service).default_port}"


class ServiceSettings(ComponentSettings):
    """What every service needs; `<SERVICE>_` prefixes each variable (e.g. `REGISTRY_DATABASE_URL`)."""

    trusted_keys: str = Field(
        default='{"keys": []}',
        description="JWKS (JSON) of the public keys whose identity tokens this service accepts: the "
        "gateway's and the calling services'. Empty means every protected request is refused.",
    )
    # Calling other services (plaza_kit.client): see docs/architecture.md, "Calling another service".
    signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs this service's identity on its calls to other "
        "services; required when it has upstreams. The callees trust its public key (`trusted_keys`).",
    )
    signing_key_id: str | None = Field(
        default=None, description="Key id (`kid`) of the signing key; default `<service>-1`."
    )
    upstream_connect_timeout: float = Field(default=1.0, description="Seconds to connect to a service.")
    upstream_read_timeout: float = Field(default=5.0, description="Seconds to wait for a service's answer.")
    upstream_pool_timeout: float = Field(
        default=1.0, description="Seconds to wait for a free pooled connection to a service."
    )
    upstream_pool_size: int = Field(
        default=8, description="Connections (and calls in flight) to each service; more calls wait for one."
    )


class _UpstreamUrls(PydanticBaseSettingsSource):
    """`upstream_urls` from one `<SERVICE>_<UPSTREAM>_URL` variable per catalogue service."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        prefix = str(self.settings_cls.model_config.get("env_prefix", "")).upper()
        variables = {name: upstream_variable(prefix, name) for name in service_names()}
        urls = {name: os.environ[var] for name, var in variables.items() if os.environ.get(var)}
        return {"upstream_urls": urls} if urls else {}
