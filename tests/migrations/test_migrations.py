"""Migrations on an empty database: head has every table, column, index and constraint of
the issue and of spec §1; downgrade to base leaves nothing behind; upgrade works again.

The migration helpers call asyncio.run, so they run in a worker thread here (the test event
loop is already running).
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from deskpilot.core import migrations
from deskpilot.models import Base
from tests.support.databases import drop_database, fresh_database

# Per process, like conftest's database: parallel runs on one server must not collide.
DB_NAME = f"deskpilot_test_migrations_{os.getpid()}"
REVISIONS = (
    "0001_helpdesk",
    "0002_chat",
    "0003_chat_hardening",
    "0004_chat_rate_index",
    "0005_search_trigram",
    "0007_token_usage",
    "0008_proposals",
    "0009_turn_leases",
    "0010_callers",
    "0011_proposal_groups",
    "0012_superseded_messages",
)


# Every column of the two tables the chat spec extends, at head (types, defaults and indexes
# are checked table by table below).
HEAD_COLUMNS = {
    "users": {
        "id",
        "email",
        "name",
        "password_hash",
        "role",
        "is_active",
        "ask_before_changes",
        "created_at",
        "updated_at",
    },
    "tickets": {
        "id",
        "number",
        "title",
        "description",
        "status",
        "priority",
        "category",
        "created_by",
        "assignee_id",
        "created_at",
        "updated_at",
        "search_vector",
        "source",
        "chat_session_id",
        "contact_id",
    },
}


async def _connect(url: str) -> asyncpg.Connection:
    plain = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    base, _, query = plain.partition("?")
    kwargs: dict[str, Any] = {}
    if query.startswith("host="):
        kwargs["host"] = query.removeprefix("host=")
    return await asyncpg.connect(base, **kwargs)


@pytest.fixture(scope="module")
async def migrated_url() -> AsyncIterator[str]:
    url = await asyncio.to_thread(fresh_database, DB_NAME)
    await asyncio.to_thread(migrations.upgrade, url)
    yield url
    await asyncio.to_thread(drop_database, DB_NAME)


@pytest.fixture
async def conn(migrated_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back: each test leaves no rows."""
    connection = await _connect(migrated_url)
    transaction = connection.transaction()
    await transaction.start()
    try:
        yield connection
    finally:
        await transaction.rollback()
        await connection.close()


async def _rejects(conn: asyncpg.Connection, error: type[Exception], sql: str, *args: Any) -> None:
    """The statement fails with error; a savepoint keeps the test's transaction usable."""
    with pytest.raises(error):
        async with conn.transaction():
            await conn.execute(sql, *args)


async def _columns(conn: asyncpg.Connection, table: str) -> dict[str, dict[str, Any]]:
    rows = await conn.fetch(
        """
        SELECT column_name, data_type, udt_name, is_nullable, column_default,
               is_identity, identity_generation, is_generated, generation_expression
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1
        """,
        table,
    )
    return {row["column_name"]: dict(row) for row in rows}


async def _indexes(conn: asyncpg.Connection, table: str) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1",
        table,
    )
    return {row["indexname"]: row["indexdef"] for row in rows}


async def _foreign_keys(conn: asyncpg.Connection, table: str) -> dict[str, tuple[str, str]]:
    """column → (referenced table, on-delete action letter: c cascade, n set null, a no action)."""
    rows = await conn.fetch(
        """
        SELECT a.attname AS column_name, c.confrelid::regclass::text AS target, c.confdeltype::text AS confdeltype
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.conrelid = $1::regclass
        """,
        table,
    )
    return {row["column_name"]: (row["target"], row["confdeltype"]) for row in rows}


async def _checks(conn: asyncpg.Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint "
        "WHERE contype = 'c' AND conrelid = $1::regclass",
        table,
    )
    return [row["def"] for row in rows]


async def _names(conn: asyncpg.Connection, query: str) -> set[str]:
    return {row[0] for row in await conn.fetch(query)}


async def _public_relations(conn: asyncpg.Connection) -> set[str]:
    return await _names(
        conn,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public'",
    )


async def _own_functions(conn: asyncpg.Connection) -> set[str]:
    """Functions in public that no extension brought."""
    return await _names(
        conn,
        "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
        "AND d.objid = p.oid AND d.deptype = 'e')",
    )


async def _tables(conn: asyncpg.Connection) -> set[str]:
    return await _names(
        conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )


