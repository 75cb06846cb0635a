"""Registry settings: environment variables prefixed `REGISTRY_` (see the service README)."""

from pydantic_settings import SettingsConfigDict

from plaza_kit.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    """Settings of the registry service."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore")

    port: int = 8001
