"""The ticket page edits what agents change all day (issue 20, defect 10): the title in
place (a stale edit is refused and the page shows the ticket as it is now), the assignee
from a list of the desk's people, and notes added with Enter as in the chat."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.page_api import api_get, api_patch

pytestmark = pytest.mark.browser


def test_the_title_is_edited_in_place_and_a_stale_edit_overwrites_nothing(
    agent_page: Page,
) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/view/?ref=23")
    title = page.get_by_test_id("ticket-title")
    expect(title).to_be_visible()

    page.get_by_test_id("ticket-title-edit").click()
    box = page.get_by_test_id("ticket-title-input")
    expect(box).to_be_focused()
    box.fill("Docking station flickers on the 3rd floor")
    box.press("Enter")

    expect(title).to_have_text("Docking station flickers on the 3rd floor")
    expect(page.get_by_test_id("ticket-title-edit")).to_be_focused()
    assert api_get(page, "/api/tickets/23")["title"] == "Docking station flickers on the 3rd floor"

    page.get_by_test_id("ticket-title-edit").click()
    api_patch(page, "/api/tickets/23", {"title": "Renamed by another agent"})  # meanwhile
    box.fill("My late rename")
    box.press("Enter")

    expect(page.get_by_test_id("ticket-title-error")).to_be_visible()
    assert api_get(page, "/api/tickets/23")["title"] == "Renamed by another agent"
    box.press("Escape")
    expect(title).to_have_text("Renamed by another agent")


def test_the_assignee_is_picked_from_the_desk_and_can_be_cleared(agent_page: Page) -> None:
    page = agent_page
    before = api_get(page, "/api/tickets/24")["assignee"]
    page.goto("/dashboard/tickets/view/?ref=24")
    select = page.get_by_test_id("ticket-assignee-select")
    expect(select).to_be_visible()
    people = api_get(page, "/api/users")
    chosen = next(u for u in people if before is None or u["id"] != before["id"])
    was = before["name"] if before else "none"

    select.select_option(chosen["id"])

    expect(select).to_have_value(chosen["id"])
    assigned = page.locator('[data-testid="audit-event"][data-field="assignee_id"]')
    expect(assigned.last).to_contain_text(f"changed assignee from {was} to {chosen['name']}")
    assert api_get(page, "/api/tickets/24")["assignee"]["name"] == chosen["name"]
    select.select_option("")
    expect(assigned.last).to_contain_text(f"changed assignee from {chosen['name']} to none")
    assert api_get(page, "/api/tickets/24")["assignee"] is None


def test_enter_adds_a_note_and_shift_enter_starts_a_new_line(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/view/?ref=25")
    box = page.get_by_test_id("note-input")
    expect(box).to_be_visible()

    box.fill("Called back")
    box.press("Shift+Enter")
    box.type("user confirms the fix")
    expect(box).to_have_value("Called back\nuser confirms the fix")
    box.press("Enter")

    expect(page.get_by_test_id("note").last).to_contain_text("user confirms the fix")
    expect(box).to_have_value("")
    notes = api_get(page, "/api/tickets/25")["notes"]
    assert notes[-1]["body"] == "Called back\nuser confirms the fix"
