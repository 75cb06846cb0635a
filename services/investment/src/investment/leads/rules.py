"""Rules on a lead's figures and history that the service and the presenter share (pure: no I/O)."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from investment.leads.models import Lead, LeadTransition, StageSpell, TransitionKind
from investment.pipelines.stages import effective_probability, pipeline_named


def reported_value(lead: Lead) -> tuple[Decimal, str] | None:
    """The value reports use: the signed value once signed, else the estimated value."""
    if lead.signed_amount is not None and lead.signed_currency is not None:
        return lead.signed_amount, lead.signed_currency
    if lead.value_amount is not None and lead.value_currency is not None:
        return lead.value_amount, lead.value_currency
    return None


def lead_probability(lead: Lead) -> int:
    """The probability of the lead's weighted value."""
    return effective_probability(pipeline_named(lead.pipeline), lead.stage, lead.status, lead.probability)


def stage_spells(transitions: Sequence[LeadTransition], now: datetime) -> list[StageSpell]:
    """The times spent in each stage, from the creation and stage entries of the log, in order."""
    entries = [t for t in transitions if t.kind in (TransitionKind.CREATED, TransitionKind.STAGE)]
    spells = []
    for index, entry in enumerate(entries):
        left = entries[index + 1].at if index + 1 < len(entries) else None
        seconds = int(((left or now) - entry.at).total_seconds())
        spells.append(StageSpell(entry.to_value, entry.at, left, max(seconds, 0)))
    return spells
