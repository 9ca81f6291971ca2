"""What must hold after every turn against a real small model, however weak its answers:
checked on the API's answer and the database, never on the model's accuracy."""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from deskpilot.models import ChatMessage, ChatProposal, ChatSession, Ticket, TicketEvent
from deskpilot.services.chat.mentions import visible_text
from deskpilot.services.chat.tools.duplicates import normalised, same_ticket
from tests.chat.reads import fetch_all, fetch_one

_STANDALONE = r"(?<![\w#&/])#{number}(?![\w#])"
_JUNK_TITLE = re.compile(r"<\||<(start|end)_of_turn>|^\s*(agent|assistant|user|model)\s*:|\*", re.I)


@dataclass
class Turn:
    """One message sent and what came back."""

    session_id: str
    sent: str
    status_code: int
    body: dict[str, Any]
    attached: set[int] = field(default_factory=set)
    seconds: float = 0.0


def check_reply(turn: Turn) -> list[str]:
    """The invariants one answer must keep (empty: all kept)."""
    problems: list[str] = []
    if turn.status_code not in (200, 502, 504):
        return [f"answered {turn.status_code}: {turn.body}"]
    if turn.status_code != 200:
        error = turn.body.get("error", {})
        if not error.get("message") or "answered" in error["message"]:
            problems.append(f"a failure without a plain reason: {error}")
        if not any(d.get("field") == "message_id" for d in error.get("details", [])):
            problems.append("a failure without its stored reply")
        return problems
    if turn.body["status"] == "complete" and not turn.body["content"].strip():
        problems.append("an empty complete reply")
    touched = {
        ticket_id for call in turn.body.get("tool_calls") or [] for ticket_id in call["ticket_ids"]
    }
    text = visible_text(turn.body["content"])
    for card in turn.body.get("tickets") or []:
        written = re.search(_STANDALONE.format(number=card["number"]), text)
        if card["id"] not in touched and card["number"] not in turn.attached and not written:
            problems.append(f"a card for #{card['number']}, which the turn did not touch")
    return problems


async def every_message_stored(turns: Iterable[Turn]) -> list[str]:
    problems = []
    for session_id in {t.session_id for t in turns}:
        sent = [t.sent.strip() for t in turns if t.session_id == session_id]  # stored trimmed
        stored = await fetch_all(
            select(ChatMessage.content)
            .where(ChatMessage.session_id == uuid.UUID(session_id), ChatMessage.role == "user")
            .order_by(ChatMessage.seq)
        )
        if stored != sent:
            problems.append(f"session {session_id}: {len(sent)} sent, {len(stored)} stored")
    return problems


async def no_duplicate_tickets() -> list[str]:
    problems = []
    created = await fetch_all(
        select(ChatProposal).where(
            ChatProposal.tool == "create_ticket", ChatProposal.ticket_id.is_not(None)
        )
    )
    by_session: dict[uuid.UUID, list[str]] = {}
    for proposal in created:
        ticket = await fetch_one(select(Ticket).where(Ticket.id == proposal.ticket_id))
        by_session.setdefault(proposal.session_id, []).append(
            normalised(ticket.title, ticket.description or "")
        )
    for session_id, texts in by_session.items():
        for i, a in enumerate(texts):
            if any(same_ticket(a, b) for b in texts[i + 1 :]):
                problems.append(f"session {session_id}: a duplicate ticket {a[:60]!r}")
    return problems


async def titles_clean() -> list[str]:
    titles = await fetch_all(select(ChatSession.title))
    return [f"a junk title {t!r}" for t in titles if t and _JUNK_TITLE.search(t)]


async def writes_in_scope(untouchable: set[int]) -> list[str]:
    """Tickets nobody named, attached or created may not have changed through the chat."""
    changed = await fetch_all(
        select(Ticket.number)
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(Ticket.number.in_(untouchable), TicketEvent.channel == "chat")
    )
    return [f"#{n} changed, though nobody named it" for n in set(changed)]
