"""Focus never falls to <body> (issue 20, defect 5): after a dialog closes with Escape, a
chat is renamed or its delete cancelled, a ticket chip is detached, or "Load more" runs, focus
is on the control that opened it or the next logical one."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.chat_ui import start_chat
from tests.browser.page_api import api_get
from tests.browser.tickets_ui import attach_through_picker, chip

pytestmark = pytest.mark.browser


def focused_test_id(page: Page) -> str | None:
    test_id: str | None = page.evaluate("document.activeElement?.dataset?.testid ?? null")
    return test_id


def expect_focus_on(page: Page, locator: Locator) -> None:
    expect(locator).to_be_focused()
    assert page.evaluate("document.activeElement !== document.body")


def test_escape_from_the_new_ticket_dialog_returns_to_its_button(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-row").first).to_be_visible()
    opener = page.get_by_test_id("new-ticket")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("new-ticket-dialog")).to_be_visible()

    page.keyboard.press("Escape")

    expect(page.get_by_test_id("new-ticket-dialog")).to_be_hidden()
    expect_focus_on(page, opener)


def test_load_more_moves_focus_to_the_first_new_row(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/")
    rows = page.get_by_test_id("ticket-row")
    expect(rows).to_have_count(25)
    total = api_get(page, "/api/tickets?limit=1&with_total=true")["total"]
    count = page.get_by_test_id("ticket-count")
    expect(count).to_have_text(f"25 of {total:,} tickets")  # all of them, not the rows shown
    page.get_by_test_id("load-more").focus()

    page.keyboard.press("Enter")

    expect(rows).not_to_have_count(25)
    expect_focus_on(page, rows.nth(25))
    expect(count).to_have_text(f"{min(50, total)} of {total:,} tickets")


def session_item(page: Page, session_id: str) -> Locator:
    return page.locator(f'[data-testid="session-item"][data-session-id="{session_id}"]')


def test_renaming_and_a_cancelled_delete_return_focus_to_the_chat(agent_page: Page) -> None:
    page = agent_page
    session_id, _ = start_chat(page, "what's the status of #12?")
    item = session_item(page, session_id)

    for key in ("Enter", "Escape"):
        item.get_by_test_id("session-menu").click()
        page.get_by_test_id("session-rename").click()
        box = item.get_by_test_id("session-rename-input")
        expect(box).to_be_focused()
        box.fill(f"Printer call ({key})")
        box.press(key)
        expect(box).to_have_count(0)
        expect_focus_on(page, item.get_by_test_id("session-link"))

    item.get_by_test_id("session-menu").click()
    page.get_by_test_id("session-delete").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden()
    expect_focus_on(page, item.get_by_test_id("session-menu"))


def test_detaching_a_chip_moves_focus_to_the_next_one(agent_page: Page) -> None:
    page = agent_page
    start_chat(page, "hello")
    attach_through_picker(page, "#14", 14)
    attach_through_picker(page, "#15", 15)
    chip(page, 14).get_by_test_id("ticket-chip-remove").focus()

    page.keyboard.press("Enter")

    expect(chip(page, 14)).to_have_count(0)
    expect_focus_on(page, chip(page, 15).get_by_test_id("ticket-chip-remove"))
    page.keyboard.press("Enter")
    expect(chip(page, 15)).to_have_count(0)
    expect_focus_on(page, page.get_by_test_id("add-ticket"))
    assert re.match(r"add-ticket", focused_test_id(page) or "")
