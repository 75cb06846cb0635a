"""Schemathesis against the gateway's merged OpenAPI document, with the live services behind it.

Every documented operation is exercised with generated valid and invalid input and `--checks all`: no 5xx;
statuses, media types, headers and bodies as documented; valid input accepted and invalid input refused;
undocumented methods answered 405 with the real `Allow`; no operation that ignores missing credentials;
created resources readable, deleted ones gone; stateful sequences along the response links. The few
places where the document cannot say everything the API checks are listed, with their reasons, in
`ALLOWANCES`, and nowhere else.

The run is deterministic (partners copy it into their CI): one worker (schemathesis's threads tripped
CPython 3.11's threaded-AST bug, python/cpython#106905, "SystemError: AST constructor recursion depth
mismatch", about one run in three with `--workers 2`), a fixed seed, no example database. It runs on a
platform of its own: with `admin` the fuzzer changes clients, keys and rate limits (it once set the demo
admin's limit to 1 a minute), which must not leak into the other end-to-end tests; and its clients have
limits far above what it sends, so no answer depends on timing.
"""

import json
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest

from plaza_contracts import uuid7
from plaza_contracts.demo import DEMO_ORGANISATIONS
from plaza_dev.stack import Stack
from plaza_dev.testing import private_folder, running_stack
from plaza_kit.scopes import Scope

pytestmark = pytest.mark.e2e

SEED = 20250918
MAX_EXAMPLES = 25
_METHODS = ("get", "put", "post", "delete", "patch")
# Far above the few hundred requests a second one worker sends: no 429, so no answer depends on timing.
_RATE_PER_MINUTE, _BURST = 1_000_000, 100_000
# schemathesis's defaults for the two checks that have expected statuses (`schemathesis.config`).
_DEFAULT_EXPECTED = {
    "positive_data_acceptance": ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"],
    "negative_data_rejection": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "415",
        "422",
        "428",
        "429",
        "5xx",
    ],
}
Operation = dict[str, Any]


def _has_parameter(name: str) -> Callable[[str, str, Operation], bool]:
    def applies(method: str, path: str, operation: Operation) -> bool:
        return any(parameter["name"].lower() == name.lower() for parameter in operation.get("parameters", []))

    return applies


def _has_json_body(method: str, path: str, operation: Operation) -> bool:
    return "application/json" in operation.get("requestBody", {}).get("content", {})


def _registry_write(method: str, path: str, operation: Operation) -> bool:
    return method != "get" and path.startswith(("/v1/companies", "/v1/organisations"))


def _meetings_write(method: str, path: str, operation: Operation) -> bool:
    return method != "get" and path.startswith(("/v1/events", "/v1/meetings"))


def _investment_write(method: str, path: str, operation: Operation) -> bool:
    return method != "get" and path.startswith(("/v1/leads", "/v1/fx-rates"))


@dataclass(frozen=True)
class Allowance:
    """A status `check` also accepts on the operations `applies` selects, and why the document cannot do
    better than say the status may happen."""

    check: str
    status: str
    applies: Callable[[str, str, Operation], bool]
    reason: str


# Every exception to `--checks all`, in one place. Nothing else is relaxed, excluded or skipped; the one
# other setting is that the admin run's `client_id` is pinned to a client made for it (`target_client_id`),
# so it cannot throttle, re-scope or revoke the client it runs as.
ALLOWANCES = (
    Allowance(
        "positive_data_acceptance",
        "400",
        _has_parameter("cursor"),
        "A cursor is valid only when the API issued it, signed and bound to the same filters; a generated "
        "string is a (documented) 400 invalid-cursor, and no schema can describe a signature.",
    ),
    Allowance(
        "positive_data_acceptance",
        "412",
        _has_parameter("If-Match"),
        "`If-Match` must name the record's current ETag; any other well-formed value is a (documented) 412.",
    ),
    Allowance(
        "positive_data_acceptance",
        "422",
        _registry_write,
        "Registry writes are checked beyond JSON Schema: identifier check digits (法人番号, 사업자등록번호, "
        "법인등록번호, LEI), ISO 3166 country codes, ids that must name existing records (merge, distinct, "
        "parent, member_of, member_id), `left_on` not before `joined_on`, and an `Idempotency-Key` reused "
        "with another body.",
    ),
    Allowance(
        "positive_data_acceptance",
        "422",
        _meetings_write,
        "Meetings writes are checked against the stored event beyond JSON Schema: ids that must name records "
        "of the same event (registrations, slots, tables, interpreters, people of the right company), times "
        "within the event and whole slots, the event's and a meeting's life cycle (allowed transitions), "
        "the who-meets-whom rule, a check-in code, the side an organiser writes for, a currency's minor "
        "unit, exactly one of two alternatives (documented as `oneOf`, which generators do not keep "
        "exclusive), at least one language of a title, and an `Idempotency-Key` reused with another body.",
    ),
    Allowance(
        "positive_data_acceptance",
        "422",
        _investment_write,
        "Investment writes are checked beyond JSON Schema: ISO 4217 currency codes and each currency's minor "
        "unit, registry ids that must name existing companies and organisations, at least one party and "
        "exactly one of stage or status (documented, but generators do not keep such rules), a lead owned by "
        "an organisation (a client without one, such as admin, owns none), the pipeline moves allowed from "
        "the lead's stage and status with the fields a signed or lost stage needs, a rate for the signing "
        "date, an ECB file's content, a meeting of the caller's with an outcome, and an `Idempotency-Key` "
        "reused with another body.",
    ),
    Allowance(
        "positive_data_acceptance",
        "422",
        _has_parameter("currency"),
        "`currency` must be an ISO 4217 code with a rate on or before the date asked, not any three letters.",
    ),
    Allowance(
        "positive_data_acceptance",
        "422",
        _has_parameter("country"),
        "`country` must be an ISO 3166-1 alpha-2 code the registry knows, not any two characters.",
    ),
    Allowance(
        "negative_data_rejection",
        "413",
        _has_json_body,
        "A body over the gateway's size limit is refused with 413, which schemathesis does not count as a "
        "rejection.",
    ),
)


