"""Undo of an audited change: an AI write (all the events it wrote, together) or a person's
own field change or note.

A field is restored only while it still holds the value the change gave it; otherwise
nothing is undone and 409 names the field and who changed it since. An added note is
retracted (kept, marked, shown struck through). A ticket the AI created is closed with a
"created in error" note and detached from its chat. Each undone event gets a 'reverted'
event pointing at it, so the audit trail shows both, and undoing twice changes nothing."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from deskpilot.models import ChatProposal, ChatSession, Ticket, TicketEvent, TicketNote, User
from deskpilot.schemas.ticket import TicketDetail
from deskpilot.services import ticket_service
from deskpilot.services.actor import Actor, Channel
from deskpilot.services.tickets.contact_field import CONTACT_FIELD, restorable_id, value_id

STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "closed": "Closed",
}
UNDOABLE = ("updated", "note_added")  # a person's own changes; an AI write's: all kinds


@dataclass(frozen=True)
class Undone:
    ticket_id: uuid.UUID
    write_id: uuid.UUID | None
    already: bool = False  # undone before: nothing done now


def may_undo(user: User, events: Sequence[TicketEvent]) -> bool:
    """The agent who made the change (or approved the AI's), or an admin."""
    return user.role == "admin" or any(
        user.id in (event.actor_id, event.approved_by) for event in events
    )


async def undo_write(
    *, db: AsyncSession, user: User, write_id: uuid.UUID, channel: Channel
) -> Undone:
    """Undo everything one AI write did (its events carry write_id)."""
    events = list(
        await db.scalars(
            select(TicketEvent)
            .where(TicketEvent.write_id == write_id, TicketEvent.action != "reverted")
            .order_by(TicketEvent.created_at, TicketEvent.id)
        )
    )
    if not events:
        raise NotFound("There is no change of this write to undo")
    return await _undo(db, user, events, channel, write_id)


async def undo_event(
    *, db: AsyncSession, user: User, ticket_ref: str, event_id: uuid.UUID, channel: Channel
) -> Undone:
    """Undo the change an audit trail event records (the whole write, for the AI's)."""
    ticket = await ticket_service.get_ticket(db=db, ref=ticket_ref)
    event = await db.scalar(
        select(TicketEvent).where(TicketEvent.id == event_id, TicketEvent.ticket_id == ticket.id)
    )
    if event is None:
        raise NotFound("Event not found on this ticket")
    if event.write_id is not None and event.action != "reverted":
        return await undo_write(db=db, user=user, write_id=event.write_id, channel=channel)
    if event.action not in UNDOABLE:
        raise ValidationFailed.for_field(
            "event", f"a change of kind '{event.action}' cannot be undone"
        )
    return await _undo(db, user, [event], channel, None)


async def _undo(
    db: AsyncSession,
    user: User,
    events: list[TicketEvent],
    channel: Channel,
    write_id: uuid.UUID | None,
) -> Undone:
    if not may_undo(user, events):
        raise Forbidden("Only the agent who made this change, or an admin, can undo it")
    ticket = (
        await db.execute(
            select(Ticket)
            .where(Ticket.id == events[0].ticket_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    done = await db.scalar(
        select(func.count()).where(TicketEvent.reverts_id.in_([e.id for e in events]))
    )
    if done:
        return Undone(ticket.id, write_id, already=True)
    await _check(db, ticket, events)
    actor = Actor(user_id=user.id, channel=channel)
    for event in events:
        await _revert(db, ticket, event, actor, user)
    ticket.updated_at = func.now()
    if write_id is not None:
        await db.execute(
            update(ChatProposal)
            .where(ChatProposal.id == write_id)
            .values(undone_at=func.now(), undone_by=user.id)
        )
    await db.flush()
    return Undone(ticket.id, write_id)


def _current(ticket: Ticket, field: str) -> Any:
    value = ticket.contact_id if field == CONTACT_FIELD else getattr(ticket, field)
    return str(value) if isinstance(value, uuid.UUID) else value


def _given(field: str, value: Any) -> Any:
    """What a change gave the field, as _current reads it (a caller: its id)."""
    return value_id(value) if field == CONTACT_FIELD else value


async def _check(db: AsyncSession, ticket: Ticket, events: list[TicketEvent]) -> None:
    """409 naming each field that no longer holds the change's value, and who changed it."""
    conflicts: list[tuple[str, Any, TicketEvent]] = []
    for event in events:
        if event.action == "updated" and event.field:
            if _current(ticket, event.field) != _given(event.field, event.new_value):
                conflicts.append((event.field, _current(ticket, event.field), event))
        elif event.action == "created":
            created = (event.new_value or {}).get("status")
            if ticket.status != created:
                conflicts.append(("status", ticket.status, event))
    if not conflicts:
        return
    details = []
    for field, now, event in conflicts:
        who = await _changed_by(db, ticket.id, field, event)
        shown = STATUS_LABELS.get(now, now) if field == "status" else now
        if field == CONTACT_FIELD:
            shown = "another caller" if now else "no caller"
        details.append({"field": field, "message": f"changed to {shown} by {who}"})
    raise Conflict(
        "Can't undo: " + "; ".join(f"{d['field']} was {d['message']} since" for d in details),
        details=details,
    )


async def _changed_by(
    db: AsyncSession, ticket_id: uuid.UUID, field: str, since: TicketEvent
) -> str:
    row = (
        await db.execute(
            select(User.name, TicketEvent.channel)
            .select_from(TicketEvent)
            .outerjoin(User, User.id == TicketEvent.actor_id)
            .where(
                TicketEvent.ticket_id == ticket_id,
                TicketEvent.field == field,
                TicketEvent.created_at > since.created_at,
            )
            .order_by(TicketEvent.created_at.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return "someone else"
    name, channel = row
    return f"{name or 'a removed user'}" + (" (via chat)" if channel == "chat" else "")


async def _revert(
    db: AsyncSession, ticket: Ticket, event: TicketEvent, actor: Actor, user: User
) -> None:
    def reverted(**fields: Any) -> TicketEvent:
        return TicketEvent(
            ticket_id=ticket.id,
            actor_id=actor.user_id,
            channel=actor.channel,
            action="reverted",
            reverts_id=event.id,
            **fields,
        )

    if event.action == "updated" and event.field:
        old = event.old_value
        if event.field == "assignee_id" and old is not None:
            old = uuid.UUID(str(old))
        if event.field == CONTACT_FIELD:
            ticket.contact_id = await restorable_id(db, old)
        else:
            setattr(ticket, event.field, old)
        db.add(reverted(field=event.field, old_value=event.new_value, new_value=event.old_value))
    elif event.action == "note_added":
        note_id = (event.new_value or {}).get("note_id")
        if note_id:
            await db.execute(
                update(TicketNote)
                .where(TicketNote.id == uuid.UUID(note_id), TicketNote.retracted_at.is_(None))
                .values(retracted_at=func.now(), retracted_by=actor.user_id)
            )
        db.add(reverted(field="note", old_value=event.new_value, new_value=None))
    elif event.action == "created":
        created = (event.new_value or {}).get("status")
        ticket.status = "closed"
        db.add(reverted(field="status", old_value=created, new_value="closed"))
        await ticket_service.add_note(
            db=db,
            ticket=ticket,
            body=f"Created in error: the AI copilot's ticket was undone by {user.name}.",
            actor=actor,
        )
        if ticket.chat_session_id is not None:
            await db.execute(
                update(ChatSession)
                .where(ChatSession.id == ticket.chat_session_id)
                .values(
                    attached_ticket_ids=func.array_remove(
                        ChatSession.attached_ticket_ids, ticket.id
                    )
                )
                .execution_options(synchronize_session=False)
            )
            ticket.chat_session_id = None
    await db.flush()


def mark_undoable(detail: TicketDetail, user: User) -> TicketDetail:
    """The detail with `can_undo` set on each event this user may undo now (the rules of
    _undo, read from the trail: not undone yet, theirs or approved by them, or an admin)."""
    for event in detail.events:
        if event.reverted or event.action == "reverted":
            continue
        if event.write_id is None and event.action not in UNDOABLE:
            continue
        people = {p.id for p in (event.actor, event.approved_by) if p is not None}
        event.can_undo = user.role == "admin" or user.id in people
    return detail
