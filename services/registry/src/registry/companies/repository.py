"""Queries on the company tables; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    Float,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only, selectinload

from registry.companies.filters import CompanyFilters
from registry.companies.models import Company, CompanyIdentifier, CompanyProduct, CompanySector
from registry.identifiers import IdentifierScheme
from registry.organisations.models import Membership

WITH_DETAILS = (
    selectinload(Company.identifier_rows),
    selectinload(Company.sector_rows),
    selectinload(Company.product_rows),
)


async def get(session: AsyncSession, company_id: uuid.UUID, *, for_update: bool = False) -> Company | None:
    """The company with this id and its identifiers, sectors and products, if any."""
    query = select(Company).where(Company.id == company_id).options(*WITH_DETAILS)
    if for_update:
        query = query.with_for_update(of=Company).execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Company]:
    """The companies among `ids` that exist, with their details."""
    if not ids:
        return []
    query = select(Company).where(Company.id.in_(ids)).options(*WITH_DETAILS)
    return (await session.scalars(query)).all()


def _filtered(query: Select[Any], filters: CompanyFilters) -> Select[Any]:
    """`query` restricted by `filters`; every value is a named parameter (`_filter_values` lists them)."""
    query = query.where(Company.status == bindparam("v_status", filters.status))
    if filters.country is not None:
        query = query.where(Company.country == bindparam("v_country", filters.country))
    if filters.kind is not None:
        query = query.where(Company.kind == bindparam("v_kind", filters.kind))
    if filters.kinds is not None:
        query = query.where(
            Company.kind == any_(bindparam("v_kinds", list(filters.kinds), type_=ARRAY(Text)))
        )
    if filters.sector is not None:
        query = query.where(
            exists().where(
                CompanySector.company_id == Company.id,
                CompanySector.sector_code == bindparam("v_sector", filters.sector),
            )
        )
    if filters.hs_code is not None:
        query = query.where(
            exists().where(
                CompanyProduct.company_id == Company.id,
                # A range, not LIKE 'prefix%': it uses the btree index under generic plans too (':' > '9').
                CompanyProduct.hs_code >= bindparam("v_hs_from", filters.hs_code),
                CompanyProduct.hs_code < bindparam("v_hs_to", filters.hs_code + ":"),
            )
        )
    if filters.member_of is not None:
        query = query.where(
            exists().where(
                Membership.member_id == Company.id,
                Membership.organisation_id == bindparam("v_member_of", filters.member_of),
            )
        )
    return query


@dataclass(frozen=True)
class SearchQuery:
    """A search: the folded text, its duplicate key, and grams when it is a 1–2 character query."""

    text: str
    key: str | None
    grams: list[str] | None


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _match_and_rank(search: SearchQuery) -> tuple[Any, Any]:
    """The WHERE condition and the relevance (higher first) of a search.

    Groups: an exact normalised name (3), a name containing the query (2), a similar name (1). Within the
    first two, shorter names come first; only the third group needs `word_similarity`, whose cost per
    matching row would otherwise dominate common queries at 100,000 companies.
    """
    key = bindparam("v_key", [search.key], type_=ARRAY(Text))
    exact = Company.name_keys.contains(key) if search.key else literal(False)
    shortness = 1.0 / (1 + func.length(Company.search_document))
    if search.grams is not None:
        grams = bindparam("v_grams", search.grams, type_=ARRAY(Text))
        return Company.search_grams.contains(grams), case((exact, 3.0), else_=2.0) + shortness
    contains = Company.search_document.like(bindparam("v_like", _like_pattern(search.text)))
    asked = bindparam("v_text", search.text, type_=Text)
    similar = Company.search_document.bool_op("%>")(asked)
    closeness = cast(func.word_similarity(asked, Company.search_document), Float)
    rank = case((exact, 3.0 + shortness), (contains, 2.0 + shortness), else_=1.0 + closeness)
    return or_(contains, similar), rank


# --- one-statement reads: the API body of a company built by PostgreSQL ------------------------------------
#
# A read answers `CompanyRead` exactly as pydantic writes it (keys in model order, no spaces, timestamps in
# the `Z` form, HS codes dotted), built by one statement with the identifiers, sectors and products as
# correlated subqueries. The service sends the text as it comes: no ORM objects, no model validation.
# `tests/test_fast_read.py` compares these bodies with `presenter.to_read(...)` so the two cannot drift.
# The statements run on plain asyncpg connections (`plaza_kit.read_pool`): `$n` parameters.

_LANGUAGES = ("ko", "ja", "en")
_IDENTIFIER_SCHEMES = tuple(scheme.value for scheme in IdentifierScheme)


def _json(expression: str) -> str:
    """The JSON text of an SQL value; `null` for NULL (the escapes are those pydantic writes)."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _object(members: Sequence[tuple[str, str]]) -> str:
    """A compact JSON object from (key, SQL giving the JSON text of its value), keys in this order."""
    parts = " || ',' || ".join(f"'\"{key}\":' || {value}" for key, value in members)
    return f"('{{' || {parts} || '}}')"


