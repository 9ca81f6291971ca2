"""update_ticket's optional priority and assignee, through a whole chat turn with each
provider: the change lands through the ticket service and its audit (channel chat), and an
assignee that names no one, several people or a team comes back to the model as data."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import Client, FakeServer, new_session, send, use_fake
from tests.chat.reads import chat_events, ticket_by_number
from tests.chat.received import tool_results_in
from tests.conftest import LiveServer
from tests.fakes import call, text, tool_calls
from tests.support.factories import make_ticket, make_user


@pytest.fixture
async def desk(db: AsyncSession, agent: User) -> dict[str, User]:
    made = {
        "becker": await make_user(db, email="tom.becker@desk.example", name="Tom Becker"),
        "lindqvist": await make_user(db, email="tom.lindqvist@desk.example", name="Tom Lindqvist"),
    }
    await make_ticket(db, by=agent, title="VPN drops at home")
    return made


async def test_priority_and_assignee_change_through_chat(
    server: LiveServer, client: Client, fake: FakeServer, desk: dict[str, User]
) -> None:
    # the write at once (proposed and approved: test_proposals_flow.py)
    use_fake(server, fake, chat_approval="never")
    arguments = {"ticket_id": 1, "priority": "urgent", "assignee": "becker"}
    fake.script(tool_calls(call("update_ticket", arguments, id="u1")), text("Done."))
    session = await new_session(client)

    response = await send(client, session["id"], "bump #1 to urgent and give it to becker")

    assert response.status_code == 200, response.text
    [record] = response.json()["tool_calls"]
    assert record["status"] == "ok"
    assert record["summary"] == (
        "Updated ticket #1 (priority medium → urgent, assignee none → Tom Becker)"
    )
    ticket = await ticket_by_number(1)
    assert (ticket.priority, ticket.assignee_id) == ("urgent", desk["becker"].id)
    changed = {(e.field, e.channel) for e in await chat_events() if e.action == "updated"}
    assert changed == {("priority", "chat"), ("assignee_id", "chat")}
    [result] = tool_results_in(fake.requests[1])
    assert result["content"]["changes"] == [
        {"field": "priority", "old": "medium", "new": "urgent"},
        {"field": "assignee", "old": None, "new": "Tom Becker"},
    ]


@pytest.mark.parametrize(
    ("assignee", "says"),
    [
        ("tom", "could be Tom Becker or Tom Lindqvist"),
        ("sarah", "no agent of this desk is called 'sarah'"),
        ("network team", "is a team"),
    ],
)
async def test_an_assignee_that_cannot_be_settled_changes_nothing(
    server: LiveServer,
    client: Client,
    fake: FakeServer,
    desk: dict[str, User],
    assignee: str,
    says: str,
) -> None:
    # the write at once (proposed and approved: test_proposals_flow.py)
    use_fake(server, fake, chat_approval="never")
    arguments: dict[str, Any] = {"ticket_id": 1, "assignee": assignee, "priority": "high"}
    fake.script(tool_calls(call("update_ticket", arguments, id="u1")), text("Which one?"))
    session = await new_session(client)

    response = await send(client, session["id"], f"assign #1 to {assignee}, high prio")

    assert response.status_code == 200, response.text
    assert response.json()["tool_calls"][0]["status"] == "error"
    [result] = tool_results_in(fake.requests[1])
    assert says in result["content"]["error"]["message"]
    ticket = await ticket_by_number(1)
    assert (ticket.priority, ticket.assignee_id) == ("medium", None), "nothing half-done"
