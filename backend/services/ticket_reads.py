"""The tickets API's read paths, straight from rows into the API's shapes.

Each query selects only the columns a response shows and joins the users it names (the
assignee, the creator, note authors, event actors), instead of loading ORM objects and
then the users in another query: a list page is one query, a ticket with its notes and
events one, a page of search hits one after ranking. Rows become plain dicts that
Pydantic validates in one call per response, and the statements are built once (Core
tables, bound parameters), so SQLAlchemy neither rebuilds nor re-keys them per request.
The responses are exactly those built from ORM objects (ticket_presenter), for about half
the CPU per request (docs/benchmarks-history.md).
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Row,
    Select,
    Text,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from deskpilot.core.raw_sql import RawReader
from deskpilot.models import Ticket, TicketEvent, TicketNote, User
from deskpilot.schemas.ticket import SearchResults, TicketDetail, TicketPage, TicketSummary
from deskpilot.services.ticket_refs import parse_ticket_ref, ticket_not_found

AnyRow = Row[*tuple[Any, ...]]
# What the read helpers run on: the raw reader serves the chat turn's own connection.
Reader = AsyncSession | AsyncConnection | RawReader

tickets = Ticket.__table__
_notes = TicketNote.__table__
_events = TicketEvent.__table__
_users = User.__table__
_assignee = _users.alias("assignee")
_creator = _users.alias("creator")
_person = _users.alias("person")

_SUMMARY_COLUMNS: tuple[ColumnElement[Any], ...] = (
    tickets.c.id,
    tickets.c.number,
    tickets.c.title,
    tickets.c.status,
    tickets.c.priority,
    tickets.c.category,
    tickets.c.source,
    tickets.c.created_at,
    tickets.c.updated_at,
    _assignee.c.id.label("assignee_id"),
    _assignee.c.name.label("assignee_name"),
    _assignee.c.email.label("assignee_email"),
)
_SUMMARY_WIDTH = len(_SUMMARY_COLUMNS)
_WITH_ASSIGNEE = tickets.outerjoin(_assignee, _assignee.c.id == tickets.c.assignee_id)


def summary_select(*extra: ColumnElement[Any]) -> Select[Any]:
    """Summary columns of tickets with their assignee (LEFT JOIN), plus `extra` columns."""
    return select(*_SUMMARY_COLUMNS, *extra).select_from(_WITH_ASSIGNEE)


def _user(user_id: uuid.UUID | None, name: str | None, email: str | None) -> dict[str, Any] | None:
    return None if user_id is None else {"id": user_id, "name": name, "email": email}


def summary_fields(row: Sequence[Any]) -> dict[str, Any]:
    """A TicketSummary's fields from a row of summary_select() (by position: reading Row
    attributes by name costs ten times as much, which shows on a page of 25)."""
    (
        ticket_id,
        number,
        title,
        status,
        priority,
        category,
        source,
        created_at,
        updated_at,
        assignee_id,
        assignee_name,
        assignee_email,
    ) = row[:_SUMMARY_WIDTH]
    return {
        "id": ticket_id,
        "number": number,
        "title": title,
        "status": status,
        "priority": priority,
        "category": category,
        "source": source,
        "assignee": _user(assignee_id, assignee_name, assignee_email),
        "created_at": created_at,
        "updated_at": updated_at,
    }


# -- list -------------------------------------------------------------------------------

_PAGE = TypeAdapter(TicketPage)
# Optional conditions of a list page, each with one bound parameter of the same name.
_LIST_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "before": tickets.c.number < bindparam("before"),
    "status": tickets.c.status == bindparam("status"),
    "priority": tickets.c.priority == bindparam("priority"),
    "source": tickets.c.source == bindparam("source"),
    "category": tickets.c.category == bindparam("category"),
    "assignee_id": tickets.c.assignee_id == bindparam("assignee_id"),
    "unassigned": tickets.c.assignee_id.is_(None),
}


@cache
def _page_statement(conditions: tuple[str, ...]) -> Select[Any]:
    statement = summary_select().order_by(tickets.c.number.desc()).limit(bindparam("limit"))
    for name in conditions:
        statement = statement.where(_LIST_CONDITIONS[name])
    return statement


async def ticket_page(*, db: AsyncSession, conditions: dict[str, Any], limit: int) -> TicketPage:
    """Newest first, `limit` summaries meeting the _LIST_CONDITIONS named in `conditions`
    (name -> bound value; `unassigned` takes True), with the cursor of the next page."""
    names = tuple(name for name in _LIST_CONDITIONS if name in conditions)
    params = {name: conditions[name] for name in names if name != "unassigned"}
    rows = (await db.execute(_page_statement(names), {**params, "limit": limit + 1})).all()
    next_cursor = str(rows[limit - 1].number) if len(rows) > limit else None
    items = [summary_fields(row) for row in rows[:limit]]
    return _PAGE.validate_python({"items": items, "next_cursor": next_cursor})


# -- detail -----------------------------------------------------------------------------

_TICKET_DETAIL = TypeAdapter(TicketDetail)


def _rows_of(*columns: ColumnElement[Any], where: Any, order_by: Any) -> Any:
    """ARRAY(SELECT ROW(columns) ... ORDER BY ...): a ticket's notes or events in the
    ticket's own row (asyncpg decodes the records with their column types)."""
    rows = select(func.row(*columns)).where(where).order_by(*order_by)
    return func.array(rows.scalar_subquery())


