"""Layout: usable at 375 px wide; screenshots of the chat page at desktop and phone width."""

import os
import shutil
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.chat_ui import (
    ask,
    attach_through_picker,
    card,
    messages,
    open_chat,
    open_picker,
    send,
    session_id_of,
    settle,
    wait_for_reply,
)
from tests.browser.conftest import DESKTOP, PHONE, ROOT, artifact_path

pytestmark = pytest.mark.browser

README_SCREENSHOT = ROOT / "docs" / "screenshots" / "chat.png"


def no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide at a {width}px viewport"


def within_viewport(locator: Locator, width: int, height: int) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box


def test_chat_page_at_375_px(new_agent_page: Callable[..., Page]) -> None:
    page = new_agent_page(viewport=PHONE, has_touch=True, is_mobile=True)
    width, height = PHONE["width"], PHONE["height"]
    open_chat(page)
    no_horizontal_scroll(page, width)
    within_viewport(page.get_by_test_id("chat-input"), width, height)
    within_viewport(page.get_by_test_id("send-button"), width, height)
    expect(page.get_by_test_id("offline-badge")).to_be_visible()

    # A conversation with a chip, a tool line, Markdown and inline cards still fits.
    attach_through_picker(page, "#43", 43)
    ask(page, "Summarise the attached tickets")
    reply = ask(page, "What's the status of #12?")
    expect(card(reply, 12)).to_be_visible()
    within_viewport(card(reply, 12).get_by_test_id("ticket-card-view"), width, height)
    send(page, "Find open tickets about printers")
    wait_for_reply(page, replies=3)
    no_horizontal_scroll(page, width)
    within_viewport(page.get_by_test_id("chat-input"), width, height)
    within_viewport(page.get_by_test_id("send-button"), width, height)
    page.screenshot(path=artifact_path("chat-phone.png"))

    # The sessions list moves into a drawer.
    expect(page.get_by_test_id("sessions-sidebar")).to_be_hidden()
    page.get_by_test_id("open-sessions").click()
    drawer = page.get_by_test_id("sessions-drawer")
    expect(drawer).to_be_visible()
    settle(drawer)
    within_viewport(drawer.get_by_test_id("new-chat"), width, height)
    session_id = session_id_of(page)
    expect(drawer.locator(f'[data-session-id="{session_id}"]')).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()

    # The picker takes the whole width and is usable.
    picker = open_picker(page)
    within_viewport(picker.get_by_test_id("ticket-picker-search"), width, height)
    within_viewport(picker.get_by_test_id("ticket-picker-attach"), width, height)
    no_horizontal_scroll(page, width)
    picker.get_by_test_id("ticket-picker-close").click()
    expect(picker).to_be_hidden()

    # Typing and sending work with the on-screen layout.
    reply = ask(page, "Thanks!")
    expect(reply).not_to_be_empty()
    no_horizontal_scroll(page, width)


def test_add_ticket_stays_fully_visible_at_375_px(new_agent_page: Callable[..., Page]) -> None:
    page = new_agent_page(viewport=PHONE, has_touch=True, is_mobile=True)
    open_chat(page)
    attach_through_picker(page, "#43", 43)
    page.evaluate("window.scrollTo(0, 0)")
    row = page.get_by_test_id("attached-tickets")
    row.evaluate("el => { el.scrollLeft = 0; }")
    within_viewport(page.get_by_test_id("add-ticket"), PHONE["width"], PHONE["height"])
    button = page.get_by_test_id("add-ticket").bounding_box()
    shown = row.bounding_box()
    assert button is not None and shown is not None
    assert button["x"] + button["width"] <= shown["x"] + shown["width"], (button, shown)


def test_screenshot_of_the_chat_page_at_desktop_width(
    new_agent_page: Callable[..., Page],
) -> None:
    page = new_agent_page(viewport=DESKTOP)
    open_chat(page)
    attach_through_picker(page, "#43", 43)
    attach_through_picker(page, "#34", 34)
    ask(page, "Summarise the attached tickets")
    created = ask(page, "Create a ticket for the VPN outage in Berlin, it's urgent")
    expect(created.get_by_test_id("ticket-card-inline")).to_have_count(1)
    expect(messages(page, "user")).to_have_count(2)
    no_horizontal_scroll(page, DESKTOP["width"])
    page.mouse.move(0, 0)  # no hover effects in the picture

    path = artifact_path("chat-desktop.png")
    page.screenshot(path=path)
    assert path.stat().st_size > 10_000  # a real page, not a blank frame
    if os.environ.get("DESKPILOT_UPDATE_SCREENSHOTS") == "1":  # refresh the README's picture
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOT)
