"""Fake model servers speaking the real OpenAI and Anthropic wire protocols over
HTTP on 127.0.0.1, scripted per request. See scripting.py for the language,
openai_server.py and anthropic_server.py for each server, fixtures.py for
pytest fixtures sharing one server per run."""

from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripting import (
    Call,
    HttpError,
    ScriptItem,
    Tokens,
    Turn,
    call,
    status,
    text,
    tokens,
    tool_calls,
)

__all__ = [
    "Call",
    "FakeAnthropicServer",
    "FakeOpenAIServer",
    "HttpError",
    "ScriptItem",
    "Tokens",
    "Turn",
    "call",
    "status",
    "text",
    "tokens",
    "tool_calls",
]
