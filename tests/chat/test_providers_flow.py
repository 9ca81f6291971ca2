"""Whole chat turns against the fake OpenAI-compatible and Anthropic servers (real HTTP on
127.0.0.1): replies, tool calls, retries, failures, bounded tool loops, timeouts, titles.
Every test runs once per provider."""

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.chat.tools import TOOL_SPECS
from deskpilot.services.chat_llm_service import ROUNDS_EXHAUSTED_FALLBACK, ROUNDS_EXHAUSTED_NOTE
from tests.chat.helpers import (
    Client,
    FakeServer,
    new_session,
    provider_name,
    send,
    send_sse,
    titled_first_exchange,
    use_fake,
)
from tests.chat.reads import stored_messages, ticket_count
from tests.chat.received import system_prompt_of, tool_results_in, user_texts_in
from tests.conftest import LiveServer
from tests.fakes import FakeAnthropicServer, call, status, text, tool_calls
from tests.support.factories import make_ticket
from tests.support.sse import names, only


def streamed_text(events: list[tuple[str, dict[str, Any]]]) -> str:
    return "".join(data["text"] for name, data in events if name == "text_delta")


def assistant_tool_call_ids(request: dict[str, Any]) -> list[str]:
    """Ids of the tool calls the assistant made earlier in this request's history."""
    ids = []
    for message in request["messages"]:
        if message.get("role") != "assistant":
            continue
        for c in message.get("tool_calls") or []:  # OpenAI
            ids.append(c["id"])
        if isinstance(message.get("content"), list):  # Anthropic
            ids += [b["id"] for b in message["content"] if b.get("type") == "tool_use"]
    return ids


@pytest.fixture
async def printer(db: AsyncSession, agent: User) -> Any:
    return await make_ticket(db, by=agent, title="Printer jammed", description="Tray 2 stuck")


# -- replies and tool calls -----------------------------------------------------------------
async def test_plain_reply(server: LiveServer, client: Client, fake: FakeServer) -> None:
    use_fake(server, fake)
    fake.script(text("Hello! How can I help with your tickets today?"))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "hi there")

    assert status_code == 200
    assert names(events)[0] == "user_message"
    assert names(events)[-2:] == ["assistant_message", "done"]
    reply = only(events, "assistant_message")["message"]
    assert reply["content"] == "Hello! How can I help with your tickets today?"
    assert streamed_text(events) == reply["content"]
    assert names(events).count("text_delta") > 1  # streamed, not sent in one piece
    assert (reply["status"], reply["tool_calls"], reply["ticket_refs"]) == ("complete", None, [])
    assert len(fake.requests) == 1
    request = fake.requests[0]
    assert request["model"] == "fake-model"
    assert request["stream"] is True
    assert user_texts_in(request) == ["hi there"]


