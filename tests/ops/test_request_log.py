"""Logs: an id per request echoed in X-Request-ID, one JSON line per request and per chat
turn with who, which chat, the model, tokens, durations and outcome, and never what anyone
typed or said (passwords, messages, search words) at INFO."""

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import FakeServer, new_session, provider_name, send, use_fake
from tests.conftest import LiveServer
from tests.fakes import call, text, tokens, tool_calls
from tests.ops.support import captured_log
from tests.support.factories import DEFAULT_PASSWORD, make_ticket

Client = httpx.AsyncClient


async def test_a_request_id_is_made_or_taken_and_echoed(client: Client) -> None:
    made = await client.get("/api/auth/me")
    taken = await client.get("/api/auth/me", headers={"X-Request-ID": "proxy-7f3a.2:b_c"})
    odd = await client.get("/api/auth/me", headers={"X-Request-ID": "two words\tand a tab"})
    long = await client.get("/api/auth/me", headers={"X-Request-ID": "x" * 129})

    assert len(made.headers["x-request-id"]) == 32
    int(made.headers["x-request-id"], 16)  # 16 random bytes, hex
    assert taken.headers["x-request-id"] == "proxy-7f3a.2:b_c"
    for replaced in (odd, long):  # not a plain token: never copied into the log
        assert len(replaced.headers["x-request-id"]) == 32
    missing = await client.get("/api/no-such-route")
    assert missing.status_code == 404 and len(missing.headers["x-request-id"]) == 32


async def test_one_line_per_request_with_its_user_route_status_and_duration(
    client: Client, agent: User, db: AsyncSession
) -> None:
    ticket = await make_ticket(db, by=agent)
    with captured_log() as log:
        response = await client.get(
            f"/api/tickets/{ticket.number}?ignored=1", headers={"X-Request-ID": "rq-1"}
        )
        await client.get("/api/health", headers={"X-Request-ID": "rq-health"})

    assert response.status_code == 200
    [line] = log.where(request_id="rq-1", event="request")
    assert line["level"] == "info"
    assert line["logger"] == "deskpilot.request"
    assert line["message"] == f"GET /api/tickets/{ticket.number} 200"
    assert line["method"] == "GET"
    assert line["path"] == f"/api/tickets/{ticket.number}"  # without its query string
    assert line["route"] == "/api/tickets/{ref}"
    assert line["status"] == 200
    assert 0 < line["duration_ms"] < 10_000
    assert line["user_id"] == str(agent.id)
    assert "time" in line and line["time"].endswith("Z")
    # Health checks are logged at DEBUG only: a load balancer's probes would drown the log.
    assert log.where(request_id="rq-health") == []


async def test_an_anonymous_request_is_logged_without_a_user(anon: Client) -> None:
    with captured_log() as log:
        response = await anon.get("/api/tickets", headers={"X-Request-ID": "rq-anon"})

    assert response.status_code == 401
    [line] = log.where(request_id="rq-anon")
    assert (line["status"], "user_id" in line) == (401, False)


async def test_a_chat_turn_logs_one_line_with_its_tokens_and_outcome(
    server: LiveServer, client: Client, agent: User, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(call("search_tickets", {"query": "vpn"}), usage=tokens(700, 20)),
        text("No VPN tickets.", usage=tokens(800, 9)),
    )
    session = await new_session(client)

    with captured_log() as log:
        reply = await client.post(
            f"/api/chat/sessions/{session['id']}/messages",
            json={"content": "any vpn tickets?"},
            headers={"X-Request-ID": "rq-turn"},
        )

    assert reply.status_code == 200, reply.text
    [turn] = log.where(event="chat_turn")
    assert turn["request_id"] == "rq-turn"  # the turn's task carries its request's id
    assert turn["logger"] == "deskpilot.chat"
    assert turn["user_id"] == str(agent.id)
    assert turn["chat_session_id"] == session["id"]
    assert (turn["provider"], turn["model"]) == (provider_name(fake), "fake-model")
    assert (turn["outcome"], turn["error"]) == ("complete", None)
    assert (turn["input_tokens"], turn["output_tokens"]) == (1500, 29)
    assert (turn["model_calls"], turn["tool_calls"]) == (2, 1)
    assert 0 < turn["model_ms"] <= turn["duration_ms"]
    [request] = log.where(request_id="rq-turn", event="request")
    assert request["route"] == "/api/chat/sessions/{session_id}/messages"


async def test_a_failed_turn_says_why(server: LiveServer, client: Client, fake: FakeServer) -> None:
    use_fake(server, fake, llm_max_retries=0)
    fake.script(text("cut", cut_after=2))
    session = await new_session(client)

    with captured_log() as log:
        reply = await send(client, session["id"], "hello")

    assert reply.status_code == 502
    [turn] = log.where(event="chat_turn")
    assert (turn["outcome"], turn["model_calls"]) == ("failed", 1)
    assert turn["error"] in ("bad_response", "unavailable")


SECRET_PASSWORD = "Tr0ub4dor&3-never-logged"
SECRET_MESSAGE = "Customer Zebediah Quux reports card 4111-1111 stolen"
SECRET_SEARCH = "quuxzebediah"


@pytest.fixture
async def talker(db: AsyncSession) -> User:
    from tests.support.factories import make_user

    return await make_user(db, email="talker@example.com", password=SECRET_PASSWORD)


async def _say_secret_things(server: LiveServer, anon: Client, fake: FakeServer) -> dict[str, Any]:
    use_fake(server, fake, llm_generate_titles=True)
    fake.script(
        tool_calls(call("search_tickets", {"query": SECRET_SEARCH})),
        text(f"I found nothing about {SECRET_MESSAGE}."),
        text(f"Title about {SECRET_SEARCH}"),
    )
    login = await anon.post(
        "/api/auth/login", json={"email": "talker@example.com", "password": SECRET_PASSWORD}
    )
    assert login.status_code == 200, login.text
    anon.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    wrong = await anon.post(
        "/api/auth/login", json={"email": "talker@example.com", "password": SECRET_PASSWORD + "x"}
    )
    assert wrong.status_code == 401
    search = await anon.get(f"/api/tickets/search?q={SECRET_SEARCH}")
    assert search.status_code == 200
    session = await new_session(anon)
    reply = await send(anon, session["id"], SECRET_MESSAGE)
    assert reply.status_code == 200, reply.text
    return session


async def test_nothing_typed_or_said_reaches_the_log_at_info(
    server: LiveServer, anon: Client, talker: User, openai_fake: FakeServer
) -> None:
    with captured_log() as log:
        await _say_secret_things(server, anon, openai_fake)
        for _ in range(250):  # the turn ends after the reply, once the title is made
            if log.where(event="chat_turn"):
                break
            await asyncio.sleep(0.02)

    assert log.where(event="chat_turn") and len(log.where(event="request")) >= 5
    assert openai_fake.remaining == 0  # the title was asked for too
    # Everything the server logged; the test's own HTTP client (httpx) logs its URLs.
    everything = "\n".join(
        line
        for line, record in zip(log.lines, log.records, strict=True)
        if record["logger"] != "httpx"
    )
    for secret in (SECRET_PASSWORD, "Zebediah", "4111", SECRET_SEARCH, DEFAULT_PASSWORD):
        assert secret not in everything, secret
    assert str(talker.id) in everything  # who, yes
