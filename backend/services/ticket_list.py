"""Filtered, keyset-paginated ticket lists, newest first (highest number first)."""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import ValidationFailed
from deskpilot.schemas.ticket import TicketPage
from deskpilot.services.ticket_reads import ticket_page

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
    return await ticket_page(db=db, conditions=conditions, limit=limit)
