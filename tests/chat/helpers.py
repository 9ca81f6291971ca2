"""Small helpers for the chat tests: API calls, provider settings, and reading the database
through fresh sessions (so a test never sees a stale snapshot)."""

import json
import uuid
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.sql import Select

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage, Ticket, TicketEvent
from tests.conftest import LiveServer
from tests.fakes import FakeAnthropicServer, FakeOpenAIServer
from tests.support.sse import SSE, Event, read_events

FakeServer = FakeOpenAIServer | FakeAnthropicServer


def provider_name(fake: FakeServer) -> str:
    return "openai" if isinstance(fake, FakeOpenAIServer) else "anthropic"


def use_fake(server: LiveServer, fake: FakeServer, **overrides: Any) -> None:
    """Point the running app at a fake model server; titles off unless asked for."""
    values: dict[str, Any] = {
        "llm_provider": provider_name(fake),
        "llm_base_url": fake.base_url,
        "llm_api_key": "test-key",
        "llm_model": "fake-model",
        "llm_max_retries": 1,
        "llm_timeout_seconds": 5.0,
        "llm_connect_timeout_seconds": 2.0,
        "llm_generate_titles": False,
    }
    values.update(overrides)
    server.configure(**values)


async def new_session(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/chat/sessions", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def send(
    client: httpx.AsyncClient, session_id: str, content: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/chat/sessions/{session_id}/messages", json={"content": content, **extra}
    )


def stream_message(
    client: httpx.AsyncClient, session_id: str, content: str, **extra: Any
) -> AbstractAsyncContextManager[httpx.Response]:
    """`async with stream_message(...) as response:` a message sent for a streamed reply."""
    return client.stream(
        "POST",
        f"/api/chat/sessions/{session_id}/messages",
        json={"content": content, **extra},
        headers=SSE,
    )


async def send_sse(
    client: httpx.AsyncClient, session_id: str, content: str, **extra: Any
) -> tuple[int, list[Event]]:
    async with stream_message(client, session_id, content, **extra) as response:
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            await response.aread()
            return response.status_code, [("http_error", response.json())]
        return response.status_code, await read_events(response)


async def attach(client: httpx.AsyncClient, session_id: str, *refs: Any) -> httpx.Response:
    return await client.patch(
        f"/api/chat/sessions/{session_id}/tickets", json={"attach": list(refs)}
    )


# -- the database, read through fresh sessions -------------------------------------------
async def fetch_all(statement: Select[Any]) -> list[Any]:
    async with session_factory()() as db:
        return list((await db.execute(statement)).scalars())


async def fetch_one(statement: Select[Any]) -> Any:
    async with session_factory()() as db:
        return (await db.execute(statement)).scalar_one_or_none()


async def stored_messages(session_id: str | uuid.UUID) -> list[ChatMessage]:
    return await fetch_all(
        select(ChatMessage)
        .where(ChatMessage.session_id == uuid.UUID(str(session_id)))
        .order_by(ChatMessage.seq)
    )


async def ticket_count() -> int:
    return int(await fetch_one(select(func.count()).select_from(Ticket)))


async def ticket_by_number(number: int) -> Ticket:
    ticket: Ticket = await fetch_one(select(Ticket).where(Ticket.number == number))
    return ticket


async def chat_events() -> list[TicketEvent]:
    return await fetch_all(select(TicketEvent).where(TicketEvent.channel == "chat"))


# -- what the fake model received -----------------------------------------------------------
def tool_results_in(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool results in a request to either fake, as {"id", "content" (parsed), "is_error"}."""
    results = []
    for message in request["messages"]:
        if message.get("role") == "tool":  # OpenAI
            results.append(
                {
                    "id": message["tool_call_id"],
                    "content": json.loads(message["content"]),
                    "is_error": None,
                }
            )
        elif message.get("role") == "user" and isinstance(message.get("content"), list):
            for block in message["content"]:  # Anthropic
                if block.get("type") == "tool_result":
                    results.append(
                        {
                            "id": block["tool_use_id"],
                            "content": json.loads(block["content"]),
                            "is_error": block.get("is_error"),
                        }
                    )
    return results


def system_prompt_of(request: dict[str, Any]) -> str:
    if "system" in request:  # Anthropic
        system = request["system"]
        return system if isinstance(system, str) else "".join(b["text"] for b in system)
    first = request["messages"][0]
    assert first["role"] == "system"
    return str(first["content"])


def user_texts_in(request: dict[str, Any]) -> list[str]:
    """The plain text of every user message in a request (either provider)."""
    texts = []
    for message in request["messages"]:
        if message.get("role") != "user":
            continue
        content = message["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.extend(b["text"] for b in content if b.get("type") == "text")
    return texts
