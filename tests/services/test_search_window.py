"""Search ranks the newest RECENT_WINDOW tickets first and falls back to the whole table
only when that finds too few hits and older tickets exist."""

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import get_engine
from backend.models import User
from backend.services.ticket_search import RECENT_WINDOW, search_rows
from tests.support.factories import make_ticket


async def _search_numbers(db: AsyncSession, q: str) -> tuple[list[int], list[str]]:
    """Ticket numbers found, and the statements PostgreSQL was sent meanwhile."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (conn, cursor, statement, ...)

    sync_engine = get_engine().sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        hits = await search_rows(db=db, q=q, status=None, limit=10, headlines=False)
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)
    return [row.number for row, _, _ in hits], statements


def _whole_table_searches(statements: list[str]) -> int:
    return sum("number + 0 DESC" in s for s in statements)  # the fallback's statement


async def test_a_table_within_the_window_is_searched_once(db: AsyncSession, agent: User) -> None:
    await make_ticket(db, by=agent, title="Keyboard missing keys", description="Rare word zyxt")

    found, statements = await _search_numbers(db, "zyxt")
    _, none_statements = await _search_numbers(db, "nothingmatchesthis")

    assert found == [1]
    assert _whole_table_searches(statements) == 0
    assert _whole_table_searches(none_statements) == 0


async def test_an_old_ticket_beyond_the_window_is_found_by_the_fallback(
    db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Keyboard missing keys", description="Rare word zyxt")
    await db.execute(
        text(
            "INSERT INTO tickets (title, description, created_by) "
            "SELECT 'Filler ' || g, 'nothing to see', :by FROM generate_series(1, :n) g"
        ),
        {"by": agent.id, "n": RECENT_WINDOW},
    )
    await db.commit()

    found, statements = await _search_numbers(db, "zyxt")

    assert found == [1]  # outside the newest RECENT_WINDOW tickets
    assert _whole_table_searches(statements) == 1
