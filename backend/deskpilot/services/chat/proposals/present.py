"""Proposals as the API shows them: read for the messages that have any, in one query with
their tickets and the people who decided or undid them."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from deskpilot.core.db import Reader
from deskpilot.models import ChatProposal, User
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.schemas.proposal import ProposalPublic
from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.chat.callers import with_callers
from deskpilot.services.chat.proposals.drafts import contact_of, describe, headline
from deskpilot.services.tickets.queries import summary_fields

_PROPOSAL_COLUMNS = (
    "id, message_id, tool_call_id, tool, state, arguments, edited_arguments, snapshot, reason,"
    " summary, automatic, decided_at, undone_at, created_at, group_id, depends_on, result"
)
_WIDTH = len(_PROPOSAL_COLUMNS.split(","))
# The ticket's columns in tickets.queries.summary_fields' order.
_TICKET_COLUMNS = (
    "t.id, t.number, t.title, t.status, t.priority, t.category, t.source, t.created_at,"
    " t.updated_at, a.id, a.name, a.email, k.id, k.number, k.name, ko.name, k.phone"
)
_SELECT = f"""
    SELECT {", ".join("p." + c.strip() for c in _PROPOSAL_COLUMNS.split(","))},
           d.id, d.name, d.email, u.id, u.name, u.email, {_TICKET_COLUMNS}
    FROM chat_proposals p
    LEFT JOIN users d ON d.id = p.decided_by
    LEFT JOIN users u ON u.id = p.undone_by
    LEFT JOIN tickets t ON t.id = p.ticket_id
    LEFT JOIN users a ON a.id = t.assignee_id
    LEFT JOIN contacts k ON k.id = t.contact_id
    LEFT JOIN organizations ko ON ko.id = k.organization_id
"""
_IDS = ARRAY(UUID(as_uuid=True))
BY_IDS = text(_SELECT + " WHERE p.id = ANY(:ids)").bindparams(bindparam("ids", type_=_IDS))
_PROPOSALS = TypeAdapter(list[ProposalPublic])


def _person(user_id: uuid.UUID | None, name: str | None, email: str | None) -> Any:
    return None if user_id is None else {"id": user_id, "name": name, "email": email}


def _fields(row: Sequence[Any]) -> dict[str, Any]:
    """A proposal's fields from a row of _SELECT."""
    names = [c.strip() for c in _PROPOSAL_COLUMNS.split(",")]
    stored = dict(zip(names, row[:_WIDTH], strict=True))
    ticket_row = row[_WIDTH + 6 :]
    return _shown(
        stored,
        ticket=summary_fields(ticket_row) if ticket_row[0] is not None else None,
        decided_by=_person(*row[_WIDTH : _WIDTH + 3]),
        undone_by=_person(*row[_WIDTH + 3 : _WIDTH + 6]),
    )


def _shown(
    stored: dict[str, Any], *, ticket: Any, decided_by: Any, undone_by: Any
) -> dict[str, Any]:
    """What a card shows of a stored proposal (`stored`: its columns by name)."""
    tool, state, edited = stored["tool"], stored["state"], stored["edited_arguments"]
    args = edited if edited is not None else stored["arguments"]
    described = describe(tool, args, stored["snapshot"] or {})
    number = (
        ticket.number if isinstance(ticket, TicketSummary) else ticket["number"] if ticket else None
    )
    return {
        "id": stored["id"],
        "message_id": stored["message_id"],
        "tool_call_id": stored["tool_call_id"],
        "tool": tool,
        "state": state,
        "headline": headline(tool, args, number, stored["snapshot"] or {}),
        "ticket": ticket,
        "changes": [c.model_dump() for c in described.changes],
        "note": described.note,
        "new_ticket": described.new_ticket.model_dump() if described.new_ticket else None,
        "arguments": args,
        "edited": edited is not None,
        "reason": stored["reason"],
        "summary": stored["summary"] if state != "pending" else None,
        "automatic": stored["automatic"],
        "decided_by": decided_by,
        "decided_at": stored["decided_at"],
        "undone_at": stored["undone_at"],
        "undone_by": undone_by,
        "created_at": stored["created_at"],
        "group_id": stored["group_id"],
        "depends_on": stored["depends_on"],
        "contact": contact_of(tool, stored["result"], stored["snapshot"] or {}),
    }


def decided_public(
    proposal: ChatProposal, *, ticket: TicketSummary | None, decided_by: User
) -> ProposalPublic:
    """A proposal just decided, from what the decision has in hand (no query): the card the
    stream's first event shows."""
    stored = {
        name.strip(): getattr(proposal, name.strip()) for name in _PROPOSAL_COLUMNS.split(",")
    }
    return ProposalPublic.model_validate(
        _shown(
            stored,
            ticket=ticket,
            decided_by=_person(decided_by.id, decided_by.name, decided_by.email),
            undone_by=None,
        )
    )


async def proposals_by_ids(db: Reader, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProposalPublic]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = (await db.execute(BY_IDS, {"ids": wanted})).all()
    return {p.id: p for p in _PROPOSALS.validate_python([_fields(row) for row in rows])}


def proposal_ids(tool_calls: Sequence[dict[str, Any]] | None) -> list[uuid.UUID]:
    """The proposals a message's tool calls name, in call order."""
    return [uuid.UUID(str(c["proposal_id"])) for c in tool_calls or [] if c.get("proposal_id")]


async def with_proposals(
    db: Reader, messages: Sequence[ChatMessagePublic]
) -> Sequence[ChatMessagePublic]:
    """The messages with their proposals filled in, in call order (one query, only when a
    message has any), and their callers (chat/callers.py)."""
    await with_callers(db, messages)  # and their caller cards
    wanted = {m.id: [c.proposal_id for c in m.tool_calls or [] if c.proposal_id] for m in messages}
    if not any(wanted.values()):
        return messages
    found = await proposals_by_ids(db, (i for ids in wanted.values() for i in ids))
    for message in messages:
        message.proposals = [found[i] for i in wanted[message.id] if i in found]
    return messages
