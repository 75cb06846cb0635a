"""The gateway bench's own logic: the verdict on the targets, the checks that every response was the expected
one (no 429), the choice of rate limiter, and an nginx configuration nginx accepts."""

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

import bench.gateway
from bench.gateway import (
    BENCH_LIMIT,
    Endpoint,
    Measurement,
    StatusCheck,
    Target,
    choose_limiter,
    problems,
    report,
    security_line,
)
from bench.tools import AccessLog, checkout_sources, nginx_config, tool_path, unexpected

ENDPOINT = Endpoint("cheap", "/v1/companies/x/none", 404, "test")
TARGETS = [Target("direct", "(a) direct", "http://a"), Target("nginx", "(b) nginx", "http://b")]
TARGETS.append(Target("gateway", "(c) gateway", "http://c"))


def _measurements(
    rps: dict[str, float], p50_at_one: dict[str, float], redis_cpu_us: float | None = None
) -> list[Measurement]:
    return [
        Measurement(
            key,
            "cheap",
            c,
            1000,
            rps[key] if c == 32 else 1000.0,
            p50_at_one[key] if c == 1 else 3.0,
            5.0,
            0,
            0,
            proxy_cpu_us=None if key == "direct" else {"nginx": 20.0, "gateway": 110.0}[key],
            service_cpu_us=120.0,
            redis_cpu_us=redis_cpu_us if key == "gateway" else None,
        )
        for key in rps
        for c in (1, 32)
    ]


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.startswith(start))


def test_report_meets_both_targets() -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 950, "gateway": 700}, {"direct": 0.2, "nginx": 0.25, "gateway": 0.6}
    )
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  gateway/direct") == (
        "  gateway/direct throughput 0.70, gateway/nginx 0.74 (target ≥ 0.70: met)"
    )
    assert _line(lines, "  added p50") == (
        "  added p50 at 1 connection: gateway +400 µs (target < 1000 µs: met), nginx +50 µs"
    )
    assert _line(lines, "  CPU per request") == (
        "  CPU per request at 32 connections: gateway 110 µs, nginx 20 µs; the registry itself 120 µs"
    )
    assert _line(lines, "  (a) direct").split() == [
        "(a)",
        "direct",
        "1,000",
        "0.20ms",
        "5.00ms",
        "3.00ms",
        "5.00ms",
        "—",
        "120",
    ]
    assert _line(lines, "  (c) gateway").split() == [
        "(c)",
        "gateway",
        "700",
        "0.60ms",
        "5.00ms",
        "3.00ms",
        "5.00ms",
        "110",
        "120",
    ]


def test_report_flags_missed_targets_and_errors() -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 1000, "gateway": 600}, {"direct": 0.2, "nginx": 0.2, "gateway": 1.3}
    )
    results[-1].socket_errors = 3
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  gateway/direct").endswith("gateway/nginx 0.60 (target ≥ 0.70: MISSED)")
    assert _line(lines, "  added p50").startswith(
        "  added p50 at 1 connection: gateway +1100 µs (target < 1000 µs: MISSED)"
    )
    assert _line(lines, "  (c) gateway").endswith("(3 errors or unexpected statuses!)")
    assert "errors" not in _line(lines, "  (b) nginx")


def test_several_rounds_report_the_median_of_each_figure() -> None:
    everyone = ("direct", "nginx", "gateway")
    rounds = [
        _measurements({"direct": rps, "nginx": rps, "gateway": rps * 0.8}, dict.fromkeys(everyone, p50))
        for rps, p50 in ((1000, 0.2), (3000, 0.9), (2000, 0.3))
    ]
    lines = report([m for measurements in rounds for m in measurements], TARGETS, [ENDPOINT])
    assert _line(lines, "  (a) direct").split()[2:4] == ["2,000", "0.30ms"]
    assert _line(lines, "  gateway/direct").startswith("  gateway/direct throughput 0.80, gateway/nginx 0.80")


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="no nginx")
def test_nginx_accepts_the_generated_configuration(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text(nginx_config(tmp_path, 18080, 18081))
    result = subprocess.run(
        [
            tool_path("nginx"),
            "-t",
            "-p",
            f"{tmp_path}/",
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


# --- security on: the second target, added latency, CPU of each path ---------------------------------------


def test_report_gives_both_verdicts_and_the_added_latency() -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 950, "gateway": 700}, {"direct": 0.2, "nginx": 0.25, "gateway": 0.6}
    )
    for m in results:  # p99: direct 5 ms everywhere, the gateway 1.5 ms more at one connection, 4 ms at 32
        if m.target == "gateway":
            m.p99_ms = 6.5 if m.connections == 1 else 9.0
            m.p50_ms = m.p50_ms if m.connections == 1 else 3.25
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  added vs direct, gateway") == (
        "  added vs direct, gateway: p50 @1 +400, p99 @1 +1,500, p50 @32 +250, p99 @32 +4,000 µs"
    )
    assert _line(lines, "  added vs direct, nginx") == (
        "  added vs direct, nginx: p50 @1 +50, p99 @1 +0, p50 @32 +0, p99 @32 +0 µs"
    )
    assert _line(lines, "  target before security") == (
        "  target before security (≥ 0.70 of nginx's throughput and < 1000 µs added p50 @1): met"
    )
    assert _line(lines, "  target with security on") == (
        "  target with security on (≥ 0.60 of nginx's throughput): met (0.74)"
    )


