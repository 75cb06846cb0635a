"""docker-compose.yml and deploy/: valid Compose, and everything they name exists and fits together.

No Docker engine runs in CI, so this is the gate instead: the Compose specification's JSON schema (the copy
vendored by check-jsonschema), then our own rules: every referenced service, file and `python -m` module
exists, only the gateway publishes a port, every long-running service has a healthcheck that probes its own
port, environment names match the settings classes, and the Dockerfile copies only paths that exist. Each
rule is also run on a broken copy, so a checker that stopped checking would fail here.
"""

import copy
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dotenv
import pytest
import yaml

from gateway.settings import GatewaySettings, upstream_variable
from plaza_kit.bootstrap import SERVICE_SCHEMAS, role_name
from plaza_kit.catalogue import COMPONENTS, SERVICES, resolve
from plaza_kit.identity import IdentitySigner, IdentityVerifier, Principal
from plaza_kit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
MAKE_KEYS = ROOT / "deploy" / "make-keys"
ONLY_PUBLISHED = "gateway"
UPSTREAM_VARIABLES = frozenset(upstream_variable(service.name) for service in SERVICES)
SETTINGS: dict[str, type[ServiceSettings] | type[GatewaySettings]] = {
    component.name: resolve(component.settings_class) for component in COMPONENTS
}
_PYTHON_MODULE = re.compile(r"\bpython3?\s+-m\s+([A-Za-z_][\w.]*)((?:\s+[^\s;&|]+)*)")
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_]\w*)")


# --- the checker ------------------------------------------------------------------------------------------


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    """The Compose file as data (YAML anchors and merge keys resolved)."""
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def schema_errors(path: Path) -> str | None:
    """The Compose specification's verdict on `path`: None when valid, else check-jsonschema's report."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if result.returncode == 0 else result.stdout + result.stderr


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose's variable interpolation (`$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:?error}`)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3)
        present = env.get(name)
        unset = present is None or (operator is not None and operator.startswith(":") and present == "")
        if operator and operator.endswith("-"):
            return argument if unset else str(present)
        if operator and operator.endswith("?") and unset:
            raise KeyError(f"{name}: {argument}")
        return "" if present is None else present

    return _VARIABLE.sub(replace, value)


def strings_in(node: Any) -> Iterator[str]:
    """Every string anywhere in a YAML node."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def command_text(service: Mapping[str, Any]) -> str:
    """A service's command as one shell-like string (list form joined)."""
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def python_modules(service: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """`(module, arguments)` for each `python -m module args…` in the service's command."""
    text = command_text(service).replace("\\\n", " ")
    found = []
    for line in text.splitlines() or [text]:
        for match in _PYTHON_MODULE.finditer(line):
            found.append((match.group(1), shlex.split(match.group(2))))
    return found


def dependencies(service: Mapping[str, Any]) -> dict[str, str]:
    """`depends_on` as target → condition (the short list form means `service_started`)."""
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()}


