"""Tickets pages: edit on the detail page and see it in the audit trail; chat changes link back."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chat_ui import start_chat
from tests.browser.page_api import api_get
from tests.browser.tickets_ui import card

pytestmark = pytest.mark.browser

STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "closed": "Closed",
}


def test_ticket_detail_editing_shows_in_the_audit_trail(agent_page: Page) -> None:
    page = agent_page
    before = api_get(page, "/api/tickets/20")
    new_status = "resolved" if before["status"] != "resolved" else "in_progress"
    new_priority = "low" if before["priority"] != "low" else "high"

    # From the list to the ticket.
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-row").first).to_be_visible()
    page.get_by_test_id("ticket-search").fill("#20")
    row = page.locator('[data-testid="ticket-row"][data-ticket-number="20"]')
    expect(row).to_contain_text(before["title"])
    row.click()
    detail = page.get_by_test_id("ticket-detail")
    expect(detail).to_have_attribute("data-ticket-number", "20")
    events = page.get_by_test_id("audit-event")
    count_before = events.count()

    page.get_by_test_id("ticket-status-select").select_option(new_status)
    status_event = page.locator('[data-testid="audit-event"][data-field="status"]').last
    expect(status_event).to_contain_text(
        f"changed status from {STATUS_LABELS[before['status']]} to {STATUS_LABELS[new_status]}"
    )
    expect(status_event).to_contain_text("Maria Lopez")
    expect(status_event).to_have_attribute("data-channel", "ui")
    expect(events).to_have_count(count_before + 1)
    expect(detail.locator("header")).to_contain_text(STATUS_LABELS[new_status])

    page.get_by_test_id("ticket-priority-select").select_option(new_priority)
    expect(page.locator('[data-testid="audit-event"][data-field="priority"]').last).to_contain_text(
        re.compile(rf"changed priority from .+ to {new_priority}", re.IGNORECASE)
    )
    expect(events).to_have_count(count_before + 2)

    page.get_by_test_id("note-input").fill("Called the user back; fixed by a reboot.")
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("note").last).to_contain_text("fixed by a reboot")
    expect(
        page.locator('[data-testid="audit-event"][data-action="note_added"]').last
    ).to_be_visible()

    # Stored, not just shown.
    page.reload()
    expect(page.get_by_test_id("ticket-status-select")).to_have_value(new_status)
    expect(page.get_by_test_id("ticket-priority-select")).to_have_value(new_priority)
    after = api_get(page, "/api/tickets/20")
    assert (after["status"], after["priority"]) == (new_status, new_priority)
    status_events = [e for e in after["events"] if e["field"] == "status"]
    assert status_events[-1]["channel"] == "ui"
    assert status_events[-1]["new_value"] == new_status


def test_a_change_made_in_chat_says_so_and_links_to_the_chat(never_page: Page) -> None:
    page = never_page  # changed at once (approving it: test_proposals.py)
    before = api_get(page, "/api/tickets/21")
    target = "in_progress" if before["status"] != "in_progress" else "resolved"
    words = {"in_progress": "in progress", "resolved": "resolved"}[target]
    session_id, reply = start_chat(page, f"Mark #21 as {words}")
    expect(reply.get_by_test_id("tool-activity").first).to_have_attribute(
        "data-tool", "update_ticket"
    )
    expect(card(reply, 21)).to_be_visible()

    card(reply, 21).get_by_test_id("ticket-card-view").click()
    expect(page.get_by_test_id("ticket-detail")).to_have_attribute("data-ticket-number", "21")
    event = page.locator('[data-testid="audit-event"][data-field="status"]').last
    expect(event).to_have_attribute("data-channel", "chat")
    expect(event).to_contain_text(f"to {STATUS_LABELS[target]}")
    link = event.get_by_test_id("audit-chat-link")
    expect(link).to_contain_text("via AI chat")
    link.click()
    expect(page).to_have_url(re.compile(rf"/dashboard/chat/?\?session={session_id}$"))
    expect(page.locator('[data-testid="message"][data-role="user"]')).to_have_text(
        [f"Mark #21 as {words}"]
    )


def test_a_key_on_the_status_select_changes_nothing_until_a_value_is_picked(
    agent_page: Page,
) -> None:
    page = agent_page
    before = api_get(page, "/api/tickets/21")
    page.goto("/dashboard/tickets/view/?ref=21")
    status = page.get_by_test_id("ticket-status-select")
    expect(status).to_have_value(before["status"])
    events_before = len(before["events"])

    status.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "c", "End"):
        status.press(key)
    page.wait_for_timeout(500)  # a save the keys set off would have landed by now

    after = api_get(page, "/api/tickets/21")
    assert (after["status"], len(after["events"])) == (before["status"], events_before)
    expect(status).to_have_value(before["status"])
