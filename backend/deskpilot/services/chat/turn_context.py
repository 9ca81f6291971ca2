"""What the model is given for a chat turn: the system prompt with the attached tickets,
the history that fits its window, the conversation's context, and the scope of its tools."""

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.core.config import Settings
from deskpilot.llm.types import ConversationContext
from deskpilot.models import User
from deskpilot.services.chat import prompt as chat_prompt
from deskpilot.services.chat.context_fit import history_budget
from deskpilot.services.chat.proposals.policy import asks_before_changes
from deskpilot.services.chat.proposals.supersede import supersede_in_history
from deskpilot.services.chat.proposals.turn_parts import found_in
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat.replacing import replaced_note
from deskpilot.services.chat.ticket_view import row_for_model
from deskpilot.services.chat.tools import TOOL_SPECS
from deskpilot.services.chat.tools.base import ToolScope, answers_in
from deskpilot.services.chat.turn_opening import Prepared
from deskpilot.services.tickets.queries import AnyRow


@dataclass(frozen=True)
class TurnContext:
    system: str
    history: list[Any]  # the model's messages
    context: ConversationContext
    scope: ToolScope
    attached_numbers: set[int]


async def turn_context(
    *,
    prepared: Prepared,
    attached: list[tuple[AnyRow, list[str]]],
    history: list[StoredMessage],
    agents: tuple[dict[str, str], ...],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    user: User,
    session_id: uuid.UUID,
) -> TurnContext:
    """From what the turn's store read: the attached tickets with their latest notes, the
    messages before the one being answered, and the people of the desk (for the offline
    assistant)."""
    attached_data = [row_for_model(row, notes) for row, notes in attached]
    stored = await supersede_in_history(sessions, history)  # the agent moved on
    stored.append(prepared.user_message)
    if prepared.failed_reply is not None:
        # Continue the unfinished reply: the model sees the tool calls it already made,
        # not its cut-off text (a history ending in assistant text is a prefill to
        # Anthropic's API, which would carry on mid-sentence).
        stored.append(dataclasses.replace(prepared.failed_reply, content="", status="incomplete"))
    scope = ToolScope(
        attached_ids={row.id for row, _ in attached},
        user_texts=[message.content for message in stored if message.role == "user"],
        session_id=session_id,
        found_ids=found_in(stored),
        answers=answers_in(stored),
    )
    today = date.today()
    system = chat_prompt.system_prompt(user_name=user.name, today=today, attached=attached_data)
    if prepared.replaced:
        system = f"{system}\n\n{replaced_note(prepared.writes_done)}"
    window = settings.llm_context_window
    budget = history_budget(
        budget_tokens=settings.llm_history_token_budget,
        context_window=window,
        system=system,
        tools=TOOL_SPECS,
        output_tokens=settings.llm_max_output_tokens,
    )
    messages = chat_prompt.build_history(
        stored, budget_tokens=budget, fit_window=window is not None
    )
    context = ConversationContext(
        user_name=user.name,
        today=today.isoformat(),
        attached_tickets=tuple(attached_data),
        agents=agents,
        writes_need_approval=asks_before_changes(settings, user),
    )
    return TurnContext(
        system=system,
        history=messages,
        context=context,
        scope=scope,
        attached_numbers={int(t["number"]) for t in attached_data},
    )
