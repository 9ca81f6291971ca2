"""Issue 21: from a filtered, scrolled tickets list to a ticket and back, the list is shown
from the cache at once (no loading state, even with its requests held back), with the same
filters, rows and scroll position; the ticket page's "← Tickets" does the same."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.gate import RequestGate

pytestmark = pytest.mark.browser

LIST_PATH = "/dashboard/tickets/"
FILTERED_URL = re.compile(r"/dashboard/tickets/?\?source=call$")
# Records whether anything shows a loading state (the list's skeleton is aria-busy) from now on.
WATCH_LOADING = """() => {
  window.__sawLoading = false;
  const busy = () => document.querySelector('[aria-busy="true"]') !== null;
  window.__loadingWatch?.disconnect();
  window.__loadingWatch = new MutationObserver(() => { if (busy()) window.__sawLoading = true; });
  window.__loadingWatch.observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-busy"],
  });
}"""


def scroll_y(page: Page) -> float:
    return float(page.evaluate("window.scrollY"))


def open_filtered_scrolled_list(page: Page) -> tuple[int, float, int]:
    """The list filtered by source `call`, two pages loaded, scrolled down to a row of the
    second page. Returns (rows shown, scroll position, the number of the row to open)."""
    page.goto(LIST_PATH)
    rows = page.get_by_test_id("ticket-row")
    expect(rows.first).to_be_visible()
    page.get_by_test_id("filter-source").select_option("call")
    expect(page).to_have_url(FILTERED_URL)
    expect(page.locator('[data-testid="ticket-row"] [data-source="chat"]')).to_have_count(0)
    expect(rows).to_have_count(25)
    page.get_by_test_id("load-more").click()
    expect(rows).not_to_have_count(25)
    shown = rows.count()
    assert shown > 30, f"the demo data should have more than 30 call tickets, got {shown}"

    target = rows.nth(30)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, 120)
    page.wait_for_timeout(300)  # let the scroll events be handled
    y = scroll_y(page)
    assert y > 1000, f"the list should be scrolled well down, is at {y}"
    number = int(target.get_attribute("data-ticket-number") or 0)
    return shown, y, number


def expect_list_as_it_was(page: Page, shown: int, y: float) -> None:
    """Right after coming back, while every list request is held: same URL, filters, rows
    and scroll position, and no loading state shown at any point."""
    expect(page).to_have_url(FILTERED_URL)
    rows = page.get_by_test_id("ticket-row")
    expect(rows).to_have_count(shown)  # no loading state in between: checked below
    expect(page.get_by_test_id("filter-source")).to_have_value("call")
    assert abs(scroll_y(page) - y) <= 2, f"scrolled to {scroll_y(page)}, was {y}"
    assert page.evaluate("window.__sawLoading") is False, "a loading state was shown"
    expect(page.locator('[aria-busy="true"]')).to_have_count(0)


def open_ticket(page: Page, number: int) -> None:
    page.locator(f'[data-testid="ticket-row"][data-ticket-number="{number}"]').click()
    detail = page.get_by_test_id("ticket-detail")
    expect(detail).to_have_attribute("data-ticket-number", str(number))


@pytest.fixture
def short_page(new_agent_page: Callable[..., Any]) -> Page:
    """A signed-in page whose viewport is short enough for the list to scroll a lot."""
    page: Page = new_agent_page(viewport={"width": 1280, "height": 640})
    return page


def test_back_from_a_ticket_shows_the_list_from_the_cache_as_it_was(short_page: Page) -> None:
    page = short_page
    shown, y, number = open_filtered_scrolled_list(page)
    open_ticket(page, number)
    assert scroll_y(page) == 0  # the ticket opens at its top

    page.evaluate(WATCH_LOADING)
    gate = RequestGate(page, re.compile(r"/api/tickets\?"))
    page.go_back()
    expect_list_as_it_was(page, shown, y)
    gate.open()


def test_the_back_link_returns_to_the_list_as_it_was(short_page: Page) -> None:
    page = short_page
    shown, y, number = open_filtered_scrolled_list(page)
    open_ticket(page, number)

    back = page.get_by_test_id("back-to-tickets")
    expect(back).to_have_attribute("href", re.compile(r"/dashboard/tickets/?\?source=call$"))
    page.evaluate(WATCH_LOADING)
    gate = RequestGate(page, re.compile(r"/api/tickets\?"))
    back.click()
    expect_list_as_it_was(page, shown, y)
    gate.open()

    # Still the live list: another filter asks the server again.
    page.get_by_test_id("filter-source").select_option("")
    expect(page).to_have_url(re.compile(r"/dashboard/tickets/?$"))
    expect(page.get_by_test_id("ticket-row").first).to_be_visible()
