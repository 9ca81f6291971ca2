"""Regenerate and edit-and-resend (the workspace issue): a new user message that replaces
the chat's last one.

The agent sends a message with `replaces` = the id of the chat's last user message (the
same text to regenerate the reply, an edited one to resend). Under the chat's lease, before
the new message is stored, that message and the user and assistant messages after it are
marked superseded (chat_messages.superseded_at): they stay stored and listed ("Replaced"),
and leave the model's history (the history statements skip them). Their replies' proposals
still waiting are superseded as a new message supersedes them (proposals/supersede.py).

A write that already ran never runs again, whatever the model does: the writes the
replaced replies made (executed chat_proposals rows, whether made at once or approved) are
handed to the tool executor, which answers a call repeating one of them (same tool, same
target and changes) with "already done" and the earlier result instead of running it, and
the model is told in its system prompt what the replaced reply already did.
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from deskpilot.core.raw_sql import raw_statement
from deskpilot.services.chat.tools.base import ToolOutcome, tool_error
from deskpilot.services.chat.tools.duplicates import normalised

# The message to replace, if it is this chat's: whether it is the chat's last user message,
# and (only then) every live user or assistant message from it on marked superseded. System
# messages (attachments) stay: what they record still holds. A replaced message has a newer
# user message after it, so it cannot be replaced twice; only if storing the new message
# failed after this statement is it still the last, and a retry may replace it again.
SUPERSEDE = raw_statement(
    text(
        """
    WITH target AS (
        SELECT m.id, m.seq,
               m.role = 'user' AND NOT EXISTS (
                   SELECT 1 FROM chat_messages later
                    WHERE later.session_id = m.session_id AND later.role = 'user'
                      AND later.seq > m.seq) AS last
        FROM chat_messages m
        WHERE m.id = :replaces AND m.session_id = :session_id
    ), marked AS (
        UPDATE chat_messages SET superseded_at = now()
         WHERE session_id = :session_id AND superseded_at IS NULL
           AND role IN ('user', 'assistant')
           AND seq >= (SELECT seq FROM target WHERE last)
        RETURNING id, status
    )
    SELECT target.last,
           coalesce((SELECT array_agg(id) FROM marked WHERE status = 'awaiting_approval'),
                    '{}') AS paused
    FROM target
    """
    )
)

# The writes made by the replies replaced since the chat's last live user message: the
# ones just superseded and those a regenerate before this one superseded (a reply that
# found its write already done made none, and the write before it still counts).
WRITES_DONE = raw_statement(
    text(
        """
    SELECT p.tool, p.arguments, p.result, p.summary, p.ticket_id
    FROM chat_proposals p JOIN chat_messages m ON m.id = p.message_id
    WHERE m.session_id = :session_id AND p.state = 'executed'
      AND m.superseded_at IS NOT NULL
      AND m.seq > coalesce((SELECT max(seq) FROM chat_messages
                             WHERE session_id = :session_id AND role = 'user'
                               AND superseded_at IS NULL), 0)
    ORDER BY p.decided_at, p.id
    """
    )
)


ALREADY_DONE = "already_done"  # the tool error code of a write not run again


@dataclass(frozen=True)
class WriteDone:
    """A write a replaced reply made."""

    tool: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    summary: str
    ticket_id: uuid.UUID | None


def write_done(row: Sequence[Any]) -> WriteDone:
    tool, arguments, result, summary, ticket_id = row
    return WriteDone(
        tool=tool,
        arguments=_json(arguments),
        result=_json(result),
        summary=summary or "",
        ticket_id=ticket_id,
    )


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def repeats(done: WriteDone, tool: str, arguments: dict[str, Any]) -> bool:
    """Whether a write call with these (validated) arguments is one `done` made already:
    the same ticket created (same title, or title and description, once normalised), the
    same ticket changed in the same way (every change asked was made), or, for any other
    write, the same arguments."""
    if done.tool != tool:
        return False
    if arguments == done.arguments:
        return True
    if tool == "create_ticket":
        title = normalised(str(arguments.get("title", "")), "")
        return bool(title) and title == normalised(str(done.arguments.get("title", "")), "")
    if tool == "update_ticket":
        if arguments.get("ticket_id") != done.arguments.get("ticket_id"):
            return False
        asked = {k: v for k, v in arguments.items() if k != "ticket_id"}
        return bool(asked) and all(done.arguments.get(k) == v for k, v in asked.items())
    return False


def already_done(
    writes: Sequence[WriteDone], tool: str, arguments: dict[str, Any]
) -> ToolOutcome | None:
    """The answer to a write call that repeats one a replaced reply made, or None."""
    done = next((w for w in writes if repeats(w, tool, arguments)), None)
    if done is None:
        return None
    what = done.summary.rstrip(".") or f"this {tool} call"
    message = (
        f"Already done by the reply this message replaces ({what}); "
        "it was not done again. Tell the agent it is done."
    )
    outcome = tool_error(ALREADY_DONE, message, status="refused")
    outcome.result["error"]["done"] = what
    outcome.result["earlier_result"] = done.result
    outcome.summary = f"Already done: {what}"
    if done.ticket_id is not None:
        outcome.ticket_ids = [done.ticket_id]
    return outcome


def as_made(outcome: ToolOutcome) -> ToolOutcome:
    """For the turn's later writes (tools/groups.py): a write found already done counts as
    made, with the earlier result (its contact or ticket fills the calls that leave it out)."""
    error = outcome.result.get("error")
    if not isinstance(error, dict) or error.get("code") != ALREADY_DONE:
        return outcome
    earlier = outcome.result.get("earlier_result")
    return ToolOutcome(
        status="ok",
        result=earlier if isinstance(earlier, dict) else {},
        summary=outcome.summary,
        ticket_ids=list(outcome.ticket_ids),
    )


def replaced_note(writes: Sequence[WriteDone]) -> str:
    """What the system prompt adds for a turn that replaces an earlier message."""
    note = (
        "The agent replaced their last message (edited it or asked for a new reply); "
        "the replaced messages are not shown."
    )
    if not writes:
        return note + " The replaced reply changed nothing."
    done = "\n".join(f"- {w.summary.rstrip('.') or w.tool}" for w in writes)
    return (
        f"{note} The replaced reply already made these changes, which stand; never make "
        f"them again (a repeated call is not run):\n{done}"
    )
