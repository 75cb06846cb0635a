"""The API shape of activities."""

from datetime import date

from investment.activities.models import Activity, ActivityKind
from investment.activities.schemas import ActivityRead


def to_read(activity: Activity, today: date) -> ActivityRead:
    """An activity; `today` decides whether an open task is overdue."""
    return ActivityRead(
        id=activity.id,
        lead_id=activity.lead_id,
        kind=ActivityKind(activity.kind),
        subject=activity.subject,
        body=activity.body,
        occurred_at=activity.occurred_at,
        due_date=activity.due_date,
        completed_at=activity.completed_at,
        overdue=activity.completed_at is None and activity.due_date is not None and activity.due_date < today,
        created_by=activity.created_by,
        created_by_organisation_id=activity.created_by_organisation_id,
        version=activity.version,
        created_at=activity.created_at,
        updated_at=activity.updated_at,
    )
