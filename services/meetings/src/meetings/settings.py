"""Meetings settings: environment variables prefixed `MEETINGS_` (see the service README)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from plaza_kit.settings import ServiceSettings


class MeetingsSettings(ServiceSettings):
    """Settings of the meetings service."""

    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")

    port: int = 8002
    scheduler_concurrency: int = Field(
        default=1, ge=1, description="Schedule runs solved at once by one service process; others queue."
    )
    scheduler_max_time_limit: int = Field(
        default=600, ge=1, description="Longest time limit (seconds) a schedule run may ask for."
    )
    scheduler_heartbeat_seconds: float = Field(
        default=1.0, gt=0, description="How often the supervisor records that a run's process lives."
    )
    scheduler_stale_seconds: float = Field(
        default=30.0, gt=0, description="A queued or running run without a heartbeat this long is failed."
    )
    scheduler_grace_seconds: float = Field(
        default=30.0, gt=0, description="Past its time limit plus this, a solver process is killed (failed)."
    )
    scheduler_command: list[str] | None = Field(
        default=None,
        description="The solver process (a JSON list); default: python -m meetings.schedule_runs.worker.",
    )
