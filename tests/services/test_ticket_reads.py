"""The API's row-based read paths (tickets/queries.py) give exactly what the ORM-based ones give.

The list, search and detail routes build their responses straight from rows, in one query
each; the chat tools and present_ticket build them from ORM objects. Over the demo
data (users, notes, an audit trail, unassigned tickets) both must agree field for field,
and read-only requests must not open a transaction.
"""

import uuid

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from deskpilot.core.db import get_db
from deskpilot.models import Ticket, TicketEvent, TicketNote
from deskpilot.schemas.ticket import (
    NotePublic,
    TicketDetail,
    TicketEventPublic,
    TicketPublic,
    TicketSummary,
)
from deskpilot.services.contacts.rows import contact_refs_by_id
from deskpilot.services.demo_seed import seed_demo
from deskpilot.services.ticket_service import get_ticket
from deskpilot.services.tickets import queries as ticket_presenter  # the ORM-based shapes
from deskpilot.services.tickets.detail import ticket_detail
from deskpilot.services.tickets.queries import TicketFilters, list_tickets, summary_fields
from deskpilot.services.tickets.search import search_hits, search_rows
from deskpilot.services.user_service import users_by_id


@pytest.fixture
async def demo(db: AsyncSession) -> list[Ticket]:
    await seed_demo(db=db)
    # Two notes at the same instant: their order is then the order PostgreSQL reads them.
    await db.execute(text("UPDATE ticket_notes SET created_at = date_trunc('hour', created_at)"))
    await db.execute(update(Ticket).where(Ticket.number % 7 == 0).values(assignee_id=None))
    await db.commit()
    return list((await db.execute(select(Ticket).order_by(Ticket.number))).scalars())


# The ORM reads the row-based ones replace, kept here as the reference they must equal.
async def get_notes(*, db: AsyncSession, ticket_id: uuid.UUID) -> list[TicketNote]:
    statement = select(TicketNote).where(TicketNote.ticket_id == ticket_id)
    return list((await db.execute(statement.order_by(TicketNote.created_at))).scalars())


async def get_events(*, db: AsyncSession, ticket_id: uuid.UUID) -> list[TicketEvent]:
    statement = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    order = (TicketEvent.created_at, TicketEvent.id)
    return list((await db.execute(statement.order_by(*order))).scalars())


async def present_summaries(*, db: AsyncSession, tickets: list[Ticket]) -> list[TicketSummary]:
    users = await users_by_id(db=db, ids=(t.assignee_id for t in tickets))
    contacts = await contact_refs_by_id(db=db, ids=(t.contact_id for t in tickets))
    return [ticket_presenter.summary(t, users, contacts) for t in tickets]


async def orm_detail(db: AsyncSession, ref: int) -> TicketDetail:
    """GET /api/tickets/{ref} as it was built from ORM objects."""
    ticket = await get_ticket(db=db, ref=ref)
    notes = await get_notes(db=db, ticket_id=ticket.id)
    events = await get_events(db=db, ticket_id=ticket.id)
    users = await users_by_id(
        db=db,
        ids=[ticket.assignee_id, ticket.created_by]
        + [n.author_id for n in notes]
        + [e.actor_id for e in events],
    )
    public: TicketPublic = await ticket_presenter.present_ticket(db=db, ticket=ticket)
    return TicketDetail(
        **public.model_dump(),
        notes=[
            NotePublic(
                id=n.id,
                body=n.body,
                author=ticket_presenter._ref(users, n.author_id),
                created_at=n.created_at,
            )
            for n in notes
        ],
        events=[
            TicketEventPublic(
                id=e.id,
                action=e.action,
                field=e.field,
                old_value=e.old_value,
                new_value=e.new_value,
                actor=ticket_presenter._ref(users, e.actor_id),
                channel=e.channel,
                chat_session_id=e.chat_session_id,
                created_at=e.created_at,
            )
            for e in events
        ],
    )


async def test_detail_matches_the_orm_presentation(db: AsyncSession, demo: list[Ticket]) -> None:
    with_notes = with_events = 0
    for ticket in demo:
        expected = await orm_detail(db, ticket.number)
        assert await ticket_detail(db=db, ref=ticket.number) == expected
        assert await ticket_detail(db=db, ref=str(ticket.id)) == expected
        with_notes += bool(expected.notes)
        with_events += len(expected.events) > 1
    assert with_notes >= 20 and with_events >= 5  # the comparison covered real histories


@pytest.mark.parametrize(
    "filters",
    [
        TicketFilters(),
        TicketFilters(status="open"),
        TicketFilters(category="billing", priority="high"),
        TicketFilters(unassigned=True),
        TicketFilters(source="call", status="closed"),
    ],
)
async def test_list_pages_match_the_orm_presentation(
    db: AsyncSession, demo: list[Ticket], filters: TicketFilters
) -> None:
    cursor: str | None = None
    seen: list[int] = []
    while True:
        page = await list_tickets(db=db, filters=filters, limit=7, cursor=cursor)
        numbers = [item.number for item in page.items]
        orm = [t for t in demo if t.number in numbers]
        expected = await present_summaries(db=db, tickets=sorted(orm, key=lambda t: -t.number))
        assert page.items == expected
        seen += numbers
        if page.next_cursor is None:
            break
        assert page.next_cursor == str(numbers[-1])
        cursor = page.next_cursor
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len({t.number for t in demo if _matches(t, filters)})


def _matches(ticket: Ticket, filters: TicketFilters) -> bool:
    return all(
        [
            filters.status in (None, ticket.status),
            filters.priority in (None, ticket.priority),
            filters.source in (None, ticket.source),
            filters.category in (None, ticket.category),
            not filters.unassigned or ticket.assignee_id is None,
        ]
    )


@pytest.mark.parametrize(
    ("q", "status", "limit"),
    [
        ("printer", None, 10),
        ("password", "open", 10),
        ("vpn", None, 3),
        ("#12 printer", None, 10),
        ("12", None, 10),
        ("#5 #6 #999", "closed", 10),
        ("", None, 10),
        ("", "resolved", 4),
        ("xylophone", None, 10),
        ("invoice dup", None, 50),
    ],
)
async def test_the_chat_tools_search_finds_what_the_search_page_finds(
    db: AsyncSession, demo: list[Ticket], q: str, status: str | None, limit: int
) -> None:
    """The chat tool skips ts_headline; the hits, their order and ranks stay the same."""
    plain = (await search_rows(db=db, q=q, status=status, limit=limit, headlines=False)).hits
    page = (await search_hits(db=db, q=q, status=status, limit=limit)).items

    assert [(row.number, rank) for row, _, rank in plain] == [(h.number, h.rank) for h in page]
    assert [summary_fields(row) for row, _, _ in plain] == [
        h.model_dump(exclude={"snippet", "rank"}) for h in page
    ]


def _request(method: str) -> Request:
    return Request({"type": "http", "method": method, "headers": [], "path": "/"})


@pytest.mark.parametrize(("method", "autocommit"), [("GET", True), ("POST", False)])
async def test_only_safe_methods_read_without_a_transaction(
    engine: None, method: str, autocommit: bool
) -> None:
    sessions = get_db(_request(method))
    session = await anext(sessions)
    try:
        connection = await session.connection()
        options = connection.sync_connection.get_execution_options()
        assert (options.get("isolation_level") == "AUTOCOMMIT") is autocommit
        driver = connection.sync_connection.connection.dbapi_connection
        assert driver is not None and driver.autocommit is autocommit
    finally:
        await sessions.aclose()
