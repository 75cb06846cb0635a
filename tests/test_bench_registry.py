"""The registry bench's own logic, without a database: the generated companies (deterministic, trilingual,
valid rows the registry could have written) and the figures, verdicts and report."""

import argparse
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest

from bench import registry_data
from bench.registry import (
    LABELS,
    OPERATIONS,
    OpResult,
    Request,
    Sample,
    VariantResult,
    blocks,
    judge,
    missed,
    parse_sizes,
    percentile,
    plan_requests,
    plan_summary,
    report,
    summarise,
)
from bench.registry_data import (
    COMPANY_COLUMNS,
    GeneratedCompany,
    company_id,
    company_record,
    generate_company,
)
from plaza_contracts import uuid7_time_ms
from registry.companies.derived import derived_columns
from registry.companies.models import CompanyKind, SizeBand
from registry.names import fold, romanise
from registry.names.scripts import is_hangul_syllable, is_kana

SAMPLE = 3_000
COMPANIES = [generate_company(index) for index in range(SAMPLE)]


# --- the generator ----------------------------------------------------------------------------------------


def test_generation_is_deterministic_and_index_addressed() -> None:
    assert [generate_company(index) for index in (0, 1, 2_999)] == [COMPANIES[0], COMPANIES[1], COMPANIES[-1]]
    assert generate_company(5, seed=1) == generate_company(5, seed=1)
    assert generate_company(5, seed=1) != generate_company(5, seed=2)