def _array(element: str, rows: str, order: str) -> str:
    """A compact JSON array of `element` (JSON text) over `rows` (FROM … WHERE …) in `order`; `[]` if none."""
    return f"coalesce((SELECT '[' || string_agg({element}, ',' ORDER BY {order}) || ']' {rows}), '[]')"


def _texts(table: str, prefix: str) -> str:
    return _object([(language, _json(f"{table}.{prefix}_{language}")) for language in _LANGUAGES])


def _timestamp(column: str) -> str:
    """RFC 3339 in UTC with `Z`, microseconds only when there are any (Python's `isoformat`)."""
    utc = f"{column} AT TIME ZONE 'UTC'"
    return (
        f"""('"' || to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(microseconds FROM """
        f"""{column})::bigint % 1000000 = 0 THEN '' ELSE to_char({utc}, '.US') END || 'Z"')"""
    )


_DESCRIPTION = (
    "CASE WHEN coalesce("
    + ", ".join(f"nullif(company.description_{language}, '')" for language in _LANGUAGES)
    + f") IS NULL THEN 'null' ELSE {_texts('company', 'description')} END"
)
# Constant SQL below (S608): built once from our own fragments and enum values, never from input.
_IDENTIFIERS = (
    "(SELECT "  # noqa: S608
    + _object([(s, _json(f"max(i.value) FILTER (WHERE i.scheme = '{s}')")) for s in _IDENTIFIER_SCHEMES])
    + " FROM registry.company_identifier i WHERE i.company_id = company.id)"
)
_SECTORS = _array(
    "to_json(s.sector_code)::text",
    "FROM registry.company_sector s WHERE s.company_id = company.id",
    "s.sector_code",
)
_DOTTED_HS_CODE = (  # registry.companies.fields.display_hs_code
    "CASE WHEN length(p.hs_code) > 4 THEN left(p.hs_code, 4) || '.' || substr(p.hs_code, 5) "
    "ELSE p.hs_code END"
)
_PRODUCTS = _array(
    _object([("name", _texts("p", "name")), ("hs_code", _json(_DOTTED_HS_CODE))]),
    "FROM registry.company_product p WHERE p.company_id = company.id",
    "p.position",
)

COMPANY_BODY = _object(
    [
        ("id", _json("company.id")),
        ("kind", _json("company.kind")),
        ("status", _json("company.status")),
        ("name", _texts("company", "name")),
        *((column, _json(f"company.{column}")) for column in ("name_ja_kana", "name_latin", "country")),
        *((column, _json(f"company.{column}")) for column in ("region", "address", "website")),
        ("size_band", _json("company.size_band")),
        ("founded_year", _json("company.founded_year")),
        ("description", _DESCRIPTION),
        ("identifiers", _IDENTIFIERS),
        ("sectors", _SECTORS),
        ("products", _PRODUCTS),
        *((column, _json(f"company.{column}")) for column in ("parent_id", "merged_into_id")),
        ("owner_organisation_id", _json("company.owner_organisation_id")),
        ("version", _json("company.version")),
        ("created_at", _timestamp("company.created_at")),
        ("updated_at", _timestamp("company.updated_at")),
    ]
)
"""SQL text: the `CompanyRead` JSON of the row `company` (a `registry.company` in the FROM clause)."""

COMPANY_SQL = (
    f"SELECT company.merged_into_id, company.version, {COMPANY_BODY} AS body "  # noqa: S608
    "FROM registry.company company WHERE company.id = $1"
)
"""One company with its identifiers, sectors and products, by id ($1): one statement, one round trip."""


@dataclass(frozen=True, slots=True)
class CompanyBody:
    """A company as one read returns it: its `CompanyRead` JSON, and what the answer's headers need."""

    id: uuid.UUID
    merged_into_id: uuid.UUID | None
    version: int
    body: str


@dataclass(frozen=True, slots=True)
class ListedBody:
    """A company of a page: its id and keyset rank (search only) for the cursor, and its JSON."""

    id: uuid.UUID
    rank: float | None
    body: str


async def company_body(connection: Any, company_id: uuid.UUID) -> CompanyBody | None:
    """The JSON of one company (merged ones included: see `merged_into_id`), if it exists."""
    row = await connection.fetchrow(COMPANY_SQL, company_id)
    if row is None:
        return None
    return CompanyBody(company_id, row[0], row[1], row[2])


@dataclass(frozen=True)
class Statement:
    """A compiled statement of one shape, with the order of its parameters."""

    sql: str
    names: tuple[str, ...]
    constants: dict[str, Any]

    def arguments(self, values: dict[str, Any]) -> list[Any]:
        """The positional arguments for `values` (the `v_*` names; the rest are the statement's constants)."""
        return [values[name] if name in values else self.constants[name] for name in self.names]


