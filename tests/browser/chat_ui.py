"""Small page helpers for the chat UI, by data-testid (see frontend/app/dashboard/chat)."""

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import APIResponse, Locator, Page, expect

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


def open_picker(page: Page) -> Locator:
    picker = page.get_by_test_id("ticket-picker")
    expect(picker).to_have_count(0)  # not still sliding out from the last use
    page.get_by_test_id("add-ticket").click()
    expect(picker).to_be_visible()
    settle(picker)
    return picker


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


def picker_numbers(picker: Locator) -> list[int]:
    items = picker.get_by_test_id("ticket-picker-item")
    return [int(n) for n in items.evaluate_all("els => els.map(e => e.dataset.ticketNumber)")]


def search_picker(picker: Locator, query: str, expected: list[int]) -> None:
    """Type `query` and wait until the list shows exactly `expected` (in order)."""
    picker.get_by_test_id("ticket-picker-search").fill(query)
    items = picker.get_by_test_id("ticket-picker-item")
    if expected:
        expect(items).to_have_count(len(expected))
        expect(items.first).to_have_attribute("data-ticket-number", str(expected[0]))
    expect_picker_numbers(picker, expected)


def expect_picker_numbers(picker: Locator, expected: list[int]) -> None:
    items = picker.get_by_test_id("ticket-picker-item")
    expect(items).to_have_count(len(expected))
    for index, number in enumerate(expected):
        expect(items.nth(index)).to_have_attribute("data-ticket-number", str(number))


def attach_through_picker(page: Page, query: str, number: int) -> None:
    picker = open_picker(page)
    picker.get_by_test_id("ticket-picker-search").fill(query)
    item = picker.locator(f'[data-testid="ticket-picker-item"][data-ticket-number="{number}"]')
    item.click()
    expect(item).to_have_attribute("aria-selected", "true")
    picker.get_by_test_id("ticket-picker-attach").click()
    expect(picker).to_be_hidden()
    expect(chip(page, number)).to_be_visible()


def chip(page: Page, number: int) -> Locator:
    return page.locator(f'[data-testid="ticket-chip"][data-ticket-number="{number}"]')


def card(scope: Page | Locator, number: int) -> Locator:
    return scope.locator(f'[data-testid="ticket-card-inline"][data-ticket-number="{number}"]')


# ---------------------------------------------------------------- the API, as the page's user


def csrf_token(page: Page) -> str:
    for cookie in page.context.cookies():
        if cookie.get("name") == "deskpilot_csrf":
            return str(cookie.get("value"))
    raise AssertionError("no deskpilot_csrf cookie: not signed in?")


def api_get(page: Page, path: str, **params: Any) -> Any:
    response: APIResponse = page.request.get(path, params=params or None)
    assert response.ok, f"GET {path}: {response.status} {response.text()}"
    return response.json()


def api_post(page: Page, path: str, data: Any) -> Any:
    response = page.request.post(path, data=data, headers={"X-CSRF-Token": csrf_token(page)})
    assert response.ok, f"POST {path}: {response.status} {response.text()}"
    return response.json()


def api_patch(page: Page, path: str, data: Any) -> Any:
    response = page.request.patch(path, data=data, headers={"X-CSRF-Token": csrf_token(page)})
    assert response.ok, f"PATCH {path}: {response.status} {response.text()}"
    return response.json()


def search_numbers(page: Page, q: str, status: str = "all", limit: int = 30) -> list[int]:
    hits = api_get(page, "/api/tickets/search", q=q, status=status, limit=limit)["items"]
    return [int(hit["number"]) for hit in hits]
