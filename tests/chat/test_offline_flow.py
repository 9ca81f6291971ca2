"""Spec §8's acceptance criteria that the backend serves, end to end over HTTP, with the
default offline assistant (no model configured)."""

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Ticket, TicketEvent, User
from tests.chat.helpers import (
    Client,
    attach,
    new_session,
    send,
    send_sse,
    signed_in_at,
    use_fake,
)
from tests.chat.proposals import never
from tests.chat.reads import chat_events, fetch_all, stored_messages, ticket_by_number
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket
from tests.support.sse import Event, only


def shape(events: list[Event]) -> list[str]:
    """Event names with each run of text_delta folded into one."""
    folded: list[str] = []
    for name, _ in events:
        if not (name == "text_delta" and folded and folded[-1] == "text_delta"):
            folded.append(name)
    return folded


# -- create a session, send and receive -----------------------------------------------------
async def test_send_and_receive_json(client: Client) -> None:
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    reply = response.json()
    assert reply["role"] == "assistant"
    assert reply["status"] == "complete"
    assert reply["session_id"] == session["id"]
    assert "offline" in reply["content"].lower()  # it says honestly what it is
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content) for m in stored] == [
        ("user", "hello"),
        ("assistant", reply["content"]),
    ]
    assert str(stored[1].id) == reply["id"]


async def test_send_and_receive_sse_with_a_tool_call(
    client: Client, db: AsyncSession, agent: User
) -> None:
    ticket = await make_ticket(db, by=agent, title="Printer jammed", priority="high")
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "what's the status of #1?")

    assert status == 200
    assert shape(events) == [
        "user_message",
        "tool_call_started",
        "tool_call_finished",
        "text_delta",
        "assistant_message",
        "done",
    ]
    user = only(events, "user_message")["message"]
    assert (user["role"], user["content"]) == ("user", "what's the status of #1?")
    started = only(events, "tool_call_started")
    assert (started["name"], started["arguments"]) == ("get_ticket", {"ticket_id": 1})
    assert started["label"] == "Reading ticket #1…"
    finished = only(events, "tool_call_finished")
    assert (finished["id"], finished["name"], finished["status"]) == (
        started["id"],
        "get_ticket",
        "ok",
    )
    assert [t["id"] for t in finished["tickets"]] == [str(ticket.id)]
    reply = only(events, "assistant_message")["message"]
    streamed = "".join(data["text"] for name, data in events if name == "text_delta")
    assert streamed == reply["content"]
    assert "#1" in reply["content"] and "Printer jammed" in reply["content"]
    assert reply["ticket_refs"] == [str(ticket.id)]
    assert [(c["name"], c["status"]) for c in reply["tool_calls"]] == [("get_ticket", "ok")]
    assert only(events, "done") == {}
    stored = await stored_messages(session["id"])
    assert [str(m.id) for m in stored] == [user["id"], reply["id"]]


async def test_sse_without_tools(client: Client) -> None:
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "thanks!")

    assert status == 200
    assert shape(events) == ["user_message", "text_delta", "assistant_message", "done"]


# -- attach, and the assistant refers to the attached tickets -------------------------------
async def test_summarise_the_attached_tickets(
    client: Client, db: AsyncSession, agent: User
) -> None:
    printer = await make_ticket(db, by=agent, title="Printer jammed", priority="low")
    vpn = await make_ticket(db, by=agent, title="VPN down in Berlin", priority="urgent")
    await make_ticket(db, by=agent, title="Unrelated mouse issue")
    session = await new_session(client)
    assert (await attach(client, session["id"], 1, "#2")).status_code == 200

    response = await send(client, session["id"], "summarise the attached tickets")

    reply = response.json()
    assert "#1" in reply["content"] and "#2" in reply["content"]
    assert "Printer jammed" in reply["content"] and "VPN down in Berlin" in reply["content"]
    assert "#3" not in reply["content"]
    assert set(reply["ticket_refs"]) == {str(printer.id), str(vpn.id)}
    assert {t["number"] for t in reply["tickets"]} == {1, 2}

    urgent = (await send(client, session["id"], "which of them are urgent?")).json()
    assert "#2" in urgent["content"] and "#1" not in urgent["content"]


