"""Which tickets a chat reply refers to (its ticket_refs, the cards under it), in order."""

import uuid

from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.chat.mentions import mentioned_numbers
from deskpilot.services.chat.tools import finds
from deskpilot.services.chat_llm_service import TurnResult


def reply_refs(
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