@pytest.mark.parametrize("fragments", [True, False], ids=["fragmented", "whole"])
async def test_tool_call_result_reaches_the_model(
    server: LiveServer, client: Client, fake: FakeServer, printer: Any, fragments: bool
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_one"), fragments=fragments),
        text("Ticket #1 is open: tray 2 is stuck."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "what's up with #1?")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["content"] == "Ticket #1 is open: tray 2 is stuck."
    assert [(c["id"], c["name"], c["arguments"], c["status"]) for c in reply["tool_calls"]] == [
        ("call_one", "get_ticket", {"ticket_id": 1}, "ok")
    ]
    assert reply["tool_calls"][0]["ticket_ids"] == [str(printer.id)]
    assert reply["ticket_refs"] == [str(printer.id)]
    assert len(fake.requests) == 2
    results = tool_results_in(fake.requests[1])
    assert [r["id"] for r in results] == ["call_one"]
    ticket = results[0]["content"]["ticket"]
    assert (ticket["number"], ticket["title"], ticket["description"]) == (
        1,
        "Printer jammed",
        "Tray 2 stuck",
    )
    assert assistant_tool_call_ids(fake.requests[1]) == ["call_one"]
    assert results[0]["is_error"] in (None, False)


async def test_two_tool_calls_in_one_turn(
    server: LiveServer, client: Client, fake: FakeServer, printer: Any
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(
            call("get_ticket", {"ticket_id": 1}, id="call_a"),
            call("search_tickets", {"query": "printer", "status": "open"}, id="call_b"),
            text="Let me check both.",
        ),
        text("Only #1 matches."),
    )
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "look at #1 and search printers")

    assert status_code == 200
    tool_events = [(n, d["id"]) for n, d in events if n.startswith("tool_call")]
    assert tool_events == [
        ("tool_call_started", "call_a"),
        ("tool_call_finished", "call_a"),
        ("tool_call_started", "call_b"),
        ("tool_call_finished", "call_b"),
    ]
    reply = only(events, "assistant_message")["message"]
    assert reply["content"] == "Let me check both.Only #1 matches."
    assert [(c["name"], c["status"]) for c in reply["tool_calls"]] == [
        ("get_ticket", "ok"),
        ("search_tickets", "ok"),
    ]
    assert reply["ticket_refs"] == [str(printer.id)]
    results = tool_results_in(fake.requests[1])
    assert [r["id"] for r in results] == ["call_a", "call_b"]
    assert results[1]["content"]["status"] == "open"
    assert [t["number"] for t in results[1]["content"]["tickets"]] == [1]


async def test_stored_tool_calls_carry_a_summary_and_a_duration(
    server: LiveServer, client: Client, fake: FakeServer, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed", description="Tray 2 stuck")
    await make_ticket(db, by=agent, title="Printer offline", description="Floor 3")
    use_fake(server, fake, chat_approval="never")  # the update runs at once
    fake.script(
        tool_calls(
            call("search_tickets", {"query": "printer"}, id="call_search"),
            call("get_ticket", {"ticket_id": 1}, id="call_get"),
            call("update_ticket", {"ticket_id": 1, "status": "in_progress"}, id="call_update"),
            call("get_ticket", {"ticket_id": 4242}, id="call_missing"),
        ),
        text("Done."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "find printers and start on #1")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert [(c["id"], c["status"], c["summary"]) for c in reply["tool_calls"]] == [
        ("call_search", "ok", "Found 2 tickets for 'printer'"),
        ("call_get", "ok", "Read ticket #1"),
        ("call_update", "ok", "Updated ticket #1 (status open → in_progress)"),
        ("call_missing", "error", reply["tool_calls"][3]["summary"]),
    ]
    assert "4242" in reply["tool_calls"][3]["summary"]  # the error, said for people
    for record in reply["tool_calls"]:
        assert isinstance(record["duration_ms"], int) and record["duration_ms"] >= 0
    # Stored with the message, not made up when it is shown.
    stored = (await stored_messages(session["id"]))[-1]
    assert [c["summary"] for c in stored.tool_calls] == [c["summary"] for c in reply["tool_calls"]]
    for record in stored.tool_calls:
        assert type(record["duration_ms"]) is int and record["duration_ms"] >= 0
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["messages"][-1]["tool_calls"] == reply["tool_calls"]


async def test_search_hits_are_refs_only_when_the_reply_mentions_them(
    server: LiveServer, client: Client, fake: FakeServer, db: AsyncSession, agent: User
) -> None:
    jammed = await make_ticket(db, by=agent, title="Printer jammed", description="Tray 2")
    offline = await make_ticket(db, by=agent, title="Printer offline", description="Floor 3")
    vpn = await make_ticket(db, by=agent, title="VPN down", description="Berlin office")
    use_fake(server, fake)
    fake.script(
        tool_calls(
            call("search_tickets", {"query": "printer"}, id="call_search"),
            call("get_ticket", {"ticket_id": 3}, id="call_get"),  # read, never mentioned
        ),
        text("The printer that matters is #2; it is offline."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "which printer ticket is urgent? and #3?")

    assert response.status_code == 200, response.text
    reply = response.json()
    search = reply["tool_calls"][0]
    assert sorted(search["ticket_ids"]) == sorted([str(jammed.id), str(offline.id)])
    # #1 was only a search hit the reply never talks about; #3 was read by get_ticket.
    assert sorted(reply["ticket_refs"]) == sorted([str(offline.id), str(vpn.id)])
    assert sorted(t["number"] for t in reply["tickets"]) == [2, 3]
    stored = (await stored_messages(session["id"]))[-1]
    assert sorted(stored.ticket_refs) == sorted([offline.id, vpn.id])


async def test_a_resumed_session_replays_the_tool_turns(
    server: LiveServer, client: Client, fake: FakeServer, printer: Any
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1}, id="call_old")),
        text("Ticket #1 is open."),
        text("It is still open."),
    )
    session = await new_session(client)
    await send(client, session["id"], "status of #1?")

    response = await send(client, session["id"], "and now?")

    assert response.status_code == 200, response.text
    third = fake.requests[2]
    assert assistant_tool_call_ids(third) == ["call_old"]
    assert [r["content"]["ticket"]["number"] for r in tool_results_in(third)] == [1]
    assert user_texts_in(third) == ["status of #1?", "and now?"]


