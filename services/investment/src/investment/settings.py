"""Investment settings: environment variables prefixed `INVESTMENT_` (see the service README)."""

from pydantic_settings import SettingsConfigDict

from plaza_kit.settings import ServiceSettings


class InvestmentSettings(ServiceSettings):
    """Settings of the investment service."""

    model_config = SettingsConfigDict(env_prefix="INVESTMENT_", extra="ignore")

    port: int = 8003
