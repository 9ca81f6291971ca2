"""A chat reply as its statement stores it (chat/turn_store.py insert_reply, continue_reply),
built from the turn's result: its text and tool calls, the tickets it refers to (its
ticket_refs, the cards under it) and the writes it proposes."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from deskpilot.llm.types import Usage
from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.chat.mentions import mentioned_numbers
from deskpilot.services.chat.proposals.present import proposal_ids
from deskpilot.services.chat.proposals.turn_parts import pending_rows
from deskpilot.services.chat.tools import finds
from deskpilot.services.chat_llm_service import TurnResult


@dataclass(frozen=True)
class ReplyRows:
    content: str
    tool_calls: list[dict[str, Any]] | None
    # The reply's ticket_refs in order: ids, or ticket numbers to look up (a number no
    # ticket has is left out; a ticket named twice keeps its first place).
    refs: Sequence[uuid.UUID | int]
    status: str
    error: dict[str, str] | None
    proposals: list[dict[str, Any]]  # the writes it proposes, stored with it
    linked_ids: list[uuid.UUID]  # every write its calls name (made at once: linked to it)
    usage: Usage | None  # the tokens its model calls took
    provider: str
    model: str


def reply_rows(
    result: TurnResult,
    *,
    earlier_calls: list[dict[str, Any]],
    asked: str,
    attached_numbers: set[int],
    status: str,
    error: dict[str, str] | None,
    provider: str,
    model: str,
) -> tuple[ReplyRows, dict[uuid.UUID, TicketSummary]]:
    """The reply's rows (after the tool calls of the reply it continues, if any), and the
    summaries of the tickets its tools returned."""
    records = earlier_calls + [run.record() for run in result.runs if run.outcome is not None]
    refs, summaries = _refs(result, asked=asked, attached_numbers=attached_numbers)
    rows = ReplyRows(
        content=result.text,
        tool_calls=records or None,
        refs=refs,
        status=status,
        error=error,
        proposals=pending_rows(result.runs),
        linked_ids=proposal_ids(records),
        usage=result.usage,
        provider=provider,
        model=model,
    )
    return rows, summaries


def _refs(
    result: TurnResult, *, asked: str, attached_numbers: set[int]
) -> tuple[list[uuid.UUID | int], dict[uuid.UUID, TicketSummary]]:
    """The reply's ticket_refs in order, and the summaries the tools returned.

    A ticket the reply mentions as #N that no tool returned stays a number: the reply's
    statement looks it up, and a #N that does not exist is never a reference. Search
    hits count only when the reply mentions them; other tools' tickets always."""
    summaries: dict[uuid.UUID, TicketSummary] = {}
    for run in result.runs:
        if run.outcome is not None:
            summaries.update((t.id, t) for t in run.outcome.tickets)
    by_number = {s.number: s.id for s in summaries.values()}
    mentioned = mentioned_numbers(result.text, asked=asked, known={*by_number, *attached_numbers})
    refs: list[uuid.UUID | int] = [by_number.get(n, n) for n in mentioned]
    mentioned_ids = {ref for ref in refs if isinstance(ref, uuid.UUID)}
    for run in result.runs:
        outcome = run.outcome
        if outcome is None or outcome.status != "ok":
            continue
        if finds(run.call.name):
            refs.extend(t for t in outcome.ticket_ids if t in mentioned_ids)
        else:
            refs.extend(outcome.ticket_ids)
    return refs, summaries  # the reply's statement keeps each ticket's first place