async def test_head_has_every_table(conn: asyncpg.Connection) -> None:
    assert await _tables(conn) == {
        "alembic_version",
        "users",
        "tickets",
        "ticket_notes",
        "ticket_events",
        "auth_sessions",
        "login_failures",
        "chat_sessions",
        "chat_messages",
        "token_usage_daily",
        "search_terms",
        "chat_proposals",
        "chat_turn_leases",
        "organizations",
        "contacts",
        "interactions",
        "contact_merges",
    }
    assert await conn.fetchval("SELECT version_num FROM alembic_version") == REVISIONS[-1]
    assert migrations.head_revision() == REVISIONS[-1]


async def test_users_schema(conn: asyncpg.Connection) -> None:
    indexes = await _indexes(conn, "users")
    assert (
        "CREATE UNIQUE INDEX uq_users_email_lower ON public.users USING btree (lower(email))"
        in (indexes.values())
    )
    columns = await _columns(conn, "users")
    assert set(columns) == HEAD_COLUMNS["users"]
    assert columns["id"]["udt_name"] == "uuid"
    assert columns["is_active"]["column_default"] == "true"
    assert columns["ask_before_changes"]["column_default"] == "true"
    assert columns["created_at"]["data_type"] == "timestamp with time zone"


async def test_tickets_schema(conn: asyncpg.Connection) -> None:
    columns = await _columns(conn, "tickets")
    assert set(columns) == HEAD_COLUMNS["tickets"]
    assert columns["id"]["column_default"] == "gen_random_uuid()"
    assert columns["number"]["data_type"] == "bigint"
    assert columns["number"]["is_identity"] == "YES"
    assert columns["number"]["identity_generation"] == "ALWAYS"
    assert columns["priority"]["column_default"] == "'medium'::text"
    assert columns["status"]["column_default"] == "'open'::text"
    # spec §1.1
    assert columns["source"]["data_type"] == "text"
    assert columns["source"]["column_default"] == "'call'::text"
    assert columns["source"]["is_nullable"] == "NO"
    assert columns["chat_session_id"]["udt_name"] == "uuid"

    checks = " ".join(await _checks(conn, "tickets"))
    for value in ("open", "in_progress", "resolved", "closed", "low", "urgent", "call", "chat"):
        assert f"'{value}'::text" in checks

    foreign_keys = await _foreign_keys(conn, "tickets")
    assert foreign_keys == {
        "created_by": ("users", "n"),
        "assignee_id": ("users", "n"),
        "chat_session_id": ("chat_sessions", "n"),
        "contact_id": ("contacts", "n"),
    }
    indexes = await _indexes(conn, "tickets")
    assert any("UNIQUE" in d and "(number)" in d for d in indexes.values())


async def test_search_vector_is_a_stored_generated_tsvector_with_a_gin_index(
    conn: asyncpg.Connection,
) -> None:
    column = (await _columns(conn, "tickets"))["search_vector"]
    assert column["data_type"] == "tsvector"
    assert column["is_generated"] == "ALWAYS"
    expression = column["generation_expression"]
    for part in ("title", "category", "description", "'A'", "'B'", "'C'", "'english'"):
        assert part in expression
    gin = [
        d
        for d in (await _indexes(conn, "tickets")).values()
        if d.endswith("USING gin (search_vector)")
    ]
    assert len(gin) == 1  # and a partial one for active tickets (test_search_terms_indexes)

    user_id = await conn.fetchval(
        "INSERT INTO users (email, name, password_hash) VALUES ('s@x.io', 'S', 'h') RETURNING id"
    )
    number = await conn.fetchval(
        "INSERT INTO tickets (title, description, category, created_by) "
        "VALUES ('Printers offline', 'nothing prints', 'hardware', $1) RETURNING number",
        user_id,
    )
    vector = await conn.fetchval(
        "SELECT search_vector::text FROM tickets WHERE number = $1", number
    )
    assert vector == "'hardwar':3B 'noth':4C 'offlin':2A 'print':5C 'printer':1A"
    # The defaults spec §1.1 asks for, applied by the database itself.
    row = await conn.fetchrow(
        "SELECT source, status, priority FROM tickets WHERE number = $1", number
    )
    assert dict(row) == {"source": "call", "status": "open", "priority": "medium"}