def _person_of(user_id: ColumnElement[Any]) -> Any:
    """ROW(id, name, email) of a note's author or an event's actor, or NULL. A subquery, not
    a join, so that the notes keep their created_at order exactly (ties included)."""
    return (
        select(func.row(_person.c.id, _person.c.name, _person.c.email))
        .where(_person.c.id == user_id)
        .scalar_subquery()
    )


_DETAIL = select(
    *_SUMMARY_COLUMNS,
    tickets.c.description,
    tickets.c.chat_session_id,
    _creator.c.id,
    _creator.c.name,
    _creator.c.email,
    _rows_of(
        _notes.c.id,
        _notes.c.body,
        _notes.c.created_at,
        _person_of(_notes.c.author_id),
        where=_notes.c.ticket_id == tickets.c.id,
        order_by=[_notes.c.created_at],
    ),
    _rows_of(
        _events.c.id,
        _events.c.action,
        _events.c.field,
        _events.c.old_value,
        _events.c.new_value,
        _events.c.channel,
        _events.c.chat_session_id,
        _events.c.created_at,
        _person_of(_events.c.actor_id),
        where=_events.c.ticket_id == tickets.c.id,
        order_by=[_events.c.created_at, _events.c.id],
    ),
).select_from(_WITH_ASSIGNEE.outerjoin(_creator, _creator.c.id == tickets.c.created_by))
_DETAIL_BY_NUMBER = _DETAIL.where(tickets.c.number == bindparam("number"))
_DETAIL_BY_ID = _DETAIL.where(tickets.c.id == bindparam("id"))


def _author(person: Any) -> dict[str, Any] | None:
    return None if person is None else _user(*person)


async def ticket_detail(*, db: AsyncSession, ref: str | int | uuid.UUID) -> TicketDetail:
    """GET /api/tickets/{ref}: the ticket, its users, notes and events in one query."""
    parsed = parse_ticket_ref(ref)
    if isinstance(parsed, int):
        result = await db.execute(_DETAIL_BY_NUMBER, {"number": parsed})
    else:
        result = await db.execute(_DETAIL_BY_ID, {"id": parsed})
    row = result.one_or_none()
    if row is None:
        raise ticket_not_found(parsed)
    description, chat_session_id, *creator, notes, events = row[_SUMMARY_WIDTH:]
    return _TICKET_DETAIL.validate_python(
        {
            **summary_fields(row),
            "description": description,
            "created_by": _user(*creator),
            "chat_session_id": chat_session_id,
            "notes": [
                {"id": note_id, "body": body, "author": _author(by), "created_at": created_at}
                for note_id, body, created_at, by in notes
            ],
            "events": [
                {
                    "id": event_id,
                    "action": action,
                    "field": field,
                    "old_value": old,
                    "new_value": new,
                    "actor": _author(by),
                    "channel": channel,
                    "chat_session_id": chat,
                    "created_at": created_at,
                }
                for event_id, action, field, old, new, channel, chat, created_at, by in events
            ],
        }
    )


# -- search hits ------------------------------------------------------------------------

