"""The call log (table `interactions`, channel 'call'): log a call, list a contact's or a
ticket's calls, newest first. One statement builds CallPublic rows with the contact, the
ticket and the agent joined."""

import base64
import binascii
import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select, bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.core.errors import ValidationFailed
from deskpilot.models import Contact, Interaction, Ticket, User
from deskpilot.schemas.contact import CallCreate, CallPage, CallPublic
from deskpilot.services.actor import Actor
from deskpilot.services.contacts.rows import contacts, organizations, ref_fields

calls = Interaction.__table__
_tickets = Ticket.__table__
_agents = User.__table__.alias("agent")

_CALL_SELECT = (
    select(
        calls.c.id,
        calls.c.channel,
        contacts.c.id,
        contacts.c.number,
        contacts.c.name,
        organizations.c.name,
        contacts.c.phone,
        _tickets.c.id,
        _tickets.c.number,
        _tickets.c.title,
        _agents.c.id,
        _agents.c.name,
        _agents.c.email,
        calls.c.direction,
        calls.c.started_at,
        calls.c.duration_seconds,
        calls.c.summary,
        calls.c.created_at,
    )
    .select_from(
        calls.join(contacts, contacts.c.id == calls.c.contact_id)
        .outerjoin(organizations, organizations.c.id == contacts.c.organization_id)
        .outerjoin(_tickets, _tickets.c.id == calls.c.ticket_id)
        .outerjoin(_agents, _agents.c.id == calls.c.agent_id)
    )
    .order_by(calls.c.started_at.desc(), calls.c.id.desc())
)


def call_fields(row: Sequence[Any]) -> dict[str, Any]:
    (
        call_id,
        channel,
        *contact,
        ticket_id,
        ticket_number,
        ticket_title,
        agent_id,
        agent_name,
        agent_email,
        direction,
        started_at,
        duration_seconds,
        summary,
        created_at,
    ) = row
    return {
        "id": call_id,
        "channel": channel,
        "contact": ref_fields(*contact),
        "ticket": None
        if ticket_id is None
        else {"id": ticket_id, "number": ticket_number, "title": ticket_title},
        "agent": None
        if agent_id is None
        else {"id": agent_id, "name": agent_name, "email": agent_email},
        "direction": direction,
        "started_at": started_at,
        "duration_seconds": duration_seconds,
        "summary": summary,
        "created_at": created_at,
    }


_CALLS = TypeAdapter(list[CallPublic])
_PAGE = TypeAdapter(CallPage)


@cache
def _page_statement(by_contact: bool, by_ticket: bool, after: bool) -> Select[Any]:
    statement = _CALL_SELECT.limit(bindparam("limit"))
    if by_contact:
        statement = statement.where(calls.c.contact_id == bindparam("contact_id"))
    if by_ticket:
        statement = statement.where(calls.c.ticket_id == bindparam("ticket_id"))
    if after:
        statement = statement.where(
            tuple_(calls.c.started_at, calls.c.id)
            < tuple_(bindparam("after_at"), bindparam("after_id"))
        )
    return statement


def _encode_cursor(started_at: datetime, call_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{started_at.isoformat()}|{call_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, call_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), uuid.UUID(call_id)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationFailed.for_field("cursor", "invalid cursor") from None


async def list_calls(
    *,
    db: Reader,
    contact_id: uuid.UUID | None = None,
    ticket_id: uuid.UUID | None = None,
    limit: int = 25,
    cursor: str | None = None,
) -> CallPage:
    """Calls, newest first, of a contact and/or about a ticket (every call without either)."""
    params: dict[str, Any] = {"limit": limit + 1}
    if contact_id is not None:
        params["contact_id"] = contact_id
    if ticket_id is not None:
        params["ticket_id"] = ticket_id
    if cursor:
        params["after_at"], params["after_id"] = _decode_cursor(cursor)
    statement = _page_statement(contact_id is not None, ticket_id is not None, bool(cursor))
    rows = (await db.execute(statement, params)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _encode_cursor(last.started_at, last[0])
    return _PAGE.validate_python(
        {"items": [call_fields(row) for row in rows[:limit]], "next_cursor": next_cursor}
    )


async def calls_of_contact(*, db: Reader, contact_id: uuid.UUID, limit: int) -> list[CallPublic]:
    return (await list_calls(db=db, contact_id=contact_id, limit=limit)).items


_BY_ID = _CALL_SELECT.where(calls.c.id == bindparam("id"))


async def call_public(*, db: Reader, call_id: uuid.UUID) -> CallPublic:
    row = (await db.execute(_BY_ID, {"id": call_id})).one()
    return _CALLS.validate_python([call_fields(row)])[0]


async def log_call(*, db: AsyncSession, data: CallCreate, actor: Actor) -> Interaction:
    """Record a call with a contact (and the ticket it was about), by the acting agent."""
    if await db.get(Contact, data.contact_id) is None:
        raise ValidationFailed.for_field("contact_id", "no contact with this id")
    if data.ticket_id is not None and await db.get(Ticket, data.ticket_id) is None:
        raise ValidationFailed.for_field("ticket_id", "no ticket with this id")
    call = Interaction(
        contact_id=data.contact_id,
        ticket_id=data.ticket_id,
        agent_id=actor.user_id,
        direction=data.direction,
        duration_seconds=data.duration_seconds,
        summary=data.summary,
        **({"started_at": data.started_at} if data.started_at else {}),
    )
    db.add(call)
    await db.flush()
    await db.refresh(call)
    return call


async def move_calls(*, db: AsyncSession, from_id: uuid.UUID, to_id: uuid.UUID) -> int:
    """Give contact `from_id`'s calls to `to_id` (a merge); how many moved."""
    result = await db.execute(
        update(Interaction).where(Interaction.contact_id == from_id).values(contact_id=to_id)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


__all__ = ["call_public", "calls_of_contact", "list_calls", "log_call", "move_calls"]
