"""Executing the model's tool calls as the requesting user, through the ticket services.

Every outcome is data for the model: success payloads, or {"error": {"code", "message"}}
for unknown tools, invalid arguments, unknown tickets and refusals. Write tools act only
on tickets in the conversation's scope (named by the user, attached, or created in this
session), so instructions smuggled into ticket text cannot reach other tickets.
"""

import functools
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.core.errors import AppError, NotFound
from deskpilot.core.raw_sql import RawReader
from deskpilot.models import Ticket, User
from deskpilot.schemas.common import DESCRIPTION_MAX, NOTE_MAX, TITLE_MAX, StrictModel
from deskpilot.schemas.ticket import TicketCreate, TicketSummary, TicketUpdate
from deskpilot.services import ticket_service
from deskpilot.services.actor import Actor
from deskpilot.services.chat.attachments import at_cap, create_and_attach
from deskpilot.services.tickets.queries import (
    AnyRow,
    Reader,
    latest_notes,
    summary_of_row,
)
from deskpilot.services.tickets.queries import summary as ticket_summary
from deskpilot.services.tickets.refs import MAX_TICKET_NUMBER, ticket_numbers_in
from deskpilot.services.tickets.search import search_rows
from deskpilot.services.user_service import users_by_id

ToolStatus = Literal["ok", "error", "refused"]
DESCRIPTION_FOR_MODEL = 2000
NOTES_FOR_MODEL = 5
NOTE_CHARS_FOR_MODEL = 1000


