"""Statements run straight on asyncpg read and write what SQLAlchemy would."""

import json

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import get_engine
from deskpilot.core.raw_sql import RawReader, driver_connection, fetch, raw_statement
from deskpilot.models import User
from deskpilot.services.tickets.queries import rows_by_ids
from tests.support.factories import make_ticket


def test_a_parameter_named_twice_is_one_placeholder() -> None:
    statement = raw_statement(text("SELECT :a AS x, :b AS y, :a AS z"))

    assert statement.names == ("a", "b")
    assert statement.sql.count("$1") == 2 and "$2" in statement.sql


async def test_rows_read_by_position_and_by_name(db: AsyncSession) -> None:
    async with get_engine().connect() as connection:
        driver = await driver_connection(connection)
        rows = await fetch(
            driver,
            raw_statement(text("SELECT CAST(:a AS int) AS x, :b AS y, CAST(:a AS int) AS z")),
            {"a": 7, "b": "b"},
        )

    assert tuple(rows[0]) == (7, "b", 7)
    assert (rows[0].x, rows[0].y, rows[0][:2]) == (7, "b", (7, "b"))
    with pytest.raises(AttributeError):
        _ = rows[0].missing


async def test_jsonb_goes_in_as_json_text_and_comes_back_as_values(db: AsyncSession) -> None:
    statement = raw_statement(text("SELECT CAST(:doc AS jsonb) -> 'calls' AS calls"))
    async with get_engine().connect() as connection:
        rows = await fetch(
            await driver_connection(connection),
            statement,
            {"doc": json.dumps({"calls": [{"name": "search_tickets", "ok": True}]})},
        )

    assert rows[0].calls == [{"name": "search_tickets", "ok": True}]


async def test_a_read_helper_reads_the_same_rows_raw_as_through_a_session(
    db: AsyncSession, agent: User
) -> None:
    tickets = [await make_ticket(db, by=agent, title=f"Printer {i}") for i in range(3)]
    ids = [t.id for t in tickets]

    through_session = await rows_by_ids(db=db, ids=ids)
    async with get_engine().connect() as connection:
        raw = await rows_by_ids(db=RawReader(await driver_connection(connection)), ids=ids)

    assert set(raw) == set(ids)
    assert {i: tuple(row) for i, row in raw.items()} == {
        i: tuple(row) for i, row in through_session.items()
    }
