"""Intake through a real model's tool calls (the fake OpenAI and Anthropic servers, scripted:
find_contact, find_similar_tickets, then the writes as one grouped card), the `never` path
with the offline assistant, and tool arguments the model gets wrong."""

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Contact, Interaction, Ticket, TicketNote, User
from tests.chat.helpers import FakeServer, new_session, send, use_fake
from tests.chat.proposals import decide, never
from tests.chat.received import tool_results_in
from tests.conftest import LiveServer
from tests.fakes import call, text, tool_calls
from tests.support.factories import make_contact, make_ticket

NOTE = "Maria Lopez from Acme called from +1 555 010 2030: outlook won't open, stuck on profile"


async def maria(db: AsyncSession, agent: User) -> tuple[Contact, Ticket]:
    contact = await make_contact(
        db, name="Maria Lopez", phone="+1 555 010 2030", organization="Acme Corp"
    )
    ticket = await make_ticket(
        db, by=agent, title="3rd-floor printer jams", description="Tray 2", contact_id=contact.id
    )
    return contact, ticket


async def rows(db: AsyncSession, model: Any) -> list[Any]:
    return list(await db.scalars(select(model).execution_options(populate_existing=True)))


async def test_a_scripted_model_takes_a_call_in_one_grouped_card(
    server: LiveServer, client: httpx.AsyncClient, fake: FakeServer, db: AsyncSession, agent: User
) -> None:
    use_fake(server, fake, chat_approval="writes")
    contact, _ = await maria(db, agent)
    number = contact.number
    fake.script(
        tool_calls(call("find_contact", {"query": "+1 555 010 2030"})),
        tool_calls(
            call("find_similar_tickets", {"title": "Outlook won't open", "contact_id": number})
        ),
        tool_calls(
            call(
                "create_ticket",
                {"title": "Outlook won't open", "description": NOTE, "contact_id": number},
            ),
            call("log_call", {"contact_id": number, "summary": NOTE}),
            text=f"Maria Lopez (C-{number}) called.",
        ),
        text("Created the ticket and logged the call."),
    )
    session = await new_session(client)

    paused = (await send(client, session["id"], NOTE)).json()

    assert paused["status"] == "awaiting_approval"
    assert [c["contact"]["number"] for c in paused["callers"]] == [number]
    assert [t["title"] for t in paused["callers"][0]["open_tickets"]] == ["3rd-floor printer jams"]
    create, log = paused["proposals"]
    assert (create["tool"], log["tool"]) == ("create_ticket", "log_call")
    assert create["group_id"] == log["group_id"] == create["id"]
    assert log["depends_on"] == create["id"]
    assert create["contact"]["number"] == number
    assert await rows(db, Interaction) == []

    reply = (await decide(client, session["id"], create["id"], "approve")).json()

    assert [p["state"] for p in reply["proposals"]] == ["executed", "executed"]
    assert reply["content"].endswith("Created the ticket and logged the call.")
    [call_row] = await rows(db, Interaction)
    ticket = await db.get(Ticket, call_row.ticket_id, populate_existing=True)
    assert ticket is not None and ticket.title == "Outlook won't open"
    assert (ticket.contact_id, ticket.source, call_row.contact_id) == (
        contact.id,
        "call",
        contact.id,
    )
    assert call_row.agent_id == agent.id


async def test_a_new_caller_is_added_ticketed_and_logged_then_undone_together(
    server: LiveServer, client: httpx.AsyncClient, fake: FakeServer, db: AsyncSession
) -> None:
    use_fake(server, fake, chat_approval="writes")
    fake.script(
        tool_calls(call("find_contact", {"query": "555 010 7723"})),
        tool_calls(
            call(
                "create_contact",
                {
                    "name": "Hannah Reyes",
                    "phone": "555 010 7723",
                    "organization": "Brightline Dental",
                },
            ),
            call("create_ticket", {"title": "Reception PC won't turn on", "description": "beeps"}),
            call("log_call", {"summary": "PC beeps 3 times"}),
        ),
        text("Done."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "Hannah Reyes called, 555 010 7723")).json()
    add, create, log = paused["proposals"]
    assert {add["group_id"], create["group_id"], log["group_id"]} == {add["id"]}
    assert (create["depends_on"], log["depends_on"]) == (add["id"], create["id"])
    assert create["headline"] == "Create ticket “Reception PC won't turn on” for the new caller?"

    # approving a later step approves the group from its first
    reply = (await decide(client, session["id"], log["id"], "approve")).json()

    assert [p["state"] for p in reply["proposals"]] == ["executed"] * 3
    [contact] = await rows(db, Contact)
    [ticket] = await rows(db, Ticket)
    [logged] = await rows(db, Interaction)
    assert (contact.name, contact.phone) == ("Hannah Reyes", "+15550107723")
    assert ticket.contact_id == logged.contact_id == contact.id and logged.ticket_id == ticket.id
    assert [c["contact"]["number"] for c in reply["callers"]] == [contact.number]

    undone = await decide(client, session["id"], add["id"], "undo")

    assert undone.status_code == 200, undone.text
    assert await rows(db, Contact) == [] and await rows(db, Interaction) == []
    [ticket] = await rows(db, Ticket)
    assert ticket.status == "closed"  # created in error


