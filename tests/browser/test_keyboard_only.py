"""Every core task by keyboard alone (issue 20's targets): create a ticket through the chat and
approve it, attach a ticket with `#`, look one up, change one and approve the change, search
the tickets and open one, rename a chat and come back to it. Nothing here clicks, fills or
focuses: only keys, as a keyboard user would press them (Tab until the control is reached)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import SESSION_URL, messages, wait_for_reply
from tests.browser.page_api import api_get, api_patch
from tests.browser.tickets_ui import chip

pytestmark = pytest.mark.browser

TAB_LIMIT = 150


def focused(page: Page) -> str | None:
    value: str | None = page.evaluate("document.activeElement?.getAttribute('data-testid')")
    return value


def tab_to(page: Page, test_id: str, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the control with `test_id` has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(TAB_LIMIT):
        page.keyboard.press(key)
        if focused(page) == test_id:
            return
    raise AssertionError(f"{test_id} was never reached with {key}")


def say(page: Page, text: str) -> None:
    expect(page.get_by_test_id("chat-input")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_core_tasks_by_keyboard_alone(agent_page: Page) -> None:
    page = agent_page
    if api_get(page, "/api/tickets/29")["status"] != "open":
        api_patch(page, "/api/tickets/29", {"status": "open"})
    page.goto("/dashboard/chat/")

    # Create a ticket through the chat and approve the card.
    say(page, "Create a ticket for the badge reader at the loading dock, it rejects every card")
    wait_for_reply(page, replies=1, status="awaiting_approval")
    expect(page).to_have_url(SESSION_URL)
    chat_url = page.url
    tab_to(page, "proposal-approve", backwards=True)
    page.keyboard.press("Enter")
    created = wait_for_reply(page, replies=1).get_by_test_id("proposal-outcome")
    expect(created).to_contain_text(re.compile(r"Created #\d+"))
    number = int(re.findall(r"#(\d+)", created.inner_text())[0])

    # Attach #29 with a mention, then look it up.
    page.keyboard.press("c")
    page.keyboard.type("#29")
    expect(page.get_by_role("option").first).to_contain_text("#29")
    page.keyboard.press("Enter")
    expect(chip(page, 29)).to_be_visible()
    page.keyboard.type(" what's the status?")
    page.keyboard.press("Enter")
    looked_up = wait_for_reply(page, replies=2)
    expect(looked_up).to_contain_text("#29")

    # Change it, approving by keyboard.
    say(page, "close #29")
    wait_for_reply(page, replies=3, status="awaiting_approval")
    tab_to(page, "proposal-approve", backwards=True)
    page.keyboard.press("Enter")
    expect(messages(page, "assistant").nth(2).get_by_test_id("proposal-outcome")).to_have_text(
        "Closed #29"
    )
    assert api_get(page, "/api/tickets/29")["status"] == "closed"

    # Rename this chat from its menu.
    tab_to(page, "session-menu")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("session-rename")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("session-rename-input")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Badge reader and #29")
    page.keyboard.press("Enter")
    renamed = page.get_by_test_id("session-title").filter(has_text="Badge reader and #29")
    expect(renamed).to_have_count(1)

    # A new chat, then back to the renamed one.
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement?.blur()")  # as after Escape from the field
    page.keyboard.press("n")
    say(page, "what's the status of #12?")
    wait_for_reply(page, replies=1)
    expect(page).not_to_have_url(chat_url)
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if focused(page) == "session-link" and "Badge reader and #29" in page.evaluate(
            "document.activeElement.textContent"
        ):
            break
    else:
        raise AssertionError("the renamed chat's link was never reached")
    page.keyboard.press("Enter")
    expect(page).to_have_url(chat_url)
    expect(messages(page, "assistant")).to_have_count(3)

    # Search the tickets and open the one created above.
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("/")
    expect(page.get_by_test_id("ticket-search")).to_be_focused()
    page.keyboard.type("badge reader loading dock")
    expect(page.get_by_test_id("ticket-row").first).to_contain_text(f"#{number}")
    tab_to(page, "ticket-row")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/dashboard/tickets/view/\?ref={number}$"))
    expect(page.get_by_test_id("ticket-title")).to_contain_text("badge reader", ignore_case=True)