def is_one_shot(name: str, services: Mapping[str, Any]) -> bool:
    """Whether another service waits for `name` to finish (a job, not a server)."""
    return any(
        dependencies(other).get(name) == "service_completed_successfully" for other in services.values()
    )


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    """The service's `environment`, as a mapping, uninterpolated."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _module_problems(name: str, service: Mapping[str, Any]) -> list[str]:
    problems = []
    for module, arguments in python_modules(service):
        if importlib.util.find_spec(module) is None:
            problems.append(f"{name}: `python -m {module}` names no module of the workspace")
        if module == "plaza_kit.migrations" and (not arguments or arguments[0] not in SERVICE_SCHEMAS):
            problems.append(f"{name}: migrations for an unknown service {arguments}")
    return problems


def _file_problems(name: str, service: Mapping[str, Any], root: Path) -> list[str]:
    problems = []
    build = service.get("build")
    if build is not None:
        context = root / (build if isinstance(build, str) else build.get("context", "."))
        dockerfile = context / (
            build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
        )
        if not context.is_dir():
            problems.append(f"{name}: build context {context} does not exist")
        if not dockerfile.is_file():
            problems.append(f"{name}: Dockerfile {dockerfile} does not exist")
    env_files = service.get("env_file") or []
    for entry in [env_files] if isinstance(env_files, str | dict) else env_files:
        path, required = (
            (entry, True) if isinstance(entry, str) else (entry["path"], entry.get("required", True))
        )
        if required and not (root / path).is_file():
            problems.append(f"{name}: env_file {path} does not exist")
    for volume in service.get("volumes") or []:
        source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
        if source.startswith((".", "/")) and not (root / source).exists():
            problems.append(f"{name}: bind-mounted {source} does not exist")
    return problems


def _healthcheck_problems(name: str, service: Mapping[str, Any], services: Mapping[str, Any]) -> list[str]:
    healthcheck = service.get("healthcheck")
    if is_one_shot(name, services):
        return []
    if not healthcheck or healthcheck.get("disable") or not healthcheck.get("test"):
        return [f"{name}: no healthcheck"]
    test = " ".join(healthcheck["test"]) if isinstance(healthcheck["test"], list) else healthcheck["test"]
    problems = []
    if "build" in service and re.search(r"\b(curl|wget)\b", test):
        problems.append(f"{name}: healthcheck uses curl/wget, which python:3.11-slim does not have")
    port = environment(service).get(f"{name.upper()}_PORT")
    probed = re.search(r"http://(?:127\.0\.0\.1|localhost):(\d+)/(healthz|readyz)\b", test)
    if port is not None and (probed is None or probed.group(1) != port):
        problems.append(f"{name}: healthcheck does not probe /healthz or /readyz on its port {port}")
    return problems


def _environment_problems(name: str, service: Mapping[str, Any], services: Mapping[str, Any]) -> list[str]:
    problems = []
    settings = SETTINGS.get(name)
    prefix = f"{name.upper()}_"
    for key, value in environment(service).items():
        if settings is not None and key.startswith(prefix):
            field = key[len(prefix) :].lower()
            calls = {
                f"{prefix}{service.name.upper()}_URL" for service in SERVICES
            }  # <SERVICE>_<UPSTREAM>_URL
            if field not in settings.model_fields and key not in UPSTREAM_VARIABLES | calls:
                problems.append(f"{name}: {key} is not a setting of {settings.__name__}")
        upstream = re.fullmatch(r"[A-Z]+_([A-Z]+)_URL", key)
        if upstream and upstream.group(1).lower() in SETTINGS:
            target = upstream.group(1).lower()
            url = urlsplit(value)
            target_port = environment(services[target]).get(f"{target.upper()}_PORT")
            if url.hostname != target or str(url.port) != target_port:
                problems.append(f"{name}: {key}={value} does not reach {target} on its port {target_port}")
        database = re.fullmatch(r"([A-Z]+)_DATABASE_URL", key)
        if database and urlsplit(value).username != role_name(database.group(1).lower()):
            problems.append(f"{name}: {key} must connect as {role_name(database.group(1).lower())}")
    return problems


def compose_problems(compose: Mapping[str, Any], root: Path = ROOT) -> list[str]:
    """Everything wrong with a Compose file beyond its schema; empty when all is well."""
    services: Mapping[str, Any] = compose.get("services") or {}
    volumes = set(compose.get("volumes") or {})
    problems = []
    for name, service in services.items():
        for target, condition in dependencies(service).items():
            if target not in services:
                problems.append(f"{name}: depends on {target}, which is not a service")
            elif condition == "service_healthy" and not services[target].get("healthcheck"):
                problems.append(f"{name}: waits for {target} to be healthy, but it has no healthcheck")
        if service.get("ports") and name != ONLY_PUBLISHED:
            problems.append(f"{name}: publishes ports; only the {ONLY_PUBLISHED} may")
        waits_for_migrate = dependencies(service).get("migrate") == "service_completed_successfully"
        if "build" in service and not is_one_shot(name, services) and not waits_for_migrate:
            problems.append(f"{name}: starts without waiting for migrate to complete")
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            if source and not source.startswith((".", "/", "$")) and source not in volumes:
                problems.append(f"{name}: uses volume {source}, which is not declared")
        problems += _module_problems(name, service)
        problems += _file_problems(name, service, root)
        problems += _healthcheck_problems(name, service, services)
        problems += _environment_problems(name, service, services)
    return problems


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """`(INSTRUCTION, arguments)` per instruction, continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = pending.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            pending = ""
    return instructions


