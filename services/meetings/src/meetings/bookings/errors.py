"""The 409 problem of a lost booking: which resource was taken in which slot, by what, where to go next."""

import uuid
from collections.abc import Sequence
from typing import Any

from meetings.bookings.models import TakenClaim
from plaza_kit.errors import ConflictError


class SlotTakenError(ConflictError):
    """A resource the booking needs is held in that slot by something else (the database said so)."""

    slug, title = "slot-taken", "Slot taken"


def _held_by(taken: TakenClaim) -> dict[str, Any]:
    holder = taken.holder
    if holder.meeting_id is not None:
        return {"kind": "meeting", "id": str(holder.meeting_id)}
    if holder.request_id is not None:
        return {"kind": "request", "id": str(holder.request_id)}
    if holder.session_id is not None:
        return {"kind": "session", "id": str(holder.session_id)}
    if holder.blocked_slot_id is not None:
        return {"kind": "blocked_slot", "id": str(holder.blocked_slot_id)}
    return {"kind": "released"}  # held when we tried, released since: retrying may succeed


def slot_taken(
    taken: Sequence[TakenClaim],
    *,
    roles: dict[uuid.UUID, str] | None = None,
    next_free_slots: Sequence[dict[str, Any]] = (),
    reveal: bool = False,
) -> SlotTakenError:
    """The problem naming every taken resource; `roles` names resources for people ("interpreter", …).

    What holds a resource (another company's meeting, a person's session) is private: only organisers
    (`reveal`) learn it; others read `held_by: {"kind": "busy"}`.
    """
    roles = roles or {}
    described = [
        {
            "slot_id": str(item.claim.slot_id),
            "resource": {
                "kind": str(item.claim.kind),
                "id": str(item.claim.resource_id),
                "role": roles.get(item.claim.resource_id, str(item.claim.kind)),
            },
            "held_by": _held_by(item) if reveal else {"kind": "busy"},
        }
        for item in taken
    ]
    names = ", ".join(
        f"{roles.get(item.claim.resource_id, str(item.claim.kind))} {item.claim.resource_id}"
        for item in taken
    )
    return SlotTakenError(
        f"already booked in that slot: {names}",
        extensions={"taken": described, "next_free_slots": list(next_free_slots)},
    )
