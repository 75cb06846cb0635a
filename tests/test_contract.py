"""Schemathesis against the gateway's merged OpenAPI document, with the live services behind it.

Every documented operation is exercised with generated valid and invalid input. The run fails on any 5xx,
on a status code, media type, header or body that the document does not declare.
"""

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from plaza_dev.stack import Stack

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def test_every_operation_conforms_to_the_merged_document(
    stack: Stack, partner_headers: dict[str, str], tmp_path: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{stack.gateway_url}/openapi.json",
        "--url",
        stack.gateway_url,
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--seed",
        "20250918",
        "--workers",
        "2",
        "--no-color",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--header",
        f"X-API-Key:{partner_headers['X-API-Key']}",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        pytest.fail(f"schemathesis found problems:\n{result.stdout[-20000:]}\n{result.stderr[-4000:]}")
    report = ElementTree.parse(next(tmp_path.glob("junit*.xml"))).getroot()  # noqa: S314 (our own report)
    exercised = {case.get("name") for case in report.iter("testcase")}
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    documented = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert documented <= exercised, f"operations schemathesis did not exercise: {documented - exercised}"
    assert report.get("failures") == "0"
    assert report.get("errors") == "0"
