"""Fitting a conversation into a small model's context window (DESKPILOT_LLM_CONTEXT_WINDOW).

The window holds the system prompt, the tools, the history and the reply: the history gets
what the others leave (never more than llm_history_token_budget). Old tool results are
compacted before whole exchanges are dropped, and a message longer than the window (a pasted
call transcript) is cut in the middle, its start and end kept. A server that still answers
"context length exceeded" gets the history halved once (`halved`)."""

import json
from collections.abc import Sequence
from dataclasses import replace

from deskpilot.llm.types import Message, ToolSpec

CHARS_PER_TOKEN = 4  # a rough, provider-neutral estimate; good enough for budgeting

SAFETY_TOKENS = 256  # the chat template's own tokens, and the estimate's error
COMPACT_TOOL_RESULT_CHARS = 600
CUT_MARK = "\n…(cut to fit the model's context window)…\n"


def estimate_tokens(messages: Sequence[Message]) -> int:
    total = 0
    for m in messages:
        total += len(m.content) + sum(len(c.arguments) + len(c.name) for c in m.tool_calls) + 16
    return total // CHARS_PER_TOKEN


def tokens_of_text(text: str) -> int:
    return len(text) // CHARS_PER_TOKEN


def history_budget(
    *,
    budget_tokens: int,
    context_window: int | None,
    system: str,
    tools: Sequence[ToolSpec],
    output_tokens: int,
) -> int:
    """Tokens the history may take."""
    if context_window is None:
        return budget_tokens
    tool_text = json.dumps([[t.name, t.description, t.parameters] for t in tools])
    left = (
        context_window
        - min(output_tokens, context_window // 4)
        - tokens_of_text(system)
        - tokens_of_text(tool_text)
        - SAFETY_TOKENS
    )
    return max(0, min(budget_tokens, left))


def cut_middle(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    keep = max(0, max_chars - len(CUT_MARK))
    head = keep * 2 // 3
    return text[:head] + CUT_MARK + text[len(text) - (keep - head) :]


def compact_tool_results(messages: Sequence[Message]) -> list[Message]:
    """Tool results cut short: the model keeps what it called and the gist of the answer."""
    return [
        replace(m, content=cut_middle(m.content, COMPACT_TOOL_RESULT_CHARS))
        if m.role == "tool"
        else m
        for m in messages
    ]


def fit_long_messages(messages: Sequence[Message], budget_tokens: int) -> list[Message]:
    """Cut the longest texts (a transcript, a huge tool result) until the whole fits."""
    fitted = list(messages)
    total = estimate_tokens(fitted)
    for index in sorted(range(len(fitted)), key=lambda i: -len(fitted[i].content)):
        if total <= budget_tokens:
            break
        message = fitted[index]
        over_chars = (total - budget_tokens) * CHARS_PER_TOKEN
        cut = cut_middle(message.content, max(200, len(message.content) - over_chars))
        total -= (len(message.content) - len(cut)) // CHARS_PER_TOKEN
        fitted[index] = replace(message, content=cut)
    return fitted


def halved(messages: Sequence[Message]) -> list[Message]:
    """About half the history, for a server that said it does not fit: tool results
    compacted, then the oldest exchanges dropped (the message answered is always kept),
    then long texts cut."""
    target = max(1, estimate_tokens(messages) // 2)
    kept = compact_tool_results(messages)
    starts = [i for i, m in enumerate(kept) if m.role == "user" and not m.tool_calls]
    for start in starts[1:]:
        if estimate_tokens(kept[start:]) <= target or start == starts[-1]:
            kept = kept[start:]
            break
    return fit_long_messages(kept, target)
