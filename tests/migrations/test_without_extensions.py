"""Migration 0005 on a server where the extensions cannot be installed: the migration
completes with a warning, and the schema is the full one less the trigram index, with
`search_fold` lowering case only. Also: `pg_trgm` installed by a DBA, `unaccent` refused."""

import asyncio
import logging
import os
from collections.abc import AsyncIterator

import asyncpg
import pytest

from deskpilot.core import migrations
from tests.migrations.test_migrations import _connect, _indexes, _own_functions, _tables
from tests.support.limited_database import (
    LimitedDatabase,
    create_limited_database,
    drop_limited_database,
)

NAME = f"deskpilot_test_plain_{os.getpid()}"


async def _connection(url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await _connect(url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def conn(plain: LimitedDatabase) -> AsyncIterator[asyncpg.Connection]:
    async for connection in _connection(plain.url):
        yield connection


@pytest.fixture
async def full(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """The test database, migrated with both extensions."""
    async for connection in _connection(database_url):
        yield connection


async def _extensions(conn: asyncpg.Connection) -> set[str]:
    return {row["extname"] for row in await conn.fetch("SELECT extname FROM pg_extension")}


async def _schema(conn: asyncpg.Connection) -> dict[str, object]:
    tables = sorted(await _tables(conn))
    columns = await conn.fetch(
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY table_name, column_name"
    )
    return {
        "tables": tables,
        "columns": [tuple(row) for row in columns],
        "indexes": {table: await _indexes(conn, table) for table in tables},
        "functions": await _own_functions(conn),
    }


async def test_a_role_that_may_not_create_extensions_still_migrates(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    database = await asyncio.to_thread(create_limited_database, NAME + "_log")
    try:
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 2
        trigram, unaccent = warnings
        assert trigram.startswith("pg_trgm left out: this role may not create extensions")
        assert "without typo tolerance" in trigram
        assert "CREATE EXTENSION pg_trgm" in trigram
        assert unaccent.startswith("unaccent left out: this role may not create extensions")
        assert "without accent-insensitive matching" in unaccent
        connection = await _connect(database.url)
        try:
            head = await connection.fetchval("SELECT version_num FROM alembic_version")
            assert head == migrations.head_revision()
        finally:
            await connection.close()
    finally:
        await asyncio.to_thread(drop_limited_database, database)


async def test_the_schema_is_the_full_one_less_the_trigram_index(
    conn: asyncpg.Connection, full: asyncpg.Connection
) -> None:
    assert {"pg_trgm", "unaccent"} <= await _extensions(full)
    assert not {"pg_trgm", "unaccent"} & await _extensions(conn)
    plain, complete = await _schema(conn), await _schema(full)
    complete_indexes = dict(complete["indexes"])  # type: ignore[call-overload]
    trigram = complete_indexes["search_terms"].pop("ix_search_terms_trgm")
    assert "gin_trgm_ops" in trigram
    assert plain == {**complete, "indexes": complete_indexes}


async def test_search_fold_only_lowers_the_case(conn: asyncpg.Connection) -> None:
    assert await conn.fetchval("SELECT search_fold('Café CRÈME')") == "café crème"


async def test_the_trigger_still_keeps_the_words(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        await conn.execute("INSERT INTO tickets (title) VALUES ('Café printer')")
        terms = {row["term"] for row in await conn.fetch("SELECT term FROM search_terms")}
        assert terms == {"café", "printer"}
        await conn.execute("DELETE FROM tickets")
        await conn.execute("DELETE FROM search_terms")


async def test_pg_trgm_installed_by_a_dba_is_used_without_unaccent(
    trigram_only: LimitedDatabase,
) -> None:
    async for conn in _connection(trigram_only.url):
        assert "pg_trgm" in await _extensions(conn)
        assert "unaccent" not in await _extensions(conn)
        assert "ix_search_terms_trgm" in await _indexes(conn, "search_terms")
        assert await conn.fetchval("SELECT search_fold('Café')") == "café"
