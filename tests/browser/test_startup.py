"""How the chat page starts (issue 19's Lighthouse target): content from the static HTML,
the page's requests beside `/api/auth/me` rather than after it."""

import re

from playwright.sync_api import Page, Route, expect

from tests.browser.chat_ui import CHAT_PATH, open_chat

INTRO = "How can I help with your tickets?"


def test_the_static_chat_page_shows_the_intro_inert_before_its_scripts_run(
    agent_page: Page,
) -> None:
    page = agent_page
    held: list[Route] = []
    gate = {"open": False}

    def hold(route: Route) -> None:
        if gate["open"]:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/_next/static/.*\.js"), hold)
    page.goto(CHAT_PATH, wait_until="domcontentloaded")

    expect(page.get_by_text(INTRO)).to_be_visible()
    assert held, "the scripts were not held back"
    # Nothing answers before the app runs, so nothing can be used: no live input, inert prompts.
    expect(page.get_by_test_id("chat-input")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Message the assistant")).to_be_disabled()
    prompts = page.get_by_role("button", name="Find open tickets about printers")
    expect(prompts).to_be_disabled()

    gate["open"] = True
    for route in held:
        route.continue_()
    expect(page.get_by_test_id("chat-input")).to_be_enabled()
    expect(page.get_by_test_id("example-prompt").first).to_be_enabled()


def test_the_chat_requests_start_while_auth_me_is_still_pending(agent_page: Page) -> None:
    page = agent_page
    held: list[Route] = []
    gate = {"open": False}

    def hold(route: Route) -> None:
        if gate["open"]:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/auth/me", hold)

    with (
        page.expect_request(re.compile(r"/api/chat/config$"), timeout=15_000),
        page.expect_request(re.compile(r"/api/chat/sessions\?"), timeout=15_000),
    ):
        page.goto(CHAT_PATH, wait_until="commit")
    assert len(held) == 1, "the requests went out before /api/auth/me was asked"
    expect(page.get_by_test_id("chat-empty")).to_be_visible()

    gate["open"] = True
    held[0].continue_()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    open_chat(page)
