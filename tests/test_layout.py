"""The house layout (CONTRIBUTING.md), checked by reading the source: what import-linter cannot see.

- The catalogue (`plaza_kit.catalogue`) is the only list of services: no other module spells out two or more
  service names in one literal, and the configuration lists that must name them are checked against it.
- Migrations import nothing from their service's code (their behaviour must not change when the code does).
- In a domain package (a folder with a `router.py`), SQL lives only in `repository.py` (and the tables in
  `models.py`), and API shapes of stored records (`*Read`) are built only in `presenter.py`.
Each rule is also run on a small bad example, so a checker that stopped checking fails here too.
"""

import ast
import configparser
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from plaza_kit.catalogue import COMPONENTS, SERVICES, service_names

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = ("libs", "services", "gateway", "tests", "bench")
CATALOGUE = ROOT / "libs/kit/src/plaza_kit/catalogue.py"
LIBRARIES = ("plaza_contracts", "plaza_kit", "plaza_dev")
# The names a query is built from; importing them outside a repository is writing SQL there.
SQL_IMPORTS = frozenset(
    {"select", "insert", "update", "delete", "text", "func", "exists", "and_", "or_", "tuple_", "case"}
)
SESSION_QUERIES = frozenset({"execute", "scalars", "scalar", "get", "stream", "stream_scalars", "refresh"})


def python_files() -> Iterator[Path]:
    for root in SOURCE_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            if ".venv" not in path.parts and "__pycache__" not in path.parts:
                yield path


def _strings(node: ast.expr) -> set[str]:
    return {node.value} if isinstance(node, ast.Constant) and isinstance(node.value, str) else set()


EXAMPLE_MARK = "# layout: example names"  # test data that happens to use service names, not a list of them


def service_lists(tree: ast.AST, names: frozenset[str], source: str = "") -> list[int]:
    """Lines of literal collections (list, tuple, set, dict keys) naming two or more of `names`."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        elements: list[ast.expr] = []
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            elements = list(node.elts)
        elif isinstance(node, ast.Dict):
            elements = [key for key in node.keys if key is not None]
        named = set().union(*(_strings(element) for element in elements)) & names if elements else set()
        if len(named) < 2:
            continue
        line = node.lineno  # type: ignore[attr-defined]  # (only collection literals get here)
        if not (line <= len(lines) and EXAMPLE_MARK in lines[line - 1]):
            found.append(line)
    return found


def test_only_the_catalogue_lists_services() -> None:
    names = frozenset(service_names())
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in python_files()
        if path != CATALOGUE
        and (lines := service_lists(ast.parse(source := path.read_text()), names, source))
    }
    assert offenders == {}, "list services through plaza_kit.catalogue instead"


def test_a_hand_written_list_of_services_is_found() -> None:
    source = 'SERVICES = ("registry", "meetings")\nPORTS = {"meetings": 1, "investment": 2}\n'
    marked = f'DOCUMENTS = {{"registry": 1, "meetings": 2}}  {EXAMPLE_MARK}\n'
    assert service_lists(ast.parse(source), frozenset(service_names()), source) == [1, 2]
    assert service_lists(ast.parse(marked), frozenset(service_names()), marked) == []


def test_configuration_lists_follow_the_catalogue() -> None:
    """Tool configuration cannot import the catalogue, so each list in it is checked against it here."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [*LIBRARIES, *(component.name for component in COMPONENTS)]
    mypy_path = pyproject["tool"]["mypy"]["mypy_path"].split(":")
    assert sorted(mypy_path) == sorted(
        [f"libs/{folder}/src" for folder in ("contracts", "kit", "devtools")]
        + [f"services/{service.name}/src" for service in SERVICES]
        + ["gateway/src"]
    )
    assert set(pyproject["tool"]["ruff"]["lint"]["isort"]["known-first-party"]) == {*packages, "bench"}
    distributions = {f"plaza-{component.name}" for component in COMPONENTS} | {
        "plaza-contracts",
        "plaza-kit",
        "plaza-devtools",
    }
    assert set(pyproject["project"]["dependencies"]) == distributions
    assert set(pyproject["tool"]["uv"]["sources"]) == distributions
    linter = configparser.ConfigParser()
    linter.read(ROOT / ".importlinter")
    assert linter["importlinter"]["root_packages"].split() == packages
    for service in SERVICES:
        assert (ROOT / "services" / service.name / "src" / service.name).is_dir()
        assert (ROOT / "services" / service.name / "tests").is_dir(), f"{service.name} has no tests/ folder"
    assert set(pyproject["tool"]["pytest"]["ini_options"]["testpaths"]) == {
        "libs",
        "services",
        "gateway",
        "tests",
    }


