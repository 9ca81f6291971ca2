"""Small helpers for the chat tests: API calls and provider settings. Reading the database
is in reads.py; what the fake model was sent, in received.py."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx

from deskpilot.models import User
from tests.conftest import LiveServer
from tests.fakes import FakeAnthropicServer, FakeOpenAIServer, text
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.sse import SSE, Event, read_events

Client = httpx.AsyncClient
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


async def titled_first_exchange(
    server: LiveServer,
    client: httpx.AsyncClient,
    fake: FakeServer,
    title: str,
    *,
    asked: str = "the printer on floor 2 jams",
    answer: str = "Let's look at the printer.",
) -> tuple[str, int, list[Event]]:
    """A new chat's first message, streamed, with generated titles on: the model answers,
    then writes `title` when asked for one. The session's id, the status and the events."""
    use_fake(server, fake, llm_generate_titles=True)
    fake.script(text(answer), text(title))
    session = await new_session(client)
    status_code, events = await send_sse(client, session["id"], asked)
    return session["id"], status_code, events


async def attach(client: httpx.AsyncClient, session_id: str, *refs: Any) -> httpx.Response:
    return await client.patch(
        f"/api/chat/sessions/{session_id}/tickets", json={"attach": list(refs)}
    )


async def sign_in(client: httpx.AsyncClient, user: User) -> None:
    """Sign `client` in as `user` (made with the factories' password), CSRF token included."""
    login = await client.post(
        "/api/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200, login.text
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]


@asynccontextmanager
async def signed_in_at(base_url: str, user: User) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the server at `base_url` (another process), signed in as `user`."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await sign_in(client, user)
        yield client
