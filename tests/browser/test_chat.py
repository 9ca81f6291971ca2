"""Spec §8 acceptance criteria through the chat page, answered by the offline assistant."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import (
    SESSION_URL,
    ask,
    messages,
    open_chat,
    session_id_of,
    start_chat,
    wait_for_reply,
)
from tests.browser.page_api import api_get
from tests.browser.tickets_ui import attach_through_picker, card, chip

pytestmark = pytest.mark.browser


def test_create_a_new_chat_session(agent_page: Page) -> None:
    page = agent_page
    open_chat(page)
    expect(page.get_by_test_id("offline-badge")).to_be_visible()  # no model configured
    expect(page.get_by_test_id("chat-empty")).to_be_visible()
    first_id, _ = start_chat(page, "Hello")
    sidebar = page.get_by_test_id("sessions-sidebar")
    expect(sidebar.locator(f'[data-session-id="{first_id}"]')).to_be_visible()

    page.get_by_test_id("new-chat").click()
    expect(page).not_to_have_url(re.compile(first_id))
    expect(page.get_by_test_id("chat-empty")).to_be_visible()
    expect(messages(page, "user")).to_have_count(0)

    # The new chat exists on the server (a URL of its own, listed in the sidebar).
    expect(page).to_have_url(SESSION_URL)
    second_id = session_id_of(page)
    assert second_id != first_id
    expect(sidebar.locator(f'[data-session-id="{second_id}"]')).to_be_visible()
    expect(sidebar.locator(f'[data-session-id="{second_id}"]')).to_have_attribute(
        "data-active", "true"
    )
    listed = {s["id"] for s in api_get(page, "/api/chat/sessions")["items"]}
    assert {first_id, second_id} <= listed


def test_new_chat_focuses_the_input(agent_page: Page) -> None:
    page = agent_page
    start_chat(page, "Hello")
    page.get_by_test_id("new-chat").click()
    expect(page.get_by_test_id("chat-empty")).to_be_visible()
    expect(page.get_by_test_id("chat-input")).to_be_focused(timeout=2_000)


def test_send_a_message_and_get_a_streamed_reply(agent_page: Page) -> None:
    page = agent_page
    open_chat(page)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/messages")
    ) as sent:
        page.get_by_test_id("chat-input").fill("Find open tickets about printers")
        page.get_by_test_id("chat-input").press("Enter")
    assert sent.value.headers["content-type"].startswith("text/event-stream")

    user = messages(page, "user")
    expect(user).to_have_count(1)
    expect(user.first).to_have_text("Find open tickets about printers")
    reply = wait_for_reply(page, replies=1)
    expect(reply).to_contain_text(re.compile(r"printer", re.IGNORECASE))
    expect(reply.get_by_test_id("tool-activity").first).to_have_attribute("data-status", "ok")
    expect(reply.get_by_test_id("ticket-card-inline").first).to_be_visible()
    expect(page.get_by_test_id("chat-input")).to_have_value("")
    expect(page).to_have_url(SESSION_URL)


def test_create_a_ticket_by_asking(agent_page: Page) -> None:
    page = agent_page
    session_id, reply = start_chat(
        page, "Create a ticket for the VPN outage in Berlin, it's urgent"
    )

    created = reply.get_by_test_id("ticket-card-inline")
    expect(created).to_have_count(1)
    number = int(created.first.get_attribute("data-ticket-number") or 0)
    assert number > 60  # the demo data has tickets 1-60
    expect(reply).to_contain_text(f"#{number}")
    expect(created.first).to_contain_text(re.compile(r"VPN", re.IGNORECASE))
    expect(created.first).to_contain_text(re.compile(r"urgent", re.IGNORECASE))
    expect(created.first).to_contain_text(re.compile(r"chat", re.IGNORECASE))  # source badge
    activity = reply.get_by_test_id("tool-activity")
    expect(activity.first).to_have_attribute("data-tool", "create_ticket")
    expect(activity.first).to_contain_text(f"#{number}")
    # A ticket made in a chat is attached to it.
    expect(chip(page, number)).to_be_visible()

    ticket = api_get(page, f"/api/tickets/{number}")
    assert ticket["source"] == "chat"
    assert ticket["priority"] == "urgent"
    assert ticket["chat_session_id"] == session_id
    assert "vpn" in ticket["title"].lower()

    # The tickets list shows it under the "chat" source filter.
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-row").first).to_be_visible()
    page.get_by_test_id("filter-source").select_option("chat")
    row = page.locator(f'[data-testid="ticket-row"][data-ticket-number="{number}"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("source-badge")).to_have_attribute("data-source", "chat")
    calls = page.locator('[data-testid="ticket-row"] [data-source="call"]')
    expect(calls).to_have_count(0)

    # Back in the chat, View opens the ticket page, whose audit trail links back to this chat.
    open_chat(page, session_id)
    card(page, number).get_by_test_id("ticket-card-view").click()
    detail = page.get_by_test_id("ticket-detail")
    expect(detail).to_have_attribute("data-ticket-number", str(number))
    expect(page.get_by_test_id("ticket-chat-link")).to_have_attribute(
        "href", re.compile(session_id)
    )
    created_event = page.locator('[data-testid="audit-event"][data-action="created"]')
    expect(created_event).to_have_attribute("data-channel", "chat")


def test_inline_card_for_a_mentioned_ticket(agent_page: Page) -> None:
    page = agent_page
    ticket = api_get(page, "/api/tickets/12")
    _, reply = start_chat(page, "What's the status of #12?")

    expect(reply).to_contain_text("#12")
    cards = reply.get_by_test_id("ticket-card-inline")
    expect(cards).to_have_count(1)
    twelve = card(reply, 12)
    expect(twelve).to_contain_text(ticket["title"])
    view = twelve.get_by_test_id("ticket-card-view")
    expect(view).to_be_visible()
    expect(twelve.get_by_test_id("ticket-card-attach")).to_be_visible()

    # Attach from the card: the chip appears and the card offers Detach.
    twelve.get_by_test_id("ticket-card-attach").click()
    expect(chip(page, 12)).to_be_visible()
    expect(twelve).to_have_attribute("data-attached", "true")
    expect(twelve.get_by_test_id("ticket-card-detach")).to_be_visible()

    view.click()
    expect(page).to_have_url(re.compile(r"/dashboard/tickets/view/?\?ref=12$"))
    expect(page.get_by_test_id("ticket-title")).to_have_text(ticket["title"])


def test_reply_refers_to_an_attached_ticket(agent_page: Page) -> None:
    page = agent_page
    ticket = api_get(page, "/api/tickets/7")
    open_chat(page)
    attach_through_picker(page, "#7", 7)
    expect(page).to_have_url(SESSION_URL)  # attaching in a new chat creates it

    reply = ask(page, "Summarise the attached tickets")
    expect(reply).to_contain_text("#7")
    expect(reply).to_contain_text(ticket["title"])
    activity = reply.get_by_test_id("tool-activity")
    expect(activity.first).to_have_attribute("data-tool", "get_ticket")
    expect(card(reply, 7)).to_be_visible()


def test_session_is_still_there_after_a_reload(agent_page: Page) -> None:
    page = agent_page
    session_id, reply = start_chat(page, "What's the status of #3?")
    attach_through_picker(page, "#5", 5)
    reply_text = reply.inner_text()

    page.reload()
    expect(page).to_have_url(re.compile(rf"\?session={session_id}$"))
    expect(messages(page, "user")).to_have_count(1)
    expect(messages(page, "user").first).to_have_text("What's the status of #3?")
    restored = wait_for_reply(page, replies=1)
    expect(card(restored, 3)).to_be_visible()
    assert restored.inner_text() == reply_text
    expect(chip(page, 5)).to_be_visible()

    # Resumable: the conversation carries on in the same session.
    ask(page, "Thanks!")
    expect(messages(page, "user")).to_have_count(2)
    assert session_id_of(page) == session_id

    # And it is listed in the sidebar of a fresh visit to the chat page.
    open_chat(page)
    page.locator(f'[data-session-id="{session_id}"] [data-testid="session-link"]').click()
    expect(page).to_have_url(re.compile(session_id))
    expect(messages(page, "user")).to_have_count(2)
