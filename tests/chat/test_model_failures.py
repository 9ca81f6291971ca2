"""What a weak or failing model leaves the user with (issue 13, items 4, 6 and 7): an empty
answer is asked again once, then told from what the tools did, or fails with a reason; a
failed turn says which writes it made; server errors reach the user as one plain sentence."""

from typing import Any

from tests.chat.helpers import Client, new_session, send, send_sse, use_fake
from tests.chat.reads import stored_messages
from tests.chat.received import system_prompt_of
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, status, text, tool_calls
from tests.support.sse import only

CREATE = call("create_ticket", {"title": "VPN down", "description": "No VPN"}, id="c1")


async def test_an_empty_answer_is_asked_again_once(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(text(""), text("Here is what I found."))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["content"]) == (
        "complete",
        "Here is what I found.",
    )
    assert "Your last answer was empty" in system_prompt_of(openai_fake.requests[1])


async def test_still_empty_the_reply_says_what_the_tools_did(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_approval="never")
    openai_fake.script(tool_calls(CREATE), text(""), text("  "))
    session = await new_session(client)

    status_code, events = await send_sse(client, session["id"], "the VPN is down")

    assert status_code == 200
    message = only(events, "assistant_message")["message"]
    assert (message["status"], message["content"]) == ("complete", "Created ticket #1.")
    assert [t["number"] for t in message["tickets"]] == [1]


async def test_still_empty_with_nothing_done_the_turn_fails_with_a_reason(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.script(text(""), text(""))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 502
    assert response.json()["error"]["message"] == (
        "The AI model gave an empty answer. Try again or rephrase."
    )
    stored = await stored_messages(session["id"])
    assert [(m.status, m.error and m.error["code"]) for m in stored] == [
        ("complete", None),
        ("failed", "empty"),
    ]


async def test_a_failed_turn_says_which_tickets_it_created(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, chat_approval="never", llm_max_retries=0)
    openai_fake.script(tool_calls(CREATE), status(502), tool_calls(CREATE), status(502))
    json_session, sse_session = await new_session(client), await new_session(client)

    response = await send(client, json_session["id"], "the VPN is down")
    _, events = await send_sse(client, sse_session["id"], "the VPN is down in Paris")

    assert response.status_code == 502
    details = response.json()["error"]["details"]
    assert {"field": "tool_call", "message": "Created ticket #1"} in details
    ran = only(events, "error")["tool_calls"]
    assert [(r["name"], r["status"], [t["number"] for t in r["tickets"]]) for r in ran] == [
        ("create_ticket", "ok", [2])
    ]


def plain_error(body: dict[str, Any]) -> str:
    message: str = body["error"]["message"]
    return message


async def test_server_errors_reach_the_user_as_a_plain_sentence(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, llm_max_retries=0)
    details = "7 validation errors: {'type': 'literal_error', 'loc': ('body', 'messages', 2)}"
    openai_fake.script(status(500, message=details), status(400, message=details))
    session = await new_session(client)

    unavailable = plain_error((await send(client, session["id"], "hello")).json())
    rejected = plain_error((await send(client, session["id"], "hello again")).json())

    assert unavailable == "The AI model could not be reached. Try again in a moment."
    assert rejected.startswith("The AI model rejected the request")
    stored = await stored_messages(session["id"])
    assert all("validation" not in str(m.error) for m in stored)


async def test_an_unreachable_server_is_a_plain_sentence(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake, llm_max_retries=0, llm_base_url="http://127.0.0.1:9/v1")
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 502
    assert plain_error(response.json()) == (
        "The AI model could not be reached. Try again in a moment."
    )