_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
_STATEMENTS: dict[tuple[Any, ...], Statement] = {}


def _prepared(shape: tuple[Any, ...], build: Callable[[], Select[Any]], values: dict[str, Any]) -> Statement:
    """The statement of this shape, compiled once (compiling costs milliseconds; binding costs nothing).

    Every value that varies between requests is a named `v_*` parameter of the shape's statement; a
    statement whose named parameters are not exactly `values` is refused, so a value cannot be frozen in.
    """
    statement = _STATEMENTS.get(shape)
    if statement is None:
        compiled = build().compile(dialect=_DIALECT)
        statement = Statement(compiled.string, tuple(compiled.positiontup or ()), dict(compiled.params))
        named = {name for name in statement.names if name.startswith("v_")}
        if named != set(values):
            raise RuntimeError(f"statement parameters {sorted(named)} are not the values {sorted(values)}")
        _STATEMENTS[shape] = statement
    return statement


def _filter_values(filters: CompanyFilters) -> dict[str, Any]:
    """The `v_*` parameters `_filtered` declares for `filters`."""
    values: dict[str, Any] = {"v_status": filters.status}
    if filters.country is not None:
        values["v_country"] = filters.country
    if filters.kind is not None:
        values["v_kind"] = filters.kind
    if filters.kinds is not None:
        values["v_kinds"] = list(filters.kinds)
    if filters.sector is not None:
        values["v_sector"] = filters.sector
    if filters.hs_code is not None:
        values["v_hs_from"], values["v_hs_to"] = filters.hs_code, filters.hs_code + ":"
    if filters.member_of is not None:
        values["v_member_of"] = filters.member_of
    return values


_FILTER_FIELDS = tuple(field.name for field in fields(CompanyFilters))


def _filter_shape(filters: CompanyFilters) -> tuple[bool, ...]:
    """Which filters are set: what the statement's text depends on (not `astuple`, which deep-copies)."""
    return tuple(getattr(filters, name) is not None for name in _FILTER_FIELDS)


def list_statement(
    filters: CompanyFilters, *, after_id: uuid.UUID | None, limit: int
) -> tuple[str, list[Any]]:
    """SQL and arguments of a page in id order: up to `limit` companies after `after_id` (keyset)."""
    values = {**_filter_values(filters), "v_limit": limit}
    if after_id is not None:
        values["v_after_id"] = after_id

    def build() -> Select[Any]:
        columns = cast_type(Select[Any], select(Company.id, literal_column(COMPANY_BODY, Text)))
        query = _filtered(columns, filters)
        if after_id is not None:
            query = query.where(Company.id > bindparam("v_after_id", after_id))
        return query.order_by(Company.id).limit(bindparam("v_limit", limit))

    statement = _prepared(("list", _filter_shape(filters), after_id is not None), build, values)
    return statement.sql, statement.arguments(values)


async def list_bodies(
    connection: Any, *, filters: CompanyFilters, after_id: uuid.UUID | None, limit: int
) -> list[ListedBody]:
    """Up to `limit` companies after `after_id` in id (creation) order, as JSON: one statement."""
    sql, arguments = list_statement(filters, after_id=after_id, limit=limit)
    return [ListedBody(row[0], None, row[1]) for row in await connection.fetch(sql, *arguments)]


def _search_values(search: SearchQuery) -> dict[str, Any]:
    """The `v_*` parameters `_match_and_rank` declares for `search`."""
    values: dict[str, Any] = {}
    if search.key:
        values["v_key"] = [search.key]
    if search.grams is not None:
        values["v_grams"] = search.grams
    else:
        values["v_like"], values["v_text"] = _like_pattern(search.text), search.text
    return values


async def search_bodies(
    connection: Any,
    *,
    search: SearchQuery,
    filters: CompanyFilters,
    after: tuple[float, uuid.UUID] | None,
    limit: int,
) -> list[ListedBody]:
    """Up to `limit` companies most relevant first after the keyset position `after`, as JSON, with their
    relevance: one statement (ranked by `_match_and_rank`)."""
    values = {**_filter_values(filters), **_search_values(search), "v_limit": limit}
    if after is not None:
        values["v_after_rank"], values["v_after_id"] = -after[0], after[1]

    def build() -> Select[Any]:
        match, rank = _match_and_rank(search)
        query = _filtered(select(Company.id, rank, literal_column(COMPANY_BODY)), filters).where(match)
        if after is not None:
            position = tuple_(bindparam("v_after_rank", -after[0]), bindparam("v_after_id", after[1]))
            query = query.where(tuple_(-rank, Company.id) > position)
        return query.order_by(rank.desc(), Company.id).limit(bindparam("v_limit", limit))

    shape = ("search", _filter_shape(filters), bool(search.key), search.grams is not None, after is not None)
    statement = _prepared(shape, build, values)
    rows = await connection.fetch(statement.sql, *statement.arguments(values))
    return [ListedBody(row[0], float(row[1]), row[2]) for row in rows]


