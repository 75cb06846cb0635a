"""Gateway settings: environment variables prefixed `GATEWAY_` (see the gateway README)."""

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from plaza_kit.settings import asyncpg_url


class GatewaySettings(BaseSettings):
    """Settings of the gateway."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8000, description="Port to listen on.")
    registry_url: str = Field(default="http://127.0.0.1:8001", description="Base URL of the registry.")
    meetings_url: str = Field(
        default="http://127.0.0.1:8002", description="Base URL of the meetings service."
    )
    investment_url: str = Field(
        default="http://127.0.0.1:8003", description="Base URL of the investment service."
    )
    database_url: str = Field(
        description="PostgreSQL URL of the gateway's own role (`plaza_gateway`, schema `gateway`)."
    )
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
    cursor_secret: SecretStr = Field(
        default=SecretStr("plaza-development-cursor-secret"),
        description="Key that signs pagination cursors; set a random value of 32+ bytes in production.",
    )
    connect_timeout: float = Field(default=1.0, description="Seconds to open a connection to a service.")
    read_timeout: float = Field(default=30.0, description="Seconds to wait for a service's next bytes.")
    body_timeout: float = Field(default=15.0, description="Seconds a client may take to send its body.")
    pool_size: int = Field(default=100, description="Open connections kept per service.")
    db_pool_size: int = Field(default=5, description="Database connections (key lookups, admin, audit).")
    max_body_bytes: int = Field(default=1_048_576, description="Largest request body accepted.")
    max_json_depth: int = Field(default=32, description="Deepest JSON nesting accepted in request bodies.")
    openapi_ttl: float = Field(
        default=30.0, description="Seconds a fetched service OpenAPI document is reused."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        asyncpg_url(value)
        return value

    def upstreams(self) -> dict[str, str]:
        """Service name → base URL."""
        return {
            "registry": self.registry_url,
            "meetings": self.meetings_url,
            "investment": self.investment_url,
        }

    def allowed_origins(self) -> frozenset[str]:
        """The CORS allow-list."""
        return frozenset(
            origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()
        )
