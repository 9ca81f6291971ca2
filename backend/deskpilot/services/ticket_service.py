"""Tickets: create, read, update, notes — every change lands in the audit trail."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import ValidationFailed
from deskpilot.models import Ticket, TicketEvent, TicketNote, User
from deskpilot.schemas.ticket import TicketCreate, TicketUpdate
from deskpilot.services.actor import Actor
from deskpilot.services.tickets.assignees import resolve_assignee
from deskpilot.services.tickets.contact_field import CONTACT_FIELD, contact_value
from deskpilot.services.tickets.refs import parse_ticket_ref, ticket_not_found

UPDATABLE_FIELDS = ("title", "description", "status", "priority", "category", "assignee_id")


@dataclass(frozen=True)
class TicketChange:
    field: str
    old: Any
    new: Any


def _event(ticket: Ticket, actor: Actor, action: str, **fields: Any) -> TicketEvent:
    return TicketEvent(
        ticket_id=ticket.id,
        actor_id=actor.user_id,
        channel=actor.channel,
        chat_session_id=actor.chat_session_id,
        write_id=actor.write_id,
        approved_by=actor.approved_by,
        action=action,
        **fields,
    )


async def get_ticket(*, db: AsyncSession, ref: str | int | uuid.UUID, lock: bool = False) -> Ticket:
    parsed = parse_ticket_ref(ref)
    condition = Ticket.number == parsed if isinstance(parsed, int) else Ticket.id == parsed
    statement = select(Ticket).where(condition)
    if lock:
        statement = statement.with_for_update()
    ticket = (await db.execute(statement)).scalar_one_or_none()
    if ticket is None:
        raise ticket_not_found(parsed)
    return ticket


async def _check_assignee(db: AsyncSession, assignee_id: uuid.UUID | None) -> None:
    if assignee_id is None:
        return
    exists = await db.scalar(select(func.count()).where(User.id == assignee_id, User.is_active))
    if not exists:
        raise ValidationFailed.for_field("assignee_id", "no active user with this id")


async def create_ticket(
    *,
    db: AsyncSession,
    data: TicketCreate,
    actor: Actor,
    chat_session_id: uuid.UUID | None = None,
) -> Ticket:
    await _check_assignee(db, data.assignee_id)
    caller = await contact_value(db, data.contact_id)
    ticket = Ticket(
        title=data.title,
        description=data.description,
        status=data.status,
        priority=data.priority,
        category=data.category or None,
        source=data.source,
        assignee_id=data.assignee_id,
        contact_id=data.contact_id,
        created_by=actor.user_id,
        chat_session_id=chat_session_id,
    )
    db.add(ticket)
    await db.flush()
    await db.refresh(ticket)
    snapshot: dict[str, Any] = {
        "title": ticket.title,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "source": ticket.source,
    }
    if caller is not None:
        snapshot[CONTACT_FIELD] = caller
    db.add(_event(ticket, actor, "created", new_value=snapshot))
    await db.flush()
    return ticket


async def update_ticket(
    *, db: AsyncSession, ticket: Ticket, changes: TicketUpdate, actor: Actor
) -> list[TicketChange]:
    """Apply the fields that differ; one audit event per changed field, plus one per note."""
    requested = changes.model_dump(exclude_unset=True)
    if requested.get("assignee") is not None:
        if "assignee_id" in requested:
            raise ValidationFailed.for_field("assignee", "give assignee or assignee_id, not both")
        requested["assignee_id"] = await resolve_assignee(
            db=db, value=requested["assignee"], me=actor.user_id
        )
    elif "assignee_id" in requested:
        await _check_assignee(db, requested["assignee_id"])
    for field in ("title", "status", "priority"):
        if field in requested and requested[field] is None:
            raise ValidationFailed.for_field(field, "may not be null")
    applied: list[TicketChange] = []
    for field in UPDATABLE_FIELDS:
        if field not in requested:
            continue
        new = requested[field]
        if field == "category" and new == "":
            new = None
        if field == "description" and new is None:
            new = ""
        old = getattr(ticket, field)
        if old == new:
            continue
        setattr(ticket, field, new)
        applied.append(TicketChange(field, old, new))
        db.add(
            _event(
                ticket,
                actor,
                "updated",
                field=field,
                old_value=_json_value(old),
                new_value=_json_value(new),
            )
        )
    if "contact_id" in requested:
        change = await set_contact(
            db=db, ticket=ticket, contact_id=requested["contact_id"], actor=actor
        )
        applied += [change] if change else []
    if applied:
        ticket.updated_at = func.now()
    if requested.get("notes"):
        await add_note(db=db, ticket=ticket, body=requested["notes"], actor=actor)
    await db.flush()
    if applied:
        await db.refresh(ticket)
    return applied


async def set_contact(
    *, db: AsyncSession, ticket: Ticket, contact_id: uuid.UUID | None, actor: Actor
) -> TicketChange | None:
    """Link the ticket to a caller (None: to none), audited as the field `contact`; the
    change, or None when it is that caller already. The caller sets updated_at."""
    if ticket.contact_id == contact_id:
        return None
    new = await contact_value(db, contact_id)
    old = await contact_value(db, ticket.contact_id)
    ticket.contact_id = contact_id
    db.add(_event(ticket, actor, "updated", field=CONTACT_FIELD, old_value=old, new_value=new))
    return TicketChange(CONTACT_FIELD, old, new)


async def add_note(*, db: AsyncSession, ticket: Ticket, body: str, actor: Actor) -> TicketNote:
    note = TicketNote(ticket_id=ticket.id, author_id=actor.user_id, body=body)
    db.add(note)
    await db.flush()
    await db.refresh(note)
    db.add(_event(ticket, actor, "note_added", new_value={"note_id": str(note.id)}))
    ticket.updated_at = func.now()
    await db.flush()
    await db.refresh(ticket)
    return note


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value
