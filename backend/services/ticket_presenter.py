"""Turn ticket rows into the API's shapes, loading the users they name in one query."""

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from backend.models import Ticket, TicketEvent, TicketNote, User
from backend.schemas.common import UserRef
from backend.schemas.ticket import (
    NotePublic,
    SearchHit,
    TicketDetail,
    TicketEventPublic,
    TicketPublic,
    TicketSummary,
)
from backend.services.ticket_search import SearchHitRow
from backend.services.ticket_service import get_events, get_notes
from backend.services.user_service import users_by_id

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


async def present_summaries(*, db: AsyncSession, tickets: Sequence[Ticket]) -> list[TicketSummary]:
    users = await users_by_id(db=db, ids=(t.assignee_id for t in tickets))
    return [summary(t, users) for t in tickets]


async def present_hits(*, db: AsyncSession, hits: Sequence[SearchHitRow]) -> list[SearchHit]:
    users = await users_by_id(db=db, ids=(h.ticket.assignee_id for h in hits))
    return [
        SearchHit(**summary(h.ticket, users).model_dump(), snippet=h.snippet, rank=h.rank)
        for h in hits
    ]


async def present_ticket(*, db: AsyncSession, ticket: Ticket) -> TicketPublic:
    users = await users_by_id(db=db, ids=(ticket.assignee_id, ticket.created_by))
    return TicketPublic(
        **summary(ticket, users).model_dump(),
        description=ticket.description,
        created_by=_ref(users, ticket.created_by),
        chat_session_id=ticket.chat_session_id,
    )


async def present_detail(*, db: AsyncSession, ticket: Ticket) -> TicketDetail:
    notes: list[TicketNote] = await get_notes(db=db, ticket_id=ticket.id)
    events: list[TicketEvent] = await get_events(db=db, ticket_id=ticket.id)
    users = await users_by_id(
        db=db,
        ids=[ticket.assignee_id, ticket.created_by]
        + [n.author_id for n in notes]
        + [e.actor_id for e in events],
    )
    return TicketDetail(
        **summary(ticket, users).model_dump(),
        description=ticket.description,
        created_by=_ref(users, ticket.created_by),
        chat_session_id=ticket.chat_session_id,
        notes=[
            NotePublic(
                id=n.id, body=n.body, author=_ref(users, n.author_id), created_at=n.created_at
            )
            for n in notes
        ],
        events=[
            TicketEventPublic(
                id=e.id,
                action=e.action,
                field=e.field,
                old_value=e.old_value,
                new_value=e.new_value,
                actor=_ref(users, e.actor_id),
                channel=e.channel,
                chat_session_id=e.chat_session_id,
                created_at=e.created_at,
            )
            for e in events
        ],
    )


async def present_note(*, db: AsyncSession, note: TicketNote) -> NotePublic:
    users = await users_by_id(db=db, ids=[note.author_id])
    return NotePublic(
        id=note.id, body=note.body, author=_ref(users, note.author_id), created_at=note.created_at
    )
