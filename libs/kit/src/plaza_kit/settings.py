"""Settings shared by every service; each service subclasses with its own env prefix.

Settings are never built at import time: the app factory receives them, so tests construct their own.
"""

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def asyncpg_url(url: str) -> str:
    """A SQLAlchemy URL that uses asyncpg, from a plain `postgresql://` URL (the form operators write)."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("the database URL must start with postgresql://")


class ServiceSettings(BaseSettings):
    """What every service needs; `<SERVICE>_` prefixes each variable (e.g. `REGISTRY_DATABASE_URL`)."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    database_url: str = Field(description="PostgreSQL URL, connecting as this service's own role.")
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8001, description="Port to listen on.")
    cursor_secret: SecretStr = Field(
        default=SecretStr("plaza-development-cursor-secret"),
        description="Key that signs pagination cursors; set a random value of 32+ bytes in production.",
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    trusted_keys: str = Field(
        default='{"keys": []}',
        description="JWKS (JSON) of the public keys whose identity tokens this service accepts: the "
        "gateway's and the calling services'. Empty means every protected request is refused.",
    )
    max_body_bytes: int = Field(default=1_048_576, description="Largest accepted request body.")
    db_pool_size: int = Field(default=10, description="Connections kept open in the pool.")
    db_max_overflow: int = Field(default=10, description="Extra connections allowed under load.")
    db_statement_timeout_ms: int = Field(default=15_000, description="Server-side statement timeout.")

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        asyncpg_url(value)
        return value
