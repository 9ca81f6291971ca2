"""GET /api/tickets/{ref}: a ticket with its users, notes and events in one query (the
notes and events as arrays of rows in the ticket's own row: see tickets/queries.py for why
reads are built this way)."""

import uuid
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import TicketEvent, TicketNote, User
from deskpilot.schemas.ticket import TicketDetail
from deskpilot.services.tickets.queries import (
    SUMMARY_WIDTH,
    person_fields,
    summary_fields,
    summary_select,
    tickets,
)
from deskpilot.services.tickets.refs import parse_ticket_ref, ticket_not_found

_notes = TicketNote.__table__
_events = TicketEvent.__table__
_users = User.__table__
_creator = _users.alias("creator")
_person = _users.alias("person")
_undoing = _events.alias("undoing")

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


_DETAIL = summary_select(
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
        _notes.c.retracted_at,
        _person_of(_notes.c.retracted_by),
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
        _events.c.write_id,
        _person_of(_events.c.approved_by),
        _events.c.reverts_id,
        select(_undoing.c.id).where(_undoing.c.reverts_id == _events.c.id).limit(1).exists(),
        where=_events.c.ticket_id == tickets.c.id,
        order_by=[_events.c.created_at, _events.c.id],
    ),
).outerjoin(_creator, _creator.c.id == tickets.c.created_by)
_DETAIL_BY_NUMBER = _DETAIL.where(tickets.c.number == bindparam("number"))
_DETAIL_BY_ID = _DETAIL.where(tickets.c.id == bindparam("id"))


def _author(person: Any) -> dict[str, Any] | None:
    return None if person is None else person_fields(*person)


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
    description, chat_session_id, *creator, notes, events = row[SUMMARY_WIDTH:]
    return _TICKET_DETAIL.validate_python(
        {
            **summary_fields(row),
            "description": description,
            "created_by": person_fields(*creator),
            "chat_session_id": chat_session_id,
            "notes": [
                {
                    "id": note_id,
                    "body": body,
                    "author": _author(by),
                    "created_at": created_at,
                    "retracted_at": retracted_at,
                    "retracted_by": _author(retracted_by),
                }
                for note_id, body, created_at, by, retracted_at, retracted_by in notes
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
                    "write_id": write_id,
                    "approved_by": _author(approver),
                    "reverts_id": reverts_id,
                    "reverted": reverted,
                }
                for (
                    event_id,
                    action,
                    field,
                    old,
                    new,
                    channel,
                    chat,
                    created_at,
                    by,
                    write_id,
                    approver,
                    reverts_id,
                    reverted,
                ) in events
            ],
        }
    )
