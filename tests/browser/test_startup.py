"""How the chat page starts (issue 19's Lighthouse target): content from the static HTML,
the page's requests beside `/api/auth/me` rather than after it."""

import re

from playwright.sync_api import Page, expect

from tests.browser.chat_ui import CHAT_PATH, messages, open_chat, start_chat
from tests.browser.gate import RequestGate

INTRO = "How can I help with your tickets?"


def test_the_static_chat_page_shows_the_intro_inert_before_its_scripts_run(
    agent_page: Page,
) -> None:
    page = agent_page
    gate = RequestGate(page, re.compile(r"/_next/static/.*\.js"))
    page.goto(CHAT_PATH, wait_until="domcontentloaded")

    expect(page.get_by_text(INTRO)).to_be_visible()
    assert gate.held, "the scripts were not held back"
    # Nothing answers before the app runs, so nothing can be used yet.
    expect(page.get_by_test_id("chat-input")).to_be_disabled()
    expect(page.get_by_test_id("example-prompt").first).to_be_disabled()
    expect(page.get_by_test_id("add-ticket")).to_be_disabled()

    gate.open()
    expect(page.get_by_test_id("chat-input")).to_be_enabled()
    expect(page.get_by_test_id("example-prompt").first).to_be_enabled()


def test_the_chat_requests_start_while_auth_me_is_still_pending(agent_page: Page) -> None:
    page = agent_page
    gate = RequestGate(page, "**/api/auth/me")

    with (
        page.expect_request(re.compile(r"/api/auth/me$"), timeout=15_000),
        page.expect_request(re.compile(r"/api/chat/config$"), timeout=15_000),
        page.expect_request(re.compile(r"/api/chat/sessions\?"), timeout=15_000),
    ):
        page.goto(CHAT_PATH, wait_until="commit")
    # /api/auth/me is asked and held (no user menu): the others did not wait for its answer.
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    expect(page.get_by_test_id("chat-empty")).to_be_visible()

    gate.open()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    open_chat(page)


def test_a_saved_chat_opens_from_the_prerendered_page_without_errors(agent_page: Page) -> None:
    """The HTML is the new chat's; a `?session=` URL hydrates it, then shows that chat."""
    page = agent_page
    session_id, _ = start_chat(page, "Hello")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    open_chat(page, session_id)
    expect(messages(page, "user")).to_have_count(1)
    expect(page.get_by_test_id("chat-empty")).to_have_count(0)
    open_chat(page)
    expect(page.get_by_test_id("chat-empty")).to_be_visible()
    expect(messages(page, "user")).to_have_count(0)
    assert errors == []
