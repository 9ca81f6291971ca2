"""A chat turn holds a lease row (chat_turn_leases), not a pooled connection: no connection
while the model thinks, one reply per chat and the user's limit on replies being generated
counted in PostgreSQL (so across processes), a crashed process's lease expiring, and a
continued reply (after a decision on its proposals) holding the lease too."""

import asyncio
import time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import get_engine
from deskpilot.models import User
from tests.chat.helpers import Client, new_session, send, use_fake
from tests.chat.leases import drop_lease, hold_lease, leases
from tests.chat.proposals import decide
from tests.chat.reads import stored_messages, ticket_by_number
from tests.chat.test_turn_safety import model_called, send_while_the_model_thinks, wait_for
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket


async def test_no_pooled_connection_is_held_while_the_model_thinks(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session, pending = await send_while_the_model_thinks(
        server, client, openai_fake, "hello", reply="Hi.", delay=1.0
    )
    checked_out = []
    for _ in range(10):
        checked_out.append(get_engine().pool.checkedout())  # type: ignore[attr-defined]
        await asyncio.sleep(0.03)
    during = await leases()
    response = await pending

    assert min(checked_out) == 0
    assert [str(lease.session_id) for lease in during] == [session["id"]]
    assert response.status_code == 200
    assert await leases() == []  # released with the reply


async def test_more_turns_than_the_pool_has_connections_all_reach_the_model_at_once(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    """45 turns on a pool of 20 + 20 overflow: had each held a connection, five would
    wait for one until the first replies came back."""
    use_fake(server, openai_fake, chat_max_concurrent_streams=100)
    turns = 45
    openai_fake.script(*[text(f"Reply {i}.", delay=2.0) for i in range(turns)])
    sessions = [await new_session(client) for _ in range(turns)]
    started = time.perf_counter()
    pending = [asyncio.create_task(send(client, s["id"], "hello")) for s in sessions]

    async def all_asked() -> bool:
        return len(openai_fake.requests) == turns

    await wait_for(all_asked, seconds=10)
    all_asked_after = time.perf_counter() - started
    listed = await client.get("/api/tickets")
    responses = await asyncio.gather(*pending)

    assert all_asked_after < 2.0  # before any reply came back
    assert listed.status_code == 200
    assert [r.status_code for r in responses] == [200] * turns


async def test_a_crashed_process_lease_expires(server: LiveServer, client: Client) -> None:
    session = await new_session(client)
    await hold_lease(session["id"], seconds=-1)  # its process died a while ago

    response = await send(client, session["id"], "hello")

    assert response.status_code == 200, response.text
    assert await leases() == []


async def test_a_live_lease_blocks_the_chat_until_it_expires(
    server: LiveServer, client: Client
) -> None:
    session = await new_session(client)
    await hold_lease(session["id"], seconds=1.0)  # another process's turn, then it dies

    blocked = await send(client, session["id"], "hello")
    await asyncio.sleep(1.1)
    freed = await send(client, session["id"], "hello again")

    assert blocked.status_code == 409
    assert freed.status_code == 200
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content) for m in stored[:1]] == [("user", "hello again")]


async def test_the_lease_is_renewed_while_the_model_thinks(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_turn_lease_seconds=2)
    openai_fake.script(text("Slow.", delay=3.0))
    session = await new_session(client)
    pending = asyncio.create_task(send(client, session["id"], "slow one"))
    await model_called(openai_fake)
    [first] = await leases()

    await asyncio.sleep(2.4)  # past the lease's first expiry
    [renewed] = await leases()
    blocked = await send(client, session["id"], "meanwhile")
    response = await pending

    assert renewed.token == first.token
    assert renewed.expires_at > first.expires_at
    assert blocked.status_code == 409
    assert response.status_code == 200
    assert await leases() == []


async def test_replies_being_generated_elsewhere_count_against_the_users_limit(
    server: LiveServer, client: Client
) -> None:
    """Leases held by the user's turns in other processes count like this process's."""
    server.configure(chat_max_concurrent_streams=2)
    chats = [await new_session(client) for _ in range(3)]
    tokens = [await hold_lease(chat["id"], seconds=60) for chat in chats[:2]]

    refused = await send(client, chats[2]["id"], "a third one")
    await drop_lease(tokens[0])
    allowed = await send(client, chats[2]["id"], "a third one, now")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert allowed.status_code == 200


async def test_sends_at_the_same_moment_never_pass_the_limit(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_max_concurrent_streams=2)
    openai_fake.script(*[text("Done.", delay=1.0) for _ in range(8)])
    chats = [await new_session(client) for _ in range(8)]

    responses = await asyncio.gather(*(send(client, c["id"], "hello") for c in chats))

    assert sorted(r.status_code for r in responses) == [200] * 2 + [429] * 6
    assert len(openai_fake.requests) == 2


@pytest.mark.parametrize("limit", [1, 3])
async def test_a_continued_reply_holds_the_chat_until_it_ends(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
    limit: int,
) -> None:
    """Approving lets the paused reply go on under the chat's lease: another message
    meanwhile gets 409, and the chat is free once the reply is stored. A continuation is
    never refused for the user's limit (the decision is made already)."""
    await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, openai_fake, chat_max_concurrent_streams=limit)
    openai_fake.script(
        tool_calls(call("update_ticket", {"ticket_id": 1, "status": "closed"}, id="c1")),
        text("Closed #1.", delay=1.5),
        text("Anything else?"),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "close #1")).json()
    assert paused["status"] == "awaiting_approval", paused
    assert await leases() == []  # a paused reply holds nothing

    approving = asyncio.create_task(
        decide(client, session["id"], paused["proposals"][0]["id"], "approve")
    )

    async def continued() -> bool:
        return len(openai_fake.requests) == 2

    await wait_for(continued)
    during = await leases()
    blocked = await send(client, session["id"], "and the toner?")
    approved = await approving
    after = await leases()
    following = await send(client, session["id"], "thanks")

    assert [str(lease.session_id) for lease in during] == [session["id"]]
    assert blocked.status_code == 409
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["content"]) == ("complete", "Closed #1.")
    assert after == []
    assert following.status_code == 200
    assert (await ticket_by_number(1)).status == "closed"
