"""The tickets list at every width an agent uses (issue 20): the title keeps at least 160 px
and the header's "Title" never runs into "Status"; Source, then Assignee, give way first."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MIN_TITLE_PX = 160


@pytest.mark.parametrize("width", [360, 768, 900, 1024, 1280])
def test_the_title_column_keeps_its_width(agent_page: Page, width: int) -> None:
    page = agent_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/dashboard/tickets/")
    title = page.get_by_test_id("ticket-row-title").first
    expect(title).to_be_visible()

    box = title.bounding_box()
    assert box is not None and box["width"] >= MIN_TITLE_PX, (width, box)
    header = page.get_by_test_id("ticket-list-header")
    if width >= 768:  # the table layout; below it each ticket is a card
        expect(header).to_be_visible()
        title_head = header.get_by_text("Title", exact=True).bounding_box()
        status_head = header.get_by_text("Status", exact=True).bounding_box()
        assert title_head and status_head
        assert title_head["x"] + title_head["width"] <= status_head["x"], (width, title_head)
        assert status_head["x"] - title_head["x"] >= MIN_TITLE_PX, (width, status_head)
    else:
        expect(header).to_be_hidden()