@pytest.mark.parametrize(
    ("error", "statement"),
    [
        # e-mail addresses are unique whatever their case (the row below is there first)
        (
            asyncpg.UniqueViolationError,
            "INSERT INTO users (email, name, password_hash) VALUES ('a@X.IO', 'B', 'h')",
        ),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO users (email, name, password_hash, role) VALUES ('c@x.io', 'C', 'h', 'root')",
        ),
        (asyncpg.CheckViolationError, "INSERT INTO tickets (title, source) VALUES ('x', 'email')"),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO tickets (title, status) VALUES ('x', 'pending')",
        ),
    ],
)
async def test_the_constraints_reject_bad_rows(
    conn: asyncpg.Connection, error: type[Exception], statement: str
) -> None:
    await conn.execute("INSERT INTO users (email, name, password_hash) VALUES ('A@x.io', 'A', 'h')")
    await _rejects(conn, error, statement)


async def test_chat_sessions_schema_matches_spec(conn: asyncpg.Connection) -> None:
    columns = await _columns(conn, "chat_sessions")
    spec = {
        "id": ("uuid", "gen_random_uuid()"),
        "user_id": ("uuid", None),
        "title": ("text", None),
        "attached_ticket_ids": ("_uuid", "'{}'::uuid[]"),
        "created_at": ("timestamptz", "now()"),
        "updated_at": ("timestamptz", "now()"),
    }
    for name, (udt, default) in spec.items():
        assert (columns[name]["udt_name"], columns[name]["column_default"]) == (udt, default), name
    assert columns["attached_ticket_ids"]["data_type"] == "ARRAY"
    assert columns["user_id"]["is_nullable"] == "NO"
    assert set(columns) - set(spec) == {"title_source"}  # 0003 adds only this
    assert await _foreign_keys(conn, "chat_sessions") == {"user_id": ("users", "c")}
    indexes = await _indexes(conn, "chat_sessions")
    assert indexes["idx_chat_sessions_user_id"].endswith("USING btree (user_id)")
    assert indexes["idx_chat_sessions_updated_at"].endswith("USING btree (updated_at DESC)")


async def test_chat_messages_schema_matches_spec(conn: asyncpg.Connection) -> None:
    columns = await _columns(conn, "chat_messages")
    spec = {
        "id": ("uuid", "gen_random_uuid()", "NO"),
        "session_id": ("uuid", None, "NO"),
        "role": ("text", None, "NO"),
        "content": ("text", None, "NO"),
        "ticket_refs": ("_uuid", "'{}'::uuid[]", "NO"),
        "tool_calls": ("jsonb", None, "YES"),
        "created_at": ("timestamptz", "now()", "NO"),
    }
    for name, (udt, default, nullable) in spec.items():
        column = columns[name]
        assert (column["udt_name"], column["column_default"], column["is_nullable"]) == (
            udt,
            default,
            nullable,
        ), name
    assert set(columns) - set(spec) == {
        "seq",
        "status",
        "error",
        "client_message_id",
        "reply_to_id",
        "model",
        "input_tokens",
        "output_tokens",
        "superseded_at",
    }
    assert columns["superseded_at"]["is_nullable"] == "YES"
    assert await _foreign_keys(conn, "chat_messages") == {
        "session_id": ("chat_sessions", "c"),
        "reply_to_id": ("chat_messages", "c"),
    }
    indexes = await _indexes(conn, "chat_messages")
    assert indexes["idx_chat_messages_session_id"].endswith("USING btree (session_id)")
    assert indexes["idx_chat_messages_created_at"].endswith("USING btree (created_at)")
    assert indexes["ix_chat_messages_user_sent"].endswith(
        "USING btree (session_id, created_at) WHERE (role = 'user'::text)"
    )
    checks = " ".join(await _checks(conn, "chat_messages"))
    for role in ("user", "assistant", "system"):
        assert f"'{role}'::text" in checks


async def test_notes_events_and_sessions_schema(conn: asyncpg.Connection) -> None:
    assert await _foreign_keys(conn, "ticket_notes") == {
        "ticket_id": ("tickets", "c"),
        "author_id": ("users", "n"),
        "retracted_by": ("users", "n"),
    }
    assert await _foreign_keys(conn, "ticket_events") == {
        "ticket_id": ("tickets", "c"),
        "actor_id": ("users", "n"),
        "chat_session_id": ("chat_sessions", "n"),
        "approved_by": ("users", "n"),
        "reverts_id": ("ticket_events", "n"),
    }
    event_columns = await _columns(conn, "ticket_events")
    assert event_columns["old_value"]["udt_name"] == "jsonb"
    assert event_columns["new_value"]["udt_name"] == "jsonb"
    checks = " ".join(await _checks(conn, "ticket_events"))
    for value in ("ui", "chat", "api", "created", "updated", "note_added", "reverted"):
        assert f"'{value}'::text" in checks
    assert await _foreign_keys(conn, "auth_sessions") == {"user_id": ("users", "c")}
    session_columns = await _columns(conn, "auth_sessions")
    assert session_columns["expires_at"]["is_nullable"] == "NO"


