"""A ticket's caller as its audit trail records it: the field `contact`, each value the
contact's {id, number, name} at the time (or null), so the trail still names a caller
merged away since. Undo restores the id."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Conflict, ValidationFailed
from deskpilot.models import Contact

CONTACT_FIELD = "contact"  # the event field; the column is tickets.contact_id


async def contact_value(db: AsyncSession, contact_id: uuid.UUID | None) -> dict[str, Any] | None:
    """The event value of a ticket's caller; 422 on contact_id when there is no such contact."""
    if contact_id is None:
        return None
    row = (
        await db.execute(select(Contact.number, Contact.name).where(Contact.id == contact_id))
    ).first()
    if row is None:
        raise ValidationFailed.for_field("contact_id", "no contact with this id")
    return {"id": str(contact_id), "number": row.number, "name": row.name}


def value_id(value: Any) -> str | None:
    """The contact id an event value names (None for none)."""
    if isinstance(value, dict):
        found = value.get("id")
        return str(found) if found else None
    return None


async def restorable_id(db: AsyncSession, value: Any) -> uuid.UUID | None:
    """The contact id to put back on undo; 409 when that contact is gone (merged away)."""
    wanted = value_id(value)
    if wanted is None:
        return None
    contact_id = uuid.UUID(wanted)
    if not await db.scalar(select(func.count()).where(Contact.id == contact_id)):
        name = value.get("name") if isinstance(value, dict) else None
        raise Conflict(
            f"Can't undo: the caller {name or wanted} no longer exists (merged or deleted)",
            details=[{"field": CONTACT_FIELD, "message": "that contact no longer exists"}],
        )
    return contact_id
