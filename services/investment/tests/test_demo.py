"""The demo rates and leads load idempotently: leads in all three pipelines, in KRW, JPY and USD, one won
and one signed with frozen rates, one shared. Loaded inside a transaction that is rolled back, so the other
tests' leads and rates stand alone."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from investment.demo import DEMO_RATES, load_into
from investment.demo_leads import DEMO_LEADS, lead_id
from investment.fx import service as fx
from investment.leads.models import Lead, LeadSigningRate, LeadTransition
from investment.sharing.models import LeadShare
from plaza_contracts.demo import DEMO_EVENT_ID


async def test_the_demo_loads_once_with_leads_in_every_pipeline(investment_engine: AsyncEngine) -> None:
    async with investment_engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            rates = sum(len(day) for day in DEMO_RATES.values())
            assert await load_into(session) == rates + len(DEMO_LEADS)
            assert await load_into(session) == 0
            known = await fx.rates_on(session, DEMO_RATES_DAY)
            assert {"KRW", "JPY", "USD"} <= set(known)

            leads = {lead.id: lead for lead in (await session.scalars(select(Lead))).all()}
            demo = [leads[lead_id(item.key)] for item in DEMO_LEADS]
            assert {lead.pipeline for lead in demo} == {"trade", "joint_development", "equity"}
            assert {lead.value_currency for lead in demo} == {"KRW", "JPY", "USD"}
            assert all(lead.origin_event_id == DEMO_EVENT_ID and lead.origin_meeting_id for lead in demo)
            won = [lead for lead in demo if lead.status == "won"]
            assert [lead.stage for lead in won] == ["contract_signed"]
            signed = [lead for lead in demo if lead.signing_date is not None]
            assert len(signed) == 2
            for lead in signed:
                frozen = await session.scalar(
                    select(func.count())
                    .select_from(LeadSigningRate)
                    .where(LeadSigningRate.lead_id == lead.id)
                )
                assert frozen  # the signing-date rates, kept with the lead
            moves = await session.scalar(
                select(func.count()).select_from(LeadTransition).where(LeadTransition.lead_id == won[0].id)
            )
            assert moves == 6  # created, four stages, won
            assert (await session.scalar(select(func.count()).select_from(LeadShare)) or 0) >= 1
        finally:
            await session.close()
            await outer.rollback()


DEMO_RATES_DAY = next(iter(DEMO_RATES))
