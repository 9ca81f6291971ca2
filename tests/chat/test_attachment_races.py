"""Attaching tickets to a chat at the same time from several requests (and from the copilot):
no attachment is lost, the cap holds, and each stored notice matches what changed."""

import asyncio
import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import ChatMessage, ChatSession, Ticket, User
from tests.chat.helpers import Client, attach, new_session, send, use_fake
from tests.chat.reads import fetch_all, fetch_one, stored_messages
from tests.chat.received import tool_results_in
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.fast import make_tickets

_NOTICE_NUMBER = re.compile(r"#(\d+)")


async def attached_numbers(session_id: str) -> list[int]:
    ids = await fetch_one(
        select(ChatSession.attached_ticket_ids).where(ChatSession.id == uuid.UUID(session_id))
    )
    by_id = {t.id: t.number for t in await fetch_all(select(Ticket))}
    return [by_id[i] for i in ids]


async def notices(session_id: str) -> list[ChatMessage]:
    return [m for m in await stored_messages(session_id) if m.role == "system"]


def numbers_in(notice: ChatMessage) -> list[int]:
    return [int(n) for n in _NOTICE_NUMBER.findall(notice.content)]


async def test_thirty_concurrent_attaches_fill_the_cap_and_reject_the_rest(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    server.configure(chat_max_attached_tickets=20)
    tickets = await make_tickets(db, by=agent, specs=[{"title": f"T{i}"} for i in range(30)])
    session = await new_session(client)

    responses = await asyncio.gather(*(attach(client, session["id"], t.number) for t in tickets))

    ok = [r for r in responses if r.status_code == 200]
    rejected = [r for r in responses if r.status_code == 422]
    assert (len(ok), len(rejected)) == (20, 10), [r.status_code for r in responses]
    assert all(r.json()["error"]["details"][0]["field"] == "attach" for r in rejected)
    attached = await attached_numbers(session["id"])
    stored = await notices(session["id"])
    assert len(attached) == len(set(attached)) == 20
    assert [m.content for m in stored] == [f"Attached #{n}." for n in attached]
    assert [m.ticket_refs for m in stored] == [
        [next(t.id for t in tickets if t.number == n)] for n in attached
    ]
    # Each 200 answered with its own notice and a list that includes its ticket.
    answered = sorted(numbers_in_text(r.json()["system_message"]["content"]) for r in ok)
    assert answered == sorted(attached)
    assert all(
        numbers_in_text(r.json()["system_message"]["content"])
        in [t["number"] for t in r.json()["attached_tickets"]]
        for r in ok
    )


def numbers_in_text(content: str) -> int:
    (number,) = _NOTICE_NUMBER.findall(content)
    return int(number)


async def test_concurrent_attaches_and_detaches_keep_every_change(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    tickets = await make_tickets(db, by=agent, specs=[{"title": f"T{i}"} for i in range(16)])
    session = await new_session(client)
    assert (
        await attach(client, session["id"], *(t.number for t in tickets[:8]))
    ).status_code == 200

    changes = [
        client.patch(f"/api/chat/sessions/{session['id']}/tickets", json={"detach": [t.number]})
        for t in tickets[:8]
    ] + [attach(client, session["id"], t.number) for t in tickets[8:]]
    responses = await asyncio.gather(*changes)

    assert [r.status_code for r in responses] == [200] * 16
    assert sorted(await attached_numbers(session["id"])) == [t.number for t in tickets[8:]]
    stored = [m.content for m in await notices(session["id"])][1:]
    assert sorted(stored) == sorted(
        [f"Detached #{t.number}." for t in tickets[:8]]
        + [f"Attached #{t.number}." for t in tickets[8:]]
    )


async def test_concurrent_chat_ticket_creation_and_attaches_lose_nothing(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    tickets = await make_tickets(db, by=agent, specs=[{"title": f"T{i}"} for i in range(10)])
    session = await new_session(client)

    def create(i: int) -> Any:
        return client.post(
            "/api/chat/tickets",
            json={"session_id": session["id"], "title": f"New {i}", "description": "d"},
        )

    responses = await asyncio.gather(
        *(create(i) for i in range(10)), *(attach(client, session["id"], t.number) for t in tickets)
    )

    assert [r.status_code for r in responses] == [201] * 10 + [200] * 10
    created = [r.json()["number"] for r in responses[:10]]
    assert all(r.json()["attached"] is True for r in responses[:10])
    attached = await attached_numbers(session["id"])
    assert sorted(attached) == sorted(created + [t.number for t in tickets])
    assert [m.content for m in await notices(session["id"])] == [
        f"Attached #{n}." for n in attached
    ]


async def test_a_ticket_created_over_the_cap_is_kept_but_not_attached(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    server.configure(chat_max_attached_tickets=2)
    tickets = await make_tickets(db, by=agent, specs=[{"title": "A"}, {"title": "B"}])
    session = await new_session(client)
    await attach(client, session["id"], *(t.number for t in tickets))

    response = await client.post(
        "/api/chat/tickets",
        json={"session_id": session["id"], "title": "Third", "description": "d"},
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["attached"] is False
    assert body["system_message"]["content"] == (
        f"Created #{body['number']}; not attached: this chat already has the maximum of "
        "2 attached tickets."
    )
    assert body["system_message"]["ticket_refs"] == [body["id"]]
    assert await attached_numbers(session["id"]) == [t.number for t in tickets]
    assert await fetch_one(select(Ticket.title).where(Ticket.number == body["number"])) == "Third"


async def test_the_copilot_creating_a_ticket_while_tickets_are_attached_loses_nothing(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_approval="never")  # the copilot creates at once
    tickets = await make_tickets(db, by=agent, specs=[{"title": f"T{i}"} for i in range(12)])
    session = await new_session(client)
    places = [
        "Berlin office",
        "the Paris branch, since noon",
        "Tokyo: drops hourly",
        "remote staff",
    ]
    rounds = len(places)
    openai_fake.script(
        *[
            tool_calls(call("create_ticket", {"title": "VPN down", "description": place}))
            for place in places  # different tickets: a repeated one would be refused
        ],
        text("Done."),
    )

    turn = asyncio.create_task(send(client, session["id"], "open tickets for the VPN outage"))
    responses = await asyncio.gather(*(attach(client, session["id"], t.number) for t in tickets))
    reply = await turn

    assert reply.status_code == 200, reply.text
    assert [r.status_code for r in responses] == [200] * 12
    created = [t.number for t in await fetch_all(select(Ticket).where(Ticket.title == "VPN down"))]
    assert len(created) == rounds
    assert sorted(await attached_numbers(session["id"])) == sorted(
        [t.number for t in tickets] + created
    )
    # The copilot's own attachments are told by its tool calls, not by notices.
    assert sorted(n for m in await notices(session["id"]) for n in numbers_in(m)) == [
        t.number for t in tickets
    ]


async def test_the_copilot_creating_a_ticket_over_the_cap_says_it_was_not_attached(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_max_attached_tickets=1, chat_approval="never")
    (ticket,) = await make_tickets(db, by=agent, specs=[{"title": "A"}])
    session = await new_session(client)
    await attach(client, session["id"], ticket.number)
    openai_fake.script(
        tool_calls(call("create_ticket", {"title": "VPN down", "description": "Berlin"})),
        text("Created."),
    )

    reply = await send(client, session["id"], "open a ticket for the VPN outage")

    assert reply.status_code == 200, reply.text
    (result,) = tool_results_in(openai_fake.requests[1])
    assert result["content"]["created"] is True
    assert result["content"]["attached"] is False
    assert "not attached" in result["content"]["note"]
    (record,) = reply.json()["tool_calls"]
    assert record["status"] == "ok"
    assert record["summary"] == (
        f"Created ticket #{ticket.number + 1} (not attached: this chat already has the "
        "maximum of 1 attached ticket)"
    )
    assert await attached_numbers(session["id"]) == [ticket.number]
