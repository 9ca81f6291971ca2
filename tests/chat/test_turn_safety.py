"""What keeps a chat turn safe: the user's message is stored first, resends are idempotent,
one reply at a time per session, limits, and a client that goes away mid-stream."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy import text as sql

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage, User
from tests.chat.helpers import (
    Client,
    FakeServer,
    new_session,
    send,
    send_sse,
    stream_message,
    use_fake,
)
from tests.chat.leases import chat_taken
from tests.chat.proposals import never
from tests.chat.reads import stored_messages, ticket_count
from tests.chat.received import tool_results_in, user_texts_in
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeOpenAIServer, ScriptItem, call, status, text, tool_calls
from tests.support.sse import iter_events, names

CREATE_VPN = "create a ticket for the VPN outage in Berlin, it's urgent"


async def wait_for(condition: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def model_called(fake: FakeServer) -> None:
    """Wait until the turn's request has reached the model."""

    async def called() -> bool:
        return len(fake.requests) == 1

    await wait_for(called)


async def send_while_the_model_thinks(
    server: LiveServer,
    client: Client,
    fake: FakeServer,
    content: str,
    *,
    reply: str,
    delay: float,
    then: Sequence[ScriptItem] = (),
) -> tuple[dict[str, Any], asyncio.Task[httpx.Response]]:
    """`content` sent in a new chat, its `reply` coming `delay` seconds after the model got
    the request (and `then` scripted for the requests after it): returns (the chat, the
    pending send) as soon as the model has it."""
    use_fake(server, fake)
    fake.script(text(reply, delay=delay), *then)
    session = await new_session(client)
    pending = asyncio.create_task(send(client, session["id"], content))
    await model_called(fake)
    return session, pending


async def idle_in_transaction() -> int:
    async with session_factory()() as db:
        count = await db.scalar(
            sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
            )
        )
        return int(count or 0)


# -- the user's message is committed before the model is called ------------------------------
async def test_user_message_is_committed_before_the_model_answers(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session, pending = await send_while_the_model_thinks(
        server, client, openai_fake, "is anyone there?", reply="Finally.", delay=1.0
    )
    during = await stored_messages(session["id"])
    open_transactions = await idle_in_transaction()
    response = await pending

    assert [(m.role, m.content) for m in during] == [("user", "is anyone there?")]
    assert open_transactions == 0  # no transaction is held open across the model call
    assert response.status_code == 200
    assert [m.role for m in await stored_messages(session["id"])] == ["user", "assistant"]


async def test_user_message_stays_when_the_model_fails(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, llm_max_retries=0)
    openai_fake.script(status(500))
    session = await new_session(client)

    response = await send(client, session["id"], "hello?")

    assert response.status_code == 502
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", "hello?", "complete"),
        ("assistant", "", "failed"),
    ]


# -- idempotent resends ---------------------------------------------------------------------
async def test_resend_after_success_returns_the_stored_reply(
    server: LiveServer, client: Client
) -> None:
    never(server)  # the ticket is created at once
    session = await new_session(client)

    first = await send(client, session["id"], CREATE_VPN, client_message_id="msg-1")
    again = await send(client, session["id"], CREATE_VPN, client_message_id="msg-1")
    status_code, events = await send_sse(
        client, session["id"], CREATE_VPN, client_message_id="msg-1"
    )

    assert first.status_code == again.status_code == status_code == 200
    assert again.json() == first.json()
    assert names(events) == ["user_message", "assistant_message", "done"]
    assert events[1][1]["message"] == first.json()
    assert await ticket_count() == 1
    stored = await stored_messages(session["id"])
    assert [(m.role, m.client_message_id) for m in stored] == [
        ("user", "msg-1"),
        ("assistant", None),
    ]
    assert events[0][1]["message"]["id"] == str(stored[0].id)


async def test_client_message_ids_are_per_message(server: LiveServer, client: Client) -> None:
    never(server)  # each message's ticket is created at once
    session = await new_session(client)

    first = await send(client, session["id"], CREATE_VPN, client_message_id="msg-1")
    # Another ticket: the same one again would be refused as a duplicate.
    other = "create a ticket: the printer on floor 2 jams every morning"
    second = await send(client, session["id"], other, client_message_id="msg-2")

    assert first.json()["id"] != second.json()["id"]
    assert await ticket_count() == 2