# --- migrations -----------------------------------------------------------------------------------------


def migration_scripts() -> Iterator[Path]:
    for component in COMPONENTS:
        base = ROOT / ("gateway/src" if component.name == "gateway" else f"services/{component.name}/src")
        yield from sorted((base / component.name / "migrations" / "versions").glob("*.py"))


def first_party_imports(tree: ast.AST) -> list[str]:
    """Modules of the platform a script imports (anywhere in it, functions included)."""
    ours = {*LIBRARIES, *(component.name for component in COMPONENTS)}
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.append(node.module)
    return [name for name in imported if name.split(".")[0] in ours]


def test_migrations_import_nothing_from_their_service() -> None:
    scripts = list(migration_scripts())
    assert len(scripts) >= len(COMPONENTS)
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in scripts
        if (found := first_party_imports(ast.parse(path.read_text())))
    }
    assert offenders == {}


def test_an_import_inside_a_migration_function_is_found() -> None:
    tree = ast.parse("import sqlalchemy as sa\ndef upgrade():\n    from registry.names import fold\n")
    assert first_party_imports(tree) == ["registry.names"]


# --- domain packages ------------------------------------------------------------------------------------


def domain_modules() -> Iterator[Path]:
    """The modules of every domain package (a folder holding a router), migrations aside."""
    for router in sorted(
        {*ROOT.glob("services/*/src/*/*/router.py"), *ROOT.glob("gateway/src/gateway/*/router.py")}
    ):
        yield from sorted(router.parent.glob("*.py"))


def sql_outside_repository(tree: ast.AST) -> list[str]:
    """SQL-building imports from SQLAlchemy and queries run on a session, by line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            if node.module not in {"sqlalchemy.ext.asyncio", "sqlalchemy.exc"}:
                found.append(f"{node.lineno}: from {node.module} import …")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_QUERIES
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        ):
            found.append(f"{node.lineno}: session.{node.func.attr}(…)")
    return found


def shapes_built(tree: ast.AST) -> list[str]:
    """Calls that build an API shape of a stored record (`…Read(...)`, `model_validate(from_attributes)`)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        from_attributes = any(keyword.arg == "from_attributes" for keyword in node.keywords)
        if name.endswith("Read") or (name == "model_validate" and from_attributes):
            found.append(f"{node.lineno}: {name}(…)")
    return found


def test_domain_packages_are_found() -> None:
    packages = {path.parent.name for path in domain_modules()}
    assert {"companies", "contacts", "organisations", "duplicates", "history", "sectors", "admin"} <= packages


def test_sql_only_in_repositories() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in domain_modules()
        if path.name not in {"repository.py", "models.py"}
        and (found := sql_outside_repository(ast.parse(path.read_text())))
    }
    assert offenders == {}


def test_api_shapes_only_in_presenters() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in domain_modules()
        if path.name != "presenter.py" and (found := shapes_built(ast.parse(path.read_text())))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("source", "sql", "shapes"),
    [
        ("from sqlalchemy import select\nx = await session.get(Company, 1)\n", 2, 0),
        ("from sqlalchemy.ext.asyncio import AsyncSession\n", 0, 0),
        ("read = CompanyRead(id=1)\nv = M.model_validate(row, from_attributes=True)\n", 0, 2),
    ],
)
def test_the_domain_checks_find_their_cases(source: str, sql: int, shapes: int) -> None:
    tree = ast.parse(source)
    assert (len(sql_outside_repository(tree)), len(shapes_built(tree))) == (sql, shapes)
