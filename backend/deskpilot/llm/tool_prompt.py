"""Tools described in the prompt rather than sent (DESKPILOT_LLM_TOOL_CALLS_AS_TEXT), for a
server whose chat template has no tool support (Gemma's, behind llama-cpp-python): the model
writes `<tool_call>{…}</tool_call>` (read by text_tool_calls.py), earlier calls are shown
to it in that form, and their results come back as user messages in `<tool_response>` tags.
Templates that insist on alternating user and assistant turns get them, and the system
prompt opens the first user message (Gemma's template has no system role: llama-cpp-python's
`gemma` format drops system messages)."""

import json
from collections.abc import Iterator, Sequence

from deskpilot.llm.types import Message, ToolSpec

_INSTRUCTIONS = """

To use a tool, answer with nothing but one line per call, in this form:
<tool_call>{{"name": "<tool name>", "arguments": {{<arguments as JSON>}}}}</tool_call>
Tool results come back in <tool_response> tags; then answer the agent in plain words.
Tools (JSON Schema of each one's arguments):
{tools}"""


def prompt_with_tools(
    system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]
) -> list[Message]:
    """The whole request as user and assistant turns, no system message, no tools."""
    turns = list(as_text(messages))
    instructions = system_with_tools(system, tools)
    if turns and turns[0].role == "user":
        turns[0] = Message(role="user", content=f"{instructions}\n\n{turns[0].content}")
    else:
        turns.insert(0, Message(role="user", content=instructions))
    return turns


def system_with_tools(system: str, tools: Sequence[ToolSpec]) -> str:
    listed = "\n".join(
        f"- {tool.name}: {tool.description}. "
        + json.dumps(tool.parameters, ensure_ascii=False, separators=(",", ":"))
        for tool in tools
    )
    return system + _INSTRUCTIONS.format(tools=listed)


def _written(message: Message) -> str:
    calls = "\n".join(
        "<tool_call>"
        + json.dumps({"name": call.name, "arguments": _arguments(call.arguments)})
        + "</tool_call>"
        for call in message.tool_calls
    )
    return "\n".join(part for part in (message.content, calls) if part)


def _arguments(raw: str) -> object:
    try:
        return json.loads(raw or "{}")
    except json.JSONDecodeError:
        return raw


def as_text(messages: Sequence[Message]) -> Iterator[Message]:
    """The conversation with tool calls and results written out, user and assistant turns
    alternating (consecutive turns of one role joined)."""
    pending: Message | None = None
    for message in messages:
        if message.role == "tool":
            current = Message(
                role="user",
                content=f"<tool_response>{message.tool_name or 'tool'}: "
                f"{message.content}</tool_response>",
            )
        elif message.role == "assistant":
            current = Message(role="assistant", content=_written(message))
        else:
            current = message
        if pending is not None and pending.role == current.role:
            pending = Message(role=current.role, content=f"{pending.content}\n\n{current.content}")
            continue
        if pending is not None:
            yield pending
        pending = current
    if pending is not None:
        yield pending