async def test_resend_after_a_failed_turn_retries_without_repeating_its_tools(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=0, chat_approval="never")  # created at once
    create = call(
        "create_ticket",
        {"title": "VPN outage in Berlin", "description": "VPN down", "priority": "urgent"},
        id="call_create",
    )
    fake.script(tool_calls(create), status(500))
    session = await new_session(client)

    failed = await send(client, session["id"], CREATE_VPN, client_message_id="msg-1")
    assert failed.status_code == 502
    assert await ticket_count() == 1

    fake.script(text("Created #1 for the Berlin VPN outage."))
    retried = await send(client, session["id"], CREATE_VPN, client_message_id="msg-1")

    assert retried.status_code == 200, retried.text
    reply = retried.json()
    assert reply["content"] == "Created #1 for the Berlin VPN outage."
    assert reply["status"] == "complete"
    assert [(c["id"], c["name"], c["status"]) for c in reply["tool_calls"]] == [
        ("call_create", "create_ticket", "ok")
    ]
    assert await ticket_count() == 1
    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
    assert str(stored[1].id) == reply["id"]
    # The retry told the model what already happened instead of running it again.
    assert len(fake.requests) == 3
    results = tool_results_in(fake.requests[2])
    assert [(r["id"], r["content"]["created"]) for r in results] == [("call_create", True)]
    assert user_texts_in(fake.requests[2]) == [CREATE_VPN]
    # ...and ends with those results, not with text of the failed reply (which Anthropic's
    # API would take as the start of the answer to carry on from).
    assert fake.requests[2]["messages"][-1]["role"] in ("tool", "user")


