"""The supervised copilot in the browser, answered by the offline assistant: the card that
asks before a ticket changes (approve, edit then approve, reject with a reason), undo from
the card and from the ticket's audit trail, a reload with a proposal waiting, `never` mode.

Each test works on tickets of its own (#30-#39) and sets their status first through the API:
the demo database is shared by the browser tests."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.chat_ui import (
    REPLY_TIMEOUT,
    SESSION_URL,
    messages,
    open_chat,
    send,
    session_id_of,
    wait_for_reply,
)
from tests.browser.page_api import api_get, api_patch

pytestmark = pytest.mark.browser


def reopened(page: Page, number: int) -> dict[str, object]:
    ticket = api_get(page, f"/api/tickets/{number}")
    if ticket["status"] != "open":
        ticket = api_patch(page, f"/api/tickets/{number}", {"status": "open"})
    return ticket  # type: ignore[no-any-return]


def proposal_for(page: Page, text: str) -> Locator:
    """Send `text` in a new chat; the pending proposal card of the reply that pauses on it."""
    open_chat(page)
    send(page, text)
    reply = wait_for_reply(page, replies=1, status="awaiting_approval")
    card = reply.get_by_test_id("proposal-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-state", "pending")
    expect(page).to_have_url(SESSION_URL)
    return card


def test_approve_a_proposed_change(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 31)

    card = proposal_for(page, "Close #31")

    expect(card.get_by_test_id("proposal-headline")).to_have_text("Close #31?")
    change = card.get_by_test_id("proposal-change")
    expect(change).to_have_attribute("data-field", "status")
    expect(change).to_contain_text("Open")
    expect(change).to_contain_text("Closed")
    assert api_get(page, "/api/tickets/31")["status"] == "open"  # nothing changed yet
    session_id = session_id_of(page)
    marker = page.locator(f'[data-session-id="{session_id}"] [data-testid="session-pending"]')
    expect(marker).to_have_text("1 change to approve")

    # Keyboard reachable: Approve is a real button that takes focus and Enter.
    approve = card.get_by_test_id("proposal-approve")
    approve.focus()
    expect(approve).to_be_focused()
    page.keyboard.press("Enter")

    reply = wait_for_reply(page, replies=1)
    done = reply.get_by_test_id("proposal-card")
    expect(done).to_have_attribute("data-state", "executed")
    expect(done.get_by_test_id("proposal-outcome")).to_have_text("Closed #31")
    expect(done.get_by_test_id("proposal-undo")).to_be_visible()
    expect(reply).to_contain_text("status open → closed")
    expect(marker).to_have_count(0)
    assert api_get(page, "/api/tickets/31")["status"] == "closed"


def test_edit_a_new_ticket_then_approve(agent_page: Page) -> None:
    page = agent_page
    card = proposal_for(page, "Create a ticket for the label printer in the warehouse, it's jammed")
    expect(card.get_by_test_id("proposal-draft")).to_contain_text("label printer")

    card.get_by_test_id("proposal-edit").click()
    title = card.get_by_test_id("draft-title")
    expect(title).to_be_focused()
    title.fill("Warehouse label printer jams on every roll")
    card.get_by_test_id("draft-priority").select_option("high")
    card.get_by_test_id("draft-category").fill("hardware")
    card.get_by_test_id("proposal-approve-edited").click()

    reply = wait_for_reply(page, replies=1)
    done = reply.get_by_test_id("proposal-card")
    expect(done).to_have_attribute("data-state", "executed")
    outcome = done.get_by_test_id("proposal-outcome")
    expect(outcome).to_have_text(re.compile(r"^Created #\d+$"))
    number = int((outcome.inner_text()).split("#")[1])
    expect(done).to_contain_text("Approved with your edits")
    expect(reply).to_contain_text("Warehouse label printer jams on every roll")
    ticket = api_get(page, f"/api/tickets/{number}")
    assert (ticket["title"], ticket["priority"], ticket["category"], ticket["source"]) == (
        "Warehouse label printer jams on every roll",
        "high",
        "hardware",
        "chat",
    )


def test_reject_with_a_reason(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 32)
    card = proposal_for(page, "Close #32")

    card.get_by_test_id("proposal-reject").click()
    reason = card.get_by_test_id("proposal-reject-reason")
    expect(reason).to_be_focused()
    reason.fill("still waiting on parts")
    reason.press("Enter")

    reply = wait_for_reply(page, replies=1)
    rejected = reply.get_by_test_id("proposal-card")
    expect(rejected).to_have_attribute("data-state", "rejected")
    expect(rejected).to_contain_text("Rejected: Close #32 (still waiting on parts)")
    expect(reply).to_contain_text(
        "Understood: I left #32 as it was (your reason: still waiting on parts)."
    )
    assert api_get(page, "/api/tickets/32")["status"] == "open"


def test_undo_from_the_card(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 33)
    proposal_for(page, "Close #33").get_by_test_id("proposal-approve").click()
    done = wait_for_reply(page, replies=1).get_by_test_id("proposal-card")
    expect(done).to_have_attribute("data-state", "executed")

    done.get_by_test_id("proposal-undo").click()

    expect(done.get_by_test_id("proposal-undone")).to_have_text("· Undone by Maria Lopez")
    expect(done).to_have_attribute("data-undone", "true")
    assert api_get(page, "/api/tickets/33")["status"] == "open"


def test_undo_from_the_audit_trail_which_names_the_approver(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 34)
    proposal_for(page, "Close #34 and add a note: customer confirmed").get_by_test_id(
        "proposal-approve"
    ).click()
    expect(wait_for_reply(page, replies=1).get_by_test_id("proposal-card")).to_have_attribute(
        "data-state", "executed"
    )

    page.goto("/dashboard/tickets/view/?ref=34")
    change = page.locator('[data-testid="audit-event"][data-field="status"]').last
    expect(change).to_contain_text("via AI chat, approved by Maria Lopez")
    expect(change.get_by_test_id("audit-approved-by")).to_be_visible()
    change.get_by_test_id("audit-undo").click()

    undone = page.locator('[data-testid="audit-event"][data-action="reverted"]')
    expect(undone).to_have_count(2)  # the status and the note, one write
    expect(undone.first).to_contain_text("undid a change: status back to Open")
    expect(page.get_by_test_id("ticket-status-select")).to_have_value("open")
    expect(page.get_by_test_id("note").last.locator("[data-retracted]")).to_have_text(
        "customer confirmed"
    )
    expect(page.get_by_test_id("note-retracted").last).to_contain_text("Retracted by Maria Lopez")
    expect(page.get_by_test_id("audit-undo")).to_have_count(0)


def test_a_pending_proposal_survives_a_reload(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 35)
    proposal_for(page, "Close #35")
    session_id = session_id_of(page)

    page.reload()

    reply = wait_for_reply(page, replies=1, status="awaiting_approval")
    card = reply.get_by_test_id("proposal-card")
    expect(card).to_have_attribute("data-state", "pending")
    expect(card.get_by_test_id("proposal-headline")).to_have_text("Close #35?")
    expect(
        page.locator(f'[data-session-id="{session_id}"] [data-testid="session-pending"]')
    ).to_be_visible()
    card.get_by_test_id("proposal-approve").click()
    expect(card).to_have_attribute("data-state", "executed", timeout=REPLY_TIMEOUT)
    assert api_get(page, "/api/tickets/35")["status"] == "closed"


def test_a_stale_proposal_shows_the_fresh_diff_for_approval_again(agent_page: Page) -> None:
    page = agent_page
    reopened(page, 36)
    card = proposal_for(page, "Close #36")
    api_patch(page, "/api/tickets/36", {"status": "in_progress"})  # someone else, meanwhile

    card.get_by_test_id("proposal-approve").click()

    expect(card.get_by_test_id("proposal-error")).to_contain_text("changed since")
    expect(card.get_by_test_id("proposal-change")).to_contain_text("In progress")
    assert api_get(page, "/api/tickets/36")["status"] == "in_progress"
    card.get_by_test_id("proposal-approve").click()
    expect(card).to_have_attribute("data-state", "executed", timeout=REPLY_TIMEOUT)
    assert api_get(page, "/api/tickets/36")["status"] == "closed"


def test_never_mode_changes_at_once_and_still_offers_undo(never_page: Page) -> None:
    page = never_page
    reopened(page, 37)
    open_chat(page)
    expect(page.get_by_test_id("approval-badge")).to_have_text("Changes tickets without asking")

    send(page, "Close #37")

    reply = wait_for_reply(page, replies=1)
    card = reply.get_by_test_id("proposal-card")
    expect(card).to_have_attribute("data-state", "executed")
    expect(card.get_by_test_id("proposal-outcome")).to_have_text("Closed #37")
    expect(messages(page, "assistant").get_by_test_id("proposal-approve")).to_have_count(0)
    assert api_get(page, "/api/tickets/37")["status"] == "closed"
    card.get_by_test_id("proposal-undo").click()
    expect(card.get_by_test_id("proposal-undone")).to_be_visible()
    assert api_get(page, "/api/tickets/37")["status"] == "open"


def test_an_assignment_card_shows_who_has_the_ticket_and_who_will(agent_page: Page) -> None:
    page = agent_page
    ticket = reopened(page, 38)
    if ticket.get("assignee") is not None:
        api_patch(page, "/api/tickets/38", {"assignee_id": None})

    card = proposal_for(page, "assign #38 to sam okafor")

    expect(card.get_by_test_id("proposal-headline")).to_have_text("Assign #38 to Sam Okafor?")
    change = card.get_by_test_id("proposal-change")
    expect(change).to_have_attribute("data-field", "assignee")
    expect(change).to_contain_text("Unassigned")
    expect(change).to_contain_text("Sam Okafor")
    card.get_by_test_id("proposal-approve").click()
    expect(card).to_have_attribute("data-state", "executed", timeout=REPLY_TIMEOUT)
    assert api_get(page, "/api/tickets/38")["assignee"]["name"] == "Sam Okafor"