# -- create via chat ------------------------------------------------------------------------
async def test_create_a_ticket_via_chat(server: LiveServer, client: Client, agent: User) -> None:
    never(server)  # created at once (approved: test_proposals_flow.py)
    session = await new_session(client)

    response = await send(
        client, session["id"], "create a ticket for the VPN outage in Berlin, it's urgent"
    )

    assert response.status_code == 200
    reply = response.json()
    ticket = await ticket_by_number(1)
    assert ticket.source == "chat"
    assert ticket.priority == "urgent"
    assert "VPN" in ticket.title and "Berlin" in ticket.title
    assert ticket.chat_session_id == uuid.UUID(session["id"])
    assert ticket.created_by == agent.id
    assert reply["ticket_refs"] == [str(ticket.id)]
    assert "#1" in reply["content"]
    assert [(c["name"], c["status"], c["ticket_ids"]) for c in reply["tool_calls"]] == [
        ("create_ticket", "ok", [str(ticket.id)])
    ]
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert [t["id"] for t in detail["attached_tickets"]] == [str(ticket.id)]
    events = await fetch_all(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))
    assert [(e.action, e.channel, e.chat_session_id, e.actor_id) for e in events] == [
        ("created", "chat", ticket.chat_session_id, agent.id)
    ]


async def test_update_via_chat_lands_in_the_audit_trail(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)  # changed at once (approved: test_proposals_flow.py)
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    reply = (await send(client, session["id"], "mark #1 as in progress")).json()

    assert [(c["name"], c["arguments"], c["status"]) for c in reply["tool_calls"]] == [
        ("update_ticket", {"ticket_id": 1, "status": "in_progress"}, "ok")
    ]
    assert (await ticket_by_number(1)).status == "in_progress"
    assert [
        (e.field, e.old_value, e.new_value, str(e.chat_session_id)) for e in await chat_events()
    ] == [("status", "open", "in_progress", session["id"])]


