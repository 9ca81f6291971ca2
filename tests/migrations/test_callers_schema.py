"""Migration 0010 (callers): organisations, contacts, the call log, merge audits, and the
ticket's caller; the constraints and the search columns behave as declared."""

import asyncpg
import pytest

from tests.migrations.test_migrations import (
    _checks,
    _columns,
    _foreign_keys,
    _indexes,
    _rejects,
    conn,  # noqa: F401 - the fixture
    migrated_url,  # noqa: F401 - the fixture
)


async def test_contacts_schema(conn: asyncpg.Connection) -> None:  # noqa: F811
    columns = await _columns(conn, "contacts")
    assert {name: (c["udt_name"], c["is_nullable"]) for name, c in columns.items()} == {
        "id": ("uuid", "NO"),
        "number": ("int8", "NO"),
        "name": ("text", "NO"),
        "email": ("text", "YES"),
        "phone": ("text", "YES"),
        "organization_id": ("uuid", "YES"),
        "notes": ("text", "NO"),
        "created_at": ("timestamptz", "NO"),
        "updated_at": ("timestamptz", "NO"),
        "search_vector": ("tsvector", "YES"),
        "phone_digits": ("text", "YES"),
    }
    assert columns["number"]["identity_generation"] == "ALWAYS"
    assert columns["phone_digits"]["is_generated"] == "ALWAYS"
    assert await _foreign_keys(conn, "contacts") == {"organization_id": ("organizations", "n")}
    indexes = await _indexes(conn, "contacts")
    assert indexes["uq_contacts_email_lower"].endswith("USING btree (lower(email))")
    assert indexes["ix_contacts_search"].endswith("USING gin (search_vector)")
    assert indexes["ix_contacts_phone_digits"].endswith("USING btree (phone_digits)")
    assert any("UNIQUE" in d and "(phone)" in d for d in indexes.values())
    organizations = await _indexes(conn, "organizations")
    assert organizations["uq_organizations_name_lower"].endswith("USING btree (lower(name))")
    assert organizations["ix_organizations_search"].endswith(
        "USING gin (to_tsvector('simple'::regconfig, search_fold(name)))"
    )
    tickets = await _indexes(conn, "tickets")
    assert tickets["ix_tickets_contact"].endswith(
        "USING btree (contact_id, number) WHERE (contact_id IS NOT NULL)"
    )


async def test_interactions_and_merges_schema(conn: asyncpg.Connection) -> None:  # noqa: F811
    columns = await _columns(conn, "interactions")
    assert columns["channel"]["column_default"] == "'call'::text"
    assert columns["direction"]["column_default"] == "'inbound'::text"
    assert columns["summary"]["is_nullable"] == "NO"
    assert await _foreign_keys(conn, "interactions") == {
        "contact_id": ("contacts", "c"),
        "ticket_id": ("tickets", "n"),
        "agent_id": ("users", "n"),
    }
    checks = " ".join(await _checks(conn, "interactions"))
    for value in ("call", "inbound", "outbound"):
        assert f"'{value}'::text" in checks
    indexes = await _indexes(conn, "interactions")
    assert indexes["ix_interactions_contact"].endswith(
        "USING btree (contact_id, started_at DESC, id)"
    )
    assert set(await _columns(conn, "contact_merges")) == {
        "id",
        "kept_id",
        "merged_id",
        "merged_name",
        "merged_snapshot",
        "tickets_moved",
        "calls_moved",
        "actor_id",
        "created_at",
    }
    assert await _foreign_keys(conn, "contact_merges") == {"actor_id": ("users", "n")}


async def test_the_search_columns_are_generated(conn: asyncpg.Connection) -> None:  # noqa: F811
    row = await conn.fetchrow(
        "INSERT INTO contacts (name, email, phone) "
        "VALUES ('José Núñez', 'J.Nunez@Acme.example.com', '+15550102030') "
        "RETURNING number, phone_digits, search_vector::text AS words"
    )
    assert row["number"] > 0
    assert row["phone_digits"] == "03020105551"
    for word in ("'jose'", "'nunez'", "'acme'", "'example'"):
        assert word in row["words"]
    # the last four digits are a prefix of the reversed digits: a range on the index
    found = await conn.fetchval(
        "SELECT count(*) FROM contacts WHERE phone_digits >= '0302' AND phone_digits < '0302:'"
    )
    assert found == 1


@pytest.mark.parametrize(
    ("error", "statement"),
    [
        (asyncpg.UniqueViolationError, "INSERT INTO contacts (name, email) VALUES ('B', 'A@X.IO')"),
        (
            asyncpg.UniqueViolationError,
            "INSERT INTO contacts (name, phone) VALUES ('B', '+15550100000')",
        ),
        (asyncpg.UniqueViolationError, "INSERT INTO organizations (name) VALUES ('ACME')"),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO contacts (name, phone) VALUES ('B', '555 0100')",
        ),
        (asyncpg.CheckViolationError, "INSERT INTO contacts (name) VALUES ('  ')"),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO interactions (contact_id, summary, direction) "
            "SELECT id, 'x', 'sideways' FROM contacts",
        ),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO interactions (contact_id, summary, channel) "
            "SELECT id, 'x', 'fax' FROM contacts",
        ),
        (
            asyncpg.CheckViolationError,
            "INSERT INTO interactions (contact_id, summary, duration_seconds) "
            "SELECT id, 'x', -1 FROM contacts",
        ),
    ],
)
async def test_the_callers_constraints_reject_bad_rows(
    conn: asyncpg.Connection,  # noqa: F811
    error: type[Exception],
    statement: str,
) -> None:
    await conn.execute("INSERT INTO organizations (name) VALUES ('Acme')")
    await conn.execute(
        "INSERT INTO contacts (name, email, phone) VALUES ('A', 'a@x.io', '+15550100000')"
    )
    await _rejects(conn, error, statement)


async def test_deleting_a_contact_keeps_its_tickets_and_drops_its_calls(
    conn: asyncpg.Connection,  # noqa: F811
) -> None:
    org = await conn.fetchval("INSERT INTO organizations (name) VALUES ('Acme') RETURNING id")
    contact = await conn.fetchval(
        "INSERT INTO contacts (name, organization_id) VALUES ('A', $1) RETURNING id", org
    )
    ticket = await conn.fetchval(
        "INSERT INTO tickets (title, contact_id) VALUES ('t', $1) RETURNING id", contact
    )
    await conn.execute(
        "INSERT INTO interactions (contact_id, ticket_id, summary) VALUES ($1, $2, 's')",
        contact,
        ticket,
    )
    await conn.execute("DELETE FROM organizations WHERE id = $1", org)
    assert await conn.fetchval("SELECT organization_id FROM contacts") is None
    await conn.execute("DELETE FROM contacts WHERE id = $1", contact)
    assert await conn.fetchval("SELECT contact_id FROM tickets WHERE id = $1", ticket) is None
    assert await conn.fetchval("SELECT count(*) FROM interactions") == 0