def dockerfile_problems(dockerfile: Path, context: Path = ROOT) -> list[str]:
    """COPY/ADD sources that do not exist in the build context, and a final stage that runs as root."""
    problems, user = [], None
    for keyword, arguments in dockerfile_instructions(dockerfile.read_text()):
        if keyword == "FROM":
            user = None
        elif keyword == "USER":
            user = arguments.split(":", 1)[0]
        elif keyword in {"COPY", "ADD"}:
            words = json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
            if any(word.startswith("--from") for word in words):
                continue
            for source in [word for word in words if not word.startswith("--")][:-1]:
                if not any(context.glob(source)):
                    problems.append(f"{keyword} {source}: no such path in the build context")
    if user in (None, "root", "0"):
        problems.append("the final stage runs as root (add a USER)")
    return problems


def copied_paths(dockerfile: Path) -> set[str]:
    """Every COPY source (not from another stage), as written."""
    copied: set[str] = set()
    for keyword, arguments in dockerfile_instructions(dockerfile.read_text()):
        words = shlex.split(arguments)
        if keyword == "COPY" and not any(word.startswith("--from") for word in words):
            copied.update(word.rstrip("/") for word in words[:-1] if not word.startswith("--"))
    return copied


# --- the real files ---------------------------------------------------------------------------------------


def test_compose_file_is_valid_under_the_compose_specification() -> None:
    assert schema_errors(COMPOSE_FILE) is None


def test_compose_file_names_only_things_that_exist_and_fit() -> None:
    assert compose_problems(load_compose()) == []


def test_the_platform_is_all_there() -> None:
    services = load_compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", *(component.name for component in COMPONENTS)}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert [module for module, _ in python_modules(services["gateway"])] == ["gateway"]
    for name in (service.name for service in SERVICES):
        assert python_modules(services[name]) == [(name, [])]
        assert environment(services[name])[f"{name.upper()}_HOST"] == "0.0.0.0"
    published = services["gateway"]["ports"]
    assert published == ["${PLAZA_GATEWAY_BIND:-127.0.0.1}:${PLAZA_GATEWAY_PORT:-8000}:8000"]


def test_migrate_bootstraps_then_migrates_every_schema_in_order() -> None:
    migrate = load_compose()["services"]["migrate"]
    steps = python_modules(migrate)
    # `$$`: the container's shell expands the variable, not Compose (which would take the host's, or "").
    assert steps[0] == ("plaza_kit.bootstrap", ["$$PLAZA_ADMIN_URL", "plaza"])
    assert steps[1:5] == [("plaza_kit.migrations", [schema]) for schema in SERVICE_SCHEMAS]
    assert steps[5] == ("registry.reindex", [])  # search columns follow the naming rules of this release
    assert migrate["restart"] == "no"


@pytest.mark.parametrize("service", SERVICE_SCHEMAS)
def test_every_migrated_service_has_migrations(service: str) -> None:
    assert importlib.util.find_spec(f"{service}.migrations.env") is not None


def test_dockerfile_copies_existing_paths_and_runs_unprivileged() -> None:
    dockerfile = ROOT / "deploy" / "Dockerfile"
    assert dockerfile_problems(dockerfile) == []
    text = dockerfile.read_text()
    assert [args for key, args in dockerfile_instructions(text) if key == "FROM"] == [
        "python:3.11-slim AS build",
        "python:3.11-slim AS runtime",
    ]
    assert "uv sync --frozen" in text


def test_dockerfile_copies_the_source_of_every_module_compose_runs() -> None:
    copied = copied_paths(ROOT / "deploy" / "Dockerfile")
    for name, service in load_compose()["services"].items():
        for module, _ in python_modules(service):
            spec = importlib.util.find_spec(module.split(".")[0])
            assert spec is not None
            assert spec.origin is not None
            member = next(p for p in Path(spec.origin).resolve().parents if (p / "pyproject.toml").is_file())
            assert member != ROOT, f"{module} is not in a workspace member"
            assert str(member.relative_to(ROOT)) in copied, (
                f"{name} runs {module} from {member}, which the image lacks"
            )


