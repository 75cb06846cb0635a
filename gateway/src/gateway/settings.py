"""Gateway settings: environment variables prefixed `GATEWAY_` (see the gateway README)."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from plaza_kit.catalogue import SERVICES
from plaza_kit.settings import ComponentSettings
from plaza_kit.settings import upstream_variable as kit_upstream_variable

ENV_PREFIX = "GATEWAY_"


def upstream_variable(service: str) -> str:
    """The environment variable holding a service's base URL, e.g. `GATEWAY_REGISTRY_URL`."""
    return kit_upstream_variable(ENV_PREFIX, service)


class GatewaySettings(ComponentSettings):
    """Settings of the gateway: the kit's (`host`, `database_url`, `db_*`, `cursor_secret`, …) and its own."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    port: int = Field(default=8000, description="Port to listen on.")
    signing_key: SecretStr = Field(
        description="Ed25519 private key (PEM) that signs identity tokens for services and OAuth tokens."
    )
    signing_key_id: str = Field(default="gateway-1", description="Key id (`kid`) of the signing key.")
    redis_url: str | None = Field(
        default=None,
        description="Redis URL: rate limits and revocation shared by replicas. Unset: per process.",
    )
    redis_prefix: str = Field(default="plaza:gateway:", description="Prefix of every Redis key and channel.")
    cors_origins: str = Field(
        default="", description="Comma-separated browser origins allowed to call the API (CORS)."
    )
    hsts_seconds: int = Field(
        default=0, description="`Strict-Transport-Security` max-age; set it (e.g. 31536000) behind TLS only."
    )
    key_cache_ttl: float = Field(
        default=30.0, description="Seconds a looked-up API key is served from memory."
    )
    identity_ttl: int = Field(default=60, description="Lifetime of identity tokens forwarded to services.")
    access_token_ttl: int = Field(default=900, description="Lifetime of OAuth access tokens.")
    default_rate_per_minute: int = Field(default=600, description="Rate limit of new clients (per minute).")
    default_burst: int = Field(default=100, description="Burst of new clients (requests at once).")
    public_rate_per_minute: int = Field(
        default=120,
        gt=0,
        description="Rate limit per client address of requests without a credential to public collections "
        "(secret-URL calendar feeds), per minute.",
    )
    public_burst: int = Field(
        default=30, gt=0, description="Burst per client address on public collections (requests at once)."
    )
    connect_timeout: float = Field(default=1.0, description="Seconds to open a connection to a service.")
    read_timeout: float = Field(default=30.0, description="Seconds to wait for a service's next bytes.")
    body_timeout: float = Field(default=15.0, description="Seconds a client may take to send its body.")
    pool_size: int = Field(default=100, description="Open connections kept per service.")
    # Its database serves key lookups (cached), admin calls and audit batches: a small pool, short statements.
    db_pool_size: int = Field(default=5, description="Database connections (key lookups, admin, audit).")
    db_max_overflow: int = Field(default=5, description="Extra database connections allowed under load.")
    db_statement_timeout_ms: int = Field(default=5_000, description="Server-side statement timeout.")
    max_json_depth: int = Field(default=32, description="Deepest JSON nesting accepted in request bodies.")
    openapi_ttl: float = Field(
        default=30.0, description="Seconds a fetched service OpenAPI document is reused."
    )

    def upstreams(self) -> dict[str, str]:
        """Service name → base URL, for every service in the catalogue."""
        return {service.name: self.upstream_url(service.name) for service in SERVICES}

    def allowed_origins(self) -> frozenset[str]:
        """The CORS allow-list."""
        return frozenset(
            origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()
        )