@pytest.mark.parametrize(
    ("gateway_rps", "gateway_p50", "before", "secured"),
    [
        (650, 0.6, "MISSED", "met (0.65)"),  # between the two throughput targets
        (800, 1.4, "MISSED", "met (0.80)"),  # throughput fine, too slow at one connection
        (550, 0.6, "MISSED", "MISSED (0.55)"),
    ],
)
def test_report_judges_the_two_targets_apart(
    gateway_rps: float, gateway_p50: float, before: str, secured: str
) -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 1000, "gateway": gateway_rps},
        {"direct": 0.2, "nginx": 0.2, "gateway": gateway_p50},
    )
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  target before security").endswith(f": {before}")
    assert _line(lines, "  target with security on").endswith(f": {secured}")


def test_report_adds_redis_to_the_gateway_path_cpu() -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 950, "gateway": 700}, {"direct": 0.2, "nginx": 0.2, "gateway": 0.6}, 30.0
    )
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  CPU per request at") == (
        "  CPU per request at 32 connections: gateway 110 µs (+ Redis 30 µs), nginx 20 µs; "
        "the registry itself 120 µs"
    )
    # direct: the registry's 120; nginx: 20 + 120; gateway: 110 + 30 + 120 → 140/260 when CPU-bound
    assert _line(lines, "  CPU per request of the whole path") == (
        "  CPU per request of the whole path: direct 120, nginx 140, gateway 260 µs "
        "(when the machine's CPU is the limit, gateway/nginx → 0.54)"
    )


# --- every response as expected: 429s fail the run ----------------------------------------------------------


def test_rate_limited_answers_are_flagged_and_fail_the_run() -> None:
    results = _measurements(
        {"direct": 1000, "nginx": 950, "gateway": 700}, {"direct": 0.2, "nginx": 0.2, "gateway": 0.6}
    )
    assert problems(results, {}) == []
    results[-1].rate_limited = results[-1].unexpected_status = 7
    lines = report(results, TARGETS, [ENDPOINT])
    assert _line(lines, "  (c) gateway").endswith("(7 errors or unexpected statuses!)  (7 × 429!)")
    assert problems(results, {"gateway": "(c) gateway"}) == [
        "(c) gateway, cheap, 32 conn.: 7 × 429 (rate limited), 7 unexpected statuses"
    ]


def test_several_rounds_add_up_the_429s() -> None:
    rounds = [
        _measurements(
            {"direct": 1000, "nginx": 1000, "gateway": 800}, {"direct": 0.2, "nginx": 0.2, "gateway": 0.5}
        )
        for _ in range(3)
    ]
    rounds[0][-1].rate_limited = 2
    rounds[2][-1].rate_limited = 3
    lines = report([m for measurements in rounds for m in measurements], TARGETS, [ENDPOINT])
    assert _line(lines, "  (c) gateway").endswith("(5 × 429!)")


def test_unexpected_counts_statuses_other_than_the_paths_own() -> None:
    statuses = Counter(
        {("/a", 404): 100, ("/a", 429): 3, ("/b", 200): 50, ("/b", 401): 1, ("/other", 200): 2}
    )
    assert unexpected(statuses, {"/a": 404, "/b": 200}) == (6, 3)
    assert unexpected(Counter(), {"/a": 404}) == (0, 0)


def _access_line(path: str, status: int) -> str:
    return (
        f'{{"ts":"2026-12-03T12:00:00.000+00:00","level":"INFO","service":"gateway",'
        f'"logger":"plaza.access","msg":"request","method":"GET","path":"{path}","status":{status},'
        '"duration_ms":0.4}\n'
    )


def test_access_log_reads_only_new_complete_request_lines(tmp_path: Path) -> None:
    path = tmp_path / "gateway.log"
    path.write_text(_access_line("/a", 500))  # before the load: ignored
    log = AccessLog(path)
    with path.open("a") as file:
        file.write(_access_line("/a", 404) * 2)
        file.write('{"level":"WARNING","msg":"redis unavailable, rate limits are per replica"}\n')
        file.write(_access_line("/a", 429)[:40])  # still being written
    assert log.statuses() == Counter({("/a", 404): 2})
    with path.open("a") as file:
        file.write(_access_line("/a", 429)[40:])
    assert log.statuses() == Counter({("/a", 429): 1})
    assert log.statuses() == Counter()


def test_status_check_takes_the_log_that_saw_most_and_names_what_it_saw(tmp_path: Path) -> None:
    registry, gateway = tmp_path / "registry.log", tmp_path / "gateway.log"
    registry.touch()
    gateway.touch()
    check = StatusCheck([AccessLog(registry), AccessLog(gateway)], [ENDPOINT])
    check.start()
    registry.write_text(_access_line(ENDPOINT.path, 404) * 5)
    gateway.write_text(_access_line(ENDPOINT.path, 404) * 5 + _access_line(ENDPOINT.path, 429) * 2)
    assert check.take() == (2, 2)
    assert check.take() == (0, 0)
    assert check.summary() == [f"2 × 429 on {ENDPOINT.path} in the gateway log"]