def schemathesis_config(document: dict[str, Any], *, pinned: dict[str, str]) -> str:
    """`schemathesis.toml` for `document`: the allowances per operation, and `pinned` path parameters
    (name → value) that keep the fuzzer's writes on records made for it."""
    blocks: list[str] = []
    for path, item in document["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            extra: dict[str, list[str]] = {}
            for allowance in ALLOWANCES:
                if allowance.applies(method, path, operation):
                    extra.setdefault(allowance.check, list(_DEFAULT_EXPECTED[allowance.check]))
                    if allowance.status not in extra[allowance.check]:
                        extra[allowance.check].append(allowance.status)
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            parameters = {name: value for name, value in pinned.items() if name in names}
            if not extra and not parameters:
                continue
            lines = ["[[operations]]", f"include-operation-id = {json.dumps(operation['operationId'])}"]
            lines += [f"parameters.{name} = {json.dumps(value)}" for name, value in parameters.items()]
            lines += [
                f"checks.{check}.expected-statuses = {json.dumps(codes)}" for check, codes in extra.items()
            ]
            blocks.append("\n".join(lines))
    config = "\n\n".join(blocks) + "\n"
    tomllib.loads(config)  # fail here, not in schemathesis, on a malformed file
    return config


@pytest.fixture(scope="module")
def contract_stack(postgres_admin_url: str) -> Iterator[Stack]:
    """The platform with demo data, for this module alone (see the module docstring)."""
    with private_folder("plaza-contract-logs-") as logs:
        yield from running_stack(postgres_admin_url, f"plaza_contract_{uuid7().hex[-12:]}", logs)


@pytest.fixture(scope="module")
def target_client_id(contract_stack: Stack) -> str:
    """The client whose scopes, limits and keys the admin run may change: never the one it runs as."""
    return str(contract_stack.create_client("contract-target", [str(Scope.REGISTRY_READ)]).client_id)


@pytest.fixture(scope="module")
def callers(contract_stack: Stack) -> dict[str, str]:
    """API keys of an operator (`admin`) and of a partner acting for KOTRA (every partner scope)."""
    partner_scopes = [str(scope) for scope in Scope if scope is not Scope.ADMIN]
    admin = contract_stack.create_client(
        "contract-admin", [str(Scope.ADMIN)], rate_per_minute=_RATE_PER_MINUTE, burst=_BURST
    )
    partner = contract_stack.create_client(
        "contract-kotra",
        partner_scopes,
        DEMO_ORGANISATIONS["kotra"],
        rate_per_minute=_RATE_PER_MINUTE,
        burst=_BURST,
    )
    return {"admin": admin.key, "partner": partner.key}


def run_schemathesis(base_url: str, api_key: str, folder: Path, *, pinned: dict[str, str]) -> str:
    """Run schemathesis against `base_url` as `api_key`; the junit report lands in `folder`. Returns the
    output; fails the test on any problem found."""
    document = httpx.get(f"{base_url}/openapi.json").json()
    config = folder / "schemathesis.toml"
    config.write_text(schemathesis_config(document, pinned=pinned), encoding="utf-8")
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run"),
        f"{base_url}/openapi.json",
        *("--url", base_url),
        *("--checks", "all"),
        *("--max-examples", str(MAX_EXAMPLES)),
        *("--seed", str(SEED)),
        *("--workers", "1"),
        *("--generation-database", "none"),
        *("--suppress-health-check", "all"),
        *("--header", f"X-API-Key:{api_key}"),
        *("--report", "junit", "--report-dir", str(folder)),
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if result.returncode != 0:
        pytest.fail(f"schemathesis found problems:\n{result.stdout[-20000:]}\n{result.stderr[-4000:]}")
    report = ElementTree.parse(next(folder.glob("junit*.xml"))).getroot()  # noqa: S314 (our own report)
    exercised = {case.get("name") for case in report.iter("testcase")}
    documented = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in _METHODS
    }
    assert documented <= exercised, f"operations schemathesis did not exercise: {documented - exercised}"
    assert report.get("failures") == "0"
    assert report.get("errors") == "0"
    return result.stdout


@pytest.mark.parametrize("caller", ["admin", "partner"])
def test_every_operation_conforms_to_the_merged_document(
    contract_stack: Stack, callers: dict[str, str], target_client_id: str, caller: str, tmp_path: Path
) -> None:
    """With the admin key every operation runs to its logic; with a partner's, the admin API answers 403
    and the registry applies the organisation's ownership rules."""
    pinned = {"client_id": target_client_id}
    output = run_schemathesis(contract_stack.gateway_url, callers[caller], tmp_path, pinned=pinned)
    assert "Rate limited" not in output, "429s leave operations untested; raise the callers' limits"


def test_allowances_name_a_check_and_a_reason_and_apply_somewhere(contract_stack: Stack) -> None:
    """An allowance nothing uses is stale: remove it rather than carry it."""
    document = httpx.get(f"{contract_stack.gateway_url}/openapi.json").json()
    operations = [
        (m, p, o) for p, item in document["paths"].items() for m, o in item.items() if m in _METHODS
    ]
    for allowance in ALLOWANCES:
        assert allowance.check in _DEFAULT_EXPECTED
        assert allowance.reason
        assert any(allowance.applies(*operation) for operation in operations), allowance
