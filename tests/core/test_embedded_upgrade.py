"""A data directory made by the first embedded server (pgserver, PostgreSQL 16.2) is upgraded
to the bundled PostgreSQL with every row kept, or refused untouched when the old binaries are
missing."""

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import psutil
import pytest

from deskpilot.core import migrations
from deskpilot.core.embedded_postgres import (
    embedded_major,
    release_embedded_postgres,
    start_embedded_postgres,
    stop_postmaster,
)
from tests.support.commands import deskpilot_command, run_command
from tests.support.scratch import embedded_scratch_dir

pytestmark = pytest.mark.embedded


TICKETS_SQL = "SELECT number, title, status, priority, description, updated_at FROM tickets"
CHATS_SQL = "SELECT id, user_id, title, attached_ticket_ids, updated_at FROM chat_sessions"
MESSAGES_SQL = "SELECT id, session_id, role, content, ticket_refs, tool_calls FROM chat_messages"


def cli(
    *args: str, data_dir: Path, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    env.update(DESKPILOT_DATA_DIR=str(data_dir), COLUMNS="300")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return run_command([*deskpilot_command(), *args], env=env, timeout=600)


async def _execute(host: str, database: str, *statements: str) -> None:
    connection = await asyncpg.connect(host=host, user="postgres", database=database)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _snapshot(host: str) -> dict[str, list[Any]]:
    connection = await asyncpg.connect(host=host, user="postgres", database="deskpilot")
    try:
        return {
            sql: sorted(tuple(row) for row in await connection.fetch(sql))
            for sql in (TICKETS_SQL, CHATS_SQL, MESSAGES_SQL)
        }
    finally:
        await connection.close()


ADD_DATA = [
    "INSERT INTO users (email, name, password_hash, role) VALUES ('ann@example.com', 'Ann', 'x', 'admin')",
    """INSERT INTO tickets (title, description, status, priority, created_by)
       SELECT 'Printer ' || i || ' jams', 'Tray ' || i, (ARRAY['open','in_progress','resolved','closed'])[1 + i % 4],
              'high', (SELECT id FROM users) FROM generate_series(1, 250) AS i""",
    """INSERT INTO chat_sessions (user_id, title, attached_ticket_ids)
       SELECT id, 'Printer trouble', ARRAY(SELECT t.id FROM tickets t WHERE t.number IN (3, 7)) FROM users""",
    """INSERT INTO chat_messages (session_id, role, content, ticket_refs, tool_calls)
       SELECT s.id, m.role, m.content, '{}', m.calls::jsonb FROM chat_sessions s,
       (VALUES ('user', 'What is the status of #3?', NULL),
               ('assistant', 'Ticket #3 is resolved.', '[{"name": "get_ticket", "arguments": {"ticket_id": 3}}]'),
               ('user', 'Thanks — çà marche', NULL)) AS m(role, content, calls)""",
    # a database of the user's own beside Deskpilot's: an upgrade keeps every database
    "CREATE TABLE notes (body TEXT)",
]


def _make_pg16_directory(data_dir: Path) -> dict[str, list[Any]]:
    """A pgserver (16.2) data directory, migrated and holding tickets and a chat; stopped."""
    pgserver = pytest.importorskip("pgserver", reason="the old server's package (dev group)")
    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    host = str(server.get_postmaster_info().socket_dir)
    try:
        asyncio.run(
            _execute(host, "postgres", 'CREATE DATABASE "deskpilot"', "CREATE DATABASE own")
        )
        migrations.upgrade(f"postgresql+asyncpg://postgres@/deskpilot?host={host}")
        asyncio.run(_execute(host, "deskpilot", *ADD_DATA[:-1]))
        asyncio.run(_execute(host, "own", ADD_DATA[-1], "INSERT INTO notes VALUES ('kept')"))
        before = asyncio.run(_snapshot(host))
    finally:
        stop_postmaster(pgdata)
    assert (pgdata / "PG_VERSION").read_text().strip() == "16"
    assert len(before[TICKETS_SQL]) == 250 and len(before[MESSAGES_SQL]) == 3
    return before


def _postgres_processes(pgdata: Path) -> list[int]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(pgdata) in (process.info["cmdline"] or []):
            found.append(process.pid)
    return found


@pytest.fixture
def scratch() -> Iterator[Path]:
    with embedded_scratch_dir("upgrade") as path:
        yield path


def test_a_pg16_data_directory_is_upgraded_keeping_every_ticket_and_chat(scratch: Path) -> None:
    data_dir = scratch / "data"
    before = _make_pg16_directory(data_dir)

    result = cli("migrate", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    backup = data_dir / "pgdata.pg16-backup"
    assert f"PostgreSQL 16 to {embedded_major()}" in result.stderr
    assert str(backup) in result.stderr
    assert (data_dir / "pgdata" / "PG_VERSION").read_text().strip() == str(embedded_major())
    assert (backup / "PG_VERSION").read_text().strip() == "16"
    assert not _postgres_processes(data_dir / "pgdata"), "the CLI left its server running"

    url = start_embedded_postgres(data_dir)
    host = url.rsplit("host=", 1)[1]
    try:
        assert asyncio.run(_snapshot(host)) == before
        # the identity sequence came along: the next ticket is number 251
        asyncio.run(_execute(host, "deskpilot", "INSERT INTO tickets (title) VALUES ('After')"))
        after = asyncio.run(_snapshot(host))[TICKETS_SQL]
        assert max(row[0] for row in after) == 251
        asyncio.run(
            _execute(host, "own", "DO $$ BEGIN ASSERT (SELECT body FROM notes) = 'kept'; END $$")
        )
    finally:
        release_embedded_postgres(data_dir)
    assert not _postgres_processes(data_dir / "pgdata")


def test_without_the_old_binaries_the_directory_is_refused_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("16\n")
    (pgdata / "base").mkdir()
    hidden = tmp_path / "hide-pgserver" / "pgserver"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('pgserver is not installed')\n")
    listing = sorted(str(path.relative_to(pgdata)) for path in pgdata.rglob("*"))

    result = cli("migrate", data_dir=data_dir, pythonpath=hidden.parent)

    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "made by PostgreSQL 16" in message
    assert "pip install pgserver" in message
    assert "Traceback" not in result.stderr
    assert sorted(str(path.relative_to(pgdata)) for path in pgdata.rglob("*")) == listing
    assert not [path.name for path in data_dir.iterdir() if path.name.startswith("pgdata.")]
    assert (pgdata / "PG_VERSION").read_text() == "16\n"
    assert not _postgres_processes(pgdata)
