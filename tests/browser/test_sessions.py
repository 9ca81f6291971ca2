"""Beyond spec §8: rename and delete chats, a chat deleted elsewhere, `#` mentions."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import ask, messages, start_chat
from tests.browser.page_api import api_delete, api_get
from tests.browser.tickets_ui import chip, open_picker

pytestmark = pytest.mark.browser


def test_rename_and_delete_a_chat(agent_page: Page) -> None:
    page = agent_page
    session_id, _ = start_chat(page, "Find tickets about laptops")
    item = page.locator(f'[data-testid="session-item"][data-session-id="{session_id}"]')

    item.get_by_test_id("session-menu").click()
    page.get_by_test_id("session-rename").click()
    title_input = item.get_by_test_id("session-rename-input")
    expect(title_input).to_be_focused()
    title_input.fill("Laptop fleet check")
    title_input.press("Enter")
    expect(item.get_by_test_id("session-title")).to_have_text("Laptop fleet check")
    expect(page.get_by_test_id("chat-title")).to_have_text("Laptop fleet check")
    assert api_get(page, f"/api/chat/sessions/{session_id}")["title"] == "Laptop fleet check"

    item.get_by_test_id("session-menu").click()
    page.get_by_test_id("session-delete").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("Laptop fleet check")
    dialog.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_be_hidden()
    expect(item).to_be_visible()

    item.get_by_test_id("session-menu").click()
    page.get_by_test_id("session-delete").click()
    page.get_by_test_id("confirm-accept").click()
    expect(item).to_have_count(0)
    expect(page).not_to_have_url(re.compile(session_id))
    assert page.request.get(f"/api/chat/sessions/{session_id}").status == 404


def test_a_chat_deleted_elsewhere_is_handled(agent_page: Page) -> None:
    page = agent_page
    session_id, _ = start_chat(page, "Hello")
    api_delete(page, f"/api/chat/sessions/{session_id}")

    page.get_by_test_id("chat-input").fill("Are you still there?")
    page.get_by_test_id("chat-input").press("Enter")
    expect(page.get_by_test_id("chat-not-found")).to_be_visible()
    page.get_by_test_id("start-new-chat").click()
    expect(page.get_by_test_id("chat-empty")).to_be_visible()
    expect(page.get_by_test_id("chat-input")).to_be_enabled()


def test_attaching_to_a_chat_deleted_elsewhere_says_the_chat_is_gone(agent_page: Page) -> None:
    page = agent_page
    session_id, _ = start_chat(page, "Hello")
    api_delete(page, f"/api/chat/sessions/{session_id}")

    picker = open_picker(page)
    picker.get_by_test_id("ticket-picker-search").fill("#5")
    picker.locator('[data-testid="ticket-picker-item"][data-ticket-number="5"]').click()
    picker.get_by_test_id("ticket-picker-attach").click()
    expect(picker.get_by_role("alert")).to_have_text("Chat session not found")
    picker.get_by_test_id("ticket-picker-close").click()
    expect(page.get_by_test_id("chat-not-found")).to_be_visible()
    expect(page.get_by_test_id("chat-input")).to_have_count(0)


def test_hash_mention_offers_tickets_and_attaches_the_chosen_one(agent_page: Page) -> None:
    page = agent_page
    session_id, _ = start_chat(page, "Hello")
    box = page.get_by_test_id("chat-input")
    box.press_sequentially("What's the status of #toner", delay=20)
    popover = page.get_by_test_id("mention-popover")
    expect(popover).to_be_visible()
    option = popover.get_by_test_id("mention-option").first
    expect(option).to_have_attribute("data-ticket-number", re.compile(r"\d+"))
    number = int(option.get_attribute("data-ticket-number") or 0)
    box.press("Enter")  # chooses the highlighted ticket, does not send

    expect(popover).to_be_hidden()
    expect(box).to_have_value(f"What's the status of #{number} ")
    expect(chip(page, number)).to_be_visible()
    # The chip shows at once (optimistic) and is busy until the server has stored it.
    expect(chip(page, number)).not_to_have_attribute("aria-busy", "true")
    attached = api_get(page, f"/api/chat/sessions/{session_id}")["attached_tickets"]
    assert [t["number"] for t in attached] == [number]

    reply = ask(page, box.input_value().strip() + "?")
    expect(reply).to_contain_text(f"#{number}")
    expect(messages(page, "user")).to_have_count(2)
