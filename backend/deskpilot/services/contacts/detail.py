"""GET /api/contacts/{ref}: a contact with its open tickets, its other recent tickets and
its calls (one query each: the tickets through tickets.queries' one summary builder)."""

import uuid
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select, bindparam

from deskpilot.core.db import Reader
from deskpilot.schemas.contact import ContactDetail
from deskpilot.services.contacts.calls import calls_of_contact
from deskpilot.services.contacts.rows import ACTIVE_STATUSES, public_fields, public_row
from deskpilot.services.tickets.queries import summary_fields, summary_select, tickets

TICKETS_SHOWN = 20
CALLS_SHOWN = 50
_DETAIL = TypeAdapter(ContactDetail)


@cache
def _tickets_statement(active: bool) -> Select[Any]:
    status = tickets.c.status.in_(ACTIVE_STATUSES)
    return (
        summary_select()
        .where(tickets.c.contact_id == bindparam("contact_id"), status if active else ~status)
        .order_by(tickets.c.updated_at.desc(), tickets.c.number.desc())
        .limit(TICKETS_SHOWN)
    )


async def contact_detail(*, db: Reader, ref: str | int | uuid.UUID) -> ContactDetail:
    row = await public_row(db=db, ref=ref)
    contact_id = row[0]
    lists = {}
    for name, active in (("open_ticket_list", True), ("recent_tickets", False)):
        rows = await db.execute(_tickets_statement(active), {"contact_id": contact_id})
        lists[name] = [summary_fields(r) for r in rows]
    calls = await calls_of_contact(db=db, contact_id=contact_id, limit=CALLS_SHOWN)
    return _DETAIL.validate_python(
        {**public_fields(row), **lists, "calls": [c.model_dump() for c in calls]}
    )
