"""Filtered, keyset-paginated ticket lists, newest first (highest number first)."""

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import ValidationFailed
from backend.models import Ticket

_CURSOR = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class TicketFilters:
    status: str | None = None
    priority: str | None = None
    source: str | None = None
    category: str | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() rejects (a 500).
    if not _CURSOR.fullmatch(cursor):
        raise ValidationFailed.for_field("cursor", "invalid cursor")
    return int(cursor)


async def list_tickets(
    *, db: AsyncSession, filters: TicketFilters, limit: int, cursor: str | None
) -> tuple[list[Ticket], str | None]:
    before = decode_cursor(cursor)
    statement = select(Ticket).order_by(Ticket.number.desc()).limit(limit + 1)
    if before is not None:
        statement = statement.where(Ticket.number < before)
    if filters.status:
        statement = statement.where(Ticket.status == filters.status)
    if filters.priority:
        statement = statement.where(Ticket.priority == filters.priority)
    if filters.source:
        statement = statement.where(Ticket.source == filters.source)
    if filters.category:
        statement = statement.where(Ticket.category == filters.category)
    if filters.unassigned:
        statement = statement.where(Ticket.assignee_id.is_(None))
    elif filters.assignee_id:
        statement = statement.where(Ticket.assignee_id == filters.assignee_id)
    tickets = list((await db.execute(statement)).scalars())
    next_cursor = str(tickets[limit - 1].number) if len(tickets) > limit else None
    return tickets[:limit], next_cursor
