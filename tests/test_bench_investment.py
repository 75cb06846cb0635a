"""The investment bench's own logic: the generated book (the sizes asked for, consistent with the service's
rules and constraints), the reads, the figures and verdicts; and a smoke run of a tiny book written into a
database of its own (the bench's rates and KOTRA's leads must not leak into the other tests' database),
read through the investment app for a moment."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from bench import investment_data
from bench.gateway import _drop_database
from bench.investment import ReadRun, batches, failures, read_paths, report
from bench.investment_data import COLUMNS, KOTRA, TINY, generate
from bench.meetings import load_loop
from investment.pipelines.stages import pipeline_named
from plaza_dev.testing import Identities, component_app, serving
from plaza_kit.bootstrap import bootstrap, service_url
from plaza_kit.catalogue import component
from plaza_kit.identity import generate_private_key_pem
from plaza_kit.migrations import upgrade
from plaza_kit.scopes import Scope

BOOK = generate(TINY, seed=7)


def test_the_book_has_the_sizes_asked_for_and_rows_fit_their_columns() -> None:
    assert BOOK.count("lead") == TINY.leads
    assert BOOK.count("activity") == TINY.activities
    assert BOOK.count("fx_rate") > 3 * 400  # business days of two years, three currencies
    for table, rows in BOOK.rows.items():
        assert all(len(row) == len(COLUMNS[table]) for row in rows), table
    full = [size for _, size in batches(tiny=False)]
    assert sum(size.leads for size in full) == 50_000
    assert sum(size.activities for size in full) == 500_000
    assert full[0].leads == 5_000


def test_leads_follow_the_services_rules() -> None:
    lead = {name: i for i, name in enumerate(COLUMNS["lead"])}
    logs: dict[uuid.UUID, list[tuple[Any, ...]]] = {}
    for row in BOOK.rows["lead_transition"]:
        logs.setdefault(row[1], []).append(row)
    frozen = Counter(row[0] for row in BOOK.rows["lead_signing_rate"])
    for row in BOOK.rows["lead"]:
        pipeline = pipeline_named(row[lead["pipeline"]])
        stage = pipeline.stage(row[lead["stage"]])
        status = row[lead["status"]]
        log = logs[row[lead["id"]]]
        assert log[0][2] == "created"
        stages = [entry for entry in log if entry[2] in ("created", "stage")]
        assert stages[-1][4] == stage.code  # the log ends at the lead's stage
        assert [entry[5] for entry in log] == sorted(entry[5] for entry in log)  # in time order
        assert (status == "won") <= stage.signed  # won only once signed
        assert (row[lead["signing_date"]] is not None) == stage.signed == (frozen[row[lead["id"]]] == 3)
        assert (status == "lost") == (row[lead["lost_reason"]] is not None)
        plaza = row[lead["origin_kind"]] == "plaza"
        assert (row[lead["origin_event_id"]] is not None) == plaza == (row[lead["origin_source"]] is None)
    owners = Counter(row[lead["owner_organisation_id"]] == KOTRA for row in BOOK.rows["lead"])
    assert owners[True] > 0
    assert owners[False] > 0
    assert all(row[1] == KOTRA for row in BOOK.rows["lead_share"])


def test_a_second_batch_continues_the_first() -> None:
    more = generate(TINY, seed=7, first=TINY.leads)
    assert not {row[0] for row in more.rows["lead"]} & {row[0] for row in BOOK.rows["lead"]}
    assert "fx_rate" not in more.rows  # the rates are written once
    assert more.event_ids == BOOK.event_ids  # the same plazas and companies
    assert [row[0] for row in generate(TINY, seed=7).rows["lead"]] == [row[0] for row in BOOK.rows["lead"]]


def test_reads_rotate_over_variants() -> None:
    reads = read_paths(BOOK)
    assert [read.key for read in reads] == ["pipeline", "funnel", "events", "lead_list"]
    assert len(reads[0].paths) == 8
    assert any("event_id=" in path for path in reads[3].paths)
    assert any("company_id=" in path for path in reads[3].paths)


def _run(read: str, leads: int, p95: float, statuses: dict[int, int] | None = None) -> ReadRun:
    return ReadRun(read, leads, 1, 100, 10.0, p95 / 2, p95, p95 * 1.2, statuses or {200: 100})


def test_report_judges_p95_and_growth() -> None:
    runs = [
        _run("pipeline", 5_000, 50.0),
        _run("pipeline", 50_000, 120.0),
        _run("funnel", 5_000, 40.0),
        _run("funnel", 50_000, 210.0, {200: 99, 500: 1}),
        _run("lead_list", 5_000, 10.0),
        _run("lead_list", 50_000, 12.0),
    ]
    text = "\n".join(report(runs, [5_000, 50_000]))
    assert (
        "pipeline: p95 50.0 ms @5,000 → 120.0 ms @50,000 (×2.40); p95 < 200 ms: met; growth < 3×: met" in text
    )
    assert (
        "funnel: p95 40.0 ms @5,000 → 210.0 ms @50,000 (×5.25); p95 < 200 ms: MISSED; growth < 3×: MISSED"
        in text
    )
    assert "lead_list: p95 10.0 ms @5,000 → 12.0 ms @50,000 (×1.20)\n" in text + "\n"  # no target for it
    assert failures(runs) == ["funnel @50,000: 1 answers other than 200"]


@pytest.fixture
def private_database(postgres_admin_url: str) -> Iterator[str]:
    """The investment role's URL on a database of the test's own, dropped afterwards."""
    name = f"plaza_bench_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(bootstrap(postgres_admin_url, name))
    url = service_url(postgres_admin_url, name, "investment")
    upgrade("investment", url)
    try:
        yield url
    finally:
        asyncio.run(_drop_database(postgres_admin_url, name))


def test_a_tiny_book_is_written_then_every_read_answers(
    private_database: str, identities: Identities
) -> None:
    loaded = asyncio.run(investment_data.load(private_database, BOOK))
    assert loaded.counts["lead"] == TINY.leads
    assert loaded.counts["activity"] == TINY.activities
    app = component_app(
        "investment",
        database_url=private_database,
        trusted_keys=identities.jwks_json,
        signing_key=generate_private_key_pem(),
        signing_key_id="bench-test",
        upstream_urls=dict.fromkeys(component("investment").upstreams, "http://127.0.0.1:9"),  # never called
    )
    headers = identities.headers(Scope.INVESTMENT_READ, organisation_id=KOTRA)
    with serving(app) as base_url:
        for read in read_paths(BOOK):
            latencies, statuses, errors = asyncio.run(
                load_loop(base_url, read.paths, headers, connections=1, seconds=0.3)
            )
            assert latencies, read.key
            assert set(statuses) == {200}, (read.key, statuses)
            assert errors == 0, read.key
