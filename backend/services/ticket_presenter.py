"""Turn ticket objects into the API's shapes, loading the users they name in one query.

The read-only routes (list, search, detail) build their shapes straight from rows
instead: backend/services/ticket_reads.py."""

import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Ticket, TicketNote, User
from deskpilot.schemas.common import UserRef
from deskpilot.schemas.ticket import (
    NotePublic,
    TicketPublic,
    TicketSummary,
)
from deskpilot.services.user_service import users_by_id

Users = Mapping[uuid.UUID, User]


def _ref(users: Users, user_id: uuid.UUID | None) -> UserRef | None:
    user = users.get(user_id) if user_id else None
    return UserRef.model_validate(user) if user else None


def summary(ticket: Ticket, users: Users) -> TicketSummary:
    return TicketSummary(
        id=ticket.id,
        number=ticket.number,
        title=ticket.title,
        status=ticket.status,
        priority=ticket.priority,
        category=ticket.category,
        source=ticket.source,
        assignee=_ref(users, ticket.assignee_id),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
    )


async def present_ticket(*, db: AsyncSession, ticket: Ticket) -> TicketPublic:
    users = await users_by_id(db=db, ids=(ticket.assignee_id, ticket.created_by))
    return TicketPublic(
        **summary(ticket, users).model_dump(),
        description=ticket.description,
        created_by=_ref(users, ticket.created_by),
        chat_session_id=ticket.chat_session_id,
    )


async def present_note(*, db: AsyncSession, note: TicketNote) -> NotePublic:
    users = await users_by_id(db=db, ids=[note.author_id])
    return NotePublic(
        id=note.id, body=note.body, author=_ref(users, note.author_id), created_at=note.created_at
    )
