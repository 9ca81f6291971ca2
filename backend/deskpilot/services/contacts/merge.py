"""Merging two contacts (admin): the duplicate's tickets and calls move to the kept
contact, the kept contact's empty fields take the duplicate's, the duplicate is deleted.
Audited twice: a contact_merges row with the duplicate as it was, and on each moved
ticket an 'updated' event of the field `contact` (so its trail says who the caller was)."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import ValidationFailed
from deskpilot.models import Contact, ContactMerge, Organization, Ticket, TicketEvent
from deskpilot.services.actor import Actor
from deskpilot.services.contacts.calls import move_calls
from deskpilot.services.contacts.rows import contact_not_found
from deskpilot.services.tickets.contact_field import CONTACT_FIELD

FILLED_FIELDS = ("email", "phone", "organization_id", "notes")


@dataclass(frozen=True)
class Merged:
    kept: Contact
    tickets_moved: int
    calls_moved: int


def _value(contact: Contact) -> dict[str, Any]:
    return {"id": str(contact.id), "number": contact.number, "name": contact.name}


async def _locked(db: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    """Both contacts, locked in id order (two merges of the same pair cannot deadlock)."""
    rows = await db.scalars(
        select(Contact)
        .where(Contact.id.in_(ids))
        .order_by(Contact.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {contact.id: contact for contact in rows}


async def _snapshot(db: AsyncSession, contact: Contact) -> dict[str, Any]:
    organization = (
        await db.scalar(select(Organization.name).where(Organization.id == contact.organization_id))
        if contact.organization_id
        else None
    )
    return {
        "number": contact.number,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "organization": organization,
        "notes": contact.notes,
        "created_at": contact.created_at.isoformat(),
    }


async def _move_tickets(db: AsyncSession, duplicate: Contact, kept: Contact, actor: Actor) -> int:
    moved = list(
        await db.scalars(
            update(Ticket)
            .where(Ticket.contact_id == duplicate.id)
            .values(contact_id=kept.id, updated_at=func.now())
            .returning(Ticket.id)
            .execution_options(synchronize_session=False)
        )
    )
    old, new = _value(duplicate), _value(kept)
    db.add_all(
        TicketEvent(
            ticket_id=ticket_id,
            actor_id=actor.user_id,
            channel=actor.channel,
            chat_session_id=actor.chat_session_id,
            write_id=actor.write_id,
            approved_by=actor.approved_by,
            action="updated",
            field=CONTACT_FIELD,
            old_value=old,
            new_value=new,
        )
        for ticket_id in moved
    )
    return len(moved)


async def merge_contacts(
    *, db: AsyncSession, kept_id: uuid.UUID, duplicate_id: uuid.UUID, actor: Actor
) -> Merged:
    if kept_id == duplicate_id:
        raise ValidationFailed.for_field("duplicate_id", "a contact cannot be merged into itself")
    found = await _locked(db, [kept_id, duplicate_id])
    if kept_id not in found:
        raise contact_not_found(kept_id)
    if duplicate_id not in found:
        raise ValidationFailed.for_field("duplicate_id", "no contact with this id")
    kept, duplicate = found[kept_id], found[duplicate_id]
    snapshot = await _snapshot(db, duplicate)
    tickets_moved = await _move_tickets(db, duplicate, kept, actor)
    calls_moved = await move_calls(db=db, from_id=duplicate.id, to_id=kept.id)
    fills = {f: getattr(duplicate, f) for f in FILLED_FIELDS if not getattr(kept, f)}
    db.add(
        ContactMerge(
            kept_id=kept.id,
            merged_id=duplicate.id,
            merged_name=duplicate.name,
            merged_snapshot=snapshot,
            tickets_moved=tickets_moved,
            calls_moved=calls_moved,
            actor_id=actor.user_id,
        )
    )
    # The duplicate goes first: its phone and e-mail are unique, and may move to `kept`.
    await db.execute(delete(Contact).where(Contact.id == duplicate.id))
    db.expunge(duplicate)
    for field, value in fills.items():
        if value:
            setattr(kept, field, value)
    kept.updated_at = func.now()
    await db.flush()
    await db.refresh(kept)
    return Merged(kept=kept, tickets_moved=tickets_moved, calls_moved=calls_moved)
