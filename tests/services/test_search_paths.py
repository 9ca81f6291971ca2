"""The chat tool's search (summary rows read in the ranking statement, on the turn's raw
connection) finds what the search page does (ids ranked, then headlines), in the same order."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import autocommit_engine
from deskpilot.core.raw_sql import RawReader, driver_connection
from deskpilot.models import User
from deskpilot.services.tickets.search import search_rows
from tests.support.factories import make_ticket


@pytest.mark.parametrize(
    ("q", "status"), [("printer", None), ("printer jam", "open"), ("#2", None)]
)
async def test_every_path_finds_the_same_tickets_in_the_same_order(
    db: AsyncSession, agent: User, q: str, status: str | None
) -> None:
    titles = ["Printer jam", "Printer offline", "VPN down", "Printer jam again", "Printer toner"]
    for title in titles:
        await make_ticket(db, by=agent, title=title, description=f"{title} on floor 2")

    page = (await search_rows(db=db, q=q, status=status, limit=10, headlines=True)).hits
    tool = (await search_rows(db=db, q=q, status=status, limit=10, headlines=False)).hits
    async with autocommit_engine().connect() as connection:
        reader = RawReader(await driver_connection(connection))
        raw = (await search_rows(db=reader, q=q, status=status, limit=10, headlines=False)).hits

    found = [(row.number, round(rank, 6)) for row, _, rank in page]
    assert found, "the query matches some tickets"
    assert [(row.number, round(rank, 6)) for row, _, rank in tool] == found
    assert [(row.number, round(rank, 6)) for row, _, rank in raw] == found
    assert [tuple(row[:13]) for row, _, _ in raw] == [tuple(row[:13]) for row, _, _ in tool]
