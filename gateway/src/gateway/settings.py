"""Gateway settings: environment variables prefixed `GATEWAY_` (see the gateway README)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    connect_timeout: float = Field(default=1.0, description="Seconds to open a connection to a service.")
    read_timeout: float = Field(default=30.0, description="Seconds to wait for a service's next bytes.")
    pool_size: int = Field(default=100, description="Open connections kept per service.")
    max_body_bytes: int = Field(default=1_048_576, description="Largest request body accepted.")
    openapi_ttl: float = Field(
        default=30.0, description="Seconds a fetched service OpenAPI document is reused."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")

    def upstreams(self) -> dict[str, str]:
        """Service name → base URL."""
        return {
            "registry": self.registry_url,
            "meetings": self.meetings_url,
            "investment": self.investment_url,
        }
