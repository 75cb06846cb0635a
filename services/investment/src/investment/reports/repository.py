"""The reports' statements: every figure is a GROUP BY over the leads the caller may see
(`investment.leads.repository.visible_to`), summed exactly per group and currency, with the rate of each
currency on the report's date joined in (one index probe per group row: `LATERAL … ORDER BY rate_date DESC
LIMIT 1` on the key of `fx_rate`). No commits here.

A lead's reported value is its signed value once signed, else its estimated value; its probability is 100
once won, 0 once lost or abandoned, else its own or its stage's default (the same rules as
`investment.leads.rules`, here as SQL: a table of the stages' defaults).

**Cost** (issue 10, bench/README.md). A report reads every visible lead, so what it does per lead is what
grows. The pipeline report first groups the visible leads on their raw columns (pipeline, stage, deal type,
status, own probability, currency: one count and one sum a lead) and only then joins the stage defaults and
weighs, per group (Σ amount × p over a group's leads is p × its Σ amount, exactly, in `numeric`); the other
reports' keys (events, companies, won deals' dimensions) leave too many groups for that to pay (measured
slower for the per-event report). Every statement is cacheable by SQLAlchemy (the defaults are `unnest` of
array parameters: a VALUES list with data is not cacheable, so each report was compiled anew).
"""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    column,
    func,
    literal,
    null,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import CTE, Subquery

from investment.fx.models import FxRate, RateOn
from investment.leads.models import Lead, LeadSigningRate, LeadStageSpell
from investment.leads.repository import visible_to
from investment.pipelines.stages import PIPELINES
from investment.reports.models import CompanyName, CurrencyGroup, SigningGroup, StageSpellStats

LIVE_STATUSES = ("open", "on_hold")
_SIGNED = Lead.signed_amount.is_not(None)
AMOUNT = case((_SIGNED, Lead.signed_amount), else_=Lead.value_amount)
CURRENCY = case((_SIGNED, Lead.signed_currency), else_=Lead.value_currency)


class Viewer:
    """Whose leads a report counts: an organisation's own and those shared with it (admins: all)."""

    def __init__(self, organisation_id: uuid.UUID | None, *, everything: bool) -> None:
        self.organisation_id = organisation_id
        self.everything = everything

    def condition(self) -> ColumnElement[bool]:
        """The leads this viewer may see, as SQL."""
        return visible_to(self.organisation_id, everything=self.everything)


def _stage_defaults() -> Any:
    """The stages' default probabilities as a table `defaults (pipeline, stage, probability)`."""
    rows = [(p.code, s.code, s.default_probability) for p in PIPELINES for s in p.stages]
    pipelines, stages, probabilities = (list(column) for column in zip(*rows, strict=True))
    return (
        func.unnest(
            literal(pipelines, ARRAY(String)),
            literal(stages, ARRAY(String)),
            literal(probabilities, ARRAY(Integer)),
        )
        .table_valued(column("pipeline", String), column("stage", String), column("probability", Integer))
        .render_derived(name="defaults")
    )


def _probability(
    default: ColumnElement[int], status: ColumnElement[str], own: ColumnElement[int | None]
) -> ColumnElement[int]:
    """100 once won, 0 once lost or abandoned, else the lead's own probability or its stage's default."""
    return case(
        (status == "won", 100),
        (status.in_(("lost", "abandoned")), 0),
        else_=func.coalesce(own, default),
    )


def _valued_leads(viewer: Viewer, *keys: ColumnElement[Any]) -> Select[Any]:
    """The visible leads as (keys…, currency, amount, probability, status)."""
    defaults = _stage_defaults()
    return (
        select(
            *keys,
            CURRENCY.label("currency"),
            AMOUNT.label("amount"),
            _probability(defaults.c.probability, Lead.status.expression, Lead.probability.expression).label(
                "probability"
            ),
            Lead.status.label("status"),
        )
        .join(defaults, and_(defaults.c.pipeline == Lead.pipeline, defaults.c.stage == Lead.stage))
        .where(viewer.condition())
    )


