"""A repeated create_ticket is refused with the earlier ticket's number (issue 13, item 3):
the same title and description once normalised, or near-identical, whether created earlier
in the chat or attached to it; a different ticket is still created."""

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.chat.helpers import Client, attach, new_session, send, use_fake
from tests.chat.reads import ticket_count
from tests.chat.received import tool_results_in
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.factories import make_ticket


def create(call_id: str, title: str, description: str) -> object:
    return call("create_ticket", {"title": title, "description": description}, id=call_id)


async def test_repeated_creates_in_one_turn_make_one_ticket(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(
        tool_calls(
            create("c1", "VPN down in Berlin", "Nobody can connect since 9am."),
            create("c2", "vpn down in berlin!", "Nobody can connect since 9 am"),  # normalised
            create("c3", "VPN down in Berlin", "Nobody can connect since 9am!!"),  # near
            create("c4", "Printer jammed", "Tray 2 is stuck."),  # a different ticket
        ),
        tool_calls(create("c5", "VPN down in Berlin", "Nobody can connect since 9am.")),
        text("Created #1 and #2."),
    )
    session = await new_session(client)

    response = await send(client, session["id"], "the VPN is down in Berlin; also a printer")

    assert response.status_code == 200, response.text
    statuses = [(c["id"], c["status"]) for c in response.json()["tool_calls"]]
    assert statuses == [
        ("c1", "ok"),
        ("c2", "error"),
        ("c3", "error"),
        ("c4", "ok"),
        ("c5", "error"),
    ]
    assert await ticket_count() == 2
    refusals = [r["content"]["error"] for r in tool_results_in(openai_fake.requests[1])[1:3]]
    assert all(
        r["code"] == "duplicate" and "already created as #1" in r["message"] for r in refusals
    )


async def test_a_copy_of_the_attached_ticket_is_refused(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
) -> None:
    await make_ticket(db, by=agent, title="Printer jammed", description="Paper stuck in tray 2")
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(
        tool_calls(create("c1", "Printer jammed", "Paper stuck in tray 2.")),
        text("#1: the printer is jammed."),
    )
    session = await new_session(client)
    assert (await attach(client, session["id"], 1)).status_code == 200

    response = await send(client, session["id"], "summarize the attached ticket")

    assert response.status_code == 200, response.text
    assert [c["status"] for c in response.json()["tool_calls"]] == ["error"]
    assert await ticket_count() == 1
    [result] = tool_results_in(openai_fake.requests[1])
    assert "already created as #1" in result["content"]["error"]["message"]
