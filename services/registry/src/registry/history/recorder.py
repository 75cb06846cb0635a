"""Recording company changes, in the same transaction as the change itself."""

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.context import current_request_id
from plaza_kit.identity import Principal
from registry.history.models import CompanyChange


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """field → [before, after] for every field whose value differs."""
    return {
        field: [before.get(field), after.get(field)]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


async def record_change(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    action: str,
    principal: Principal,
    changes: Mapping[str, Any],
) -> None:
    """Add one history entry for `company_id` (who: the principal; when: now; what: `changes`)."""
    session.add(
        CompanyChange(
            company_id=company_id,
            action=action,
            actor=principal.subject,
            actor_organisation_id=principal.organisation_id,
            request_id=current_request_id(),
            changes=dict(changes),
        )
    )