def _sums(base: Subquery, keys: Sequence[str], group_by: Sequence[Any] | None = None) -> Select[Any]:
    """Per keys and currency: leads, Σ amount, Σ amount × probability, won leads and their Σ amount."""
    b = base.c
    key_columns = [b[name] for name in keys]
    won = b.status == "won"
    return select(
        *key_columns,
        b.currency,
        func.count().label("leads"),
        func.sum(b.amount).label("amount"),
        func.sum(b.amount * b.probability).label("weighted"),
        func.count().filter(won).label("won"),
        func.sum(b.amount).filter(won).label("won_amount"),
    ).group_by(*(group_by if group_by is not None else [*key_columns, b.currency]))


def _grouped_leads(viewer: Viewer, *keys: ColumnElement[Any]) -> Select[Any]:
    """The visible leads grouped by (keys…, pipeline, stage, status, own probability, currency): how many
    (`n`) and Σ amount. What `_sums_of_groups` then weighs and sums per report line."""
    own_keys = [
        *keys,
        Lead.pipeline.label("lead_pipeline"),
        Lead.stage.label("lead_stage"),
        Lead.status.label("status"),
        Lead.probability.label("own_probability"),
        CURRENCY.label("currency"),
    ]
    return (
        select(*own_keys, func.count().label("n"), func.sum(AMOUNT).label("amount"))
        .where(viewer.condition())
        .group_by(*own_keys)
    )


def _sums_of_groups(
    grouped: Subquery, keys: Sequence[str], group_by: Sequence[Any] | None = None
) -> Select[Any]:
    """`_sums` over `_grouped_leads`: the same figures (leads, Σ amount, Σ amount × probability, won leads
    and their Σ amount), each group's probability from its status, own probability and stage default."""
    g = grouped.c
    defaults = _stage_defaults()
    key_columns = [g[name] for name in keys]
    won = g.status == "won"
    probability = _probability(defaults.c.probability, g.status, g.own_probability)
    return (
        select(
            *key_columns,
            g.currency,
            func.sum(g.n).label("leads"),
            func.sum(g.amount).label("amount"),
            func.sum(g.amount * probability).label("weighted"),
            func.coalesce(func.sum(g.n).filter(won), 0).label("won"),
            func.sum(g.amount).filter(won).label("won_amount"),
        )
        .join(defaults, and_(defaults.c.pipeline == g.lead_pipeline, defaults.c.stage == g.lead_stage))
        .group_by(*(group_by if group_by is not None else [*key_columns, g.currency]))
    )


async def _with_rates(
    session: AsyncSession, grouped: Select[Any], keys: int, on: date, *extra: str
) -> list[tuple[CurrencyGroup, tuple[Any, ...]]]:
    """The grouped rows, each with its currency's rate on `on` (and the `extra` columns it selected)."""
    g = grouped.subquery("grouped")
    rate = (
        select(FxRate.rate, FxRate.rate_date, FxRate.source)
        .where(FxRate.currency == g.c.currency, FxRate.rate_date <= on)
        .order_by(FxRate.rate_date.desc())
        .limit(1)
        .lateral("rate")
    )
    query = select(g, rate.c.rate, rate.c.rate_date, rate.c.source).outerjoin(rate, true())
    found = []
    for row in (await session.execute(query)).all():
        fields = row._mapping
        used = (
            RateOn(fields["currency"], fields["rate"], fields["rate_date"], fields["source"])
            if fields["rate"] is not None
            else None
        )
        group = CurrencyGroup(
            key=tuple(row[:keys]),
            currency=fields["currency"],
            leads=int(fields["leads"]),
            amount=fields["amount"],
            weighted=fields["weighted"],
            won=int(fields["won"]),
            won_amount=fields["won_amount"],
            rate=used,
        )
        found.append((group, tuple(fields[name] for name in extra)))
    return found


