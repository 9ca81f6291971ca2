"""Every ticket read: list pages, summaries by id, and the public shapes of a ticket or note
just written (a ticket with its notes and events: tickets/detail.py).

Each query selects only the columns a response shows and joins the users it names (the
assignee, the creator, note authors, event actors), instead of loading ORM objects and
then the users in another query: a list page is one query, a ticket with its notes and
events one, a page of search hits one after ranking. Rows become plain dicts that
Pydantic validates in one call per response, and the statements are built once (Core
tables, bound parameters), so SQLAlchemy neither rebuilds nor re-keys them per request.
This takes about half the CPU per request of building them from ORM objects
(docs/benchmarks-history.md).
"""

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Row, Select, bindparam, func, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.core.errors import ValidationFailed
from deskpilot.models import Contact, Organization, Ticket, TicketNote, User
from deskpilot.schemas.common import ContactRef, UserRef
from deskpilot.schemas.ticket import (
    NotePublic,
    TicketPage,
    TicketPublic,
    TicketSummary,
)
from deskpilot.services.contacts.rows import contact_refs_by_id
from deskpilot.services.user_service import users_by_id

AnyRow = Row[*tuple[Any, ...]]

tickets = Ticket.__table__
_assignee = User.__table__.alias("assignee")
_caller = Contact.__table__.alias("caller")
_caller_organization = Organization.__table__.alias("caller_organization")

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
    _caller.c.id.label("caller_id"),
    _caller.c.number.label("caller_number"),
    _caller.c.name.label("caller_name"),
    _caller_organization.c.name.label("caller_organization"),
    _caller.c.phone.label("caller_phone"),
)
SUMMARY_WIDTH = len(_SUMMARY_COLUMNS)
_WITH_PEOPLE = (
    tickets.outerjoin(_assignee, _assignee.c.id == tickets.c.assignee_id)
    .outerjoin(_caller, _caller.c.id == tickets.c.contact_id)
    .outerjoin(_caller_organization, _caller_organization.c.id == _caller.c.organization_id)
)


def summary_select(*extra: ColumnElement[Any]) -> Select[Any]:
    """Summary columns of tickets with their assignee and caller (LEFT JOINs on primary
    keys), plus `extra` columns."""
    return select(*_SUMMARY_COLUMNS, *extra).select_from(_WITH_PEOPLE)


def person_fields(
    user_id: uuid.UUID | None, name: str | None, email: str | None
) -> dict[str, Any] | None:
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
        caller_id,
        caller_number,
        caller_name,
        caller_organization,
        caller_phone,
    ) = row[:SUMMARY_WIDTH]
    return {
        "id": ticket_id,
        "number": number,
        "title": title,
        "status": status,
        "priority": priority,
        "category": category,
        "source": source,
        "assignee": person_fields(assignee_id, assignee_name, assignee_email),
        "contact": None
        if caller_id is None
        else {
            "id": caller_id,
            "number": caller_number,
            "name": caller_name,
            "organization": caller_organization,
            "phone": caller_phone,
        },
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
    "contact_id": tickets.c.contact_id == bindparam("contact_id"),
}


@cache
def _page_statement(conditions: tuple[str, ...]) -> Select[Any]:
    statement = summary_select().order_by(tickets.c.number.desc()).limit(bindparam("limit"))
    for name in conditions:
        statement = statement.where(_LIST_CONDITIONS[name])
    return statement


COUNT_CAP = 10_000


@cache
def _count_statement(conditions: tuple[str, ...]) -> Select[Any]:
    capped = select(literal(1)).select_from(tickets).limit(COUNT_CAP + 1)
    for name in conditions:
        capped = capped.where(_LIST_CONDITIONS[name])
    return select(func.count()).select_from(capped.subquery())


