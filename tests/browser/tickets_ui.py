"""Page helpers for attaching tickets to a chat: the picker, the chips of attached tickets and
the inline ticket cards in replies."""

from playwright.sync_api import Locator, Page, expect

from tests.browser.chat_ui import settle


def open_picker(page: Page) -> Locator:
    picker = page.get_by_test_id("ticket-picker")
    expect(picker).to_have_count(0)  # not still sliding out from the last use
    page.get_by_test_id("add-ticket").click()
    expect(picker).to_be_visible()
    settle(picker)
    return picker


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