def test_ids_are_uuid7_in_creation_order() -> None:
    ids = [company.id for company in COMPANIES]
    assert all(value.version == 7 for value in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert uuid7_time_ms(company_id(10)) - uuid7_time_ms(company_id(0)) == 10
    assert company_id(7, seed=1) != company_id(7, seed=2)


def test_names_are_trilingual() -> None:
    def share(predicate: Callable[[GeneratedCompany], object]) -> float:
        return sum(1 for company in COMPANIES if predicate(company)) / SAMPLE

    assert 0.45 < share(lambda c: c.country == "KR") < 0.65
    assert 0.25 < share(lambda c: c.country == "JP") < 0.45
    assert share(lambda c: c.name_ko and any(map(is_hangul_syllable, c.name_ko))) > 0.5
    assert share(lambda c: c.name_ja) > 0.4
    assert share(lambda c: c.name_en) > 0.6
    assert share(lambda c: c.name_ja_kana and all(is_kana(ch) for ch in c.name_ja_kana)) > 0.15
    assert share(lambda c: c.name_ko and c.name_ja and c.name_en) > 0.05  # all three languages
    assert any(c.name_ko and c.name_ko.startswith("㈜") for c in COMPANIES)
    assert any(c.name_ja and "株式会社" in c.name_ja for c in COMPANIES)


def test_every_company_is_a_valid_row() -> None:
    sectors = set(registry_data.SECTOR_CODES)
    for company in COMPANIES:
        assert company.name_ko or company.name_ja or company.name_en
        assert re.fullmatch("[A-Z]{2}", company.country)
        assert CompanyKind(company.kind)
        assert company.status == "active"
        assert company.size_band is None or SizeBand(company.size_band)
        assert company.founded_year is None or 1000 <= company.founded_year <= 2200
        assert company.sectors
        assert set(company.sectors) <= sectors
        assert len(set(company.sectors)) == len(company.sectors)
        for name in (company.name_ko, company.name_ja, company.name_en, company.name_ja_kana):
            assert name is None or 0 < len(name) <= 500


def test_records_carry_the_registrys_derived_columns() -> None:
    company = next(c for c in COMPANIES if c.name_ko and c.name_en)
    record = dict(zip(COMPANY_COLUMNS, company_record(company), strict=True))
    expected = derived_columns(
        company.name_ko, company.name_ja, company.name_en, company.name_ja_kana, company.name_latin
    )
    assert {column: record[column] for column in expected} == expected
    assert (record["id"], record["version"], record["name_ko"]) == (company.id, 1, company.name_ko)
    assert registry_data.sector_records(company) == [(company.id, code) for code in company.sectors]


def test_search_queries_are_found_in_the_generated_names() -> None:
    """Every query the bench sends finds companies among the first 3,000 (the CJK ones in the names, the
    romanised ones in the romanisations the registry's search document holds)."""
    spellings = []
    for company in COMPANIES:
        for name in (company.name_ko, company.name_ja, company.name_en, company.name_ja_kana):
            if name:
                spellings += [fold(name), romanise(name) or ""]
    text = "\n".join(spellings)
    counts = {
        query: text.count(query) for queries in registry_data.SEARCH_QUERIES.values() for query in queries
    }
    rare = {"한빛소재", "東洋化学", "대한정밀"}  # a few matches per 10,000 companies, on purpose
    assert all(count > 0 for query, count in counts.items() if query not in rare), counts
    assert all(len(query) == 2 for query in registry_data.SEARCH_QUERIES["search_cjk2"])
    assert all(len(query) >= 3 for query in registry_data.SEARCH_QUERIES["search_cjk3"])
    assert all(query.isascii() for query in registry_data.SEARCH_QUERIES["search_latin"])


def test_chunks_cover_the_range() -> None:
    assert list(registry_data.chunks(10, 25, 6)) == [(10, 16), (16, 22), (22, 25)]
    assert list(registry_data.chunks(5, 5, 6)) == []


# --- requests ---------------------------------------------------------------------------------------------


def test_plan_sends_every_operation_and_cycles_the_queries() -> None:
    plans = plan_requests(1_000, 12, "CURSOR", random.Random(1))
    assert list(plans) == [operation.key for operation in OPERATIONS]
    assert all(len(plan) == 12 for plan in plans.values())
    assert all(
        uuid.UUID(r.path.rsplit("/", 1)[1]) in {company_id(i) for i in range(1_000)} for r in plans["get"]
    )
    assert plans["list_deep"][0].path == "/v1/companies?limit=20&cursor=CURSOR"
    assert plans["list_first"][0].path == "/v1/companies?limit=20"
    queries = registry_data.SEARCH_QUERIES["search_cjk2"]
    assert [r.variant for r in plans["search_cjk2"][: len(queries)]] == list(queries)
    assert "q=%ED%99%94%ED%95%99" in plans["search_cjk2"][0].path  # 화학, URL-encoded


def test_blocks_split_evenly() -> None:
    requests = [Request("get", "id", f"/{n}") for n in range(10)]
    cut = blocks(requests, 3)
    assert [len(block) for block in cut] == [3, 3, 4]
    assert [r for block in cut for r in block] == requests


def test_parse_sizes() -> None:
    assert parse_sizes("100000, 10_000,10000") == [10_000, 100_000]
    with pytest.raises(argparse.ArgumentTypeError, match="positive"):
        parse_sizes("0,10")


# --- figures, verdicts and report -------------------------------------------------------------------------


def test_percentile_interpolates() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0
    assert (percentile([1.0, 2.0], 0), percentile([1.0, 2.0], 100)) == (1.0, 2.0)
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_summarise_per_operation_and_per_query() -> None:
    samples = [Sample("search_cjk2", "화학", 10.0 + n, 20) for n in range(10)]
    samples += [Sample("search_cjk2", "한빛", 1.0, 7) for _ in range(10)]
    result = summarise(10_000, "search_cjk2", samples)
    assert (result.requests, result.items, result.max_ms) == (20, 20, 19.0)
    assert result.p50_ms == pytest.approx(5.5)
    assert [(v.variant, v.requests) for v in result.variants] == [("화학", 10), ("한빛", 10)]
    assert result.variants[1].p95_ms == 1.0
    assert summarise(10, "get", [Sample("get", "id", 2.0, 1)]).variants == []


def _result(size: int, operation: str, p95: float, cpu: float | None = 10.0) -> OpResult:
    return OpResult(
        size, operation, 100, p95 / 2, p95, p95 * 2, 20, registry_cpu_ms=cpu, database_cpu_ms=cpu and 1.0
    )


def test_verdicts_on_p95_and_growth() -> None:
    results = [
        _result(10_000, "get", 5.0),
        _result(100_000, "get", 6.0),
        _result(10_000, "search_cjk3", 20.0, cpu=10.0),
        _result(100_000, "search_cjk3", 60.0, cpu=32.0),
        _result(10_000, "search_latin", 10.0),
        _result(100_000, "search_latin", 45.0),
    ]
    get, cjk3, latin = judge(results)
    assert (get.p95_met, get.ratio_met) == (True, True)
    assert get.ratio == pytest.approx(1.2)
    assert (cjk3.p95_met, cjk3.ratio_met) == (False, False)
    assert cjk3.cpu_ratio == pytest.approx(3.0)
    assert (latin.p95_met, latin.ratio_met) == (True, False)
    assert missed([get, cjk3, latin]) == {"search_cjk3", "search_latin"}


def test_one_size_judges_p95_only() -> None:
    [verdict] = judge([_result(100_000, "get", 70.0, cpu=None)])
    assert (verdict.ratio, verdict.ratio_met, verdict.cpu_ratio, verdict.p95_met) == (None, None, None, False)


def test_report_shows_figures_matches_and_verdicts() -> None:
    search = replace(
        _result(100_000, "search_cjk2", 55.0),
        variants=[VariantResult("화학", 50, 20.0, 30.0, 2_445), VariantResult("ミレ", 50, 5.0, 6.0, 176)],
        plans=[["Limit  (cost=1.00..2.00 rows=21 width=8) (actual time=0.100..12.500 rows=21 loops=1)"]],
        sql_variant="화학",
    )
    results = [
        _result(10_000, "get", 5.0),
        _result(100_000, "get", 6.0),
        _result(10_000, "search_cjk2", 20.0),
        search,
    ]
    lines = report(results, judge(results))
    text = "\n".join(lines)
    assert re.search(r"100,000  search, 2-char CJK\s+27\.50\s+55\.00", text)
    assert "2 queries, 176–2,445 matches" in text
    assert "화학 20.0/30.0 (2,445)" in text
    assert re.search(r"get by id\s+5\.00\s+6\.00\s+1\.20\s+1\.00\s+met\s+met", text)
    assert re.search(r"search, 2-char CJK\s+20\.00\s+55\.00\s+2\.75\s+1\.00\s+MISSED\s+MISSED", text)
    assert "p95 under 50 ms at 100,000 companies: MISSED by search, 2-char CJK" in text
    assert "under 2: MISSED by search, 2-char CJK" in text
    assert "search, 2-char CJK at 100,000, '화학': Limit (21 rows, 12.5 ms)" in text
    assert set(LABELS) == {operation.key for operation in OPERATIONS}


def test_report_when_every_target_is_met() -> None:
    results = [_result(10_000, "get", 5.0), _result(100_000, "get", 6.0)]
    text = "\n".join(report(results, judge(results)))
    assert "met by every operation" in text
    assert "MISSED" not in text


def test_plan_summary() -> None:
    plan = [
        "Limit  (cost=6364.46..6459.37 rows=21 width=1241) (actual time=13.548..15.623 rows=21 loops=1)",
        "  Buffers: shared hit=4",
        "  ->  Nested Loop  (cost=6364.46..18322.93 rows=2646 width=1241) "
        "(actual time=13.5..15.6 rows=21 loops=1)",
        "        ->  Parallel Bitmap Heap Scan on company company_1  "
        "(cost=33.09..5281.54 rows=1556 width=174) (actual time=0.901..5.789 rows=1278 loops=2)",
        "        ->  Index Scan using pk_company on company  (cost=0.42..4.39 rows=1 width=1233) "
        "(actual time=0.009..0.009 rows=1 loops=21)",
        "Execution Time: 15.704 ms",
    ]
    pg18 = "Limit  (cost=4674.01..4674.07 rows=21 width=1242) (actual time=56.455..56.462 rows=21.00 loops=1)"
    assert plan_summary(plan) == (
        "Limit (21 rows, 15.6 ms) → Nested Loop (21 rows, 15.6 ms) → Parallel Bitmap Heap Scan on company "
        "company_1 (1,278 rows × 2 loops, 5.8 ms) → Index Scan using pk_company on company "
        "(1 rows × 21 loops, 0.0 ms)"
    )
    assert plan_summary([pg18]) == "Limit (21 rows, 56.5 ms)"