async def test_chat_proposals_schema(conn: asyncpg.Connection) -> None:
    columns = await _columns(conn, "chat_proposals")
    assert set(columns) == {
        "id",
        "session_id",
        "message_id",
        "tool_call_id",
        "tool",
        "arguments",
        "edited_arguments",
        "ticket_id",
        "snapshot",
        "state",
        "reason",
        "result",
        "summary",
        "automatic",
        "decided_by",
        "decided_at",
        "undone_by",
        "undone_at",
        "group_id",
        "depends_on",
        "created_at",
    }
    assert columns["state"]["column_default"] == "'pending'::text"
    assert await _foreign_keys(conn, "chat_proposals") == {
        "session_id": ("chat_sessions", "c"),
        "message_id": ("chat_messages", "n"),
        "ticket_id": ("tickets", "n"),
        "decided_by": ("users", "n"),
        "undone_by": ("users", "n"),
        "depends_on": ("chat_proposals", "n"),
    }
    indexes = await _indexes(conn, "chat_proposals")
    assert indexes["ix_chat_proposals_group"].endswith(
        "USING btree (group_id) WHERE (group_id IS NOT NULL)"
    )
    assert indexes["ix_chat_proposals_pending"].endswith(
        "USING btree (session_id) WHERE (state = 'pending'::text)"
    )
    checks = " ".join(await _checks(conn, "chat_proposals"))
    for state in ("pending", "executed", "rejected", "superseded", "failed"):
        assert f"'{state}'::text" in checks
    messages = " ".join(await _checks(conn, "chat_messages"))
    assert "'awaiting_approval'::text" in messages
    event_columns = await _columns(conn, "ticket_events")
    assert {"write_id", "approved_by", "reverts_id"} <= set(event_columns)
    assert {"retracted_at", "retracted_by"} <= set(await _columns(conn, "ticket_notes"))
    await _rejects(
        conn,
        asyncpg.CheckViolationError,
        "INSERT INTO ticket_events (ticket_id, channel, action) "
        "SELECT gen_random_uuid(), 'ui', 'deleted'",
    )


async def test_chat_turn_leases_schema(conn: asyncpg.Connection) -> None:
    columns = await _columns(conn, "chat_turn_leases")
    assert {name: (c["udt_name"], c["is_nullable"]) for name, c in columns.items()} == {
        "session_id": ("uuid", "NO"),
        "user_id": ("uuid", "NO"),
        "token": ("uuid", "NO"),
        "taken_at": ("timestamptz", "NO"),
        "expires_at": ("timestamptz", "NO"),
    }
    assert await _foreign_keys(conn, "chat_turn_leases") == {
        "session_id": ("chat_sessions", "c"),
        "user_id": ("users", "c"),
    }
    indexes = await _indexes(conn, "chat_turn_leases")
    assert indexes["chat_turn_leases_pkey"].endswith("USING btree (session_id)")
    assert indexes["ix_chat_turn_leases_user"].endswith("USING btree (user_id)")


async def test_a_turn_lease_is_taken_once_until_it_expires(conn: asyncpg.Connection) -> None:
    user_id = await conn.fetchval(
        "INSERT INTO users (email, name, password_hash) VALUES ('l@x.io', 'L', 'h') RETURNING id"
    )
    chats = [
        await conn.fetchval("INSERT INTO chat_sessions (user_id) VALUES ($1) RETURNING id", user_id)
        for _ in range(3)
    ]

    async def take(chat: uuid.UUID, seconds: float = 60, limit: int | None = 2) -> str:
        result: str = await conn.fetchval(
            "SELECT chat_take_turn_lease($1, $2, gen_random_uuid(), $3, $4)",
            chat,
            user_id,
            seconds,
            limit,
        )
        return result

    try:
        assert await take(chats[0], seconds=-1) == "taken"  # then its process died
        assert await take(chats[0]) == "taken"  # expired: free to take again
        assert await take(chats[0]) == "busy"
        assert await take(chats[1]) == "taken"
        assert await take(chats[2]) == "limit"
        assert await take(chats[2], limit=None) == "taken"  # no limit (a continued reply)
        assert await conn.fetchval("SELECT count(*) FROM chat_turn_leases") == 3
    finally:
        await conn.execute("DELETE FROM users WHERE id = $1", user_id)
    assert await conn.fetchval("SELECT count(*) FROM chat_turn_leases") == 0