# -- one reply at a time per session --------------------------------------------------------
async def test_a_second_send_while_a_reply_is_generated_gets_409(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session, first = await send_while_the_model_thinks(
        server, client, openai_fake, "first", reply="First reply.", delay=0.8
    )
    second = await send(client, session["id"], "second")
    second_sse, _ = await send_sse(client, session["id"], "second again")
    first_response = await first

    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    assert second_sse == 409
    assert first_response.status_code == 200
    assert [m.content for m in await stored_messages(session["id"])] == ["first", "First reply."]
    openai_fake.script(text("Now it works."))
    assert (await send(client, session["id"], "third")).status_code == 200


async def test_the_chat_lease_lives_in_postgresql(client: Client, db: Any) -> None:
    """Held by another turn (as another server process's would be), the lease still wins."""
    session = await new_session(client)
    async with chat_taken(session["id"]):
        blocked = await send(client, session["id"], "hello")
    freed = await send(client, session["id"], "hello")

    assert blocked.status_code == 409
    assert freed.status_code == 200
    assert [m.content for m in await stored_messages(session["id"])] == [
        "hello",
        freed.json()["content"],
    ]


async def test_other_sessions_are_not_blocked(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    _, slow = await send_while_the_model_thinks(
        server, client, openai_fake, "slow one", reply="Slow.", delay=0.8, then=[text("Fast.")]
    )
    free = await new_session(client)
    fast = await send(client, free["id"], "fast one")

    assert fast.status_code == 200
    assert fast.json()["content"] == "Fast."
    assert (await slow).status_code == 200


# -- limits ---------------------------------------------------------------------------------
async def test_message_length_cap(server: LiveServer, client: Client) -> None:
    server.configure(chat_max_message_chars=100)
    session = await new_session(client)

    too_long = await send(client, session["id"], "x" * 101)
    blank = await send(client, session["id"], "   ")
    at_cap = await send(client, session["id"], "hello " + "x" * 94)

    assert too_long.status_code == blank.status_code == 422
    assert [d["field"] for d in too_long.json()["error"]["details"]] == ["content"]
    assert too_long.json()["error"]["code"] == "validation_error"
    assert [d["field"] for d in blank.json()["error"]["details"]] == ["content"]
    assert at_cap.status_code == 200
    assert [m.content for m in await stored_messages(session["id"]) if m.role == "user"] == [
        "hello " + "x" * 94
    ]


async def test_default_length_cap_is_8000(client: Client) -> None:
    session = await new_session(client)

    response = await send(client, session["id"], "x" * 8001)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "content"


async def test_per_user_message_rate(
    server: LiveServer, client: Client, client_for: ClientFactory, other: User
) -> None:
    server.configure(chat_messages_per_minute=2)
    one = await new_session(client)
    two = await new_session(client)

    replies = [
        await send(client, one["id"], "hello"),
        await send(client, two["id"], "hello"),
        await send(client, one["id"], "third"),
    ]
    someone_else = await client_for(other)
    theirs = await new_session(someone_else)
    unaffected = await send(someone_else, theirs["id"], "hello")

    assert [r.status_code for r in replies] == [200, 200, 429]
    assert replies[2].json()["error"]["code"] == "rate_limited"
    assert int(replies[2].headers["Retry-After"]) > 0
    assert unaffected.status_code == 200
    stored = await stored_messages(one["id"])
    assert "third" not in [m.content for m in stored]


async def test_messages_older_than_a_minute_leave_the_rate(
    server: LiveServer, client: Client
) -> None:
    server.configure(chat_messages_per_minute=2)
    old = await new_session(client)
    recent = await new_session(client)
    assert (await send(client, old["id"], "hello")).status_code == 200
    assert (await send(client, recent["id"], "hello")).status_code == 200
    # The first session's exchange was two minutes ago, though the session itself was
    # touched since (a rename, say): its old message no longer counts.
    async with session_factory()() as db:
        await db.execute(
            sql(
                "UPDATE chat_messages SET created_at = now() - interval '2 minutes' "
                "WHERE session_id = :id"
            ),
            {"id": old["id"]},
        )
        await db.commit()

    allowed = await send(client, recent["id"], "one more")
    refused = await send(client, old["id"], "and another")

    assert allowed.status_code == 200
    assert refused.status_code == 429


async def test_concurrent_streams_per_user(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_max_concurrent_streams=1)
    openai_fake.script(text("Slow.", delay=0.8), text("Later."))
    first = await new_session(client)
    second = await new_session(client)

    streaming = asyncio.create_task(send_sse(client, first["id"], "slow"))

    await model_called(openai_fake)
    refused = await send(client, second["id"], "meanwhile")
    status_code, events = await streaming
    after = await send(client, second["id"], "now")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert after.status_code == 200
    assert status_code == 200 and names(events)[-1] == "done"
    assert [m.content for m in await stored_messages(second["id"])] == ["now", "Later."]


# -- the client goes away mid-stream --------------------------------------------------------
async def test_closing_the_stream_stores_an_incomplete_reply_and_unlocks(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_timeout_seconds=10)
    # Two text events ("Hell", "o th"), then silence with the connection open.
    fake.script(
        text(
            "Hello there, this answer never ends.",
            stall_after=3 if isinstance(fake, FakeOpenAIServer) else 5,
        )
    )
    session = await new_session(client)

    received: list[str] = []
    async with stream_message(client, session["id"], "tell me a long story") as response:
        assert response.status_code == 200
        async for name, _ in iter_events(response):
            received.append(name)
            if name == "text_delta":
                break  # the user stops the reply

    async def reply_stored() -> bool:
        return len(await stored_messages(session["id"])) == 2

    await wait_for(reply_stored)
    stored = await stored_messages(session["id"])
    assert received == ["user_message", "text_delta"]
    assert [(m.role, m.status) for m in stored] == [
        ("user", "complete"),
        ("assistant", "incomplete"),
    ]
    assert stored[1].content == "Hello th"
    assert stored[1].reply_to_id == stored[0].id
    fake.script(text("Back again."))

    async def unlocked() -> bool:
        again = await send(client, session["id"], "are you there?")
        return again.status_code == 200

    await wait_for(unlocked, seconds=3)
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert [(m["role"], m["status"]) for m in detail["messages"]] == [
        ("user", "complete"),
        ("assistant", "incomplete"),
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert await ticket_message_count(session["id"]) == 4


async def ticket_message_count(session_id: str) -> int:
    async with session_factory()() as db:
        return int(
            await db.scalar(
                select(func.count())
                .select_from(ChatMessage)
                .where(ChatMessage.session_id == uuid.UUID(session_id))
            )
            or 0
        )


async def test_a_send_through_another_server_process_gets_409(
    server: LiveServer,
    client: Client,
    openai_fake: FakeOpenAIServer,
    second_process: str,
) -> None:
    # the other process's first request may take a second or two on a busy machine
    session, first = await send_while_the_model_thinks(
        server, client, openai_fake, "first", reply="First reply.", delay=3.0
    )
    async with httpx.AsyncClient(
        base_url=second_process, cookies=client.cookies, headers=client.headers, timeout=30
    ) as elsewhere:
        blocked = await send(elsewhere, session["id"], "second, through the other process")
        first_response = await first
        after = await send(elsewhere, session["id"], "thanks")

    assert blocked.status_code == 409
    assert blocked.json()["error"]["code"] == "conflict"
    assert first_response.status_code == 200
    assert after.status_code == 200
    contents = [m.content for m in await stored_messages(session["id"])]
    assert contents[:2] == ["first", "First reply."]
    assert contents[2] == "thanks"
    assert len(contents) == 4
