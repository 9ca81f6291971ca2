"""What the model sees of a ticket: its fields, the description cut short, its latest notes."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.models import Ticket, User
from deskpilot.services.tickets.queries import AnyRow, latest_notes
from deskpilot.services.user_service import users_by_id

DESCRIPTION_FOR_MODEL = 2000
NOTES_FOR_MODEL = 5
NOTE_CHARS_FOR_MODEL = 1000


def _fields_for_model(ticket: Ticket | AnyRow, assignee: str | None) -> dict[str, Any]:
    """What the model sees of a ticket, from an ORM ticket or a tickets.queries summary row
    with its description (both have these attributes)."""
    return {
        "id": str(ticket.id),
        "number": ticket.number,
        "title": ticket.title,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "source": ticket.source,
        "assignee": assignee,
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "description": ticket.description[:DESCRIPTION_FOR_MODEL],
    }


async def notes_for_model(
    db: Reader, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    return await latest_notes(
        db=db, ids=ids, per_ticket=NOTES_FOR_MODEL, chars=NOTE_CHARS_FOR_MODEL
    )


async def ticket_for_model(
    db: AsyncSession,
    ticket: Ticket,
    *,
    with_notes: bool,
    users: Mapping[uuid.UUID, User] | None = None,
) -> dict[str, Any]:
    if users is None:
        users = await users_by_id(db=db, ids=[ticket.assignee_id])
    assignee = users.get(ticket.assignee_id) if ticket.assignee_id else None
    data = _fields_for_model(ticket, assignee.name if assignee else None)
    if with_notes:
        notes = (await notes_for_model(db, [ticket.id])).get(ticket.id, [])
        data["notes"] = [{"body": body, "created_at": at.isoformat()} for body, at in notes]
    return data


def row_for_model(row: AnyRow, notes: Sequence[str] | None = None) -> dict[str, Any]:
    """ticket_for_model's fields from a tickets.queries summary row with its description."""
    data = _fields_for_model(row, row.assignee_name)
    if notes is not None:
        data["notes"] = list(notes)
    return data
