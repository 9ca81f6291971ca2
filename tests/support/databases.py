"""Where test databases live: the embedded server, or DESKPILOT_TEST_DATABASE_URL's server."""

import asyncio
import os
import shutil
from pathlib import Path

import asyncpg

from deskpilot.core.database_url import to_asyncpg_url
from deskpilot.core.embedded_postgres import (
    PGDATA,
    embedded_data_is_current,
    start_embedded_postgres,
    stop_postmaster,
)
from deskpilot.core.runtime_dir import ensure_runtime_dir

TEST_DATA_DIR = Path(__file__).resolve().parents[2] / ".deskpilot-test"


def _server_url() -> str:
    configured = os.environ.get("DESKPILOT_TEST_DATABASE_URL")
    if configured:
        return to_asyncpg_url(configured)
    ensure_runtime_dir()
    if not embedded_data_is_current(TEST_DATA_DIR):
        # test data made by an older embedded server (pgserver's 16.2): nothing to keep
        stop_postmaster(TEST_DATA_DIR / PGDATA)
        shutil.rmtree(TEST_DATA_DIR / PGDATA)
    return start_embedded_postgres(TEST_DATA_DIR, database="postgres")


def _with_database(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    prefix = base.rsplit("/", 1)[0]
    return f"{prefix}/{name}" + (f"?{query}" if query else "")


async def admin_execute(admin_url: str, *statements: str) -> None:
    """Run `statements` one by one on `admin_url` (outside a transaction)."""
    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    base, _, query = plain.partition("?")
    kwargs = {}
    if query.startswith("host="):
        kwargs["host"] = query.removeprefix("host=")
    connection = await asyncpg.connect(base, **kwargs)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the test server; return its asyncpg URL."""
    admin_url = _server_url()
    asyncio.run(
        admin_execute(
            admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
    )
    return _with_database(admin_url, name)


def drop_database(name: str) -> None:
    asyncio.run(admin_execute(_server_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def on_server(*statements: str) -> None:
    """Run `statements` on the test server's maintenance database (roles, say)."""
    asyncio.run(admin_execute(_server_url(), *statements))