async def ticket_page(
    *, db: AsyncSession, conditions: dict[str, Any], limit: int, with_total: bool = False
) -> TicketPage:
    """Newest first, `limit` summaries meeting the _LIST_CONDITIONS named in `conditions`
    (name -> bound value; `unassigned` takes True), with the cursor of the next page; a
    first page `with_total` also says how many there are (up to COUNT_CAP; a second query,
    so only when asked)."""
    names = tuple(name for name in _LIST_CONDITIONS if name in conditions)
    params = {name: conditions[name] for name in names if name != "unassigned"}
    rows = (await db.execute(_page_statement(names), {**params, "limit": limit + 1})).all()
    next_cursor = str(rows[limit - 1].number) if len(rows) > limit else None
    items = [summary_fields(row) for row in rows[:limit]]
    page: dict[str, Any] = {"items": items, "next_cursor": next_cursor}
    if with_total and "before" not in conditions:
        total = len(items) if next_cursor is None else await _count(db, names, params)
        page |= {"total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP}
    return _PAGE.validate_python(page)


async def _count(db: AsyncSession, names: tuple[str, ...], params: dict[str, Any]) -> int:
    return int((await db.execute(_count_statement(names), params)).scalar_one())


_CURSOR = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class TicketFilters:
    status: str | None = None
    priority: str | None = None
    source: str | None = None
    category: str | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    contact_id: uuid.UUID | None = None


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() rejects (a 500).
    if not _CURSOR.fullmatch(cursor):
        raise ValidationFailed.for_field("cursor", "invalid cursor")
    return int(cursor)


async def list_tickets(
    *,
    db: AsyncSession,
    filters: TicketFilters,
    limit: int,
    cursor: str | None,
    with_total: bool = False,
) -> TicketPage:
    """A page of summaries with their assignees (one query) and the next page's cursor."""
    before = decode_cursor(cursor)
    conditions: dict[str, Any] = {}
    if before is not None:
        conditions["before"] = before
    for name in ("status", "priority", "source", "category"):
        if value := getattr(filters, name):
            conditions[name] = value
    if filters.unassigned:
        conditions["unassigned"] = True
    elif filters.assignee_id:
        conditions["assignee_id"] = filters.assignee_id
    if filters.contact_id:
        conditions["contact_id"] = filters.contact_id
    return await ticket_page(db=db, conditions=conditions, limit=limit, with_total=with_total)


# -- tickets by id, their notes -------------------------------------------------------

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
        FROM ticket_notes WHERE ticket_id = ANY(:ids) AND retracted_at IS NULL
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


# -- tickets as loaded for a write (ORM objects) ---------------------------------------

Users = Mapping[uuid.UUID, User]
Contacts = Mapping[uuid.UUID, ContactRef]


def _ref(users: Users, user_id: uuid.UUID | None) -> UserRef | None:
    user = users.get(user_id) if user_id else None
    return UserRef.model_validate(user) if user else None


def summary(ticket: Ticket, users: Users, contacts: Contacts | None = None) -> TicketSummary:
    """A ticket as loaded for a write, through the one builder the reads use; its caller
    from `contacts` (rows.contact_refs_by_id), none if it is not there."""
    assignee = users.get(ticket.assignee_id) if ticket.assignee_id else None
    caller = (contacts or {}).get(ticket.contact_id) if ticket.contact_id else None
    return summary_of_row(
        (
            ticket.id,
            ticket.number,
            ticket.title,
            ticket.status,
            ticket.priority,
            ticket.category,
            ticket.source,
            ticket.created_at,
            ticket.updated_at,
            *((assignee.id, assignee.name, assignee.email) if assignee else (None, None, None)),
            *(
                (caller.id, caller.number, caller.name, caller.organization, caller.phone)
                if caller
                else (None,) * 5
            ),
        )
    )


async def summary_with_contact(*, db: AsyncSession, ticket: Ticket, users: Users) -> TicketSummary:
    """summary() of an ORM ticket, its caller read."""
    return summary(ticket, users, await contact_refs_by_id(db=db, ids=[ticket.contact_id]))


async def present_ticket(*, db: AsyncSession, ticket: Ticket) -> TicketPublic:
    users = await users_by_id(db=db, ids=(ticket.assignee_id, ticket.created_by))
    contacts = await contact_refs_by_id(db=db, ids=[ticket.contact_id])
    return TicketPublic(
        **summary(ticket, users, contacts).model_dump(),
        description=ticket.description,
        created_by=_ref(users, ticket.created_by),
        chat_session_id=ticket.chat_session_id,
    )


async def present_note(*, db: AsyncSession, note: TicketNote) -> NotePublic:
    users = await users_by_id(db=db, ids=[note.author_id])
    return NotePublic(
        id=note.id, body=note.body, author=_ref(users, note.author_id), created_at=note.created_at
    )
