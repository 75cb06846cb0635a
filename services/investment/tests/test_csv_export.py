"""CSV downloads for Excel: UTF-8 with a BOM, CRLF, RFC 4180 quoting, formulas defused; every report and the
lead list, Korean and Japanese text read back intact."""

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

import httpx

from investment.reports.csv_export import BOM, CsvTable, csv_bytes

from .helpers import create_lead, lead_body
from .test_reports import ON, Book, book_fixture, pipeline_book  # noqa: F401  (the `book` fixture)

REPORTS = ("pipeline", "funnel", "won", "events", "companies")


def _rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    raw = response.content
    assert raw.startswith(BOM.encode("utf-8"))  # b"\xef\xbb\xbf": Excel then reads UTF-8
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends CRLF
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_bytes_bom_crlf_quoting_and_formulas() -> None:
    table = CsvTable(
        ["name", "amount", "day", "ok"],
        [
            ["한빛소재, 주식회사", Decimal("1500000000"), date(2031, 3, 10), True],
            ['さくら "電池"', Decimal("0.50"), None, False],
            ['=HYPERLINK("http://x")', -3, None, None],
            ["two\nlines", Decimal("12.5"), None, None],
        ],
    )
    raw = csv_bytes(table)
    assert raw[:3] == b"\xef\xbb\xbf"
    text = raw.decode("utf-8-sig")
    assert text.splitlines(keepends=True)[0] == "name,amount,day,ok\r\n"
    assert '"한빛소재, 주식회사",1500000000,2031-03-10,true\r\n' in text
    assert '"さくら ""電池""",0.50,,false\r\n' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[3] == ['\'=HYPERLINK("http://x")', "-3", "", ""]  # shown, never run; a number stays one
    assert rows[4][0] == "two\nlines"


async def test_every_report_as_csv(book: Book) -> None:
    leads = await pipeline_book(book)
    for name in REPORTS:
        params = {"on": ON, "format": "csv"} if name != "funnel" else {"format": "csv"}
        rows = _rows(await book.get(f"/v1/reports/{name}", leads.org, **params))
        assert len(rows) > 1, name
        assert rows[0][0] in {"breakdown", "pipeline", "event_id", "company_id"}, name


async def test_pipeline_csv_has_the_json_figures(book: Book) -> None:
    leads = await pipeline_book(book)
    rows = _rows(await book.get("/v1/reports/pipeline", leads.org, on=ON, format="csv"))
    header = rows[0]
    assert header == [
        "breakdown",
        "pipeline",
        "stage",
        "stage_name",
        "deal_type",
        "leads",
        "value",
        "weighted_value",
        "currency",
    ]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    negotiating = next(r for r in lines if r["stage"] == "negotiating" and r["pipeline"] == "trade")
    assert (negotiating["leads"], negotiating["value"], negotiating["weighted_value"]) == (
        "2",
        "1290889.25",
        "541432.39",
    )
    assert negotiating["currency"] == "USD"
    total = next(r for r in lines if r["breakdown"] == "total")
    assert (total["value"], total["weighted_value"]) == ("2183889.77", "649732.53")
    yen = _rows(await book.get("/v1/reports/pipeline", leads.org, on=ON, currency="JPY", format="csv"))
    assert next(r for r in yen if r[2] == "negotiating" and r[1] == "trade")[6:] == [
        "193041237",
        "80966495",
        "JPY",
    ]


async def test_company_csv_keeps_korean_and_japanese_names(book: Book) -> None:
    leads = await pipeline_book(book)
    rows = _rows(await book.get("/v1/reports/companies", leads.org, on=ON, format="csv"))
    assert rows[0][:5] == ["company_id", "name_ko", "name_ja", "name_en", "country"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(leads.k1)][1:5] == ["한빛소재", "", "Hanbit Materials", "KR"]
    assert by_id[str(leads.j1)][1:5] == ["", "さくら電池", "Sakura Battery", "JP"]


async def test_the_lead_list_as_csv(book: Book) -> None:
    leads = await pipeline_book(book)
    rows = _rows(await book.get("/v1/leads", leads.org, format="csv", limit=1))
    header, data = rows[0], rows[1:]
    assert header[:6] == ["id", "title", "deal_type", "pipeline", "stage", "status"]
    assert len(data) == 12  # every visible lead (the shared one too), not a page of one
    assert str(leads.shared) in {row[0] for row in data}
    first = dict(zip(header, data[0], strict=True))
    assert first["title"] == "양극재 공급 / 正極材の供給"
    assert first["korean_party_name"] == "한빛소재"
    assert first["japanese_party_name"] == "さくら電池"
    filtered = _rows(await book.get("/v1/leads", leads.org, format="csv", stage="negotiating"))
    assert len(filtered) == 1 + 3  # L1, L2 and the lost L6
    nothing = _rows(await book.get("/v1/leads", uuid.uuid4(), format="csv"))
    assert nothing == [header]


async def test_lead_list_csv_defuses_a_formula_title(
    client: httpx.AsyncClient, parties: tuple[uuid.UUID, uuid.UUID]
) -> None:
    await create_lead(client, lead_body(*parties, title="=1+2 東京", tags=["csv-formula-test"]))
    response = await client.get("/v1/leads", params={"format": "csv", "tag": "csv-formula-test"})
    rows = _rows(response)
    assert rows[1][1] == "'=1+2 東京"
