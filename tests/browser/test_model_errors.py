"""Stop and Retry against the real server with provider `openai`, pointed at the fake OpenAI
server (tests/fakes) so the model's stream can be slowed down or made to fail on cue."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import (
    CHAT_PATH,
    REPLY_TIMEOUT,
    ask,
    messages,
    send,
    session_id_of,
    wait_for_reply,
)
from tests.browser.conftest import DeskpilotServer, ThreadedFakeOpenAI
from tests.browser.page_api import api_get
from tests.fakes import status, text

pytestmark = pytest.mark.browser

PARTIAL = "The fuser unit on the third floor printer is worn out, so it"
REST = " needs replacing before the paper jams stop for good."
assert len(PARTIAL) % 4 == 0  # the fake streams 4 characters per event


def open_model_chat(page: Page, server: DeskpilotServer) -> None:
    page.goto(server.url(CHAT_PATH))
    expect(page.get_by_test_id("chat-input")).to_be_enabled()
    # A configured model answers: the offline-assistant badge is not shown.
    expect(page.get_by_test_id("chat-header")).to_be_visible()
    expect(page.get_by_test_id("offline-badge")).to_have_count(0)


def test_stop_while_a_reply_streams(
    agent_page: Page, model_server: DeskpilotServer, fake_openai: ThreadedFakeOpenAI
) -> None:
    page = agent_page
    # The model streams the first part, then goes silent (connection open) until stopped.
    chunks = len(PARTIAL) // 4
    fake_openai.script(
        text(PARTIAL + REST, stall_after=1 + chunks),  # role chunk + the PARTIAL text chunks
        text("Sure: replace the fuser, then run a test page."),
    )
    open_model_chat(page, model_server)

    send(page, "Why does the printer keep jamming?")
    reply = messages(page, "assistant").last
    # A model turn on a loaded machine can take more than the default 5 s to start streaming.
    expect(reply).to_have_attribute("data-status", "streaming", timeout=REPLY_TIMEOUT)
    expect(reply).to_contain_text(PARTIAL)
    stop = page.get_by_test_id("stop-button")
    expect(stop).to_be_visible()
    expect(page.get_by_test_id("send-button")).to_have_count(0)

    stop.click()

    expect(reply).to_have_attribute("data-status", "incomplete")
    expect(reply).to_contain_text(PARTIAL)  # the partial reply stays
    expect(reply).not_to_contain_text("needs replacing")
    expect(reply.get_by_test_id("message-incomplete")).to_be_visible()
    expect(page.get_by_test_id("stop-button")).to_have_count(0)
    box = page.get_by_test_id("chat-input")
    expect(box).to_be_enabled()

    # The input is usable again: the next message gets its reply.
    follow_up = ask(page, "What should I do then?")
    expect(follow_up).to_contain_text("replace the fuser")
    expect(messages(page, "user")).to_have_count(2)

    # The stopped reply was stored as incomplete with what had been generated.
    stored = api_get(page, f"/api/chat/sessions/{session_id_of(page)}")["messages"]
    first_reply = next(m for m in stored if m["role"] == "assistant")
    assert first_reply["status"] == "incomplete"
    assert first_reply["content"].startswith(PARTIAL[:20])
    assert "needs replacing" not in first_reply["content"]


def test_retry_after_a_provider_error_does_not_duplicate_the_message(
    agent_page: Page, model_server: DeskpilotServer, fake_openai: ThreadedFakeOpenAI
) -> None:
    page = agent_page
    fake_openai.script(status(500), text("Ticket #43 is the paper jam on the 3rd floor."))
    open_model_chat(page, model_server)

    send(page, "Which ticket is the paper jam?")
    error = page.get_by_test_id("message-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    retry = error.get_by_test_id("retry-button")
    expect(retry).to_be_enabled()
    user = messages(page, "user")
    expect(user).to_have_count(1)
    expect(page.get_by_test_id("chat-input")).to_be_enabled()

    retry.click()

    reply = wait_for_reply(page)
    expect(reply).to_contain_text("the paper jam on the 3rd floor")
    expect(error).to_have_count(0)
    expect(user).to_have_count(1)  # not sent twice
    expect(user.first).to_have_text("Which ticket is the paper jam?")
    assert len(fake_openai.requests) == 2

    # Same on the server, after a reload.
    stored = api_get(page, f"/api/chat/sessions/{session_id_of(page)}")["messages"]
    assert [m["content"] for m in stored if m["role"] == "user"] == [
        "Which ticket is the paper jam?"
    ]
    page.reload()
    expect(messages(page, "user")).to_have_count(1)
    expect(messages(page, "assistant").last).to_contain_text("the paper jam on the 3rd floor")
    expect(page.get_by_test_id("message-error")).to_have_count(0)


def test_stop_only_stops_and_the_draft_typed_meanwhile_stays(
    agent_page: Page, model_server: DeskpilotServer, fake_openai: ThreadedFakeOpenAI
) -> None:
    page = agent_page
    chunks = len(PARTIAL) // 4
    fake_openai.script(text(PARTIAL + REST, stall_after=1 + chunks))
    open_model_chat(page, model_server)
    send(page, "Why does the printer keep jamming?")
    reply = messages(page, "assistant").last
    expect(reply).to_have_attribute("data-status", "streaming", timeout=REPLY_TIMEOUT)
    box = page.get_by_test_id("chat-input")
    draft = "and the one on the second floor?"
    box.fill(draft)

    box.press("Enter")  # while the reply streams: nothing is sent, the draft stays
    expect(box).to_have_value(draft)
    page.get_by_test_id("stop-button").click()

    expect(reply).to_have_attribute("data-status", "incomplete")
    expect(box).to_have_value(draft)
    expect(messages(page, "user")).to_have_count(1)
    expect(page.get_by_test_id("message-error")).to_have_count(0)
    page.wait_for_timeout(500)  # a send the click set off would have shown by now
    expect(messages(page, "user")).to_have_count(1)
    stored = api_get(page, f"/api/chat/sessions/{session_id_of(page)}")["messages"]
    assert [m["content"] for m in stored if m["role"] == "user"] == [
        "Why does the printer keep jamming?"
    ]


def test_when_the_model_fails_the_message_can_be_logged_by_hand(
    agent_page: Page, model_server: DeskpilotServer, fake_openai: ThreadedFakeOpenAI
) -> None:
    page = agent_page
    fake_openai.script(status(500))
    open_model_chat(page, model_server)
    question = "Caller in accounts says the shared drive is read-only since this morning"
    send(page, question)
    error = page.get_by_test_id("message-error")
    expect(error).to_be_visible()
    expect(error).not_to_contain_text("500")  # a plain sentence, not the server's

    error.get_by_test_id("log-by-hand").click()

    dialog = page.get_by_test_id("new-ticket-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#nt-description")).to_have_value(question)
    expect(page).not_to_have_url(re.compile(r"description="))