async def identifier_owners(session: AsyncSession, pairs: Sequence[tuple[str, str]]) -> dict[str, uuid.UUID]:
    """scheme → the company already holding the given value of that scheme."""
    if not pairs:
        return {}
    query = select(CompanyIdentifier.scheme, CompanyIdentifier.company_id).where(
        or_(*(and_(CompanyIdentifier.scheme == s, CompanyIdentifier.value == v) for s, v in pairs))
    )
    return {scheme: company_id for scheme, company_id in (await session.execute(query)).all()}


async def name_candidates(
    session: AsyncSession,
    keys: Sequence[str],
    *,
    excluding: Sequence[uuid.UUID] = (),
    limit: int = 20,
) -> Sequence[Company]:
    """Active companies sharing a duplicate key with `keys`, other than `excluding`."""
    if not keys:
        return []
    query = (
        select(Company)
        .where(Company.status == "active", Company.name_keys.overlap(list(keys)))
        .order_by(Company.id)
        .limit(limit)
    )
    if excluding:
        query = query.where(Company.id.not_in(list(excluding)))
    return (await session.scalars(query)).all()


async def similar_companies(
    session: AsyncSession, company_id: uuid.UUID, document: str, *, floor: float, limit: int = 10
) -> list[tuple[uuid.UUID, float]]:
    """Active companies whose search document is trigram-similar to `document` (at least `floor`)."""
    if not document:
        return []
    score = cast(func.similarity(Company.search_document, document), Float)
    query = (
        select(Company.id, score)
        .where(
            Company.status == "active",
            Company.id != company_id,
            Company.search_document.bool_op("%")(document),
            score >= floor,
        )
        .order_by(score.desc(), Company.id)
        .limit(limit)
    )
    return [(row[0], float(row[1])) for row in await session.execute(query)]


async def confirmed_among(
    session: AsyncSession, keys: Sequence[str], confirmed: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The confirmed ids that really are name candidates (the pairs worth remembering as distinct)."""
    if not keys or not confirmed:
        return []
    query = select(Company.id).where(
        Company.id.in_(list(confirmed)), Company.status == "active", Company.name_keys.overlap(list(keys))
    )
    return list((await session.scalars(query)).all())


async def lock_keys(session: AsyncSession, keys: Collection[str]) -> None:
    """Serialise writers of the same names until the transaction ends (advisory locks), taken in one
    statement in a global order so that two transactions locking overlapping sets cannot deadlock."""
    if not keys:
        return
    await session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended('registry:' || key, 0)) "
            "FROM unnest(CAST(:keys AS text[])) AS key ORDER BY hashtextextended('registry:' || key, 0)"
        ),
        {"keys": sorted(set(keys))},
    )


async def ancestors(session: AsyncSession, company_id: uuid.UUID) -> set[uuid.UUID]:
    """Every body above `company_id` through `parent_id` (a recursive query; stops on cycles)."""
    query = text(
        "WITH RECURSIVE up(id) AS ("
        " SELECT parent_id FROM registry.company WHERE id = :id AND parent_id IS NOT NULL"
        " UNION SELECT c.parent_id FROM registry.company c JOIN up ON c.id = up.id"
        " WHERE c.parent_id IS NOT NULL"
        ") SELECT id FROM up"
    )
    return set((await session.scalars(query, {"id": company_id})).all())


_REF_COLUMNS = (
    Company.id,
    Company.kind,
    Company.status,
    Company.name_ko,
    Company.name_ja,
    Company.name_en,
    Company.country,
    Company.merged_into_id,
)


async def get_many_with_survivors(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, details: bool = False
) -> Sequence[Company]:
    """The companies among `ids` and the survivors of those that were merged, in one query (merges keep
    redirects one hop, so one level of survivors is all there is). Without `details`, only the columns of
    a reference are loaded (id, kind, status, names, country, merged_into_id)."""
    if not ids:
        return []
    survivors = select(Company.merged_into_id).where(Company.id.in_(ids), Company.merged_into_id.is_not(None))
    query = select(Company).where(or_(Company.id.in_(ids), Company.id.in_(survivors)))
    query = query.options(*WITH_DETAILS) if details else query.options(load_only(*_REF_COLUMNS))
    return (await session.scalars(query)).all()


async def company_exists(session: AsyncSession, company_id: uuid.UUID) -> bool:
    """Whether the registry holds a company (of any status) with this id."""
    return bool(await session.scalar(select(exists().where(Company.id == company_id))))
