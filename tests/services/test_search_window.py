"""Search ranks the newest RECENT_WINDOW tickets first and falls back to the whole table
only when that finds too few hits and older tickets exist."""

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import get_engine
from deskpilot.models import User
from deskpilot.services.tickets.search import RECENT_WINDOW, search_rows
from tests.support.factories import make_ticket


async def _search_numbers(
    db: AsyncSession, q: str, status: str | None = None
) -> tuple[list[int], list[str]]:
    """Ticket numbers found, and the statements PostgreSQL was sent meanwhile."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (conn, cursor, statement, ...)

    sync_engine = get_engine().sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        hits = (await search_rows(db=db, q=q, status=status, limit=10, headlines=False)).hits
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


async def test_a_status_filter_searches_that_status_within_the_window(
    db: AsyncSession, agent: User
) -> None:
    old_open = await make_ticket(db, by=agent, title="Keyboard missing keys", description="zyxt")
    await db.execute(
        text(
            "INSERT INTO tickets (title, description, status, created_by) "
            "SELECT 'Filler ' || g, CASE WHEN g % 2 = 0 THEN 'zyxt' ELSE 'none' END, "
            "CASE WHEN g % 3 = 0 THEN 'open' ELSE 'closed' END, :by "
            "FROM generate_series(1, :n) g"
        ),
        {"by": agent.id, "n": RECENT_WINDOW},
    )
    await db.commit()

    found, statements = await _search_numbers(db, "zyxt", status="open")
    closed, _ = await _search_numbers(db, "zyxt", status="closed")

    # filler g is ticket g + 1: open when 3 divides g, matching when 2 does, newest first
    newest_open_matches = [n for n in range(RECENT_WINDOW + 1, 1, -1) if (n - 1) % 6 == 0]
    assert found == newest_open_matches[:10]
    assert old_open.number not in found
    assert _whole_table_searches(statements) == 0
    assert (
        closed
        == [n for n in range(RECENT_WINDOW + 1, 1, -1) if (n - 1) % 2 == 0 and (n - 1) % 3][:10]
    )