# --- secrets: make-keys and interpolation -----------------------------------------------------------------


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .env written by deploy/make-keys."""
    path = tmp_path_factory.mktemp("deploy") / ".env"
    subprocess.run([str(MAKE_KEYS), "--output", str(path)], check=True, capture_output=True)
    return path


def test_make_keys_writes_a_key_pair_the_services_accept(env_file: Path) -> None:
    values = {key: value or "" for key, value in dotenv.dotenv_values(env_file).items()}
    assert env_file.stat().st_mode & 0o077 == 0
    signer = IdentitySigner(
        values["GATEWAY_SIGNING_KEY"], kid=values["GATEWAY_SIGNING_KEY_ID"], issuer="plaza-gateway"
    )
    token = signer.mint(
        Principal(subject="partner", organisation_id=None, scopes=frozenset({"registry:read"}))
    )
    principal = IdentityVerifier(values["PLAZA_TRUSTED_KEYS"]).verify(token)
    assert principal == Principal(
        subject="partner", organisation_id=None, scopes=frozenset({"registry:read"})
    )
    # The meetings service's own key vouches for the meetings service (its calls to the registry).
    meetings = IdentitySigner(
        values["MEETINGS_SIGNING_KEY"], kid=values["MEETINGS_SIGNING_KEY_ID"], issuer="plaza-meetings"
    )
    caller = Principal(
        subject="meetings", organisation_id=None, scopes=frozenset({"registry:read"}), kind="service"
    )
    assert IdentityVerifier(values["PLAZA_TRUSTED_KEYS"]).verify(meetings.mint(caller)) == caller


def test_make_keys_never_overwrites_without_force(env_file: Path) -> None:
    before = env_file.read_text()
    refused = subprocess.run([str(MAKE_KEYS), "--output", str(env_file)], capture_output=True, text=True)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
    assert env_file.read_text() == before


def interpolated_services(env: Mapping[str, str]) -> dict[str, Any]:
    """The services with every string interpolated from `env`, as Compose would."""
    services = copy.deepcopy(load_compose()["services"])

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return interpolate(node, env)
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return {name: walk(service) for name, service in services.items()}


def test_with_the_generated_env_each_role_uses_the_password_bootstrap_sets(env_file: Path) -> None:
    values = {key: value or "" for key, value in dotenv.dotenv_values(env_file).items()}
    services = interpolated_services(values)
    migrate_env = environment(services["migrate"])
    for _name, service in services.items():
        for key, url in environment(service).items():
            match = re.fullmatch(r"([A-Z]+)_DATABASE_URL", key)
            if match:
                password = values[f"PLAZA_DB_PASSWORD_{match.group(1)}"]
                assert (
                    urlsplit(url).password == password == migrate_env[f"PLAZA_DB_PASSWORD_{match.group(1)}"]
                )
    assert environment(services["registry"])["REGISTRY_TRUSTED_KEYS"] == values["PLAZA_TRUSTED_KEYS"]
    assert environment(services["gateway"])["GATEWAY_SIGNING_KEY"].startswith("-----BEGIN PRIVATE KEY-----\n")


def test_local_defaults_cover_everything_but_the_keys() -> None:
    required = {
        match.group(1)
        for text in strings_in(load_compose()["services"])
        for match in _VARIABLE.finditer(text)
        if match.group(1) and (match.group(2) or "").endswith("?")
    }
    # The keys: the gateway's, and those of services that call others (meetings → registry; investment →
    # registry and meetings).
    assert required == {
        "PLAZA_TRUSTED_KEYS",
        "GATEWAY_SIGNING_KEY",
        "GATEWAY_SIGNING_KEY_ID",
        "MEETINGS_SIGNING_KEY",
        "MEETINGS_SIGNING_KEY_ID",
        "INVESTMENT_SIGNING_KEY",
        "INVESTMENT_SIGNING_KEY_ID",
    }
    with pytest.raises(KeyError, match="make-keys"):
        interpolated_services({})
    services = interpolated_services(dict.fromkeys(required, "x"))
    assert (
        urlsplit(environment(services["registry"])["REGISTRY_DATABASE_URL"]).password
        == "plaza-local-registry"
    )


# --- the checker fails on broken copies -------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(compose: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = compose
        for key in parents:
            node = node[key]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return mutate


BROKEN: dict[str, tuple[Mutation, str]] = {
    "missing depends_on target": (
        _set("services.gateway.depends_on.registy", {}),
        "gateway: depends on registy, which is not a service",
    ),
    "unknown command module": (
        _set("services.meetings.command", ["python", "-m", "meeting"]),
        "meetings: `python -m meeting` names no module of the workspace",
    ),
    "second published port": (
        _set("services.registry.ports", ["8001:8001"]),
        "registry: publishes ports; only the gateway may",
    ),
    "no healthcheck": (_set("services.investment.healthcheck", None), "investment: no healthcheck"),
    "healthcheck on another port": (
        _set(
            "services.investment.healthcheck.test",
            [
                "CMD",
                "python",
                "-c",
                "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8001/readyz')",
            ],
        ),
        "investment: healthcheck does not probe /healthz or /readyz on its port 8003",
    ),
    "curl in a slim image": (
        _set("services.registry.healthcheck.test", ["CMD", "curl", "-f", "http://127.0.0.1:8001/readyz"]),
        "registry: healthcheck uses curl/wget, which python:3.11-slim does not have",
    ),
    "missing Dockerfile": (
        _set("services.gateway.build", {"context": ".", "dockerfile": "deploy/Dockerfile.missing"}),
        f"gateway: Dockerfile {ROOT}/deploy/Dockerfile.missing does not exist",
    ),
    "missing env file": (_set("services.registry.env_file", ["deploy/none.env"]), "env_file deploy/none.env"),
    "misspelt setting": (
        _set("services.registry.environment.REGISTRY_TRUSTED_KEY", "{}"),
        "registry: REGISTRY_TRUSTED_KEY is not a setting of RegistrySettings",
    ),
    "service on the wrong role": (
        _set("services.meetings.environment.MEETINGS_DATABASE_URL", "postgresql://postgres@postgres/plaza"),
        "meetings: MEETINGS_DATABASE_URL must connect as plaza_meetings",
    ),
    "upstream on the wrong port": (
        _set("services.gateway.environment.GATEWAY_REGISTRY_URL", "http://registry:8002"),
        "gateway: GATEWAY_REGISTRY_URL=http://registry:8002 does not reach registry on its port 8001",
    ),
    "starts before migrations": (
        _set("services.registry.depends_on", {"postgres": {"condition": "service_healthy"}}),
        "registry: starts without waiting for migrate to complete",
    ),
    "undeclared volume": (_set("volumes", None), "postgres: uses volume pgdata, which is not declared"),
    "migrating an unknown schema": (
        _set("services.migrate.command", ["python", "-m", "plaza_kit.migrations", "billing"]),
        "migrate: migrations for an unknown service ['billing']",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_checker_finds_each_kind_of_breakage(case: str) -> None:
    mutate, expected = BROKEN[case]
    compose = load_compose()
    mutate(compose)
    problems = compose_problems(compose)
    assert any(expected in problem for problem in problems), problems


def test_schema_check_rejects_an_invalid_copy(tmp_path: Path) -> None:
    compose = load_compose()
    compose["services"]["registry"]["depends_on"] = 5
    compose["services"]["gateway"]["helthcheck"] = {"test": ["CMD", "true"]}
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(yaml.safe_dump(compose))
    report = schema_errors(broken)
    assert report is not None
    assert "$.services.registry" in report
    assert "$.services.gateway" in report


def test_dockerfile_check_rejects_missing_sources_and_root(tmp_path: Path) -> None:
    original = (ROOT / "deploy" / "Dockerfile").read_text()
    broken = tmp_path / "Dockerfile"
    broken.write_text(
        original.replace(
            "COPY gateway gateway", "COPY gateway gateway\nCOPY services/billing \\\n  services/billing"
        ).replace("USER plaza:plaza", "")
    )
    assert dockerfile_problems(broken) == [
        "COPY services/billing: no such path in the build context",
        "the final stage runs as root (add a USER)",
    ]
