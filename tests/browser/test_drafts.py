"""No lost text (issue 20): what an agent has typed and not sent stays with their chat across
a trip to Tickets, a reload and signing in again after the session expired; the Chat link
goes back to the chat they were in; a sent message leaves no draft; signing out forgets it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import SESSION_URL, ask, open_chat
from tests.browser.conftest import OTHER_EMAIL, Credential
from tests.browser.test_auth import fill_login

pytestmark = pytest.mark.browser

DRAFT = "caller says the 3rd floor printer jams again, wants a loaner"


def stored_keys(page: Page) -> list[str]:
    keys: list[str] = page.evaluate(
        "Object.keys(localStorage).filter((k) => k.startsWith('deskpilot:'))"
    )
    return keys


def test_a_draft_survives_navigation_reload_and_signing_in_again(
    page: Page, credentials: dict[str, Credential]
) -> None:
    user = credentials[OTHER_EMAIL]
    page.goto("/login/")
    fill_login(page, user.email, user.password)
    expect(page.get_by_test_id("chat-input")).to_be_enabled()
    ask(page, "what's the status of #12?")
    expect(page).to_have_url(SESSION_URL)
    chat_url = page.url
    box = page.get_by_test_id("chat-input")
    box.fill(DRAFT)

    page.get_by_test_id("nav-tickets").click()
    expect(page).to_have_url(re.compile(r"/dashboard/tickets/"))
    page.get_by_test_id("nav-chat").click()

    expect(page).to_have_url(chat_url)  # the chat the agent was in, not a blank one
    expect(box).to_have_value(DRAFT)
    page.reload()
    expect(box).to_have_value(DRAFT)

    page.context.clear_cookies()  # the sign-in expires
    page.reload()
    expect(page).to_have_url(re.compile(r"/login/?\?next="))
    fill_login(page, user.email, user.password)
    expect(page).to_have_url(chat_url)
    expect(box).to_have_value(DRAFT)

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    assert stored_keys(page) == []


def test_each_chat_keeps_its_own_draft_and_a_sent_message_leaves_none(
    agent_page: Page,
) -> None:
    page = agent_page
    open_chat(page)
    box = page.get_by_test_id("chat-input")
    box.fill("a draft in a new chat")
    page.reload()
    expect(box).to_have_value("a draft in a new chat")

    box.press("Enter")
    expect(page).to_have_url(SESSION_URL)
    first = page.url
    expect(box).to_have_value("")
    box.fill("second thought for this chat")
    open_chat(page)  # a new chat: its own, empty composer
    expect(box).to_have_value("")
    page.goto(first)
    expect(box).to_have_value("second thought for this chat")
    box.fill("")
    page.reload()
    expect(box).to_have_value("")