_SEARCH_RESULTS = TypeAdapter(SearchResults)
_ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
# Summary rows (with description) of the tickets numbered `numbers`.
BY_NUMBERS = summary_select(tickets.c.description).where(
    tickets.c.number == func.any(bindparam("numbers", type_=ARRAY(BigInteger)))
)
_RECENTLY_UPDATED = (
    summary_select(tickets.c.description)
    .order_by(tickets.c.updated_at.desc())
    .limit(bindparam("limit"))
)
_WITH_STATUS = tickets.c.status == bindparam("status")
_BY_NUMBERS_WITH_STATUS = BY_NUMBERS.where(_WITH_STATUS)
_RECENTLY_UPDATED_WITH_STATUS = _RECENTLY_UPDATED.where(_WITH_STATUS)


@cache
def _headline_statement(options: str) -> Select[Any]:
    headline = func.ts_headline(
        _ENGLISH,
        tickets.c.title.concat(" — ").concat(tickets.c.description),
        func.to_tsquery(_ENGLISH, bindparam("tsq", type_=Text)),
        literal(options, Text),
    )
    return summary_select(headline.label("snippet")).where(
        tickets.c.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
    )


async def tickets_by_numbers(
    *, db: Reader, numbers: Iterable[int], status: str | None
) -> dict[int, AnyRow]:
    """Summary rows (with description) of these ticket numbers, by number."""
    if status:
        statement, params = _BY_NUMBERS_WITH_STATUS, {"numbers": list(numbers), "status": status}
    else:
        statement, params = BY_NUMBERS, {"numbers": list(numbers)}
    rows = (await db.execute(statement, params)).all()
    return {row.number: row for row in rows}


async def recently_updated(*, db: Reader, status: str | None, limit: int) -> list[AnyRow]:
    """Summary rows (with description) of the most recently updated tickets."""
    if status:
        statement, params = _RECENTLY_UPDATED_WITH_STATUS, {"status": status, "limit": limit}
    else:
        statement, params = _RECENTLY_UPDATED, {"limit": limit}
    return list((await db.execute(statement, params)).all())


_BY_IDS = summary_select(tickets.c.description).where(
    tickets.c.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
)


async def rows_by_ids(*, db: Reader, ids: list[uuid.UUID]) -> dict[uuid.UUID, AnyRow]:
    """Summary rows (with description) of these tickets, by id."""
    return {row.id: row for row in (await db.execute(_BY_IDS, {"ids": ids})).all()}


def summary_of_row(row: Sequence[Any]) -> TicketSummary:
    return TicketSummary.model_validate(summary_fields(row))


_LATEST_NOTES = text(
    """
    SELECT n.ticket_id, left(n.body, :chars), n.created_at FROM (
        SELECT ticket_id, body, created_at,
               row_number() OVER (PARTITION BY ticket_id ORDER BY created_at DESC) AS newest
        FROM ticket_notes WHERE ticket_id = ANY(:ids)
    ) n
    WHERE n.newest <= :per_ticket
    ORDER BY n.ticket_id, n.created_at
    """
).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))


async def latest_notes(
    *, db: Reader, ids: list[uuid.UUID], per_ticket: int, chars: int
) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    """(body cut to `chars`, created_at) of each ticket's latest `per_ticket` notes, oldest
    first, by ticket id."""
    notes: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    if ids:
        params = {"ids": ids, "per_ticket": per_ticket, "chars": chars}
        for ticket_id, body, created_at in await db.execute(_LATEST_NOTES, params):
            notes.setdefault(ticket_id, []).append((body, created_at))
    return notes


_SUMMARIES = TypeAdapter(list[TicketSummary])
_SUMMARIES_BY_IDS = summary_select().where(
    tickets.c.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
)


async def summaries_by_id(
    *, db: Reader, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, TicketSummary]:
    """Summaries of these tickets (those that exist), by id, in one query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = (await db.execute(_SUMMARIES_BY_IDS, {"ids": wanted})).all()
    return {s.id: s for s in _SUMMARIES.validate_python([summary_fields(r) for r in rows])}


async def rows_with_headlines(
    *, db: Reader, ids: list[uuid.UUID], tsquery: str, options: str
) -> dict[uuid.UUID, AnyRow]:
    """Summary rows of these tickets with ts_headline snippets for tsquery, by id."""
    statement = _headline_statement(options)
    rows = (await db.execute(statement, {"ids": ids, "tsq": tsquery})).all()
    return {row.id: row for row in rows}


def search_results(hits: list[tuple[AnyRow, str, float]]) -> SearchResults:
    """(row, snippet, rank) triples as the search response."""
    items = [
        {**summary_fields(row), "snippet": snippet, "rank": rank} for row, snippet, rank in hits
    ]
    return _SEARCH_RESULTS.validate_python({"items": items})