# -- ticket_refs for inline cards -----------------------------------------------------------
async def test_refs_resolve_to_summaries_and_invented_numbers_are_never_refs(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    ticket = await make_ticket(db, by=agent, title="Printer jammed")
    use_fake(server, openai_fake)
    openai_fake.script(text("see #9999 and #1"))
    session = await new_session(client)

    reply = (await send(client, session["id"], "anything related?")).json()

    assert reply["content"] == "see #9999 and #1"
    assert reply["ticket_refs"] == [str(ticket.id)]
    assert [(t["id"], t["number"], t["title"]) for t in reply["tickets"]] == [
        (str(ticket.id), 1, "Printer jammed")
    ]
    reread = (await client.get(f"/api/chat/sessions/{session['id']}")).json()["messages"][-1]
    assert reread["ticket_refs"] == [str(ticket.id)]
    assert [t["number"] for t in reread["tickets"]] == [1]


async def test_refs_follow_the_replys_order_once_each_then_the_tools_tickets(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    first, second, third = [
        await make_ticket(db, by=agent, title=title) for title in ("Printer", "VPN", "Laptop")
    ]
    use_fake(server, openai_fake)
    openai_fake.script(
        tool_calls(call("get_ticket", {"ticket_id": 1})),
        text("#3 first, then #404, #1, #3 again and #2"),
    )
    session = await new_session(client)

    reply = (await send(client, session["id"], "what about #1?")).json()

    # Mentions in order (#3 and #2 looked up, #404 invented, #3 once), then the tool's #1,
    # already placed by its mention.
    assert reply["ticket_refs"] == [str(third.id), str(first.id), str(second.id)]
    assert [t["number"] for t in reply["tickets"]] == [3, 1, 2]
    reread = (await client.get(f"/api/chat/sessions/{session['id']}")).json()["messages"][-1]
    assert reread["ticket_refs"] == reply["ticket_refs"]
    assert [t["title"] for t in reread["tickets"]] == ["Laptop", "Printer", "VPN"]


# -- search and filter ----------------------------------------------------------------------
@pytest.fixture
async def printers(db: AsyncSession, agent: User) -> None:
    """#1 an open printer ticket, #2 a resolved one, #3 about something else."""
    await make_ticket(db, by=agent, title="Printer on floor 2 jammed")
    await make_ticket(db, by=agent, title="Printer toner empty", status="resolved")
    await make_ticket(db, by=agent, title="VPN down", description="Nothing about paper")


@pytest.mark.usefixtures("printers")
async def test_find_open_tickets_about_printers(client: Client) -> None:
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "find open tickets about printers")

    assert status == 200
    started = only(events, "tool_call_started")
    assert started["name"] == "search_tickets"
    assert started["arguments"]["status"] == "open"
    assert "printer" in started["arguments"]["query"].lower()
    finished = only(events, "tool_call_finished")
    assert [t["number"] for t in finished["tickets"]] == [1]
    reply = only(events, "assistant_message")["message"]
    assert "#1" in reply["content"]
    assert "#2" not in reply["content"] and "#3" not in reply["content"]
    assert [t["number"] for t in reply["tickets"]] == [1]


@pytest.mark.usefixtures("printers")
async def test_the_ticket_picker_searches_and_filters(client: Client) -> None:

    every = await client.get("/api/tickets/search", params={"q": "printer"})
    open_only = await client.get("/api/tickets/search", params={"q": "printer", "status": "open"})

    assert sorted(h["number"] for h in every.json()["items"]) == [1, 2]
    assert [h["number"] for h in open_only.json()["items"]] == [1]


# -- persisted and resumable: a new server process reads the session back -------------------
async def test_a_new_server_process_resumes_the_session(
    client: Client, db: AsyncSession, agent: User, second_process: str
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    await attach(client, session["id"], 1)
    first = (await send(client, session["id"], "summarise the attached tickets")).json()
    before = (await client.get(f"/api/chat/sessions/{session['id']}")).json()

    async with signed_in_at(second_process, agent) as fresh:
        listed = (await fresh.get("/api/chat/sessions")).json()["items"]
        after = (await fresh.get(f"/api/chat/sessions/{session['id']}")).json()
        more = await fresh.post(
            f"/api/chat/sessions/{session['id']}/messages", json={"content": "close #1"}
        )
        # the copilot proposes it (the default); the agent approves it there too
        assert more.status_code == 200, more.text
        proposal = more.json()["proposals"][0]
        approved = await fresh.post(
            f"/api/chat/sessions/{session['id']}/proposals/{proposal['id']}/approve"
        )

    assert [s["id"] for s in listed] == [session["id"]]
    assert listed[0]["title"] == "summarise the attached tickets"
    assert after == before
    assert [m["role"] for m in after["messages"]] == ["system", "user", "assistant"]
    assert after["messages"][-1]["id"] == first["id"]
    assert after["messages"][-1]["ticket_refs"] == first["ticket_refs"]
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "complete"
    assert (await ticket_by_number(1)).status == "closed"
    tickets = await fetch_all(select(Ticket))
    assert len(tickets) == 1


# -- issue 18: priority and assignee, and writes asked before they are made ----------------
async def test_offline_assistant_changes_priority_and_assignee(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)  # the write at once; in writes mode it is a proposal (test_proposals_flow.py)
    from tests.support.factories import make_user

    becker = await make_user(db, email="tom.becker@desk.example", name="Tom Becker")
    await make_user(db, email="tom.lindqvist@desk.example", name="Tom Lindqvist")
    await make_ticket(db, by=agent, title="Dock flickers")
    session = await new_session(client)

    bumped = await send(client, session["id"], "bump 1 to urgent")
    asked = await send(client, session["id"], "assign 1 to tom")
    answered = await send(client, session["id"], "becker")

    assert bumped.json()["tool_calls"][0]["status"] == "ok"
    assert asked.json()["tool_calls"] is None, "ambiguous: asked, not guessed"
    assert "Tom Becker or Tom Lindqvist" in asked.json()["content"]
    assert answered.json()["tool_calls"][0]["status"] == "ok", answered.json()
    ticket = await ticket_by_number(1)
    assert (ticket.priority, ticket.assignee_id) == ("urgent", becker.id)
    changed = sorted(e.field for e in await chat_events() if e.action == "updated")
    assert changed == ["assignee_id", "priority"]


async def test_an_unsure_write_is_asked_and_yes_makes_it_in_scope(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)  # the write at once; in writes mode it is a proposal (test_proposals_flow.py)
    for title in ("VPN drops", "Mouse broken", "Printer jams"):
        await make_ticket(db, by=agent, title=title)
    session = await new_session(client)

    asked = await send(client, session["id"], "i think 3 can go")
    assert asked.json()["tool_calls"] is None
    assert asked.json()["content"].startswith("Close #3?")
    assert (await ticket_by_number(3)).status == "open", "nothing written before the yes"

    done = await send(client, session["id"], "yes")
    [call_record] = done.json()["tool_calls"]
    assert (call_record["name"], call_record["status"]) == ("update_ticket", "ok")
    assert (await ticket_by_number(3)).status == "closed"


async def test_an_answered_which_ticket_question_names_the_ticket(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    never(server)  # the write at once; in writes mode it is a proposal (test_proposals_flow.py)
    for title in ("VPN drops", "Mouse broken"):
        await make_ticket(db, by=agent, title=title)
    session = await new_session(client)

    asked = await send(client, session["id"], "close it")
    done = await send(client, session["id"], "2")

    assert asked.json()["tool_calls"] is None and "?" in asked.json()["content"]
    assert done.json()["tool_calls"][0]["status"] == "ok", done.json()
    assert (await ticket_by_number(2)).status == "closed"
    assert (await ticket_by_number(1)).status == "open"


async def test_the_help_text_shows_no_cards_for_its_example_numbers(
    client: Client, db: AsyncSession, agent: User
) -> None:
    from tests.support import fast

    await fast.make_tickets(db, by=agent, specs=({"title": f"Ticket {i}"} for i in range(60)))
    session = await new_session(client)

    reply = (await send(client, session["id"], "what can you do?")).json()

    assert "close #47" in reply["content"], reply["content"]
    assert (reply["ticket_refs"], reply["tickets"]) == ([], [])
