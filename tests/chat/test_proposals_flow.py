"""The supervised copilot end to end with the offline assistant (no model configured):
"close #1" becomes a proposal the agent sees, approves, edits or rejects; the reply then
goes on. DESKPILOT_CHAT_APPROVAL is the default (writes) unless a test says otherwise."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import new_session, send, send_sse, stored_messages, ticket_by_number
from tests.chat.proposals import decide_sse, events_of, pending, proposal_row
from tests.support.factories import make_ticket
from tests.support.sse import names, only

Client = httpx.AsyncClient


async def test_a_write_is_proposed_and_nothing_changes_until_approved(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)

    status, events = await send_sse(client, session["id"], "close #1")

    assert status == 200
    assert names(events)[-2:] == ["approval_required", "done"]
    paused = only(events, "approval_required")
    proposal = paused["proposal"]
    assert proposal["tool"] == "update_ticket"
    assert proposal["headline"] == "Close #1?"
    assert proposal["state"] == "pending"
    assert proposal["ticket"]["number"] == 1
    assert proposal["changes"] == [{"field": "status", "from": "open", "to": "closed"}]
    assert (proposal["note"], proposal["new_ticket"]) == (None, None)
    message = paused["message"]
    assert message["status"] == "awaiting_approval"
    assert [(c["name"], c["status"], c["proposal_id"]) for c in message["tool_calls"]] == [
        ("update_ticket", "proposed", proposal["id"])
    ]
    assert message["proposals"] == paused["proposals"] == [proposal]
    ticket = await ticket_by_number(1)
    assert ticket.status == "open"
    assert [e.action for e in await events_of(ticket.id)] == ["created"]
    row = await proposal_row(proposal["id"])
    assert (row.state, row.snapshot["fields"], row.message_id) == (
        "pending",
        {"status": "open"},
        ticket.id and row.message_id,
    )
    assert str(row.message_id) == message["id"]


async def test_approve_writes_then_the_reply_goes_on(
    client: Client, db: AsyncSession, agent: User
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed")
    session = await new_session(client)
    paused = (await send(client, session["id"], "close #1")).json()
    proposal = pending(paused)[0]

    status, events = await decide_sse(client, session["id"], proposal["id"], "approve")

    assert status == 200, events
    assert names(events)[0] == "proposal_updated"
    assert names(events)[-2:] == ["assistant_message", "done"]
    decided = only(events, "proposal_updated")["proposal"]
    assert (decided["state"], decided["decided_by"]["name"]) == ("executed", "Ada Agent")
    reply = only(events, "assistant_message")["message"]
    assert reply["id"] == paused["id"]  # the same reply, carried on
    assert reply["status"] == "complete"
    assert "#1" in reply["content"] and "closed" in reply["content"].lower()
    assert [(c["status"], c["proposal_id"]) for c in reply["tool_calls"]] == [
        ("executed", proposal["id"])
    ]
    ticket = await ticket_by_number(1)
    assert ticket.status == "closed"
    change = [e for e in await events_of(ticket.id) if e.action == "updated"]
    assert [(e.field, e.channel, e.approved_by, e.write_id) for e in change] == [
        ("status", "chat", agent.id, ticket.id and change[0].write_id)
    ]
    assert str(change[0].write_id) == proposal["id"]
    stored = await stored_messages(session["id"])
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