async def pipeline_groups(
    session: AsyncSession, viewer: Viewer, on: date, *, include_closed: bool
) -> list[CurrencyGroup]:
    """One scan, two groupings: (pipeline, stage, None, currency) rows and (None, None, deal_type,
    currency) rows (a lead always has a deal type, so a None one marks a by-stage row)."""
    keys = (Lead.pipeline.label("pipeline"), Lead.stage.label("stage"), Lead.deal_type.label("deal_type"))
    base = _grouped_leads(viewer, *keys)
    if not include_closed:
        base = base.where(Lead.status.in_(LIVE_STATUSES))
    leads = base.subquery("leads")
    b = leads.c
    sets = func.grouping_sets(tuple_(b.pipeline, b.stage, b.currency), tuple_(b.deal_type, b.currency))
    grouped = _sums_of_groups(leads, ["pipeline", "stage", "deal_type"], group_by=[sets])
    return [group for group, _ in await _with_rates(session, grouped, 3, on)]


async def event_groups(session: AsyncSession, viewer: Viewer, on: date) -> list[CurrencyGroup]:
    """Per plaza (the lead's origin event) and currency."""
    base = _valued_leads(viewer, Lead.origin_event_id.label("event_id")).where(Lead.origin_kind == "plaza")
    grouped = _sums(base.subquery("leads"), ["event_id"])
    return [group for group, _ in await _with_rates(session, grouped, 1, on)]


async def company_groups(
    session: AsyncSession, viewer: Viewer, on: date, company_id: uuid.UUID | None
) -> list[tuple[CurrencyGroup, CompanyName]]:
    """Per company (as either party) and currency, with the company's name and country as its most
    recently changed lead stored them."""
    sides = []
    for party, name, country in (
        (Lead.korean_party_id, Lead.korean_party_name, Lead.korean_party_country),
        (Lead.japanese_party_id, Lead.japanese_party_name, Lead.japanese_party_country),
    ):
        side = _valued_leads(
            viewer, party.label("company_id"), name.label("name"), country.label("country")
        ).add_columns(Lead.updated_at.label("updated_at"))
        side = side.where(party.is_not(None) if company_id is None else party == company_id)
        sides.append(side)
    leads = union_all(*sides).subquery("leads")
    grouped = _sums(leads, ["company_id"]).add_columns(
        func.array_agg(aggregate_order_by(leads.c.name, leads.c.updated_at.desc()))[1].label("name"),
        func.max(leads.c.country).label("country"),
    )
    rows = await _with_rates(session, grouped, 1, on, "name", "country")
    return [(group, CompanyName(group.key[0], dict(name or {}), country)) for group, (name, country) in rows]


def _won_leads(viewer: Viewer, currency: str, signed_from: date | None, signed_to: date | None) -> CTE:
    """The visible won leads with their signed value and the rates frozen at signing (source and target)."""
    source, target = aliased(LeadSigningRate), aliased(LeadSigningRate)
    query = (
        select(
            Lead.id,
            Lead.korean_party_country,
            Lead.japanese_party_country,
            Lead.sectors,
            Lead.hs_codes,
            Lead.signed_currency.label("currency"),
            Lead.signed_amount.label("amount"),
            literal(100).label("probability"),
            Lead.status.label("status"),
            source.rate.label("source_rate"),
            target.rate.label("target_rate"),
        )
        .outerjoin(source, and_(source.lead_id == Lead.id, source.currency == Lead.signed_currency))
        .outerjoin(target, and_(target.lead_id == Lead.id, target.currency == currency))
        .where(viewer.condition(), Lead.status == "won")
    )
    if signed_from is not None:
        query = query.where(Lead.signing_date >= signed_from)
    if signed_to is not None:
        query = query.where(Lead.signing_date <= signed_to)
    return query.cte("won")


