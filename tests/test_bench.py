"""The gateway bench's own logic: the verdict on the targets, and an nginx configuration nginx accepts."""

import shutil
import subprocess
from pathlib import Path

import pytest

from bench.gateway import Endpoint, Measurement, Target, report
from bench.tools import nginx_config, tool_path

ENDPOINT = Endpoint("cheap", "/v1/companies/x/none", 404, "test")
TARGETS = [Target("direct", "(a) direct", "http://a"), Target("nginx", "(b) nginx", "http://b")]
TARGETS.append(Target("gateway", "(c) gateway", "http://c"))


def _measurements(rps: dict[str, float], p50_at_one: dict[str, float]) -> list[Measurement]:
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
