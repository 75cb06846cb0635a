"""Reports over a hand-built book of leads written straight into the schema (the test's rolled-back
transaction): pipeline, funnel, won deals, per event and per company, checked against figures computed by
hand — mixed currencies converted through EUR and rounded once per line, a table's total the sum of its
rounded lines — and visibility: a stranger's leads are never counted, a lead shared with the caller is.

The rates are of March 2031, a month no other test writes, and every report is asked `on=2031-03-11`:
the latest rates on or before it are those of Monday 10 March (units per euro: USD 1.09, JPY 163,
KRW 1455). Ids are fresh per test: other tests commit leads of their own organisations.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from investment.app import create_app
from investment.fx.models import FxRate
from investment.leads.models import Lead, LeadSigningRate, LeadTransition
from investment.pipelines.stages import pipeline_for
from investment.settings import InvestmentSettings
from investment.sharing.models import LeadShare
from plaza_contracts import uuid7
from plaza_dev.testing import Identities
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.scopes import Scope

from .conftest import Headers
from .helpers import Registry, create_lead, lead_body, put_rate

ON = "2031-03-11"
FRIDAY, MONDAY = date(2031, 3, 7), date(2031, 3, 10)
RATES = {
    FRIDAY: {"USD": "1.0850", "JPY": "162.35", "KRW": "1450.20"},
    MONDAY: {"USD": "1.09", "JPY": "163", "KRW": "1455"},
}
T0 = datetime(2031, 1, 5, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@dataclass
class Book:
    """The app (requests commit to savepoints of the test's transaction) and that transaction's connection,
    to write leads, logs and rates as they would be after months of use."""

    http: httpx.AsyncClient
    connection: AsyncConnection
    identities: Identities

    async def get(self, path: str, organisation: uuid.UUID | None, **params: Any) -> httpx.Response:
        headers = self.identities.headers(Scope.INVESTMENT_READ, organisation_id=organisation)
        return await self.http.get(path, params=params, headers=headers)

    async def report(self, path: str, organisation: uuid.UUID | None, **params: Any) -> dict[str, Any]:
        response = await self.get(path, organisation, **params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def admin(self, path: str, **params: Any) -> dict[str, Any]:
        response = await self.http.get(path, params=params, headers=self.identities.headers(Scope.ADMIN))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def rates(self, rates: dict[date, dict[str, str]] = RATES) -> None:
        rows = [
            {"currency": c, "rate_date": day, "rate": Decimal(rate), "source": "test"}
            for day, by_currency in rates.items()
            for c, rate in by_currency.items()
        ]
        await self.connection.execute(insert(FxRate), rows)

    async def lead(self, owner: uuid.UUID, **fields: Any) -> uuid.UUID:
        """A lead as the service would have stored it (the defaults: an open export lead just identified,
        between two fresh parties, from another source, without a value)."""
        deal_type = fields.pop("deal_type", "export")
        value = fields.pop("value", None)
        signed = fields.pop("signed", None)
        event = fields.pop("event_id", None)
        row: dict[str, Any] = {
            "id": uuid7(),
            "deal_type": deal_type,
            "pipeline": pipeline_for(deal_type).code,
            "stage": "identified",
            "status": "open",
            "stage_entered_at": T0,
            "title": "양극재 공급 / 正極材の供給",
            "korean_party_id": uuid.uuid4(),
            "korean_party_name": {"ko": "한빛소재", "en": "Hanbit Materials"},
            "korean_party_country": "KR",
            "japanese_party_id": uuid.uuid4(),
            "japanese_party_name": {"ja": "さくら電池", "en": "Sakura Battery"},
            "japanese_party_country": "JP",
            "origin_kind": "plaza" if event else "other",
            "origin_event_id": event,
            "origin_source": None if event else "referral",
            "hs_codes": [],
            "sectors": [],
            "owner_organisation_id": owner,
            "tags": [],
            "version": 1,
        }
        if value is not None:
            row["value_amount"], row["value_currency"] = Decimal(value[0]), value[1]
        if signed is not None:
            amount, currency, signing_date = signed
            row.update(signed_amount=Decimal(amount), signed_currency=currency, signing_date=signing_date)
        row.update(fields)
        await self.connection.execute(insert(Lead).values(row))
        return uuid.UUID(str(row["id"]))

    async def share(self, lead: uuid.UUID, organisation: uuid.UUID, access: str = "read") -> None:
        await self.connection.execute(
            insert(LeadShare).values(
                lead_id=lead, organisation_id=organisation, access=access, granted_at=T0, granted_by="test"
            )
        )

    async def frozen(self, lead: uuid.UUID, signed_on: date, **rates: str) -> None:
        rows = [
            {"lead_id": lead, "currency": c, "rate": Decimal(r), "rate_date": signed_on, "source": "test"}
            for c, r in rates.items()
        ]
        await self.connection.execute(insert(LeadSigningRate), rows)

    async def log(
        self, lead: uuid.UUID, kind: str, from_value: str | None, to_value: str, at: datetime
    ) -> None:
        await self.connection.execute(
            insert(LeadTransition).values(
                id=uuid7(),
                lead_id=lead,
                kind=kind,
                from_value=from_value,
                to_value=to_value,
                at=at,
                by_subject="test",
            )
        )


@pytest.fixture(name="book")
async def book_fixture(
    investment_engine: AsyncEngine, investment_settings: InvestmentSettings, identities: Identities
) -> AsyncIterator[Book]:
    app = create_app(investment_settings)
    async with app.router.lifespan_context(app), investment_engine.connect() as connection:
        transaction = await connection.begin()
        bind_database(
            app, investment_engine, make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://investment") as http:
            yield Book(http, connection, identities)
        await transaction.rollback()


@dataclass
class Leads:
    """The book of `pipeline_book`: whose it is, and the ids worth naming."""

    org: uuid.UUID
    stranger: uuid.UUID
    event_1: uuid.UUID
    event_2: uuid.UUID
    k1: uuid.UUID  # Korean party of L1 and L5
    j1: uuid.UUID  # Japanese party of L1 and L2
    shared: uuid.UUID  # L8, the stranger's lead shared with org


async def pipeline_book(book: Book) -> Leads:
    """Ten visible live leads, two closed, and two of a stranger's (one shared with org)."""
    org, stranger = uuid.uuid4(), uuid.uuid4()
    e1, e2, k1, j1 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await book.rates()
    # L1, L2: trade / negotiating from plaza 1; 1,500,000,000 KRW at the stage's 40 %, 25,000,000 JPY at 55 %
    await book.lead(
        org,
        stage="negotiating",
        value=("1500000000", "KRW"),
        event_id=e1,
        korean_party_id=k1,
        japanese_party_id=j1,
    )
    await book.lead(
        org, stage="negotiating", value=("25000000", "JPY"), probability=55, event_id=e1, japanese_party_id=j1
    )
    # L3: joint development / NDA (25 %) from plaza 2, 120,000.50 USD
    await book.lead(org, deal_type="joint_development", stage="nda", value=("120000.50", "USD"), event_id=e2)
    # L4: an import on hold at identified (10 %), 700,000.00 EUR
    await book.lead(org, deal_type="import", status="on_hold", value=("700000.00", "EUR"))
    # S1–S3: three leads of 10 KRW at sample/trial (60 %): 0.0075 USD each, 0.02 together (not 3 × 0.01)
    for _ in range(3):
        await book.lead(org, stage="sample_trial", value=("10", "KRW"))
    # L9 without a value; L12 in VND, which has no rate (counted, its value left out)
    await book.lead(org, deal_type="equity_investment")
    await book.lead(org, deal_type="greenfield_investment", stage="ir_meeting", value=("5000000000", "VND"))
    # L5: won (2,000,000,000 KRW signed) from plaza 2; L6: lost, 5,000 USD
    await book.lead(
        org,
        stage="contract_signed",
        status="won",
        signed=("2000000000", "KRW", date(2031, 2, 14)),
        value=("1800000000", "KRW"),
        event_id=e2,
        korean_party_id=k1,
    )
    await book.lead(org, stage="negotiating", status="lost", lost_reason="price", value=("5000", "USD"))
    # L7: a stranger's, never counted; L8: a stranger's shared with org, trade / contacted (20 %), 10,000 USD
    await book.lead(stranger, stage="negotiating", value=("1000000", "USD"), event_id=e1, korean_party_id=k1)
    shared = await book.lead(stranger, stage="contacted", value=("10000", "USD"), event_id=e1)
    await book.share(shared, org)
    return Leads(org, stranger, e1, e2, k1, j1, shared)


def _stage(report: dict[str, Any], pipeline: str, stage: str) -> tuple[int, str, str]:
    line = next(s for s in report["by_stage"] if (s["pipeline"], s["stage"]) == (pipeline, stage))
    return line["leads"], line["value"]["amount"], line["weighted_value"]["amount"]


def _deal_type(report: dict[str, Any], deal_type: str) -> tuple[int, str, str]:
    line = next(s for s in report["by_deal_type"] if s["deal_type"] == deal_type)
    return line["leads"], line["value"]["amount"], line["weighted_value"]["amount"]


def _figures(line: dict[str, Any], *names: str) -> tuple[Any, ...]:
    return tuple(line[name]["amount"] if isinstance(line[name], dict) else line[name] for name in names)


async def test_pipeline_by_stage_and_deal_type_in_usd(book: Book) -> None:
    leads = await pipeline_book(book)
    report = await book.report("/v1/reports/pipeline", leads.org, on=ON)
    assert report["currency"] == "USD"
    assert report["on"] == ON
    assert report["include_closed"] is False
    # 1,500,000,000 × 1.09 ÷ 1455 + 25,000,000 × 1.09 ÷ 163 = 1,123,711.340… + 167,177.914… = 1,290,889.254…
    # weighted: 1,123,711.340… × 0.40 + 167,177.914… × 0.55 = 449,484.536… + 91,947.852… = 541,432.388…
    assert _stage(report, "trade", "negotiating") == (2, "1290889.25", "541432.39")
    assert _stage(report, "trade", "contacted") == (1, "10000.00", "2000.00")  # the shared lead
    assert _stage(report, "trade", "identified") == (1, "763000.00", "76300.00")  # 700,000 EUR × 1.09
    assert _stage(report, "trade", "sample_trial") == (3, "0.02", "0.01")  # 30 × 1.09 ÷ 1455 = 0.0225
    assert _stage(report, "trade", "contract_signed") == (0, "0.00", "0.00")  # L5 is won: not live
    assert _stage(report, "joint_development", "nda") == (1, "120000.50", "30000.13")  # × 0.25 = 30,000.125
    assert _stage(report, "equity", "identified") == (1, "0.00", "0.00")  # no value
    assert _stage(report, "equity", "ir_meeting") == (1, "0.00", "0.00")  # VND: no rate
    assert len(report["by_stage"]) == 16  # every stage of the three pipelines, zeros included
    assert report["missing_rates"] == ["VND"]
    assert [(r["currency"], r["rate"], r["date"]) for r in report["rates"]] == [
        ("JPY", "163", "2031-03-10"),
        ("KRW", "1455", "2031-03-10"),
        ("USD", "1.09", "2031-03-10"),
    ]
    # the total is the sum of the rounded stage lines
    assert _figures(report["total"], "leads", "value", "weighted_value") == (10, "2183889.77", "649732.53")
    # export: L1, L2, L8 and S1–S3, converted exactly and rounded once: 1,300,889.276… (the stage lines'
    # roundings add up to 1,300,889.27); so the deal-type table's total is a cent more than the stages'
    assert _deal_type(report, "export") == (6, "1300889.28", "543432.40")
    assert _deal_type(report, "import") == (1, "763000.00", "76300.00")
    assert _deal_type(report, "joint_development") == (1, "120000.50", "30000.13")
    assert _deal_type(report, "licensing") == (0, "0.00", "0.00")
    total = _figures(report["total_by_deal_type"], "leads", "value", "weighted_value")
    assert total == (10, "2183889.78", "649732.53")


async def test_pipeline_with_closed_leads_in_jpy_and_at_an_earlier_date(book: Book) -> None:
    leads = await pipeline_book(book)
    closed = await book.report("/v1/reports/pipeline", leads.org, on=ON, include_closed="true")
    # L5 won at 100 %: 2,000,000,000 × 1.09 ÷ 1455 = 1,498,281.786…; L6 lost at 0 %
    assert _stage(closed, "trade", "contract_signed") == (1, "1498281.79", "1498281.79")
    assert _stage(closed, "trade", "negotiating") == (3, "1295889.25", "541432.39")
    yen = await book.report("/v1/reports/pipeline", leads.org, on=ON, currency="JPY")
    # 1,500,000,000 × 163 ÷ 1455 + 25,000,000 = 193,041,237.1…; weighted 67,216,494.8… + 13,750,000
    assert _stage(yen, "trade", "negotiating") == (2, "193041237", "80966495")
    assert _stage(yen, "trade", "contacted") == (1, "1495413", "299083")  # 10,000 × 163 ÷ 1.09
    # Saturday 8 March uses Friday's rates: 700,000 EUR × 1.0850
    friday = await book.report("/v1/reports/pipeline", leads.org, on="2031-03-08")
    assert _stage(friday, "trade", "identified") == (1, "759500.00", "75950.00")
    euro = await book.report("/v1/reports/pipeline", leads.org, on=ON, currency="EUR")
    assert _stage(euro, "trade", "identified") == (1, "700000.00", "70000.00")


async def test_a_report_currency_without_a_rate_is_422(book: Book) -> None:
    leads = await pipeline_book(book)
    response = await book.get("/v1/reports/pipeline", leads.org, on=ON, currency="VND")
    assert response.status_code == 422
    assert response.json()["currency"] == "VND"
    assert (await book.get("/v1/reports/pipeline", leads.org, currency="XXY")).status_code == 422


async def test_a_stranger_sees_only_its_own_and_an_admin_sees_all(book: Book) -> None:
    leads = await pipeline_book(book)
    mine = await book.report("/v1/reports/pipeline", leads.stranger, on=ON)
    assert _stage(mine, "trade", "negotiating") == (1, "1000000.00", "400000.00")  # L7 only
    assert _stage(mine, "trade", "contacted") == (1, "10000.00", "2000.00")  # L8, its own
    assert mine["total"]["leads"] == 2
    nobody = await book.report("/v1/reports/pipeline", uuid.uuid4(), on=ON)
    assert nobody["total"]["leads"] == 0
    assert nobody["total"]["value"] == {"amount": "0.00", "currency": "USD"}
    # an admin counts everyone's (other tests' committed leads too: compare one company's line)
    everyone = await book.admin("/v1/reports/companies", on=ON, company_id=str(leads.k1))
    assert _figures(everyone["companies"][0], "leads", "won") == (3, 1)  # L1, L5 and the stranger's L7


async def test_per_event(book: Book) -> None:
    leads = await pipeline_book(book)
    report = await book.report("/v1/reports/events", leads.org, on=ON)
    events = {line["event_id"]: line for line in report["events"]}
    assert set(events) == {str(leads.event_1), str(leads.event_2)}  # not the stranger's L7 from event 1
    names = ("leads", "value", "weighted_value", "won", "won_value")
    # plaza 1: L1, L2 and the shared L8
    assert _figures(events[str(leads.event_1)], *names) == (3, "1300889.25", "543432.39", 0, "0.00")
    # plaza 2: L3 and the won L5 (its signed value, at 100 %)
    assert _figures(events[str(leads.event_2)], *names) == (2, "1618282.29", "1528281.91", 1, "1498281.79")
    assert [line["event_id"] for line in report["events"]] == [str(leads.event_2), str(leads.event_1)]
    assert _figures(report["total"], *names) == (5, "2919171.54", "2071714.30", 1, "1498281.79")


async def test_per_company_counts_either_party(book: Book) -> None:
    leads = await pipeline_book(book)
    report = await book.report("/v1/reports/companies", leads.org, on=ON)
    companies = {line["company_id"]: line for line in report["companies"]}
    names = ("leads", "value", "weighted_value", "won", "won_value")
    k1, j1 = companies[str(leads.k1)], companies[str(leads.j1)]
    assert _figures(k1, *names) == (2, "2621993.13", "1947766.32", 1, "1498281.79")  # L1, L5 (not L7)
    assert k1["name"] == {"ko": "한빛소재", "en": "Hanbit Materials"}
    assert k1["country"] == "KR"
    assert _figures(j1, *names) == (2, "1290889.25", "541432.39", 0, "0.00")  # L1, L2 as Japanese party
    assert report["companies"][0]["company_id"] == str(leads.k1)  # largest value first
    assert len(report["companies"]) == 2 * 12 - 2  # 12 visible leads, two parties each, two shared
    one = await book.report("/v1/reports/companies", leads.org, on=ON, company_id=str(leads.j1))
    assert [line["company_id"] for line in one["companies"]] == [str(leads.j1)]


async def won_book(book: Book) -> uuid.UUID:
    """Three won deals of one organisation, one stranger's, and an open lead (not won)."""
    org = uuid.uuid4()
    await book.rates()
    w1 = await book.lead(
        org,
        stage="contract_signed",
        status="won",
        signed=("2000000000", "KRW", date(2031, 2, 14)),
        sectors=["battery_materials", "chemicals"],
        hs_codes=["850760", "850780"],
    )
    await book.frozen(w1, date(2031, 2, 14), KRW="1400", USD="1.05", JPY="160")
    w2 = await book.lead(
        org,
        deal_type="joint_development",
        stage="agreement_signed",
        status="won",
        signed=("30000000", "JPY", date(2031, 2, 20)),
        sectors=["battery_materials"],
        hs_codes=["8507"],
    )
    await book.frozen(w2, date(2031, 2, 20), JPY="161", USD="1.06", KRW="1410")
    w3 = await book.lead(
        org,
        stage="contract_signed",
        status="won",
        signed=("500000.00", "USD", date(2031, 3, 1)),
        japanese_party_country="SG",
    )
    await book.frozen(w3, date(2031, 3, 1), USD="1.08", JPY="162", KRW="1420")
    await book.lead(org, stage="contract_signed", signed=("100", "USD", date(2031, 3, 2)))  # signed, not won
    stranger = await book.lead(
        uuid.uuid4(), stage="contract_signed", status="won", signed=("9000000", "USD", date(2031, 3, 1))
    )
    await book.frozen(stranger, date(2031, 3, 1), USD="1.08")
    return org


async def test_won_deals_by_country_pair_sector_and_hs_code(book: Book) -> None:
    org = await won_book(book)
    report = await book.report("/v1/reports/won", org, on=ON)
    names = ("deals", "value", "value_at_signing")
    # W1: 2,000,000,000 KRW: × 1.09 ÷ 1455 = 1,498,281.79 now; × 1.05 ÷ 1400 = 1,500,000.00 at signing
    # W2: 30,000,000 JPY: × 1.09 ÷ 163 = 200,613.50 now; × 1.06 ÷ 161 = 197,515.53 at signing
    pairs = {(p["korean_party_country"], p["japanese_party_country"]): p for p in report["by_country_pair"]}
    assert _figures(pairs["KR", "JP"], *names) == (2, "1698895.28", "1697515.53")
    assert _figures(pairs["KR", "SG"], *names) == (1, "500000.00", "500000.00")
    assert _figures(report["total"], *names) == (3, "2198895.28", "2197515.53")
    sectors = {s["sector"]: s for s in report["by_sector"]}
    assert _figures(sectors["battery_materials"], *names) == (2, "1698895.28", "1697515.53")
    assert _figures(sectors["chemicals"], *names) == (1, "1498281.79", "1500000.00")
    assert _figures(sectors[None], *names) == (1, "500000.00", "500000.00")
    codes = {c["hs_code"]: c for c in report["by_hs_code"]}
    assert _figures(codes["8507"], *names) == (2, "1698895.28", "1697515.53")  # W1 once for its two codes
    assert _figures(codes[None], *names) == (1, "500000.00", "500000.00")
    assert report["hs_digits"] == 4
    six = await book.report("/v1/reports/won", org, on=ON, hs_digits=6)
    codes = {c["hs_code"]: c["deals"] for c in six["by_hs_code"]}
    assert codes == {"850760": 1, "850780": 1, "8507": 1, None: 1}
    # in yen: W1 × 163 ÷ 1455 + W2 = 254,054,983 now; W1 × 160 ÷ 1400 + W2 = 258,571,429 at signing
    yen = await book.report("/v1/reports/won", org, on=ON, currency="JPY")
    pairs = {(p["korean_party_country"], p["japanese_party_country"]): p for p in yen["by_country_pair"]}
    assert _figures(pairs["KR", "JP"], *names) == (2, "254054983", "258571429")
    assert _figures(pairs["KR", "SG"], *names) == (1, "74770642", "75000000")  # 500,000 × 162 ÷ 1.08
    february = await book.report("/v1/reports/won", org, on=ON, signed_to="2031-02-28")
    assert february["total"]["deals"] == 2


async def test_won_deals_at_signing_without_a_frozen_rate(book: Book) -> None:
    org = await won_book(book)
    gbp = {MONDAY: {"GBP": "0.84"}}
    await book.rates(gbp)
    report = await book.report("/v1/reports/won", org, on=ON, currency="GBP")
    assert report["missing_signing_rates"] == ["GBP"]  # no deal froze a GBP rate
    assert report["total"]["value_at_signing"] == {"amount": "0.00", "currency": "GBP"}
    # at the date's rates (GBP 0.84): 2,000,000,000 × 0.84 ÷ 1455 + 30,000,000 × 0.84 ÷ 163 = 1,309,240.40;
    # 500,000 × 0.84 ÷ 1.09 = 385,321.10
    assert report["total"]["value"]["amount"] == "1694561.50"


async def funnel_book(book: Book) -> uuid.UUID:
    """Three trade leads with a hand-built history (and a stranger's, with one of its own)."""
    org = uuid.uuid4()
    a = await book.lead(org, stage="negotiating")
    await book.log(a, "created", None, "identified", T0)
    await book.log(a, "stage", "identified", "contacted", T0 + 2 * DAY)
    await book.log(a, "status", "open", "on_hold", T0 + 3 * DAY)  # on hold: still time in its stage
    await book.log(a, "status", "on_hold", "open", T0 + 4 * DAY)
    await book.log(a, "stage", "contacted", "negotiating", T0 + 5 * DAY)
    b = await book.lead(org, stage="contacted")
    await book.log(b, "created", None, "identified", T0)
    await book.log(b, "stage", "identified", "contacted", T0 + 4 * DAY)
    await book.log(b, "stage", "contacted", "identified", T0 + 6 * DAY)  # back
    await book.log(b, "stage", "identified", "contacted", T0 + 7 * DAY)
    c = await book.lead(org)
    await book.log(c, "created", None, "identified", T0)
    stranger = await book.lead(uuid.uuid4(), stage="contacted")
    await book.log(stranger, "created", None, "identified", T0)
    await book.log(stranger, "stage", "identified", "contacted", T0 + 30 * DAY)
    return org


async def test_funnel_on_a_hand_built_history(book: Book) -> None:
    org = await funnel_book(book)
    report = await book.report("/v1/reports/funnel", org, pipeline="trade")
    assert [p["pipeline"] for p in report["pipelines"]] == ["trade"]
    stages = {s["stage"]: s for s in report["pipelines"][0]["stages"]}
    names = ("reached", "current", "reached_next", "conversion_to_next", "completed_spells", "median_seconds")
    # identified: A 2 days, B 4 days then 1 day, C still there → median of (1, 2, 4) days = 2 days
    assert _figures(stages["identified"], *names) == (3, 1, 2, 0.6667, 3, 2 * 86400)
    # contacted: A 3 days (the spell on hold counts), B 2 days, B again still there → median 2.5 days
    assert _figures(stages["contacted"], *names) == (2, 1, 1, 0.5, 2, 216000)
    assert _figures(stages["negotiating"], *names) == (1, 1, 0, 0.0, 0, None)
    assert _figures(stages["sample_trial"], *names) == (0, 0, 0, None, 0, None)
    assert _figures(stages["contract_signed"], *names) == (0, 0, None, None, 0, None)
    everything = await book.report("/v1/reports/funnel", org)
    assert [p["pipeline"] for p in everything["pipelines"]] == ["trade", "joint_development", "equity"]
    assert (await book.get("/v1/reports/funnel", org, pipeline="nope")).status_code == 404


async def test_a_lead_made_through_the_api_shows_in_the_reports_and_follows_its_shares(
    client: httpx.AsyncClient,
    registry: Registry,
    parties: tuple[uuid.UUID, uuid.UUID],
    as_org: Headers,
    admin: dict[str, str],
) -> None:
    """Created, moved to a signed export contract and won through the API: it shows in the owner's event
    and won reports; a partner sees it once it is shared, and no longer once the share is revoked."""
    owner, partner = registry.organisation(), registry.organisation()
    event = uuid.uuid4()
    for currency, rate in (("KRW", "1450"), ("USD", "1.08"), ("JPY", "160")):
        await put_rate(client, admin, currency, "2031-01-02", rate)
    headers = as_org(owner)
    body = lead_body(*parties, origin={"kind": "plaza", "event_id": str(event)})
    lead = await create_lead(client, body, **headers)
    for stage in ("contacted", "negotiating", "sample_trial"):
        moved = await client.post(
            f"/v1/leads/{lead['id']}/transitions", json={"stage": stage}, headers=headers
        )
        assert moved.status_code == 200, moved.text
    signed = {"amount": "1450000000", "currency": "KRW"}
    move = {"stage": "contract_signed", "signing_date": "2031-01-03", "signed_value": signed}
    assert (
        await client.post(f"/v1/leads/{lead['id']}/transitions", json=move, headers=headers)
    ).status_code == 200
    won = await client.post(f"/v1/leads/{lead['id']}/transitions", json={"status": "won"}, headers=headers)
    assert won.status_code == 200, won.text
    params = {"on": "2031-01-05"}
    events = (await client.get("/v1/reports/events", params=params, headers=headers)).json()
    assert events["events"][0]["event_id"] == str(event)
    assert _figures(events["events"][0], "leads", "won", "won_value") == (1, 1, "1080000.00")  # ÷ 1450 × 1.08
    report = (await client.get("/v1/reports/won", params=params, headers=headers)).json()
    assert _figures(report["total"], "deals", "value", "value_at_signing") == (1, "1080000.00", "1080000.00")
    funnel = (await client.get("/v1/reports/funnel", params={"pipeline": "trade"}, headers=headers)).json()
    assert [s["reached"] for s in funnel["pipelines"][0]["stages"]] == [1, 1, 1, 1, 1]
    seen = as_org(partner)
    assert (await client.get("/v1/reports/events", params=params, headers=seen)).json()["events"] == []
    shared = {"organisation_id": str(partner), "access": "read"}
    response = await client.post(f"/v1/leads/{lead['id']}/shares", json=shared, headers=headers)
    assert response.status_code == 201, response.text
    assert len((await client.get("/v1/reports/events", params=params, headers=seen)).json()["events"]) == 1
    revoked = await client.delete(f"/v1/leads/{lead['id']}/shares/{partner}", headers=headers)
    assert revoked.status_code == 204, revoked.text
    assert (await client.get("/v1/reports/events", params=params, headers=seen)).json()["events"] == []
