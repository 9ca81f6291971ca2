"""The ticket picker: attach through it; search as you type, status filter, attached excluded."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import SESSION_URL, messages, open_chat, session_id_of
from tests.browser.page_api import api_get, search_numbers
from tests.browser.tickets_ui import chip, expect_picker_numbers, open_picker

pytestmark = pytest.mark.browser


def test_attach_existing_tickets_through_the_picker(agent_page: Page) -> None:
    page = agent_page
    open_chat(page)
    picker = open_picker(page)
    expect(picker.get_by_test_id("ticket-picker-search")).to_be_focused()

    picker.get_by_test_id("ticket-picker-search").fill("printer")
    expect_picker_numbers(picker, search_numbers(page, "printer"))
    first = picker.get_by_test_id("ticket-picker-item").nth(0)
    second = picker.get_by_test_id("ticket-picker-item").nth(1)
    numbers = [int(first.get_attribute("data-ticket-number") or 0)]
    numbers.append(int(second.get_attribute("data-ticket-number") or 0))

    first.click()  # by mouse
    picker.get_by_test_id("ticket-picker-search").focus()
    page.keyboard.press("ArrowDown")  # and by keyboard: focus the first option...
    page.keyboard.press("ArrowDown")  # ...move to the second...
    page.keyboard.press("Space")  # ...select it
    expect(first).to_have_attribute("aria-selected", "true")
    expect(second).to_have_attribute("aria-selected", "true")
    attach = picker.get_by_test_id("ticket-picker-attach")
    expect(attach).to_have_text("Attach 2")
    attach.click()

    expect(picker).to_be_hidden()
    expect(page.get_by_test_id("add-ticket")).to_be_focused()  # focus returns to the opener
    for number in numbers:
        expect(chip(page, number)).to_be_visible()
    expect(page).to_have_url(SESSION_URL)
    session = api_get(page, f"/api/chat/sessions/{session_id_of(page)}")
    assert sorted(t["number"] for t in session["attached_tickets"]) == sorted(numbers)
    expect(messages(page, "system").last).to_contain_text(f"#{numbers[0]}")

    # Chips show the status colour and link to the ticket; x detaches.
    ticket = api_get(page, f"/api/tickets/{numbers[0]}")
    expect(chip(page, numbers[0])).to_have_attribute("data-status", ticket["status"])
    chip(page, numbers[1]).get_by_test_id("ticket-chip-remove").click()
    expect(chip(page, numbers[1])).to_have_count(0)
    expect(chip(page, numbers[0])).to_be_visible()
    # The chip goes at once (optimistic); the server has it a moment later.
    assert attached_soon(page, [numbers[0]]) == [numbers[0]]


def attached_soon(page: Page, wanted: list[int], seconds: float = 10) -> list[int]:
    """The session's attached ticket numbers once they are `wanted`, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        session = api_get(page, f"/api/chat/sessions/{session_id_of(page)}")
        numbers = [t["number"] for t in session["attached_tickets"]]
        if numbers == wanted or time.monotonic() > deadline:
            return numbers
        page.wait_for_timeout(100)


def test_picker_searches_and_filters(agent_page: Page) -> None:
    page = agent_page
    open_chat(page)
    picker = open_picker(page)
    search = picker.get_by_test_id("ticket-picker-search")

    # Empty query: the most recently updated tickets.
    everything = search_numbers(page, "")
    expect_picker_numbers(picker, everything)

    # Typing narrows the list as you type (debounced; no Enter needed).
    search.press_sequentially("printer", delay=30)
    printers = search_numbers(page, "printer")
    assert 0 < len(printers) < len(everything)
    expect_picker_numbers(picker, printers)
    expect(picker.get_by_test_id("ticket-picker-item").first).to_contain_text(
        re.compile(r"printer", re.IGNORECASE)
    )

    # The status filter changes the results.
    status_group = picker.get_by_test_id("ticket-picker-status")
    open_printers = search_numbers(page, "printer", status="open")
    assert open_printers and set(open_printers) != set(printers)
    status_group.locator('[data-value="open"]').click()
    expect(status_group.locator('[data-value="open"]')).to_have_attribute("aria-checked", "true")
    expect_picker_numbers(picker, open_printers)
    items = picker.get_by_test_id("ticket-picker-item")
    for index in range(items.count()):
        expect(items.nth(index)).to_contain_text("Open")

    status_group.locator('[data-value="resolved"]').click()
    expect_picker_numbers(picker, search_numbers(page, "printer", status="resolved"))

    # A query nothing matches says so.
    search.fill("zzzz nothing like this")
    expect(picker.get_by_test_id("ticket-picker-empty")).to_be_visible()
    expect(items).to_have_count(0)

    # Escape closes the picker.
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()

    # Attached tickets are not offered again.
    picker = open_picker(page)
    picker.get_by_test_id("ticket-picker-search").fill("printer")
    expect_picker_numbers(picker, printers)
    attached = printers[0]
    picker.locator(f'[data-ticket-number="{attached}"]').click()
    picker.get_by_test_id("ticket-picker-attach").click()
    expect(picker).to_be_hidden()
    expect(chip(page, attached)).to_be_visible()

    picker = open_picker(page)
    picker.get_by_test_id("ticket-picker-search").fill("printer")
    expect_picker_numbers(picker, [n for n in printers if n != attached])
    picker.get_by_test_id("ticket-picker-search").fill(f"#{attached}")
    by_number = search_numbers(page, f"#{attached}")
    assert by_number[0] == attached  # the API puts it first...
    expect_picker_numbers(picker, by_number[1:])  # ...the picker leaves it out
    # Outside click closes it too.
    page.mouse.click(10, 450)
    expect(picker).to_be_hidden()
