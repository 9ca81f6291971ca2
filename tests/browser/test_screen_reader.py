"""What a screen reader hears of a conversation (issue 20, defect 6): who said each message,
and the ticket cards of a reply as a list whose items have a heading naming the ticket."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import ask, open_chat

pytestmark = pytest.mark.browser


def test_speakers_are_named_and_ticket_cards_are_a_list_with_headings(agent_page: Page) -> None:
    page = agent_page
    open_chat(page)
    reply = ask(page, "show me the open tickets")

    log = page.get_by_role("log")
    expect(log).to_contain_text("You said:")
    expect(log).to_contain_text("Assistant said:")

    cards = reply.get_by_role("list", name="Tickets in this reply")
    expect(cards).to_be_visible()
    items = cards.get_by_role("listitem")
    count = items.count()
    assert count >= 2, "the open tickets come as several cards"
    for index in range(count):
        heading = items.nth(index).get_by_role("heading", level=3)
        expect(heading).to_have_count(1)
        expect(heading).to_contain_text("Ticket #")
