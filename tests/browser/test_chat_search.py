"""Search across chats and chats grouped by date (issue 20's affordances): the sidebar finds a
chat by a word of its title or of any of its messages, shows the words around the match, and
lists the chats under Today / Yesterday / ... headings."""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import start_chat

pytestmark = pytest.mark.browser


def test_a_chat_is_found_by_a_word_of_its_messages_and_opened(agent_page: Page) -> None:
    page = agent_page
    word = f"zebra{uuid.uuid4().hex[:6]}"  # a word no other chat of this run holds
    found_id, _ = start_chat(page, f"caller mentioned the {word} kiosk near reception")
    start_chat(page, "what's the status of #12?")

    list_ = page.get_by_test_id("session-list")
    expect(list_.get_by_test_id("session-group").first).to_have_text("Today")

    box = page.get_by_test_id("session-search")
    box.fill(word)
    results = page.get_by_test_id("session-search-results")
    expect(results.get_by_test_id("session-item")).to_have_count(1)
    expect(page.get_by_test_id("session-search-status")).to_have_text("1 chat found")
    expect(results.get_by_test_id("session-match")).to_contain_text(f"{word} kiosk")
    expect(list_).to_be_hidden()

    results.get_by_test_id("session-link").click()
    expect(page).to_have_url(re.compile(rf"\?session={found_id}$"))

    box.fill(f"{word}-nothing")
    expect(page.get_by_test_id("session-search-status")).to_have_text("No chats match.")
    box.fill("")
    expect(list_).to_be_visible()
