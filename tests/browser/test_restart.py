"""Chat sessions are stored on the server: still there after the server restarts."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import ask, messages, open_chat, start_chat, wait_for_reply
from tests.browser.conftest import DeskpilotServer
from tests.browser.tickets_ui import attach_through_picker, card, chip

pytestmark = pytest.mark.browser


def test_session_is_still_there_after_a_server_restart(
    agent_page: Page, deskpilot: DeskpilotServer
) -> None:
    page = agent_page
    session_id, reply = start_chat(page, "What's the status of #9?")
    attach_through_picker(page, "#14", 14)
    reply_text = reply.inner_text()

    deskpilot.restart()

    page.reload()
    expect(page).to_have_url(re.compile(rf"\?session={session_id}$"))
    expect(messages(page, "user")).to_have_text(["What's the status of #9?"])
    restored = wait_for_reply(page, replies=1)
    assert restored.inner_text() == reply_text
    expect(card(restored, 9)).to_be_visible()
    expect(chip(page, 14)).to_be_visible()
    expect(page.locator(f'[data-session-id="{session_id}"]')).to_be_visible()

    # Still signed in, and the conversation carries on where it stopped.
    follow_up = ask(page, "Summarise the attached tickets")
    expect(follow_up).to_contain_text("#14")
    expect(messages(page, "user")).to_have_count(2)

    open_chat(page, session_id)
    expect(messages(page, "user")).to_have_count(2)
