"""Tool arguments as small local models write them (issue 13, item 8): raw newlines,
trailing commas, single quotes and a cut-off last string are repaired, then checked against
the schema; a call with no readable arguments is labelled without an empty title."""

import pytest

from tests.chat.helpers import Client, new_session, send, send_sse, use_fake
from tests.chat.reads import ticket_by_number
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, text, tool_calls
from tests.support.sse import only

SLOPPY = {
    "raw_newline": '{"title": "Printer jam", "description": "Line one\nline two"}',
    "trailing_comma": '{"title": "Printer jam", "description": "Line one\\nline two",}',
    "single_quotes": "{'title': 'Printer jam', 'description': 'Line one\\nline two'}",
    "unterminated": '{"title": "Printer jam", "description": "Line one\\nline two',
}


@pytest.mark.parametrize("case", list(SLOPPY))
async def test_sloppy_arguments_are_repaired_and_the_ticket_is_created(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer, case: str
) -> None:
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(
        tool_calls(call("create_ticket", SLOPPY[case], id="call_create")), text("Created #1.")
    )
    session = await new_session(client)

    response = await send(client, session["id"], "open a ticket: the printer jams")

    assert response.status_code == 200, response.text
    assert [c["status"] for c in response.json()["tool_calls"]] == ["ok"]
    ticket = await ticket_by_number(1)
    assert (ticket.title, ticket.description) == ("Printer jam", "Line one\nline two")


async def test_a_call_without_readable_arguments_has_a_plain_label(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(tool_calls(call("create_ticket", "??", id="call_create")), text("Sorry."))
    session = await new_session(client)

    _, events = await send_sse(client, session["id"], "open a ticket")

    assert only(events, "tool_call_started")["label"] == "Creating a ticket…"
    assert only(events, "tool_call_finished")["status"] == "error"
