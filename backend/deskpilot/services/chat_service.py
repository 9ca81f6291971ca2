"""Chat sessions: ownership, listing, attachments, message pages (spec §4.1).

Sending a message is a turn (chat/turn.py): it runs on its own connection, not on a
request's session. Attaching and detaching are one call (change_attachments), so that a
request doing both is one atomic change.
"""

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.errors import ChatSessionNotFound, NotFound, ValidationFailed
from deskpilot.models import ChatMessage, ChatSession, Ticket, User
from deskpilot.schemas.chat import (
    ChatMessagePublic,
    ChatSessionDetail,
    ChatSessionPublic,
    ChatSessionSummary,
    ChatTicketCreate,
    ChatTicketPublic,
)
from deskpilot.schemas.ticket import TicketCreate, TicketSummary
from deskpilot.services.actor import Actor
from deskpilot.services.chat.attachments import ChatTicket, create_and_attach, store_notice
from deskpilot.services.chat.proposals.present import with_proposals
from deskpilot.services.chat.records import (
    LATEST_PAGE,
    MATCH_LEAD_CHARS,
    PAGE_BEFORE,
    SEQ_OF_MESSAGE,
    SESSIONS,
    StoredMessage,
    contains_pattern,
    present_message,
    stored_message,
)
from deskpilot.services.tickets.queries import present_ticket, summaries_by_id
from deskpilot.services.tickets.refs import parse_ticket_ref

PAGE_SIZE = 50
PREVIEW_CHARS = 120