def _won_dimensions(won: CTE, hs_digits: int) -> Subquery:
    """The won deals three times over: by country pair, by sector, by HS code at `hs_digits` (a deal counts
    once in each of its sectors and codes; one without any is under None)."""
    carried = [won.c.currency, won.c.amount, won.c.probability, won.c.status, won.c.source_rate]
    carried.append(won.c.target_rate)
    pairs = select(
        literal("pair").label("dimension"),
        won.c.korean_party_country.label("first"),
        won.c.japanese_party_country.label("second"),
        *carried,
    )
    sector = func.unnest(won.c.sectors).table_valued("value").render_derived(name="sector").lateral()
    sectors = select(
        literal("sector").label("dimension"), sector.c.value.label("first"), null().label("second"), *carried
    ).outerjoin(sector, true())
    code = func.unnest(won.c.hs_codes).table_valued("value").render_derived(name="code").lateral()
    codes = (
        select(
            won.c.id,
            literal("hs").label("dimension"),
            func.left(code.c.value, hs_digits).label("first"),
            null().label("second"),
            *carried,
        )
        .outerjoin(code, true())
        .distinct()
        .subquery("codes")
    )
    names = ["dimension", "first", "second", *(c.name for c in carried)]
    unique_codes = select(*[codes.c[name] for name in names])
    return union_all(pairs, sectors, unique_codes).subquery("deals")


async def won_groups(
    session: AsyncSession,
    viewer: Viewer,
    currency: str,
    on: date,
    *,
    hs_digits: int,
    signed_from: date | None,
    signed_to: date | None,
) -> tuple[list[CurrencyGroup], list[SigningGroup]]:
    """Won deals per (dimension, first, second) key: per currency with the date's rate, and per currency
    and frozen rates for the values at signing."""
    deals = _won_dimensions(_won_leads(viewer, currency, signed_from, signed_to), hs_digits)
    keys = ["dimension", "first", "second"]
    at_date = [group for group, _ in await _with_rates(session, _sums(deals, keys), 3, on)]
    d = deals.c
    frozen = select(
        d.dimension, d.first, d.second, d.currency, d.source_rate, d.target_rate, func.sum(d.amount)
    ).group_by(d.dimension, d.first, d.second, d.currency, d.source_rate, d.target_rate)
    at_signing = [
        SigningGroup((row[0], row[1], row[2]), row[3], Decimal(row[6]), row[4], row[5])
        for row in (await session.execute(frozen)).all()
    ]
    return at_date, at_signing


async def funnel_stages(session: AsyncSession, viewer: Viewer, pipeline: str | None) -> list[StageSpellStats]:
    """Per pipeline and stage, from the visible leads' spells (`lead_stage_spell`, which PostgreSQL keeps
    from the creation and stage rows of the transition log): leads that entered it, leads whose latest
    stage it is, completed spells and their median length in seconds.

    The spells are the log's former `lead() OVER` window, stored: the report reads one narrow row a spell
    (a seq scan of the narrow table, or an index-only scan of its `(lead_id) INCLUDE (…)` index) joined to
    the visible leads, with no window and no join to the wide log. A lead reached a stage once for its
    first spell there (`first_entry`), so no `count(DISTINCT)`; what is left per row is the join and the
    sort on (pipeline, stage) that `percentile_cont` needs (PostgreSQL does not hash an ordered-set
    aggregate), bench/README.md."""
    s = LeadStageSpell
    spells = (
        select(
            Lead.pipeline.label("pipeline"),
            s.stage,
            s.left_at,
            s.first_entry,
            func.extract("epoch", s.left_at - s.entered_at).label("seconds"),
        )
        .join(Lead, Lead.id == s.lead_id)
        .where(viewer.condition())
    )
    if pipeline is not None:
        spells = spells.where(Lead.pipeline == pipeline)
    e = spells.subquery("spells")
    query = select(
        e.c.pipeline,
        e.c.stage,
        func.count().filter(e.c.first_entry),
        func.count().filter(e.c.left_at.is_(None)),
        func.count(e.c.left_at),
        func.percentile_cont(0.5).within_group(e.c.seconds),
    ).group_by(e.c.pipeline, e.c.stage)
    return [
        StageSpellStats(row[0], row[1], int(row[2]), int(row[3]), int(row[4]), row[5])
        for row in (await session.execute(query)).all()
    ]
