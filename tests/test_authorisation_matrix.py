"""The authorisation matrix, generated from the running platform's merged OpenAPI document.

For every operation that declares `x-required-scopes`, four callers: no credential (401 at the gateway), a
client holding every scope but the required ones (403), a client of another organisation holding the
required scopes (refused with 403/404 when the operation declares `x-plaza-ownership: owner`, otherwise
let through), and a client of the owner organisation (let through). "Let through" means the request got
past authentication and authorisation: any answer but 401, 403, 404 (the targets exist) or a 5xx.

Targets of path parameters are made by the owner organisation's client with the create operation (POST) of
the parent collection and its request example; bodies are the operations' request examples. A new route
therefore needs nothing here: it is covered, and it fails the suite when its access rule is undeclared or
its behaviour disagrees with what it declares. Where an example cannot stand alone — it names records of
the same event (a meeting request names registered people, a booking a slot) — `CREATE_BODIES` builds the
create body from other targets, `AFTER_CREATE` finishes a target (an event is opened, so that others may
see it), and `FIXED_TARGETS` binds parameters that are not records made by a POST (a company's quota).
Deletions run last, deepest path first, so that they do not take targets from under other operations.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from plaza_contracts.demo import DEMO_COMPANIES, DEMO_ORGANISATIONS
from plaza_dev.stack import Stack
from plaza_kit.scopes import Scope

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
OWNER_ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-00000000a0a0")
OTHER_ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-00000000b0b0")
_PARAMETER = re.compile(r"\{([^}]+)\}")
_METHODS = ("get", "post", "put", "patch", "delete")
LET_THROUGH_NOT = {401, 403, 404}


@dataclass(frozen=True)
class Operation:
    """One operation of the document, as the matrix needs it."""

    id: str
    method: str
    template: str
    scopes: tuple[str, ...]
    owner_only: bool
    body: Any


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _example(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    if "example" in content:
        return content["example"]
    schema = _resolve(document, content.get("schema", {}))
    examples = schema.get("examples") or [{}]
    return examples[0]


EVENT = "/v1/events/{event_id}"


def _registration(matrix: "Matrix", company: uuid.UUID, languages: list[str], role: str = "delegate") -> str:
    body = {
        "company_id": str(company),
        "name": {"en": f"Matrix {role}"},
        "languages": languages,
        "role": role,
    }
    return matrix.create(f"{EVENT}/registrations", body)


def _slots(matrix: "Matrix") -> list[str]:
    """The slots of the matrix's event, cut from a B2B block made once."""
    if "slots" not in matrix.extra:
        block = {
            "kind": "b2b_block",
            "title": {"en": "Matrix B2B"},
            "starts_at": "2025-09-18T14:00:00+09:00",
            "ends_at": "2025-09-18T15:00:00+09:00",
        }
        matrix.create(f"{EVENT}/sessions", block)
        listed = matrix.owner_get(matrix.path(f"{EVENT}/slots"))
        matrix.extra["slots"] = [slot["id"] for slot in listed["items"]]
    slots: list[str] = matrix.extra["slots"]
    return slots


def _buyer(matrix: "Matrix") -> str:
    if "buyer" not in matrix.extra:
        matrix.extra["buyer"] = _registration(
            matrix, DEMO_COMPANIES["mikawa-battery-materials"], ["ja"], "buyer"
        )
    buyer: str = matrix.extra["buyer"]
    return buyer


def _exhibitor(matrix: "Matrix") -> str:
    return matrix.target(f"{EVENT}/registrations")  # the registrations example: a Korean firm's person


CREATE_BODIES: dict[str, Callable[["Matrix"], dict[str, Any]]] = {
    "interpreters_create": lambda m: {
        "registration_id": _registration(m, DEMO_ORGANISATIONS["kotra"], ["ko", "ja"], "interpreter"),
        "language_pairs": ["ko-ja"],
    },
    "requests_create": lambda m: {
        "requester_company_id": str(DEMO_COMPANIES["mikawa-battery-materials"]),
        "requested_company_id": str(DEMO_COMPANIES["hanbit-materials"]),
        "requester_people": [_buyer(m)],
        "requested_people": [_exhibitor(m)],
        "purpose": "joint_development",
    },
    "meetings_book": lambda m: {
        "event_id": m.target("/v1/events"),
        "company_a_id": str(DEMO_COMPANIES["chita-energy"]),
        "company_b_id": str(DEMO_COMPANIES["hanbit-materials"]),
        "people_a": [_registration(m, DEMO_COMPANIES["chita-energy"], ["ja", "en"], "buyer")],  # shares en
        "people_b": [_exhibitor(m)],
        "slot_id": _slots(m)[0],
        "purpose": "export_import",
    },
    "blocked_slots_create": lambda m: {
        "slot_id": _slots(m)[1],
        "registration_id": _buyer(m),
        "reason": "Break",
    },
    "attendees_create": lambda m: {"registration_id": _buyer(m)},
}
AFTER_CREATE: dict[str, Callable[["Matrix", str], None]] = {
    "events_create": lambda m, event_id: m.owner_post(f"/v1/events/{event_id}/status", {"status": "open"}),
}
TARGET_ID_FIELDS = {
    f"{EVENT}/sessions/{{session_id}}/attendees": "registration_id",
    "/v1/leads/{lead_id}/shares": "organisation_id",
}
FIXED_TARGETS = {
    f"{EVENT}/quotas": str(DEMO_COMPANIES["hanbit-materials"]),
    "/v1/pipelines": "trade",  # the pipelines are fixed, not made by a POST
}


