"""Regenerate the last reply and edit-and-resend the last user message (issue 20, expected
affordances): the replaced messages stay, folded as "Replaced" with their text a click
away; the new turn is answered as usual; a write the replaced reply made is not made again
(offline assistant, `never` mode: the create runs at once). Keyboard: Edit opens an inline
editor, Escape cancels and gives focus back to Edit; axe finds nothing in these states."""

import secrets

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.chat_ui import messages, start_chat, wait_for_reply
from tests.browser.page_api import api_get, search_numbers
from tests.browser.test_accessibility import problems

pytestmark = pytest.mark.browser


def replaced(page: Page) -> Locator:
    return page.get_by_test_id("replaced-message")


def test_regenerate_shows_a_new_reply_and_the_old_one_as_replaced(agent_page: Page) -> None:
    page = agent_page
    session_id, first = start_chat(page, "what's the status of #12?")
    expect(page.get_by_test_id("regenerate-reply")).to_have_count(1)
    first_id = first.get_attribute("data-message-id")

    page.get_by_role("button", name="Regenerate this reply").click()

    reply = wait_for_reply(page, replies=1)
    expect(reply).not_to_have_attribute("data-message-id", first_id or "")
    expect(reply).to_contain_text("#12")
    expect(replaced(page)).to_have_count(2)  # the question and its reply, folded
    old_reply = replaced(page).filter(has_text="Assistant reply")
    expect(old_reply).to_have_attribute("data-message-id", first_id or "")
    expect(old_reply.locator("p")).not_to_be_visible()
    old_reply.get_by_test_id("replaced-summary").click()
    expect(old_reply.locator("p")).to_be_visible()
    expect(old_reply.locator("p")).to_contain_text("#12")
    assert problems(page) == []
    page.emulate_media(color_scheme="dark")
    assert problems(page) == []
    page.emulate_media(color_scheme="light")
    # the server agrees, after a reload too
    stored = api_get(page, f"/api/chat/sessions/{session_id}")["messages"]
    assert [(m["role"], m["superseded"]) for m in stored] == [
        ("user", True),
        ("assistant", True),
        ("user", False),
        ("assistant", False),
    ]
    page.reload()
    expect(replaced(page)).to_have_count(2)
    expect(messages(page, "assistant")).to_have_count(1)


def test_edit_and_resend_the_last_message_by_keyboard(agent_page: Page) -> None:
    page = agent_page
    start_chat(page, "what's the status of #13?")
    edit = page.get_by_role("button", name="Edit your message")
    expect(edit).to_have_count(1)

    # Escape cancels, and focus goes back to Edit.
    edit.focus()
    page.keyboard.press("Enter")
    editor = page.get_by_role("textbox", name="Edit your message")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("what's the status of #13?")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(edit).to_be_focused()
    expect(messages(page, "user")).to_have_text(["what's the status of #13?"])

    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    assert problems(page) == []
    editor.fill("what's the status of #14?")
    page.keyboard.press("Enter")

    reply = wait_for_reply(page, replies=1)
    expect(reply).to_contain_text("#14")
    expect(messages(page, "user")).to_have_text(["what's the status of #14?"])
    expect(replaced(page).filter(has_text="Your message")).to_contain_text(
        "#13", use_inner_text=False
    )
    # the new message is the last one: it can be edited again, the old one not
    expect(page.get_by_role("button", name="Edit your message")).to_have_count(1)
    expect(replaced(page).get_by_role("button")).to_have_count(0)


def test_regenerate_after_a_create_leaves_one_ticket(never_page: Page) -> None:
    page = never_page
    place = "Zq" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    start_chat(page, f"Create a ticket for the broken badge reader in the {place} office")
    created = search_numbers(page, place)
    assert len(created) == 1, created

    page.get_by_role("button", name="Regenerate this reply").click()

    reply = wait_for_reply(page, replies=1)
    expect(reply).to_contain_text("Already done")
    expect(reply).to_contain_text(f"#{created[0]}")
    expect(replaced(page)).to_have_count(2)
    assert search_numbers(page, place) == created
