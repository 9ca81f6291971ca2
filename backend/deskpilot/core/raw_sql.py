"""SQLAlchemy statements run straight on the asyncpg connection beneath a SQLAlchemy one.

For the hot paths only: the chat turn's statements, its search tool, and the sign-in lookup
every request makes. SQLAlchemy adds CPU to every statement beyond asyncpg's own, mostly
result bookkeeping redone on every call for textual SQL (docs/benchmarks-history.md). The
statements stay declared with SQLAlchemy (`text()` or Core) and are compiled once to
asyncpg's `$n` placeholders. Values go in as asyncpg takes them, with none of SQLAlchemy's
bind processing: JSON and JSONB as JSON text (the codecs SQLAlchemy installs on each
connection decode results to Python values), UUIDs and lists as they are.
"""

import contextlib
import functools
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import ClauseElement
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class RawRow(asyncpg.Record):  # type: ignore[misc]
    """A row that also reads its columns as attributes, as SQLAlchemy's Row does."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True, slots=True)
class RawStatement:
    sql: str
    names: tuple[str, ...]  # the parameter behind each $n, in order

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[name] for name in self.names]


def raw_statement(statement: ClauseElement) -> RawStatement:
    compiled = statement.compile(dialect=_DIALECT)
    assert isinstance(compiled, SQLCompiler)
    return RawStatement(str(compiled), tuple(compiled.positiontup or ()))


async def driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def fetch(
    driver: asyncpg.Connection, statement: RawStatement, params: Mapping[str, Any]
) -> Sequence[RawRow]:
    rows: list[RawRow] = await driver.fetch(
        statement.sql, *statement.arguments(params), record_class=RawRow
    )
    return rows


async def fetch_on_own_connection(
    engine: AsyncEngine, statement: RawStatement, params: Mapping[str, Any]
) -> Sequence[RawRow]:
    """One statement on a connection taken from `engine`'s pool for it alone."""
    async with engine.connect() as connection:
        return await fetch(await driver_connection(connection), statement, params)


@contextlib.asynccontextmanager
async def raw_reader(engine: AsyncEngine) -> AsyncIterator["RawReader"]:
    """A RawReader on a connection taken from `engine`'s pool for this block alone."""
    async with engine.connect() as connection:
        yield RawReader(await driver_connection(connection))


@functools.lru_cache(maxsize=256)
def _cached_statement(statement: ClauseElement) -> RawStatement:
    return raw_statement(statement)


class RawResult:
    """The part of SQLAlchemy's Result that the read helpers use."""

    def __init__(self, rows: Sequence[RawRow]) -> None:
        self._rows = rows

    def all(self) -> Sequence[RawRow]:
        return self._rows

    def __iter__(self) -> Iterator[RawRow]:
        return iter(self._rows)

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None


class RawReader:
    """Runs read helpers written for an AsyncSession (`await db.execute(statement,
    params)`, `await db.scalar(...)`) on an asyncpg connection, statements compiled once."""

    def __init__(self, driver: asyncpg.Connection) -> None:
        self._driver = driver

    async def execute(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> RawResult:
        return RawResult(await fetch(self._driver, _cached_statement(statement), params or {}))

    async def scalar(
        self, statement: ClauseElement, params: Mapping[str, Any] | None = None
    ) -> Any:
        return (await self.execute(statement, params)).scalar()