def parse_session_id(value: uuid.UUID | str) -> uuid.UUID:
    """A session id from a path; one that cannot be an id is simply not found."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise ChatSessionNotFound() from None


def _encode_cursor(updated_at: datetime, session_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{updated_at.isoformat()}|{session_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, session_id = raw.split("|")
        return datetime.fromisoformat(stamp), uuid.UUID(session_id)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed.for_field("cursor", "invalid cursor") from None


_OWN_SESSION = select(ChatSession).where(
    ChatSession.id == bindparam("id"), ChatSession.user_id == bindparam("user_id")
)
# populate_existing: a route usually loaded the session (unlocked) before it asks for the
# lock, and without it the ORM would hand back that earlier copy, whose attachments another
# request may have changed since: a read-modify-write that loses their change. FOR NO KEY
# UPDATE, not FOR UPDATE: inserting a ticket or message that refers to the session takes a
# KEY SHARE lock on it, which FOR UPDATE would wait on (and two chat ticket creations
# would deadlock).
_OWN_SESSION_FOR_UPDATE = _OWN_SESSION.with_for_update(key_share=True).execution_options(
    populate_existing=True
)


class ChatService:
    def __init__(self, db: AsyncSession, settings: Settings, user: User) -> None:
        self.db = db
        self.settings = settings
        self.user = user

    # -- sessions -----------------------------------------------------------------
    async def create_session(self, title: str | None = None) -> ChatSession:
        session = ChatSession(
            user_id=self.user.id, title=title, title_source="user" if title else None
        )
        self.db.add(session)
        await self.db.flush()
        await self.db.refresh(session)
        return session

    async def get_session(self, session_id: uuid.UUID | str, *, lock: bool = False) -> ChatSession:
        """The caller's own session; anyone else's is reported as not found."""
        statement = _OWN_SESSION_FOR_UPDATE if lock else _OWN_SESSION
        params = {"id": parse_session_id(session_id), "user_id": self.user.id}
        session = (await self.db.execute(statement, params)).scalar_one_or_none()
        if session is None:
            raise ChatSessionNotFound()
        return session

    async def list_sessions(
        self, limit: int = 30, cursor: str | None = None, q: str | None = None
    ) -> tuple[list[ChatSessionSummary], str | None]:
        """The user's chats, newest first; with `q`, those whose title or messages contain it."""
        before_ts, before_id = _decode_cursor(cursor) if cursor else (None, None)
        search = (q or "").strip()
        rows = (
            (
                await self.db.execute(
                    SESSIONS[(cursor is not None, bool(search))],
                    {
                        "user_id": self.user.id,
                        "before_ts": before_ts,
                        "before_id": before_id,
                        "limit": limit + 1,
                        "preview": PREVIEW_CHARS,
                        "q": search,
                        "pattern": contains_pattern(search),
                        "lead": MATCH_LEAD_CHARS,
                    },
                )
            )
            .mappings()
            .all()
        )
        items = [
            ChatSessionSummary(
                id=r["id"],
                title=r["title"],
                created_at=r["created_at"],
                updated_at=r["updated_at"],
                attached_ticket_count=r["attached_ticket_count"] or 0,
                last_message_preview=r["preview"],
                pending_proposals=r["pending_proposals"],
                match=r["match"],
            )
            for r in rows[:limit]
        ]
        next_cursor = (
            _encode_cursor(items[-1].updated_at, items[-1].id) if len(rows) > limit else None
        )
        return items, next_cursor

    async def rename_session(self, session_id: uuid.UUID, title: str) -> ChatSession:
        session = await self.get_session(session_id, lock=True)
        session.title, session.title_source = title, "user"
        await self.db.flush()
        return session

    async def delete_session(self, session_id: uuid.UUID) -> bool:
        session = await self.get_session(session_id)
        await self.db.execute(delete(ChatSession).where(ChatSession.id == session.id))
        return True

    # -- attachments --------------------------------------------------------------
    async def _resolve_refs(self, refs: Sequence[str | int], field: str) -> list[Ticket]:
        parsed = [parse_ticket_ref(ref, field=field) for ref in refs]
        numbers = [p for p in parsed if isinstance(p, int)]
        ids = [p for p in parsed if isinstance(p, uuid.UUID)]
        found = list(
            (
                await self.db.execute(
                    select(Ticket).where(Ticket.number.in_(numbers) | Ticket.id.in_(ids))
                )
            ).scalars()
        )
        by_number = {t.number: t for t in found}
        by_id = {t.id: t for t in found}
        missing = [
            f"#{p}" if isinstance(p, int) else str(p)
            for p in parsed
            if (by_number.get(p) if isinstance(p, int) else by_id.get(p)) is None
        ]
        if missing:
            raise NotFound(
                f"Tickets not found: {', '.join(missing)}",
                details=[{"field": "tickets", "message": ref} for ref in missing],
            )
        ordered = [by_number[p] if isinstance(p, int) else by_id[p] for p in parsed]
        return list({t.id: t for t in ordered}.values())

    async def change_attachments(
        self, session_id: uuid.UUID, attach: Sequence[str | int], detach: Sequence[str | int]
    ) -> tuple[ChatSession, ChatMessage | None]:
        session = await self.get_session(session_id, lock=True)
        to_attach = await self._resolve_refs(attach, "attach")
        to_detach = await self._resolve_refs(detach, "detach")
        current = list(session.attached_ticket_ids or [])
        detach_ids = {t.id for t in to_detach}
        added = [t for t in to_attach if t.id not in current and t.id not in detach_ids]
        removed = [t for t in to_detach if t.id in current]
        new_ids = [i for i in current if i not in detach_ids] + [t.id for t in added]
        if len(new_ids) > self.settings.chat_max_attached_tickets:
            raise ValidationFailed.for_field(
                "attach",
                f"at most {self.settings.chat_max_attached_tickets} tickets can be attached",
            )
        if not added and not removed:
            return session, None
        session.attached_ticket_ids = new_ids
        session.updated_at = func.now()
        parts = []
        if added:
            parts.append("Attached " + ", ".join(f"#{t.number}" for t in added))
        if removed:
            parts.append("Detached " + ", ".join(f"#{t.number}" for t in removed))
        notice = await store_notice(
            self.db,
            session_id=session.id,
            content="; ".join(parts) + ".",
            refs=[t.id for t in added + removed],
        )
        await self.db.refresh(session)
        return session, notice

    async def create_ticket(self, body: ChatTicketCreate) -> ChatTicket:
        """A ticket from the chat, attached to it (chat/attachments.py: the copilot's
        create_ticket tool does the same), with a notice saying which happened."""
        session = await self.get_session(body.session_id)
        return await create_and_attach(
            db=self.db,
            data=TicketCreate(
                title=body.title,
                description=body.description,
                priority=body.priority,
                category=body.category,
                source="chat",
            ),
            actor=Actor(user_id=self.user.id, channel="chat", chat_session_id=session.id),
            session_id=session.id,
            max_attached=self.settings.chat_max_attached_tickets,
            announce=True,
        )

    # -- messages -----------------------------------------------------------------
    async def messages_page(
        self, session_id: uuid.UUID, *, before: uuid.UUID | None = None, limit: int = PAGE_SIZE
    ) -> tuple[list[StoredMessage], bool]:
        """Up to `limit` messages before `before` (or the latest), oldest first, and whether
        older ones exist. Tool calls come without the results the model saw."""
        params: dict[str, Any] = {"session_id": session_id, "limit": limit + 1}
        statement = LATEST_PAGE
        if before is not None:
            params["before_seq"] = await self.db.scalar(
                SEQ_OF_MESSAGE, {"message_id": before, "session_id": session_id}
            )
            if params["before_seq"] is None:
                raise NotFound("Message not found in this session")
            statement = PAGE_BEFORE
        rows = (await self.db.execute(statement, params)).all()
        return [stored_message(r) for r in reversed(rows[:limit])], len(rows) > limit

    # -- presentation -------------------------------------------------------------
    async def session_detail(self, session_id: uuid.UUID | str) -> ChatSessionDetail:
        """A session with its attached tickets and latest page of messages: three queries."""
        session = await self.get_session(session_id)
        messages, has_more = await self.messages_page(session.id)
        summaries = await summaries_by_id(
            db=self.db,
            ids=[*session.attached_ticket_ids, *(i for m in messages for i in m.ticket_refs)],
        )
        public = [present_message(m, summaries) for m in messages]
        return ChatSessionDetail(
            **_session_fields(session, summaries),
            messages=list(await with_proposals(self.db, public)),
            has_more=has_more,
        )

    async def present_session(self, session: ChatSession) -> ChatSessionPublic:
        summaries = await summaries_by_id(db=self.db, ids=session.attached_ticket_ids)
        return ChatSessionPublic(**_session_fields(session, summaries))

    async def present_chat_ticket(self, created: ChatTicket) -> ChatTicketPublic:
        ticket = await present_ticket(db=self.db, ticket=created.ticket)
        notice = await self.present_messages([created.notice]) if created.notice else [None]
        return ChatTicketPublic(
            **ticket.model_dump(), attached=created.attached, system_message=notice[0]
        )

    async def present_messages(
        self, messages: Sequence[ChatMessage | StoredMessage]
    ) -> list[ChatMessagePublic]:
        summaries = await summaries_by_id(
            db=self.db, ids=(i for m in messages for i in (m.ticket_refs or []))
        )
        return list(
            await with_proposals(self.db, [present_message(m, summaries) for m in messages])
        )


def _session_fields(
    session: ChatSession, summaries: dict[uuid.UUID, TicketSummary]
) -> dict[str, Any]:
    return {
        "id": session.id,
        "title": session.title,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "attached_tickets": [summaries[i] for i in session.attached_ticket_ids if i in summaries],
    }
