"""Every change made from the ticket page gets an undo toast (issue 20, defect 4): status,
priority, assignee, title and notes. Undo goes through the audited undo route, so the field
comes back, the audit trail shows the revert, and a note is retracted, not deleted."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.page_api import api_get

pytestmark = pytest.mark.browser


def toast(page: Page, text: str) -> None:
    expect(page.get_by_test_id("toast")).to_contain_text(text)


def undo(page: Page) -> None:
    page.get_by_test_id("toast-action").click()
    toast(page, "Undone")


def test_a_status_and_a_priority_change_can_be_undone_from_the_toast(agent_page: Page) -> None:
    page = agent_page
    before = api_get(page, "/api/tickets/26")
    page.goto("/dashboard/tickets/view/?ref=26")
    status = page.get_by_test_id("ticket-status-select")
    expect(status).to_be_enabled()
    target = "resolved" if before["status"] != "resolved" else "open"

    status.select_option(target)
    toast(page, "Status changed to")
    assert api_get(page, "/api/tickets/26")["status"] == target
    undo(page)
    expect(status).to_have_value(before["status"])
    assert api_get(page, "/api/tickets/26")["status"] == before["status"]
    expect(page.get_by_test_id("audit-trail")).to_contain_text("undo")

    priority = page.get_by_test_id("ticket-priority-select")
    other = "urgent" if before["priority"] != "urgent" else "low"
    priority.select_option(other)
    toast(page, "Priority changed to")
    undo(page)
    expect(priority).to_have_value(before["priority"])
    assert api_get(page, "/api/tickets/26")["priority"] == before["priority"]


def test_a_title_change_and_an_assignment_can_be_undone(agent_page: Page) -> None:
    page = agent_page
    before = api_get(page, "/api/tickets/27")
    page.goto("/dashboard/tickets/view/?ref=27")
    title = page.get_by_test_id("ticket-title")
    expect(title).to_have_text(before["title"])

    page.get_by_test_id("ticket-title-edit").click()
    page.get_by_test_id("ticket-title-input").fill("A title typed by mistake")
    page.get_by_test_id("ticket-title-input").press("Enter")
    expect(title).to_have_text("A title typed by mistake")
    toast(page, "Title changed")
    undo(page)
    expect(title).to_have_text(before["title"])

    select = page.get_by_test_id("ticket-assignee-select")
    people = api_get(page, "/api/users")
    chosen = next(
        u for u in people if before["assignee"] is None or u["id"] != before["assignee"]["id"]
    )
    select.select_option(chosen["id"])
    toast(page, f"Assigned to {chosen['name']}")
    undo(page)
    expect(select).to_have_value(before["assignee"]["id"] if before["assignee"] else "")
    assert api_get(page, "/api/tickets/27")["assignee"] == before["assignee"]


def test_a_note_added_by_mistake_is_retracted_by_undo(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/view/?ref=28")
    box = page.get_by_test_id("note-input")
    expect(box).to_be_enabled()
    box.fill("note meant for another ticket")
    box.press("Enter")
    toast(page, "Note added")
    undo(page)
    notes = api_get(page, "/api/tickets/28")["notes"]
    mine = [n for n in notes if n["body"] == "note meant for another ticket"]
    assert len(mine) == 1 and mine[0]["retracted_at"] is not None