def _operations(document: dict[str, Any]) -> list[Operation]:
    found = []
    for template, item in document["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None or "x-required-scopes" not in operation:
                continue
            found.append(
                Operation(
                    id=operation["operationId"],
                    method=method.upper(),
                    template=template,
                    scopes=tuple(operation["x-required-scopes"]),
                    owner_only=operation.get("x-plaza-ownership") == "owner",
                    body=_example(document, operation),
                )
            )
    # Deletions last (deepest first), so that they do not remove targets other operations still use.
    return sorted(
        found, key=lambda op: (op.method == "DELETE", -op.template.count("/") if op.method == "DELETE" else 0)
    )


class Matrix:
    """Clients per (scopes, organisation) and targets per collection, made once for the whole matrix."""

    def __init__(
        self, stack: Stack, document: dict[str, Any], make_client: Callable[..., MadeClient]
    ) -> None:
        self.stack = stack
        self.document = document
        self.operations = _operations(document)
        self._make_client = make_client
        self._clients: dict[tuple[frozenset[str], uuid.UUID | None], MadeClient] = {}
        self._targets: dict[str, str] = dict(FIXED_TARGETS)
        self.extra: dict[str, Any] = {}  # what the body builders made once (slots, people)

    def key(self, scopes: frozenset[str], organisation: uuid.UUID) -> str:
        """A key of a client with exactly `scopes`, acting for `organisation`."""
        wanted = scopes or frozenset({str(Scope.REGISTRY_READ)})
        if (wanted, organisation) not in self._clients:
            self._clients[wanted, organisation] = self._make_client(
                *sorted(wanted), organisation_id=organisation, rate_per_minute=100_000, burst=10_000
            )
        return self._clients[wanted, organisation].key

    def call(self, operation: Operation, headers: dict[str, str]) -> httpx.Response:
        """Call `operation` on targets owned by OWNER_ORGANISATION."""
        path = self.path(operation.template)
        body = CREATE_BODIES[operation.id](self) if operation.id in CREATE_BODIES else operation.body
        json = body if operation.method in {"POST", "PUT", "PATCH"} else None
        return httpx.request(operation.method, f"{self.stack.gateway_url}{path}", json=json, headers=headers)

    def _owner(self) -> dict[str, str]:
        every = frozenset(str(scope) for scope in Scope if scope is not Scope.ADMIN)
        return {"X-API-Key": self.key(every, OWNER_ORGANISATION)}

    def owner_get(self, path: str) -> Any:
        """GET as the owner organisation (with every partner scope)."""
        response = httpx.get(f"{self.stack.gateway_url}{path}", headers=self._owner())
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def owner_post(self, path: str, body: Any) -> Any:
        """POST as the owner organisation (with every partner scope); the answer's JSON."""
        response = httpx.post(f"{self.stack.gateway_url}{path}", json=body, headers=self._owner())
        assert response.status_code in (200, 201), f"POST {path}: {response.status_code} {response.text}"
        return response.json()

    def create(self, collection: str, body: Any) -> str:
        """Create one more record in `collection` as the owner; its id."""
        return str(self.owner_post(self.path(collection), body)["id"])

    def target(self, collection: str) -> str:
        """The id of the owner's record of `collection` (made on first use)."""
        return self._target(collection)

    def path(self, template: str) -> str:
        """`template` with every parameter bound to a record the owner organisation created."""
        path = template
        for match in _PARAMETER.finditer(template):
            prefix = template[: match.start()].rstrip("/")
            path = path.replace(match.group(0), self._target(prefix), 1)
        return path

    def _target(self, collection: str) -> str:
        if collection not in self._targets:
            create = next(
                (op for op in self.operations if op.template == collection and op.method == "POST"), None
            )
            assert create is not None, f"{collection}/{{id}}: no create operation to make a target with"
            owner = {"X-API-Key": self.key(frozenset(create.scopes), OWNER_ORGANISATION)}
            if create.id in CREATE_BODIES:
                create = Operation(**{**create.__dict__, "body": CREATE_BODIES[create.id](self)})
            response = self.call(create, owner)
            if response.status_code == 409 and "candidates" in response.json():
                # The example names an existing company: confirm it is a different one, as a client would.
                confirmed = [candidate["id"] for candidate in response.json()["candidates"]]
                body = {**create.body, "confirm_distinct_from": confirmed}
                path = self.path(create.template)
                response = httpx.post(f"{self.stack.gateway_url}{path}", json=body, headers=owner)
            assert response.status_code in (201, 202), (  # 202: a long-running operation, queued
                f"{create.id} with its example: {response.status_code} {response.text}"
            )
            self._targets[collection] = str(response.json()[TARGET_ID_FIELDS.get(collection, "id")])
            if create.id in AFTER_CREATE:
                AFTER_CREATE[create.id](self, self._targets[collection])
        return self._targets[collection]


@pytest.fixture(scope="module")
def matrix(stack: Stack) -> Iterator[Matrix]:
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    with httpx.Client(base_url=stack.gateway_url, headers={"X-API-Key": stack.key("admin")}) as admin:

        def make(*scopes: str, organisation_id: uuid.UUID, rate_per_minute: int, burst: int) -> MadeClient:
            body = {
                "name": f"matrix-{uuid.uuid4().hex[:12]}",
                "scopes": list(scopes),
                "organisation_id": str(organisation_id),
                "rate_per_minute": rate_per_minute,
                "burst": burst,
            }
            created = admin.post("/v1/admin/clients", json=body).json()
            issued = admin.post(f"/v1/admin/clients/{created['id']}/keys", json={}).json()
            return MadeClient(created["id"], issued["key"], issued["id"], str(organisation_id))

        yield Matrix(stack, document, make)


def _report(failures: list[str]) -> None:
    assert not failures, "authorisation matrix:\n  " + "\n  ".join(failures)


def test_the_matrix_covers_the_platform(matrix: Matrix) -> None:
    ids = {operation.id for operation in matrix.operations}
    assert {"companies_create", "companies_get", "companies_list", "companies_update"} <= ids
    assert {"admin_clients_create", "admin_keys_revoke", "admin_audit_list"} <= ids


def test_no_credential_is_401_everywhere(matrix: Matrix) -> None:
    failures = []
    for operation in matrix.operations:
        response = matrix.call(operation, {})
        if response.status_code != 401:
            failures.append(f"{operation.id}: {response.status_code}, expected 401")
    _report(failures)


def test_a_client_without_the_required_scope_is_403(matrix: Matrix) -> None:
    every = frozenset(str(scope) for scope in Scope if scope is not Scope.ADMIN)
    failures = []
    for operation in matrix.operations:
        if not operation.scopes:
            continue
        key = matrix.key(every - set(operation.scopes), OWNER_ORGANISATION)
        response = matrix.call(operation, {"X-API-Key": key})
        if response.status_code != 403:
            failures.append(
                f"{operation.id} without {operation.scopes}: {response.status_code}, expected 403"
            )
    _report(failures)


def test_another_organisation_is_refused_exactly_where_ownership_is_declared(matrix: Matrix) -> None:
    failures = []
    for operation in matrix.operations:
        key = matrix.key(frozenset(operation.scopes), OTHER_ORGANISATION)
        status = matrix.call(operation, {"X-API-Key": key}).status_code
        if operation.owner_only and status not in {403, 404}:
            failures.append(f"{operation.id} (owner only) let another organisation through: {status}")
        if not operation.owner_only and (status in LET_THROUGH_NOT or status >= 500):
            failures.append(
                f"{operation.id} refused another organisation ({status}) without x-plaza-ownership"
            )
    _report(failures)


def test_the_owner_organisation_is_let_through(matrix: Matrix) -> None:
    failures = []
    for operation in matrix.operations:
        key = matrix.key(frozenset(operation.scopes), OWNER_ORGANISATION)
        response = matrix.call(operation, {"X-API-Key": key})
        if response.status_code in LET_THROUGH_NOT or response.status_code >= 500:
            failures.append(f"{operation.id}: {response.status_code} {response.text[:160]}")
    _report(failures)


def test_company_writes_are_bound_to_the_owner_organisation(stack: Stack) -> None:
    """BOLA: holding registry:write is not enough to change another organisation's company."""
    kotra, consortium = {"X-API-Key": stack.key("kotra")}, {"X-API-Key": stack.key("consortium")}
    created = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        json={"name": {"en": f"BOLA Target {uuid.uuid4().hex[:8]}"}, "country": "KR"},
        headers=kotra,
    ).json()
    url = f"{stack.gateway_url}/v1/companies/{created['id']}"
    for change in ({"country": "JP"}, {"name": {"en": "Taken Over"}}, {"kind": "startup"}):
        refused = httpx.patch(url, json=change, headers=consortium)
        assert refused.status_code == 403, change
        assert refused.headers["content-type"] == "application/problem+json"
    assert httpx.get(url, headers=consortium).json() == created
    missing = httpx.patch(
        f"{stack.gateway_url}/v1/companies/{uuid.uuid4()}", json={"country": "JP"}, headers=consortium
    )
    assert missing.status_code == 404
    admin = httpx.patch(url, json={"country": "JP"}, headers={"X-API-Key": stack.key("admin")})
    assert admin.status_code == 200
    owner = httpx.patch(url, json={"country": "KR"}, headers=kotra)
    assert owner.status_code == 200
    assert owner.json()["version"] == created["version"] + 2