# -- retries and failures -------------------------------------------------------------------
async def test_rate_limited_then_success(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=1)
    fake.script(status(429), text("Recovered."))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 200
    assert response.json()["content"] == "Recovered."
    assert len(fake.requests) == 2
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", "hello", "complete"),
        ("assistant", "Recovered.", "complete"),
    ]


async def test_server_errors_until_retries_run_out_json(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=1)
    fake.script(status(500), status(500), text("never reached"))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "provider_error"
    assert error["message"] == "The AI model could not be reached. Try again in a moment."
    assert len(fake.requests) == 2
    assert fake.remaining == 1
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", "hello", "complete"),
        ("assistant", "", "failed"),
    ]
    assert error["details"] == [{"field": "message_id", "message": str(stored[1].id)}]
    assert stored[1].error["code"] == "unavailable"
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["messages"][-1]["status"] == "failed"
    assert detail["messages"][-1]["error"]["code"] == "unavailable"


async def test_server_errors_until_retries_run_out_sse(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=1)
    fake.script(status(503), status(500))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "hello")

    assert status_code == 200
    assert names(events) == ["user_message", "error", "done"]
    error = only(events, "error")
    assert error["code"] == "provider_error"
    stored = await stored_messages(session["id"])
    assert [m.status for m in stored] == ["complete", "failed"]
    assert error["message_id"] == str(stored[1].id)
    assert only(events, "user_message")["message"]["id"] == str(stored[0].id)


async def test_stream_cut_midway_keeps_the_partial_text(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake)
    full = "Hello there, this answer will not finish."
    fake.script(text(full, cut_after=6))  # a few text events in
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "hello")

    assert status_code == 200
    assert names(events)[-2:] == ["error", "done"]
    assert "assistant_message" not in names(events)
    partial = streamed_text(events)
    assert partial and full.startswith(partial) and partial != full
    assert only(events, "error")["code"] == "provider_error"
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", "hello", "complete"),
        ("assistant", partial, "failed"),
    ]
    assert len(fake.requests) == 1  # no retry once the answer had started