async def test_token_usage_schema(conn: asyncpg.Connection) -> None:
    messages = await _columns(conn, "chat_messages")
    for name, udt in (("model", "text"), ("input_tokens", "int4"), ("output_tokens", "int4")):
        assert (messages[name]["udt_name"], messages[name]["is_nullable"]) == (udt, "YES"), name
    columns = await _columns(conn, "token_usage_daily")
    assert {name: (c["udt_name"], c["is_nullable"]) for name, c in columns.items()} == {
        "day": ("date", "NO"),
        "user_id": ("uuid", "NO"),
        "provider": ("text", "NO"),
        "model": ("text", "NO"),
        "input_tokens": ("int8", "NO"),
        "output_tokens": ("int8", "NO"),
        "replies": ("int4", "NO"),
    }
    assert await _foreign_keys(conn, "token_usage_daily") == {"user_id": ("users", "c")}
    indexes = await _indexes(conn, "token_usage_daily")
    assert indexes["token_usage_daily_pkey"].endswith("USING btree (day, user_id, provider, model)")


async def test_cascades_behave_as_declared(conn: asyncpg.Connection) -> None:
    user_id = await conn.fetchval(
        "INSERT INTO users (email, name, password_hash) VALUES ('c@x.io', 'C', 'h') RETURNING id"
    )
    session_id = await conn.fetchval(
        "INSERT INTO chat_sessions (user_id) VALUES ($1) RETURNING id", user_id
    )
    assert (
        await conn.fetchval(
            "SELECT attached_ticket_ids FROM chat_sessions WHERE id = $1", session_id
        )
        == []
    )
    await conn.execute(
        "INSERT INTO chat_messages (session_id, role, content) VALUES ($1, 'user', 'hi')",
        session_id,
    )
    ticket_id = await conn.fetchval(
        "INSERT INTO tickets (title, source, chat_session_id) "
        "VALUES ('t', 'chat', $1) RETURNING id",
        session_id,
    )
    # Deleting a chat session deletes its messages but keeps (and unlinks) its tickets.
    await conn.execute("DELETE FROM chat_sessions WHERE id = $1", session_id)
    assert await conn.fetchval("SELECT count(*) FROM chat_messages") == 0
    assert (
        await conn.fetchval("SELECT chat_session_id FROM tickets WHERE id = $1", ticket_id) is None
    )
    # Deleting a user deletes their chat sessions (and so their messages).
    session_id = await conn.fetchval(
        "INSERT INTO chat_sessions (user_id) VALUES ($1) RETURNING id", user_id
    )
    await conn.execute(
        "INSERT INTO chat_messages (session_id, role, content) VALUES ($1, 'user', 'hi')",
        session_id,
    )
    await conn.execute("DELETE FROM users WHERE id = $1", user_id)
    assert await conn.fetchval("SELECT count(*) FROM chat_sessions") == 0
    assert await conn.fetchval("SELECT count(*) FROM chat_messages") == 0
    await _rejects(
        conn,
        asyncpg.ForeignKeyViolationError,
        "INSERT INTO chat_sessions (user_id) VALUES ($1)",
        uuid.uuid4(),
    )


async def test_every_model_column_is_in_the_schema(conn: asyncpg.Connection) -> None:
    """The models and the migrations name the same tables and columns. (Indexes are the
    migrations' alone: the models declare none, the trigram one included.)"""
    for table in Base.metadata.sorted_tables:
        columns = await _columns(conn, table.name)
        assert set(columns) == {c.name for c in table.columns}, table.name


