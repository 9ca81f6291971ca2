"""Small page helpers for the chat UI, by data-testid (see frontend/app/dashboard/chat): the
conversation. Attaching tickets is in tickets_ui.py; the API as the page's user, in page_api.py."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect

CHAT_PATH = "/dashboard/chat/"
SESSION_URL = re.compile(r"/dashboard/chat/?\?session=[0-9a-f-]{36}")
REPLY_TIMEOUT = 15_000


def open_chat(page: Page, session_id: str | None = None) -> None:
    page.goto(CHAT_PATH + (f"?session={session_id}" if session_id else ""))
    expect(page.get_by_test_id("chat-input")).to_be_enabled()


def session_id_of(page: Page) -> str:
    values = parse_qs(urlparse(page.url).query).get("session")
    assert values, f"no ?session= in {page.url}"
    return values[0]


def messages(page: Page, role: str) -> Locator:
    return page.locator(f'[data-testid="message"][data-role="{role}"]')


def send(page: Page, text: str) -> None:
    box = page.get_by_test_id("chat-input")
    expect(box).to_be_enabled()
    box.fill(text)
    box.press("Enter")


def wait_for_reply(page: Page, *, replies: int | None = None, status: str = "complete") -> Locator:
    """The newest assistant bubble once its reply has finished with `status`."""
    assistant = messages(page, "assistant")
    if replies is not None:
        expect(assistant).to_have_count(replies, timeout=REPLY_TIMEOUT)
    last = assistant.last
    expect(last).to_have_attribute("data-status", status, timeout=REPLY_TIMEOUT)
    expect(page.get_by_test_id("send-button")).to_be_visible()  # the turn is over
    return last


def ask(page: Page, text: str) -> Locator:
    """Send `text` and return the finished assistant reply to it."""
    before = messages(page, "assistant").count()
    send(page, text)
    return wait_for_reply(page, replies=before + 1)


def start_chat(page: Page, first_message: str) -> tuple[str, Locator]:
    """A new chat from the blank page: returns (session id, the first reply)."""
    open_chat(page)
    reply = ask(page, first_message)
    expect(page).to_have_url(SESSION_URL)
    return session_id_of(page), reply


def wait_for_hydration(locator: Locator) -> None:
    """Wait until React has hydrated the element (statically rendered markup is typeable
    before that, and React then drops what was typed: see the sign-in form)."""
    expect(locator).to_be_visible()
    locator.page.wait_for_function(
        "el => Object.keys(el).some(k => k.startsWith('__reactProps'))",
        arg=locator.element_handle(),
    )


def settle(locator: Locator) -> None:
    """Wait for the element's CSS animations (a sheet sliding in) to finish."""
    locator.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
