"""GET /metrics: Prometheus' text format, for administrators only, with what the issue asks
measured: requests by route template and status, model calls and their errors, tool calls,
tokens, active turns and the database pool. Counters are shared by the whole test run, so
each test compares a scrape after with one before."""

import asyncio

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import FakeServer, new_session, provider_name, send, use_fake
from tests.conftest import LiveServer
from tests.fakes import call, status, text, tokens, tool_calls
from tests.ops.support import Scrape, scrape
from tests.support.factories import make_ticket

Client = httpx.AsyncClient
HTTP = "deskpilot_http_request_duration_seconds_count"
MODEL_CALLS = "deskpilot_model_call_duration_seconds_count"
MODEL_ERRORS = "deskpilot_model_call_errors_total"
TOKENS = "deskpilot_model_tokens_total"
TOOLS = "deskpilot_tool_call_duration_seconds_count"
TURNS = "deskpilot_chat_turns_total"


def grew(before: Scrape, after: Scrape, name: str, **labels: str) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


async def test_metrics_are_for_administrators_only(
    anon: Client, client: Client, admin_client: Client
) -> None:
    assert (await anon.get("/metrics")).json()["error"]["code"] == "unauthorized"
    refused = await client.get("/metrics")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")

    answer = await admin_client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")  # Prometheus text
    assert answer.headers["cache-control"] == "no-store"
    for family in ("http_request_duration_seconds", "model_call_duration_seconds",
                   "tool_call_duration_seconds", "model_tokens_total", "chat_active_turns",
                   "db_connections_in_use", "db_connections_max"):  # fmt: skip
        assert f"# HELP deskpilot_{family} " in answer.text, family


async def test_requests_are_counted_by_route_template_and_status(
    client: Client, admin_client: Client, db: AsyncSession, agent: User
) -> None:
    ticket = await make_ticket(db, by=agent)
    before = await scrape(admin_client)

    for _ in range(2):
        assert (await client.get(f"/api/tickets/{ticket.number}")).status_code == 200
    assert (await client.get("/api/tickets/99999")).status_code == 404
    assert (await client.get("/api/no-such-thing/12345")).status_code == 404
    assert (await client.get("/api/tickets?status=open")).status_code == 200

    after = await scrape(admin_client)
    route = "/api/tickets/{ref}"
    assert grew(before, after, HTTP, method="GET", route=route, status="200") == 2
    assert grew(before, after, HTTP, method="GET", route=route, status="404") == 1
    assert grew(before, after, HTTP, method="GET", route="unmatched", status="404") == 1
    assert grew(before, after, HTTP, method="GET", route="/api/tickets", status="200") == 1
    # Templates, never the values in a path: a label per ticket would grow for ever.
    routes = {labels["route"] for labels in after.labels_of(HTTP)}
    assert not [r for r in routes if "99999" in r or "12345" in r or str(ticket.number) in r]


async def test_a_chat_turn_counts_model_calls_tools_tokens_and_turns(
    server: LiveServer, client: Client, admin_client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(call("search_tickets", {"query": "printer"}), usage=tokens(300, 12)),
        tool_calls(call("no_such_tool", {}), usage=tokens(400, 8)),  # models invent tools
        text("Nothing about printers yet.", usage=tokens(500, 30)),
    )
    provider, model = provider_name(fake), "fake-model"
    session = await new_session(client)
    before = await scrape(admin_client)

    reply = await send(client, session["id"], "any printer tickets?")

    assert reply.status_code == 200, reply.text
    after = await scrape(admin_client)
    calls = {"provider": provider, "model": model, "kind": "stream"}
    assert grew(before, after, MODEL_CALLS, **calls, outcome="ok") == 3
    tokens_of = {"provider": provider, "model": model}
    assert grew(before, after, TOKENS, **tokens_of, direction="input") == 1200
    assert grew(before, after, TOKENS, **tokens_of, direction="output") == 50
    assert grew(before, after, TOOLS, tool="search_tickets", outcome="ok") == 1
    assert grew(before, after, TOOLS, tool="unknown", outcome="error") == 1
    assert grew(before, after, TURNS, outcome="complete") == 1
    assert after.value("deskpilot_chat_active_turns") == 0


async def test_model_errors_are_counted_by_code(
    server: LiveServer, client: Client, admin_client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=0)
    fake.script(status(500, repeat_forever=True))
    session = await new_session(client)
    before = await scrape(admin_client)

    reply = await send(client, session["id"], "hello?")

    assert reply.status_code == 502, reply.text
    after = await scrape(admin_client)
    labels = {"provider": provider_name(fake), "model": "fake-model"}
    assert grew(before, after, MODEL_ERRORS, **labels, code="unavailable") == 1
    assert grew(before, after, MODEL_CALLS, **labels, kind="stream", outcome="error") == 1
    assert grew(before, after, TURNS, outcome="failed") == 1


async def test_active_turns_and_connections_in_use_while_a_reply_is_generated(
    server: LiveServer, client: Client, admin_client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(text("Slow answer.", delay=1.5))
    session = await new_session(client)
    idle = await scrape(admin_client)

    sending = asyncio.create_task(send(client, session["id"], "take your time"))
    for _ in range(100):  # until the turn has started
        during = await scrape(admin_client)
        if during.value("deskpilot_chat_active_turns") == 1:
            break
        await asyncio.sleep(0.02)
    reply = await sending

    assert reply.status_code == 200, reply.text
    assert during.value("deskpilot_chat_active_turns") == 1
    assert during.value("deskpilot_db_connections_max") >= 2 * server.settings.db_pool_size
    done = await scrape(admin_client)
    assert done.value("deskpilot_chat_active_turns") == 0
    # Every connection a request or a turn took went back to the pool.
    assert done.value("deskpilot_db_connections_in_use") == idle.value(
        "deskpilot_db_connections_in_use"
    )
    assert done.value("deskpilot_db_connections_open") >= 1