async def test_rejecting_the_first_step_rejects_the_group(
    server: LiveServer, client: httpx.AsyncClient, openai_fake: FakeServer
) -> None:
    use_fake(server, openai_fake, chat_approval="writes")
    openai_fake.script(
        tool_calls(
            call("create_contact", {"name": "Sam Ortiz"}),
            call("create_ticket", {"title": "Keyboard missing keys", "description": "2 keys"}),
            call("log_call", {"summary": "walk-in"}),
        ),
        text("Nothing done."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "walk-in: Sam Ortiz, keyboard")).json()

    reply = (await decide(client, session["id"], paused["proposals"][0]["id"], "reject")).json()

    assert [p["state"] for p in reply["proposals"]] == ["rejected"] * 3


async def test_a_failing_step_stops_the_rest(
    server: LiveServer, client: httpx.AsyncClient, openai_fake: FakeServer, db: AsyncSession
) -> None:
    use_fake(server, openai_fake, chat_approval="writes")
    openai_fake.script(
        tool_calls(
            call("create_contact", {"name": "Li Wei", "phone": "+1 555 010 6120"}),
            call("log_call", {"summary": "citrix"}),
        ),
        text("Could not log it."),
    )
    session = await new_session(client)
    paused = (await send(client, session["id"], "Li Wei called, +1 555 010 6120")).json()
    # meanwhile someone adds the same caller: the contact step fails on its phone
    await make_contact(db, name="Li Wei", phone="+1 555 010 6120")

    reply = (await decide(client, session["id"], paused["proposals"][0]["id"], "approve")).json()

    add, log = reply["proposals"]
    assert (add["state"], log["state"]) == ("failed", "failed")
    assert "belongs to contact" in add["summary"] and "Not done" in log["summary"]
    assert await rows(db, Interaction) == []


async def test_a_bad_contact_id_is_a_tool_error_and_nothing_is_written(
    server: LiveServer, client: httpx.AsyncClient, fake: FakeServer, db: AsyncSession
) -> None:
    use_fake(server, fake, chat_approval="never")
    fake.script(
        tool_calls(
            call("log_call", {"summary": "no contact at all"}),
            call("log_call", {"contact_id": 999999, "summary": "hi"}),
            call("create_ticket", {"title": "T", "description": "d", "contact_id": 999999}),
            call("log_call", {"contact_id": "C-1; DROP TABLE", "summary": "hi"}),
        ),
        text("I could not find that caller."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "log the call with C-999999")

    assert response.status_code == 200, response.text
    assert [c["status"] for c in response.json()["tool_calls"]] == ["error"] * 4
    results = [r["content"]["error"]["code"] for r in tool_results_in(fake.requests[1])]
    assert results == ["invalid_arguments", "not_found", "not_found", "invalid_arguments"]
    assert await rows(db, Ticket) == [] and await rows(db, Interaction) == []


async def test_never_mode_takes_the_call_in_at_once(
    server: LiveServer, client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    never(server)
    contact, printer = await maria(db, agent)
    session = await new_session(client)

    reply = (await send(client, session["id"], NOTE)).json()

    assert reply["status"] == "complete", reply
    assert all(p["automatic"] and p["state"] == "executed" for p in reply["proposals"])
    [logged] = await rows(db, Interaction)
    ticket = await db.get(Ticket, logged.ticket_id, populate_existing=True)
    assert ticket is not None and ticket.id != printer.id
    assert (ticket.contact_id, ticket.source) == (contact.id, "call")
    assert "outlook" in ticket.title.casefold()
    assert reply["callers"][0]["contact"]["number"] == contact.number


async def test_never_mode_asks_before_adding_notes_to_a_found_ticket(
    server: LiveServer, client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    never(server)
    contact, printer = await maria(db, agent)
    session = await new_session(client)
    note = "Maria Lopez (Acme) called from +1 555 010 2030, the 3rd-floor printer jams again"

    reply = (await send(client, session["id"], note)).json()

    [logged] = await rows(db, Interaction)
    assert (logged.contact_id, logged.ticket_id) == (contact.id, printer.id)
    assert reply["content"].endswith(f"Add the call notes to #{printer.number} as well?")
    count = select(func.count()).select_from(TicketNote)
    assert await db.scalar(count) == 0

    answered = (await send(client, session["id"], "yes")).json()

    assert [c["name"] for c in answered["tool_calls"]] == ["update_ticket"]
    assert await db.scalar(count) == 1