async def test_search_fold_folds_case_and_accents(conn: asyncpg.Connection) -> None:
    # The test servers have contrib: both extensions are installed by the migration.
    installed = await conn.fetch("SELECT extname FROM pg_extension")
    assert {"pg_trgm", "unaccent"} <= {row["extname"] for row in installed}
    assert await conn.fetchval("SELECT search_fold('Café CRÈME José Ærø')") == (
        "cafe creme jose aero"
    )
    volatility = await conn.fetchval(
        "SELECT provolatile::text FROM pg_proc WHERE proname = 'search_fold'"
    )
    assert volatility == "i"  # IMMUTABLE: indexes may use it
    # The same under another search_path: the dictionary is fixed when it is created.
    await conn.execute("SET LOCAL search_path = pg_catalog")
    assert await conn.fetchval("SELECT public.search_fold('Ñandú')") == "nandu"


async def test_search_terms_indexes(conn: asyncpg.Connection) -> None:
    indexes = await _indexes(conn, "search_terms")
    assert indexes["ix_search_terms_folded"].endswith("USING btree (search_fold(term))")
    assert indexes["ix_search_terms_trgm"].endswith("USING gin (search_fold(term) gin_trgm_ops)")
    active = (await _indexes(conn, "tickets"))["ix_tickets_active_search"]
    assert active.endswith(
        "USING gin (search_vector) WHERE (status = ANY (ARRAY['open'::text, 'in_progress'::text]))"
    )


async def test_a_trigger_keeps_every_word_of_the_tickets(conn: asyncpg.Connection) -> None:
    number = await conn.fetchval(
        "INSERT INTO tickets (title, description, category) VALUES "
        "('Café printer jams', 'HP M404dn at maria@example.com, 3rd floor; ça va', 'Hardware') "
        "RETURNING number"
    )
    terms = {row["term"] for row in await conn.fetch("SELECT term FROM search_terms")}
    # Lower case, 3-32 letters: no codes, addresses, numbers or two-letter words.
    assert terms == {"café", "printer", "jams", "floor", "hardware"}
    await conn.execute(
        "UPDATE tickets SET title = 'Kyocera toner', description = 'Empty' WHERE number = $1",
        number,
    )
    terms = {row["term"] for row in await conn.fetch("SELECT term FROM search_terms")}
    assert {"kyocera", "toner", "empty", "café"} <= terms  # added; none taken away


async def test_the_migration_collects_the_words_of_existing_tickets() -> None:
    name = DB_NAME + "_words"
    url = await asyncio.to_thread(fresh_database, name)
    await asyncio.to_thread(migrations.upgrade, url, "0004_chat_rate_index")
    conn = await _connect(url)
    try:
        await conn.execute(
            "INSERT INTO tickets (title, description) VALUES ('Plotter smears', 'Ink everywhere'), "
            "('VPN drops', 'every ten minutes')"
        )
        await asyncio.to_thread(migrations.upgrade, url)
        terms = {row["term"] for row in await conn.fetch("SELECT term FROM search_terms")}
        assert terms == {
            "plotter",
            "smears",
            "ink",
            "everywhere",
            "vpn",
            "drops",
            "every",
            "ten",
            "minutes",
        }
    finally:
        await conn.close()
    await asyncio.to_thread(drop_database, name)


async def test_downgrade_to_base_and_upgrade_again() -> None:
    # Its own database, so the module's migrated one stays at head for the other tests.
    name = DB_NAME + "_cycle"
    url = await asyncio.to_thread(fresh_database, name)
    await asyncio.to_thread(migrations.upgrade, url)
    conn = await _connect(url)
    try:
        # Step down one revision at a time: every downgrade works on its own.
        for target in reversed(REVISIONS[:-1]):
            await asyncio.to_thread(migrations.downgrade, url, target)
            assert await conn.fetchval("SELECT version_num FROM alembic_version") == target
        assert "chat_sessions" not in await _tables(conn)
        assert "source" not in await _columns(conn, "tickets")

        await asyncio.to_thread(migrations.downgrade, url, "base")
        assert await _tables(conn) == {"alembic_version"}
        # No functions or triggers of ours either (the extensions' own stay installed).
        assert await _own_functions(conn) == set()
        # No stray indexes or sequences either: only alembic_version and its primary key.
        assert await _public_relations(conn) == {"alembic_version", "alembic_version_pkc"}
        assert await conn.fetchval("SELECT count(*) FROM alembic_version") == 0

        await asyncio.to_thread(migrations.upgrade, url)
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == REVISIONS[-1]
        assert "chat_messages" in await _tables(conn)
        assert "idx_chat_messages_session_id" in await _indexes(conn, "chat_messages")
    finally:
        await conn.close()
    await asyncio.to_thread(drop_database, name)
