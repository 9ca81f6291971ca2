"""What every tool is made of: its spec, argument model, label and handler (a write tool also
its preview); and what a handler gets and returns. Every outcome is data for the model:
success payloads, or {"error": {"code", "message"}} for refusals and unknown tickets."""

import functools
import itertools
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from deskpilot.models import Ticket
from deskpilot.schemas.common import StrictModel
from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.actor import Actor
from deskpilot.services.tickets.refs import (
    MAX_TICKET_NUMBER,
    answered_ticket_numbers,
    ticket_numbers_in,
)

if TYPE_CHECKING:
    from deskpilot.services.chat.proposals.drafts import ProposalDraft

# "proposed": a write waiting for the agent's approval (chat/proposals); the loop pauses.
ToolStatus = Literal["ok", "error", "refused", "proposed"]


class ToolArgs(StrictModel):
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


def ticket_number(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"#?[0-9]{1,19}", value.strip()):
        return int(value.strip().lstrip("#"))  # "47" or "#47": checked against the bounds
    return value


# A ticket's or a contact's number as the model writes it (47, "47" or "#47"), within a BIGINT.
TicketNumber = Annotated[int, BeforeValidator(ticket_number), Field(ge=1, le=MAX_TICKET_NUMBER)]
ContactNumber = Annotated[int, BeforeValidator(ticket_number), Field(ge=1, le=2**63 - 1)]


def quoting_label(key: str, template: str, fallback: str) -> Callable[[dict[str, Any]], str]:
    """A tool's label quoting args[key] (on one line, at most 60 characters) in template's
    {}; fallback when it is empty."""

    def label(args: dict[str, Any]) -> str:
        subject = " ".join(str(args.get(key) or "").split())[:60]
        return template.format(subject) if subject else fallback

    return label


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
    # a write: its id (chat_proposals.id), whether proposed or made at once
    write_id: uuid.UUID | None = None
    draft: "ProposalDraft | None" = None  # status "proposed": what the agent is asked
    # contacts found, created or logged a call for (the reply's caller card)
    contact_ids: list[uuid.UUID] = field(default_factory=list)


def tool_error(code: str, message: str, status: ToolStatus = "error") -> ToolOutcome:
    return ToolOutcome(
        status=status, result={"error": {"code": code, "message": message}}, summary=message
    )


# What a proposed call's record holds as its result until the agent decides.
AWAITING_APPROVAL = {
    "error": {
        "code": "awaiting_approval",
        "message": "This change waits for the agent's approval; it has not been made.",
    }
}


def proposed(draft: "ProposalDraft") -> ToolOutcome:
    """The outcome of a write that waits for the agent: the turn pauses on it."""
    return ToolOutcome(
        status="proposed",
        result=AWAITING_APPROVAL,
        summary=f"Waiting for approval: {draft.headline}",
        ticket_ids=[draft.ticket.id] if draft.ticket else [],
        tickets=[draft.ticket] if draft.ticket else [],
        write_id=draft.id,
        draft=draft,
    )


@dataclass
class ToolScope:
    """Tickets write tools may touch in this conversation."""

    attached_ids: set[uuid.UUID]
    user_texts: list[str]  # the user's own messages in this conversation
    session_id: uuid.UUID
    # Tickets a tool returned in this conversation: writable only through an approved
    # proposal, never at once (shared/notes/seams.md, "Write scope").
    found_ids: set[uuid.UUID] = field(default_factory=set)
    # (an assistant's question, the user's reply to it): "yes" to "Close #60?" names #60
    answers: list[tuple[str, str]] = field(default_factory=list)
    # Contacts a tool returned or made in this conversation (its reply's caller card)
    contact_ids: set[uuid.UUID] = field(default_factory=set)
    created_contact_ids: set[uuid.UUID] = field(default_factory=set)  # in this turn

    @functools.cached_property
    def named_numbers(self) -> set[int]:
        """Tickets the user named (tickets/refs.py). Read only when a write tool asks: most
        turns write nothing, and a long history full of numbers takes milliseconds to read."""
        named = {n for text in self.user_texts for n in ticket_numbers_in(text)}
        return named | {n for q, a in self.answers for n in answered_ticket_numbers(q, a)}

    def allows(self, ticket: Ticket) -> bool:
        return (
            ticket.id in self.attached_ids
            or ticket.number in self.named_numbers
            or ticket.chat_session_id == self.session_id
        )

    def allows_proposal(self, ticket: Ticket) -> bool:
        """A proposal may also name a ticket the copilot found here: the agent decides."""
        return ticket.id in self.found_ids or self.allows(ticket)


class _Said(Protocol):
    @property
    def role(self) -> str: ...

    @property
    def content(self) -> str: ...


def answers_in(messages: Sequence[_Said]) -> list[tuple[str, str]]:
    """(assistant's words, the user's next message) pairs of a conversation (notices aside)."""
    said = [m for m in messages if m.role in ("user", "assistant") and m.content]
    return [
        (q.content, a.content)
        for q, a in itertools.pairwise(said)
        if q.role == "assistant" and a.role == "user"
    ]


@dataclass(frozen=True)
class ToolContext:
    """Who runs the tool and in which conversation: from the server, never from the model."""

    actor: Actor
    scope: ToolScope
    max_attached: int
    # Arguments a grouped proposal gets from an earlier step when the group runs
    # (chat/tools/groups.py): "contact_id", "ticket_id"; its preview does not check them.
    later: frozenset[str] = frozenset()
    phone_region: str = "US"  # DESKPILOT_DEFAULT_PHONE_REGION

    @property
    def approved(self) -> bool:
        """Run because the agent approved it (a proposal), not at once."""
        return self.actor.approved_by is not None


@dataclass(frozen=True)
class Tool:
    spec: dict[str, Any]  # exactly spec §3's JSON, sent to every model
    args: type[ToolArgs]
    label: Callable[[dict[str, Any]], str]  # what the page shows while it runs
    # (db, arguments, context): db is a session, or a Reader for a tool that only reads
    handler: Callable[[Any, Any, ToolContext], Awaitable[ToolOutcome]]
    # Reads straight on an asyncpg connection (the turn's raw reads, chat/turn_store.py):
    # no ORM session to open and close.
    on_turn_connection: bool = False
    # The tickets it returns were found, not touched: the reply references them only
    # when it names them.
    finds: bool = False
    # A write tool's proposal (chat/proposals): (db, arguments, context) → a "proposed"
    # outcome, a refusal or error for the model, or None when nothing would change (the
    # handler then runs: it writes nothing). Every write tool has one.
    preview: Callable[[Any, Any, ToolContext], Awaitable[ToolOutcome | None]] | None = None

    @property
    def name(self) -> str:
        return str(self.spec["name"])

    @property
    def read_only(self) -> bool:
        return self.preview is None  # every write tool has a preview
