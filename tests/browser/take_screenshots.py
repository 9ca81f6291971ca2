"""Screenshots of the workspace for docs/screenshots/ (issue 20): each page at 1280 and 375 px,
light and dark. Not part of the suite (the file name is not test_*); run it by name:

    uv run pytest tests/browser/take_screenshots.py

It asserts that each page rendered what it should before the shot is written."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.chat_ui import ask, open_chat, session_id_of

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "docs/screenshots"
WIDTHS = {"desktop": (1280, 800), "phone": (375, 740)}


def shoot(page: Page, name: str, scheme: str, size: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement?.blur()")
    page.screenshot(path=str(OUT / f"{name}-{size}-{scheme}.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(WIDTHS))
def test_screenshots(
    browser: Browser, base_url: str, agent_cookies: list[object], scheme: str, size: str
) -> None:
    width, height = WIDTHS[size]
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": height}, color_scheme=scheme
    )
    context.add_cookies(agent_cookies)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        open_chat(page)
        ask(page, "show me the open tickets about printers")
        session = session_id_of(page)
        shoot(page, "chat", scheme, size)
        page.goto("/dashboard/tickets/")
        expect(page.get_by_test_id("ticket-row").first).to_be_visible()
        shoot(page, "tickets", scheme, size)
        page.goto("/dashboard/tickets/view/?ref=12")
        expect(page.get_by_test_id("ticket-detail")).to_be_visible()
        shoot(page, "ticket", scheme, size)
        page.goto("/dashboard/contacts/?id=1")
        expect(page.get_by_test_id("contact-detail")).to_be_visible()
        shoot(page, "contact", scheme, size)
        open_chat(page, session)
    finally:
        context.close()
