"""Layout: the chat page's regions tile the screen at phone (375 px) and desktop (1280 and
1440 px) widths, with the key controls in place; screenshots of both."""

import itertools
import os
import shutil
from collections.abc import Callable

import pytest
from playwright.sync_api import FloatRect, Locator, Page, ViewportSize, expect

from tests.browser.chat_ui import (
    ask,
    messages,
    open_chat,
    send,
    session_id_of,
    settle,
    wait_for_reply,
)
from tests.browser.conftest import DESKTOP, PHONE, ROOT, artifact_path
from tests.browser.tickets_ui import attach_through_picker, card, open_picker

pytestmark = pytest.mark.browser

README_SCREENSHOT = ROOT / "docs" / "screenshots" / "chat.png"
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
WIDE_FROM = 768  # the sessions list is a column from here, a drawer below (chat-container.tsx)
Box = FloatRect


def no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide at a {width}px viewport"


def box_of(locator: Locator) -> Box:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    return box


def overlap(a: Box, b: Box) -> float:
    """The area two boxes share."""
    across = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    down = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(across, 0) * max(down, 0)


def inside(inner: Box, outer: Box, *, vertically: bool = True) -> bool:
    slack = 0.5  # sub-pixel rounding
    fits_across = (
        inner["x"] >= outer["x"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
    )
    fits_down = (
        inner["y"] >= outer["y"] - slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )
    return fits_across and (fits_down or not vertically)


def within_viewport(locator: Locator, width: int, height: int) -> None:
    box = box_of(locator)
    assert inside(box, {"x": 0, "y": 0, "width": width, "height": height}), box


def assert_sound_layout(page: Page, width: int, height: int) -> None:
    """The chat page's regions are all on screen, none over another; the conversation sits
    between its header and the composer (with room to read); the key controls are inside
    their region; no message is wider than the conversation."""
    composer = page.get_by_test_id("chat-input").locator("xpath=ancestor::form[1]/..")
    regions = {
        "app bar": page.locator("header:has(nav[aria-label='Main'])"),
        "chat header": page.get_by_test_id("chat-header"),
        "conversation": page.get_by_test_id("chat-messages"),
        "composer": composer,
    }
    wide = width >= WIDE_FROM
    if wide:
        regions["sessions"] = page.get_by_test_id("sessions-sidebar")
    boxes = {name: box_of(region) for name, region in regions.items()}
    viewport: Box = {"x": 0, "y": 0, "width": width, "height": height}
    for name, box in boxes.items():
        assert inside(box, viewport), f"the {name} is outside the viewport: {box}"
    for (one, a), (other, b) in itertools.combinations(boxes.items(), 2):
        assert overlap(a, b) < 1, f"the {one} overlaps the {other}: {a}, {b}"

    def bottom(name: str) -> float:
        return boxes[name]["y"] + boxes[name]["height"]

    assert bottom("app bar") <= boxes["chat header"]["y"] + 0.5
    assert bottom("chat header") <= boxes["conversation"]["y"] + 0.5
    assert bottom("conversation") <= boxes["composer"]["y"] + 0.5
    assert boxes["conversation"]["height"] >= height / 3, f"no room to read: {boxes}"
    if wide:
        assert boxes["sessions"]["x"] + boxes["sessions"]["width"] <= boxes["chat header"]["x"]

    controls = {
        "chat-input": "composer",
        "send-button": "composer",
        "add-ticket": "chat header",
        "new-chat" if wide else "open-sessions": "sessions" if wide else "chat header",
    }
    for control, region in controls.items():
        box = box_of(page.get_by_test_id(control))
        assert inside(box, boxes[region]), f"{control} is not inside the {region}: {box}"

    conversation = boxes["conversation"]
    for message in page.get_by_test_id("message").all():
        box = box_of(message)
        assert inside(box, conversation, vertically=False), f"a message overflows: {box}"
        for inline_card in message.get_by_test_id("ticket-card-inline").all():
            assert inside(box_of(inline_card), box, vertically=False), "a card overflows"
    spill = page.get_by_test_id("chat-messages").evaluate("el => el.scrollWidth - el.clientWidth")
    assert spill <= 0, f"the conversation scrolls sideways by {spill}px"


def test_chat_page_at_375_px(new_agent_page: Callable[..., Page]) -> None:
    page = new_agent_page(viewport=PHONE, has_touch=True, is_mobile=True)
    width, height = PHONE["width"], PHONE["height"]
    open_chat(page)
    no_horizontal_scroll(page, width)
    assert_sound_layout(page, width, height)
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
    assert_sound_layout(page, width, height)
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
    assert_sound_layout(page, DESKTOP["width"], DESKTOP["height"])
    page.mouse.move(0, 0)  # no hover effects in the picture

    path = artifact_path("chat-desktop.png")
    page.screenshot(path=path)
    if os.environ.get("DESKPILOT_UPDATE_SCREENSHOTS") == "1":  # refresh the README's picture
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOT)

    page.set_viewport_size(LAPTOP)
    no_horizontal_scroll(page, LAPTOP["width"])
    assert_sound_layout(page, LAPTOP["width"], LAPTOP["height"])


# Each breaks the page the way a bad stylesheet would; the check must say what broke.
BROKEN_LAYOUTS = {
    "the composer pushed below the fold": ("[data-testid=chat-page] { height: 130vh !important }", "is outside the viewport"),
    "the sessions list over the chat": ("aside { position: absolute; z-index: 50; width: 60vw !important; height: 50vh !important }", "overlaps"),
    "a message wider than the conversation": ("[data-testid=message] { min-width: 1500px }", "a message overflows"),
    "the send button squeezed out": ("[data-testid=send-button] { position: fixed; right: -40px }", "send-button is not inside"),
}  # fmt: skip


def test_the_layout_check_catches_a_broken_layout(new_agent_page: Callable[..., Page]) -> None:
    page = new_agent_page(viewport=LAPTOP)
    open_chat(page)
    ask(page, "Find open tickets about printers")
    assert_sound_layout(page, LAPTOP["width"], LAPTOP["height"])

    for css, complaint in BROKEN_LAYOUTS.values():
        style = page.add_style_tag(content=css)
        with pytest.raises(AssertionError, match=complaint):
            assert_sound_layout(page, LAPTOP["width"], LAPTOP["height"])
        style.evaluate("el => el.remove()")
        assert_sound_layout(page, LAPTOP["width"], LAPTOP["height"])  # sound again
