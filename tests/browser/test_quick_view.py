"""A ticket's quick view (issue 20's affordances): hovering or focusing a `#N` link in a reply,
an attached ticket's chip or a card's View shows the ticket's status, priority, assignee and
the start of its description, without moving focus; Escape closes it."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import ask, open_chat
from tests.browser.page_api import api_get
from tests.browser.tickets_ui import chip

pytestmark = pytest.mark.browser


def test_hover_and_focus_show_the_ticket_and_escape_closes_it(agent_page: Page) -> None:
    page = agent_page
    ticket = api_get(page, "/api/tickets/12")
    open_chat(page)
    reply = ask(page, "what's the status of #12?")
    view = page.get_by_test_id("ticket-quick-view")

    link = reply.locator('a[href="/dashboard/tickets/view/?ref=12"]').first
    link.hover()
    expect(view).to_be_visible()
    expect(view).to_contain_text(ticket["title"])
    expect(view).to_contain_text(ticket["description"][:40])
    assignee = ticket["assignee"]["name"] if ticket["assignee"] else "Unassigned"
    expect(view).to_contain_text(assignee)

    page.mouse.move(0, 0)
    expect(view).to_be_hidden()

    link.focus()
    expect(view).to_be_visible()
    expect(link).to_be_focused()  # the quick view does not take focus
    page.keyboard.press("Escape")
    expect(view).to_be_hidden()
    expect(link).to_be_focused()

    card_view = reply.get_by_test_id("ticket-card-view").first
    card_view.focus()
    expect(view).to_be_visible()
    expect(view).to_have_attribute("data-ticket-number", "12")
    page.keyboard.press("Escape")

    reply.get_by_test_id("ticket-card-attach").first.click()
    chip(page, 12).get_by_role("link").hover()
    expect(view).to_be_visible()
    expect(view).to_contain_text(ticket["title"])