# -- bad tool calls become error results for the model --------------------------------------
BAD_CALLS = {
    # Sloppy JSON is repaired (test_lenient_arguments.py); nothing readable is an error.
    "invalid_json": (call("get_ticket", "the first one", id="call_bad"), "invalid_arguments"),
    "unknown_tool": (call("delete_everything", "{}", id="call_bad"), "unknown_tool"),
    "missing_required": (
        call("create_ticket", {"title": "No description"}, id="call_bad"),
        "invalid_arguments",
    ),
    "invalid_enum": (
        call("update_ticket", {"ticket_id": 1, "status": "done"}, id="call_bad"),
        "invalid_arguments",
    ),
    "unknown_ticket": (call("get_ticket", {"ticket_id": 4242}, id="call_bad"), "not_found"),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
async def test_bad_tool_calls_come_back_as_structured_errors(
    server: LiveServer, client: Client, fake: FakeServer, printer: Any, case: str
) -> None:
    bad_call, code = BAD_CALLS[case]
    use_fake(server, fake)
    fake.script(tool_calls(bad_call), text("Sorry, that did not work."))
    session = await new_session(client)

    response = await send(client, session["id"], "please update #1")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["content"] == "Sorry, that did not work."
    assert [(c["id"], c["status"]) for c in reply["tool_calls"]] == [("call_bad", "error")]
    results = tool_results_in(fake.requests[1])
    assert [r["id"] for r in results] == ["call_bad"]
    assert results[0]["content"]["error"]["code"] == code
    assert results[0]["is_error"] in (None, True)  # Anthropic flags it; OpenAI has no flag
    if case == "invalid_json":
        assert reply["tool_calls"][0]["arguments"] == "the first one"  # kept as sent
    assert await ticket_count() == 1
    assert (await client.get("/api/tickets/1")).json()["status"] == "open"


# -- the tool loop is bounded ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("settings", "rounds"),
    [({"llm_max_tool_rounds": 3}, 3), ({}, 5)],  # as configured; the default
    ids=["configured-3", "default-5"],
)
async def test_a_model_calling_tools_forever_is_stopped(
    server: LiveServer, client: Client, fake: FakeServer, settings: dict[str, int], rounds: int
) -> None:
    use_fake(server, fake, **settings)
    fake.script(tool_calls(call("search_tickets", {"query": "printer"}), repeat_forever=True))
    session = await new_session(client)

    response = await send(client, session["id"], "find printers")

    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["content"] == ROUNDS_EXHAUSTED_FALLBACK
    assert len(reply["tool_calls"]) == rounds  # the next proposal is never executed
    assert len(fake.requests) == rounds + 1  # the rounds with tools, one final ask without
    assert all(len(r["tools"]) == len(TOOL_SPECS) for r in fake.requests[:rounds])
    assert ROUNDS_EXHAUSTED_NOTE not in system_prompt_of(fake.requests[rounds - 1])
    assert ROUNDS_EXHAUSTED_NOTE in system_prompt_of(fake.requests[rounds])
    assert len(tool_results_in(fake.requests[rounds])) == rounds


async def test_the_last_round_gets_a_final_answer(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_tool_rounds=2)
    search = call("search_tickets", {"query": "printer"})
    fake.script(tool_calls(search), tool_calls(search), text("Nothing about printers."))
    session = await new_session(client)

    reply = (await send(client, session["id"], "find printers")).json()

    assert reply["content"] == "Nothing about printers."
    assert len(fake.requests) == 3
    final = fake.requests[2]
    assert final.get("tools")  # still declared: Anthropic needs them beside tool history
    assert ROUNDS_EXHAUSTED_NOTE in system_prompt_of(final)
    assert ROUNDS_EXHAUSTED_NOTE not in system_prompt_of(fake.requests[0])


async def test_anthropic_final_round_is_a_request_the_real_api_accepts(
    server: LiveServer, client: Client, anthropic_fake: FakeAnthropicServer
) -> None:
    use_fake(server, anthropic_fake, llm_max_tool_rounds=1)
    anthropic_fake.script(
        tool_calls(call("search_tickets", {"query": "printer"})), text("Nothing found.")
    )
    session = await new_session(client)

    await send(client, session["id"], "find printers")

    final = anthropic_fake.requests[-1]
    has_tool_blocks = any(
        isinstance(m["content"], list)
        and any(b.get("type") in ("tool_use", "tool_result") for b in m["content"])
        for m in final["messages"]
    )
    assert has_tool_blocks
    assert final.get("tools")


# -- timeouts -------------------------------------------------------------------------------
async def test_provider_timeout_is_504(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_timeout_seconds=0.3, llm_max_retries=0)
    fake.script(text("Too late.", delay=2.0))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 504
    assert response.json()["error"]["code"] == "provider_timeout"
    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "failed")]
    assert stored[1].error["code"] == "timeout"


