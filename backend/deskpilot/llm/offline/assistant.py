"""The built-in offline assistant: the default ChatModel when no model is configured.

It is deterministic and never touches the network. One turn either
  - reads the last user message (intents.py) and proposes tool calls, or answers
    in text when no tool is needed or it must ask first (texts.py), or
  - when the conversation ends with tool results, writes the final answer from them
    (replies.py), re-reading the user message those calls answered.
It never proposes tools after tool results, so the chat loop always ends in two turns.
"""

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Sequence
from typing import Final

from deskpilot.llm.offline.history import (
    last_user_index,
    prior_call_count,
    request_text,
    situation_before,
    trailing_tool_results,
)
from deskpilot.llm.offline.intents import plan_reply
from deskpilot.llm.offline.plan import Plan
from deskpilot.llm.offline.replies import final_reply
from deskpilot.llm.offline.results import outcomes
from deskpilot.llm.offline.texts import text_reply, unavailable_reply
from deskpilot.llm.offline.title import session_title
from deskpilot.llm.types import (
    NO_TOKENS,
    Completion,
    ConversationContext,
    Message,
    ModelEvent,
    ModelTurn,
    TextDelta,
    ToolCall,
    ToolSpec,
)

WORDS_PER_DELTA: Final = 4


class OfflineAssistant:
    provider = "offline"
    model = "deskpilot-offline"
    offline = True

    def __init__(self) -> None:
        pass

    async def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        turn = self.respond(messages=messages, tools=tools, context=context)
        for chunk in text_chunks(turn.text):
            yield TextDelta(chunk)
        yield dataclasses.replace(turn, usage=NO_TOKENS)  # no model, no tokens

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        return Completion(text=session_title(prompt), usage=NO_TOKENS)

    async def aclose(self) -> None:
        pass  # no connections

    def respond(
        self,
        *,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> ModelTurn:
        """The whole turn at once; stream_turn only cuts its text into deltas."""
        results, start = trailing_tool_results(messages)
        user_index = last_user_index(messages, before=start)
        if user_index is None or (not results and messages[-1].role != "user"):
            return ModelTurn(text=text_reply(Plan("help")))  # nothing new to act on
        situation = situation_before(messages, user_index, context)
        plan = plan_reply(request_text(messages[user_index].content), situation)
        if results:
            proposer = messages[start - 1] if start > 0 else None
            return ModelTurn(text=final_reply(plan, outcomes(results, proposer)))
        unsure = plan.intent == "confirm" and not context.writes_need_approval
        if not plan.calls or unsure:
            return ModelTurn(text=text_reply(plan))
        offered = {tool.name for tool in tools}
        missing = sorted({call.name for call in plan.calls} - offered)
        if missing:
            return ModelTurn(text=unavailable_reply(missing))
        first = prior_call_count(messages) + 1
        calls = tuple(
            ToolCall(id=f"call_{first + i}", name=call.name, arguments=json.dumps(call.arguments))
            for i, call in enumerate(plan.calls)
        )
        return ModelTurn(text="", tool_calls=calls, stop_reason="tool_calls")


def text_chunks(text: str, words: int = WORDS_PER_DELTA) -> list[str]:
    """Cut text into groups of words, keeping every character: "".join(chunks) == text."""
    tokens = re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
    return ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
