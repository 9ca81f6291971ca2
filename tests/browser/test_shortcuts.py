"""The workspace's keyboard affordances (issue 20): a skip link, the composer focused when a
chat opens, shortcuts listed on `?` (new chat, composer, search, go to tickets / chat) that
never fire while typing, a Copy button on replies, and a tab title that says a reply finished
while the agent was in another tab."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import CHAT_PATH, ask, open_chat

pytestmark = pytest.mark.browser

TICKETS_URL = re.compile(r"/dashboard/tickets/?$")
CHAT_URL = re.compile(r"/dashboard/chat/")


def focused_test_id(page: Page) -> str | None:
    value: str | None = page.evaluate("document.activeElement?.getAttribute('data-testid')")
    return value


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_page(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-search")).to_be_enabled()
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("Tab")
    skip = page.get_by_test_id("skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the page, not the header again
    inside: bool = page.evaluate(
        "document.querySelector('#main-content').contains(document.activeElement)"
    )
    assert inside


def test_a_chat_opens_with_the_composer_focused(agent_page: Page) -> None:
    open_chat(agent_page)
    expect(agent_page.get_by_test_id("chat-input")).to_be_focused()


def test_question_mark_lists_the_shortcuts_and_they_work(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-search")).to_be_enabled()
    page.evaluate("document.activeElement?.blur()")

    page.keyboard.press("?")
    sheet = page.get_by_test_id("shortcuts-sheet")
    expect(sheet).to_be_visible()
    for label in ("New chat", "Search tickets", "Go to tickets", "Go to chat"):
        expect(sheet).to_contain_text(label)
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()

    page.keyboard.press("g")
    page.keyboard.press("c")
    expect(page).to_have_url(CHAT_URL)
    expect(page.get_by_test_id("chat-input")).to_be_focused()

    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("/")  # from the chat: to the tickets list, its search focused
    expect(page).to_have_url(TICKETS_URL)
    search = page.get_by_test_id("ticket-search")
    expect(search).to_be_focused()

    page.keyboard.type("g t n ?")  # typing in a field is typing
    expect(search).to_have_value("g t n ?")
    expect(page).to_have_url(TICKETS_URL)
    expect(sheet).to_be_hidden()

    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/dashboard/chat/?$"))
    expect(page.get_by_test_id("chat-input")).to_be_focused()

    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("g")
    page.keyboard.press("t")
    expect(page).to_have_url(TICKETS_URL)


def test_a_reply_can_be_copied(agent_page: Page) -> None:
    page = agent_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_chat(page)
    reply = ask(page, "show me the open tickets")
    copy = reply.get_by_test_id("copy-message")
    copy.click()
    expect(copy).to_have_text("Copied")
    copied: str = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip(), "nothing was copied"
    # The Markdown the assistant wrote: its first words are what the bubble shows first.
    first_words = " ".join(re.sub(r"[*_#`>\[\]]", "", copied).split()[:3])
    expect(reply).to_contain_text(first_words)


def test_the_tab_title_says_when_a_reply_finished_in_the_background(agent_page: Page) -> None:
    page = agent_page
    page.goto(CHAT_PATH)
    expect(page.get_by_test_id("chat-input")).to_be_enabled()
    page.evaluate(
        """() => {
          window.__visibility = 'visible';
          Object.defineProperty(document, 'visibilityState', { get: () => window.__visibility, configurable: true });
        }"""
    )
    page.get_by_test_id("chat-input").fill("what's the status of #12?")
    page.evaluate("window.__visibility = 'hidden'")
    page.get_by_test_id("chat-input").press("Enter")
    expect(page).to_have_title(re.compile(r"^● Reply ready · "))
    page.evaluate(
        "window.__visibility = 'visible'; document.dispatchEvent(new Event('visibilitychange'))"
    )
    expect(page).not_to_have_title(re.compile(r"Reply ready"))