async def test_provider_timeout_sse(server: LiveServer, client: Client, fake: FakeServer) -> None:
    use_fake(server, fake, llm_timeout_seconds=0.3, llm_max_retries=0)
    fake.script(text("Too late.", delay=2.0))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "hello")

    assert status_code == 200
    assert names(events) == ["user_message", "error", "done"]
    assert only(events, "error")["code"] == "provider_timeout"


# -- titles ---------------------------------------------------------------------------------
async def test_the_model_titles_the_session_after_the_first_exchange(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    session_id, status_code, events = await titled_first_exchange(
        server, client, fake, '"Printer jam on floor 2"'
    )

    assert status_code == 200
    assert names(events)[-3:] == ["assistant_message", "session_title", "done"]
    assert only(events, "session_title") == {"title": "Printer jam on floor 2"}
    detail = (await client.get(f"/api/chat/sessions/{session_id}")).json()
    assert detail["title"] == "Printer jam on floor 2"
    title_request = fake.requests[1]
    assert not title_request.get("stream")
    assert not title_request.get("tools")
    assert "the printer on floor 2 jams" in json.dumps(title_request)

    fake.script(text("Anything else?"))
    _, later = await send_sse(client, session_id, "thanks")
    assert "session_title" not in names(later)
    assert len(fake.requests) == 3  # no second title request


async def test_a_generated_title_is_at_most_60_characters(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    long_title = "A very long title " * 8
    session_id, _, events = await titled_first_exchange(
        server, client, fake, long_title, asked="hello", answer="Sure."
    )

    title = only(events, "session_title")["title"]
    assert len(title) <= 60
    assert title == " ".join(long_title.split())[:60].rstrip()
    assert (await client.get(f"/api/chat/sessions/{session_id}")).json()["title"] == title


async def test_a_failed_title_keeps_the_derived_one(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_generate_titles=True, llm_max_retries=0)
    fake.script(text("Let's see."), status(500))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "VPN keeps dropping in Berlin")

    assert status_code == 200
    assert names(events)[-2:] == ["assistant_message", "done"]
    assert "error" not in names(events)
    assert len(fake.requests) == 2
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["title"] == "VPN keeps dropping in Berlin"
    assert [m["status"] for m in detail["messages"]] == ["complete", "complete"]


async def test_provider_name_is_what_config_reports(
    server: LiveServer, client: Client, fake: FakeServer
) -> None:
    use_fake(server, fake)

    config = (await client.get("/api/chat/config")).json()

    assert config == {
        "provider": provider_name(fake),
        "model": "fake-model",
        "offline": False,
        "max_message_chars": 8000,
        "max_attached_tickets": 20,
        "approval": {"policy": "writes", "ask_before_changes": True, "can_change": False},
    }


async def test_a_slow_title_never_delays_the_reply_or_the_next_message(
    server: LiveServer, client: Client, openai_fake: FakeServer
) -> None:
    # One stream at a time: the title must not hold the slot (nor the session lock).
    use_fake(server, openai_fake, llm_generate_titles=True, chat_max_concurrent_streams=1)
    openai_fake.script(text("Sure."), text("Slow title", delay=1.5), text("Second answer."))
    session = await new_session(client)

    response = await send(client, session["id"], "hello there")
    title_at_reply = (await client.get(f"/api/chat/sessions/{session['id']}")).json()["title"]
    for _ in range(100):  # wait until the title request is with the model
        if len(openai_fake.requests) == 2:
            break
        await asyncio.sleep(0.01)
    second = await send(client, session["id"], "one more thing")

    assert response.status_code == 200
    assert response.json()["content"] == "Sure."
    assert title_at_reply == "hello there"  # the reply did not wait for the model's title
    assert len(openai_fake.requests) == 3
    assert second.status_code == 200, second.text
    assert second.json()["content"] == "Second answer."
    title = None
    for _ in range(60):  # the title lands afterwards
        title = (await client.get(f"/api/chat/sessions/{session['id']}")).json()["title"]
        if title == "Slow title":
            break
        await asyncio.sleep(0.1)
    assert title == "Slow title"
