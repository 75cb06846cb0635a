"""Meetings settings: environment variables prefixed `MEETINGS_` (see the service README)."""

from pydantic_settings import SettingsConfigDict

from plaza_kit.settings import ServiceSettings


class MeetingsSettings(ServiceSettings):
    """Settings of the meetings service."""

    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")

    port: int = 8002