class _Args(StrictModel):
    """A tool's arguments: its JSON schema plus the bounds the database needs (no unknown
    fields, no NUL characters, ticket numbers that fit a BIGINT), checked before it runs."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_as_integers(cls, value: Any, info: ValidationInfo) -> Any:
        # JSON Schema's "integer" excludes true/false; pydantic would read true as 1 (#1).
        field = info.field_name
        if isinstance(value, bool) and field and cls.model_fields[field].annotation is int:
            raise ValueError("must be an integer, not true or false")
        return value


def _ticket_number(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"#?[0-9]{1,19}", value.strip()):
        return int(value.strip().lstrip("#"))  # "47" or "#47": checked against the bounds
    return value


class CreateTicketArgs(_Args):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(max_length=DESCRIPTION_MAX)
    priority: Literal["low", "medium", "high", "urgent"] = "medium"
    category: str | None = Field(default=None, max_length=64)


class GetTicketArgs(_Args):
    ticket_id: int = Field(ge=1, le=MAX_TICKET_NUMBER)
    _coerce = field_validator("ticket_id", mode="before")(_ticket_number)


class UpdateTicketArgs(_Args):
    ticket_id: int = Field(ge=1, le=MAX_TICKET_NUMBER)
    status: Literal["open", "in_progress", "resolved", "closed"] | None = None
    notes: str | None = Field(default=None, min_length=1, max_length=NOTE_MAX)
    _coerce = field_validator("ticket_id", mode="before")(_ticket_number)


class SearchTicketsArgs(_Args):
    query: str = Field(max_length=200)
    status: Literal["open", "in_progress", "resolved", "closed", "all"] = "all"
    limit: int = Field(default=10, ge=1, le=50)


@dataclass
class ToolOutcome:
    status: ToolStatus
    result: dict[str, Any]  # what the model sees
    summary: str  # one line for people ("Created ticket #61")
    ticket_ids: list[uuid.UUID] = field(default_factory=list)  # tickets touched or returned
    mutated: list[uuid.UUID] = field(default_factory=list)  # tickets created or changed
    duration_ms: int = 0
    # summaries of ticket_ids as the tool left them, for the page's cards (not stored)
    tickets: list[TicketSummary] = field(default_factory=list)


def _error(code: str, message: str, status: ToolStatus = "error") -> ToolOutcome:
    return ToolOutcome(
        status=status, result={"error": {"code": code, "message": message}}, summary=message
    )


@dataclass
class ToolScope:
    """Tickets write tools may touch in this conversation."""

    attached_ids: set[uuid.UUID]
    user_texts: list[str]  # the user's own messages in this conversation
    session_id: uuid.UUID

    @functools.cached_property
    def named_numbers(self) -> set[int]:
        """Tickets the user named (ticket_refs.py). Read only when a write tool asks: most
        turns write nothing, and a long history full of numbers takes milliseconds to read."""
        return {n for text in self.user_texts for n in ticket_numbers_in(text)}

    def allows(self, ticket: Ticket) -> bool:
        return (
            ticket.id in self.attached_ids
            or ticket.number in self.named_numbers
            or ticket.chat_session_id == self.session_id
        )


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


Handler = Callable[[AsyncSession, Any], Awaitable[ToolOutcome]]


READ_ONLY_TOOLS = frozenset({"get_ticket", "search_tickets"})


class ChatToolExecutor:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        user_id: uuid.UUID,
        chat_session_id: uuid.UUID,
        scope: ToolScope,
        max_attached: int = 20,
        read_sessions: async_sessionmaker[AsyncSession] | None = None,
        reader: RawReader | None = None,
    ) -> None:
        self._sessions = sessions
        self._reader = reader
        # Tools that only read may use autocommit sessions: no BEGIN/COMMIT round trips.
        self._read_sessions = read_sessions or sessions
        self._max_attached = max_attached
        self._actor = Actor(user_id=user_id, channel="chat", chat_session_id=chat_session_id)
        self._scope = scope
        self._handlers: dict[str, tuple[type[_Args], Handler]] = {
            "create_ticket": (CreateTicketArgs, self._create),
            "get_ticket": (GetTicketArgs, self._get),
            "update_ticket": (UpdateTicketArgs, self._update),
            "search_tickets": (SearchTicketsArgs, self._search),
        }

    async def execute(self, name: str, raw_arguments: str | dict[str, Any]) -> ToolOutcome:
        started = time.perf_counter()
        outcome = await self._execute(name, raw_arguments)
        outcome.duration_ms = int((time.perf_counter() - started) * 1000)
        return outcome

    async def _execute(self, name: str, raw_arguments: str | dict[str, Any]) -> ToolOutcome:
        entry = self._handlers.get(name)
        if entry is None:
            known = ", ".join(self._handlers)
            return _error(
                "unknown_tool", f"There is no tool named '{name[:60]}'. Available tools: {known}."
            )
        try:
            arguments = (
                json.loads(raw_arguments or "{}")
                if isinstance(raw_arguments, str)
                else raw_arguments
            )
        except json.JSONDecodeError as exc:
            return _error(
                "invalid_arguments", f"The arguments for {name} are not valid JSON ({exc.msg})."
            )
        if not isinstance(arguments, dict):
            return _error("invalid_arguments", f"The arguments for {name} must be a JSON object.")
        model, handler = entry
        try:
            parsed = model.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: "
                + ("unknown field" if e["type"] == "extra_forbidden" else e["msg"])
                for e in exc.errors()[:5]
            )
            return _error("invalid_arguments", f"Invalid arguments for {name}: {problems}.")
        if isinstance(parsed, SearchTicketsArgs) and self._reader is not None:
            # The chat's most frequent tool reads on the turn's own connection: no pooled
            # session to open and close (it only reads, so it needs no transaction).
            return await self._search(self._reader, parsed)
        sessions = self._read_sessions if name in READ_ONLY_TOOLS else self._sessions
        async with sessions() as db:
            try:
                outcome = await handler(db, parsed)
                await db.commit()
                return outcome
            except NotFound as exc:
                await db.rollback()
                return _error("not_found", exc.message)
            except AppError as exc:
                await db.rollback()
                return _error(exc.code, exc.message)

    async def _create(self, db: AsyncSession, args: CreateTicketArgs) -> ToolOutcome:
        created = await create_and_attach(
            db=db,
            data=TicketCreate(
                title=args.title,
                description=args.description,
                priority=args.priority,
                category=args.category or None,
                source="chat",
            ),
            actor=self._actor,
            session_id=self._scope.session_id,
            max_attached=self._max_attached,
            # The tool call in the reply records it; a notice would land before the reply.
            announce=False,
        )
        ticket = created.ticket
        self._scope.attached_ids.add(ticket.id)  # in scope either way: created here
        users = await users_by_id(db=db, ids=[ticket.assignee_id])
        result: dict[str, Any] = {
            "ticket": await ticket_for_model(db, ticket, with_notes=False, users=users),
            "created": True,
            "attached": created.attached,
        }
        summary = f"Created ticket #{ticket.number}"
        if not created.attached:
            result["note"] = (
                f"Ticket #{ticket.number} was created but not attached to this chat: "
                f"{at_cap(self._max_attached)}."
            )
            summary += f" (not attached: {at_cap(self._max_attached)})"
        return ToolOutcome(
            status="ok",
            result=result,
            summary=summary,
            ticket_ids=[ticket.id],
            mutated=[ticket.id],
            tickets=[ticket_summary(ticket, users)],
        )

    async def _get(self, db: AsyncSession, args: GetTicketArgs) -> ToolOutcome:
        ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id)
        users = await users_by_id(db=db, ids=[ticket.assignee_id])
        return ToolOutcome(
            status="ok",
            result={"ticket": await ticket_for_model(db, ticket, with_notes=True, users=users)},
            summary=f"Read ticket #{ticket.number}",
            ticket_ids=[ticket.id],
            tickets=[ticket_summary(ticket, users)],
        )

    async def _update(self, db: AsyncSession, args: UpdateTicketArgs) -> ToolOutcome:
        if args.status is None and args.notes is None:
            return _error("invalid_arguments", "update_ticket needs a status, notes, or both.")
        ticket = await ticket_service.get_ticket(db=db, ref=args.ticket_id, lock=True)
        if not self._scope.allows(ticket):
            return _error(
                "refused",
                f"Refused: ticket #{ticket.number} is not part of this conversation. Changes are "
                "only made to tickets the user named, attached, or created here; a number the "
                "user wrote counts only as a ticket reference (#N, 'ticket N', 'close N'). Ask "
                f"the user to write #{ticket.number} if they want it changed.",
                status="refused",
            )
        changes = await ticket_service.update_ticket(
            db=db,
            ticket=ticket,
            changes=TicketUpdate(status=args.status, notes=args.notes)
            if args.status
            else TicketUpdate(notes=args.notes),
            actor=self._actor,
        )
        done = [f"status {c.old} → {c.new}" for c in changes]
        if args.notes:
            done.append("note added")
        users = await users_by_id(db=db, ids=[ticket.assignee_id])
        return ToolOutcome(
            status="ok",
            tickets=[ticket_summary(ticket, users)],
            result={
                "ticket": await ticket_for_model(
                    db, ticket, with_notes=bool(args.notes), users=users
                ),
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes],
                "note_added": bool(args.notes),
            },
            summary=f"Updated ticket #{ticket.number}"
            + (f" ({', '.join(done)})" if done else " (no change)"),
            ticket_ids=[ticket.id],
            mutated=[ticket.id] if done else [],
        )

    async def _search(self, db: Reader, args: SearchTicketsArgs) -> ToolOutcome:
        hits = await search_rows(
            db=db,
            q=args.query,
            status=None if args.status == "all" else args.status,
            limit=args.limit,
            headlines=False,
        )
        tickets = [row_for_model(row) for row, _, _ in hits]
        for ticket in tickets:
            ticket["description"] = ticket["description"][:300]
        return ToolOutcome(
            status="ok",
            result={
                "tickets": tickets,
                "total": len(tickets),
                "query": args.query,
                "status": args.status,
            },
            summary=f"Found {len(tickets)} ticket{'s' if len(tickets) != 1 else ''} for '{args.query}'",
            ticket_ids=[row.id for row, _, _ in hits],
            tickets=[summary_of_row(row) for row, _, _ in hits],
        )
