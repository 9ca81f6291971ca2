"""A long message (a pasted call transcript) shows folded with "Show more" (issue 20), and
all of it is kept and shown when unfolded."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import messages, open_chat, send

pytestmark = pytest.mark.browser

LINE = "Caller: the label printer in shipping prints blank labels after the driver update.\n"


def test_a_long_message_is_folded_and_unfolds_whole(agent_page: Page) -> None:
    page = agent_page
    transcript = LINE * 90  # about 7,500 characters
    open_chat(page)
    send(page, transcript.strip())
    sent = messages(page, "user").last
    expect(sent).to_have_attribute("data-message-id", re.compile(r".+"))  # stored
    text = sent.get_by_test_id("message-text")

    expect(text).to_have_attribute("data-folded", "true")
    folded = sent.bounding_box()
    assert folded is not None and folded["height"] < 400, folded
    fold = sent.get_by_test_id("message-fold")
    expect(fold).to_have_text("Show more")

    fold.click()
    expect(fold).to_have_text("Show less")
    expect(text).not_to_have_attribute("data-folded", "true")
    unfolded = sent.bounding_box()
    assert unfolded is not None and unfolded["height"] > 1000, unfolded
    assert (text.text_content() or "").strip() == transcript.strip()