# --- which rate limiter -------------------------------------------------------------------------------------


def test_limiter_is_redis_when_it_answers_unless_forced_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench.gateway, "redis_answers", lambda url: url == "redis://up")
    assert choose_limiter("auto", "redis://up").url == "redis://up"
    assert choose_limiter("redis", "redis://up").name == "redis"
    assert choose_limiter("local", "redis://up").name == "in-process"
    down = choose_limiter("auto", "redis://down")
    assert (down.name, down.why) == ("in-process", "no Redis answering at redis://down")
    with pytest.raises(SystemExit, match="no Redis answers at redis://down"):
        choose_limiter("redis", "redis://down")


def test_security_line_says_which_limiter_ran() -> None:
    redis = bench.gateway.Limiter("redis://127.0.0.1:6379/0", "answering")
    assert "rate limiter: Redis at redis://127.0.0.1:6379/0 (answering);" in security_line(redis)
    assert "FELL BACK to in-process" in security_line(redis, fell_back=True)
    local = bench.gateway.Limiter(None, "forced with --limiter local")
    assert "rate limiter: in-process token buckets (forced with --limiter local);" in security_line(local)
    assert f"{BENCH_LIMIT.rate_per_minute:,}/min, burst {BENCH_LIMIT.burst:,}" in security_line(local)


# --- the floor of the reads, and the registry before a change -------------------------------------------


READ = Endpoint("company", "/v1/companies/x", 200, "test")
PAGE = Endpoint("page", "/v1/companies?limit=20", 200, "test")


def _read_measurements(cpu: dict[str, float], endpoint: Endpoint = READ) -> list[Measurement]:
    return [
        Measurement(key, endpoint.name, c, 1000, 500.0, 2.0, 5.0, 0, 0, service_cpu_us=cpu[key])
        for key in cpu
        for c in (1, 32)
    ]


FLOOR_TARGETS = [
    Target("direct", "(a) direct", "http://a"),
    Target("before", "(e) registry at abc123", "http://e", endpoints=bench.gateway.READ_ENDPOINTS),
    Target("floor", "(f) floor", "http://f", endpoints=bench.gateway.READ_ENDPOINTS),
]


def test_report_compares_the_registry_with_the_floor_and_before() -> None:
    lines = report(_read_measurements({"direct": 900, "before": 9000, "floor": 500}), FLOOR_TARGETS, [READ])
    assert _line(lines, "  CPU per request at 32 connections: floor") == (
        "  CPU per request at 32 connections: floor 500 µs, registry 900 µs = 1.80× the floor "
        "(target ≤ 2×: met)"
    )
    assert _line(lines, "  (e) registry at abc123:") == (
        "  (e) registry at abc123: 9,000 µs = 18.00× the floor; "
        "the registry now spends 0.10× its CPU per request"
    )
    assert not any(line.startswith("  gateway/direct") for line in lines)  # no gateway path loaded


def test_report_flags_a_registry_above_twice_the_floor() -> None:
    lines = report(_read_measurements({"direct": 1100, "floor": 500}, PAGE), FLOOR_TARGETS[::2], [PAGE])
    assert _line(lines, "  CPU per request at 32 connections: floor").endswith(
        "= 2.20× the floor (target ≤ 2×: MISSED)"
    )
    assert not any("registry at" in line for line in lines)


def test_the_floor_and_before_only_serve_the_reads() -> None:
    cheap = Endpoint("cheap", "/v1/companies/x/none", 404, "test")
    assert FLOOR_TARGETS[0].serves(cheap)
    assert not FLOOR_TARGETS[2].serves(cheap)
    assert FLOOR_TARGETS[2].serves(PAGE)
    assert PAGE.logged_path == "/v1/companies"
    assert bench.gateway.endpoints_for("reads")[1].path == "/v1/companies?limit=20"
    assert [e.name for e in bench.gateway.endpoints_for("both")] == ["cheap", "company"]


def test_paths_take_before_only_with_a_revision() -> None:
    chosen = bench.gateway.chosen_paths
    assert chosen("direct,floor,before", before=None, httpx_variant=False) == ["direct", "floor"]
    assert chosen("direct,before", before="abc", httpx_variant=True) == ["direct", "before", "httpx"]
    with pytest.raises(SystemExit, match="no such paths"):
        chosen("direct,elsewhere", before=None, httpx_variant=False)


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_the_sources_of_a_revision_are_extracted_without_touching_the_work_tree(tmp_path: Path) -> None:
    folders = checkout_sources("HEAD", tmp_path)
    assert (folders[0] / "registry" / "companies" / "repository.py").is_file()
    assert (folders[1] / "plaza_kit" / "app.py").is_file()
    with pytest.raises(SystemExit, match="--before no-such-revision"):
        checkout_sources("no-such-revision", tmp_path / "other")
