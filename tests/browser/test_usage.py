"""The administrators' token-use page: linked for admins only, its figures those of
GET /api/admin/usage."""

import re

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Credential, DeskpilotServer

pytestmark = pytest.mark.browser
ADMIN_EMAIL = "admin@deskpilot.local"


def sign_in_by_api(
    context: BrowserContext, server: DeskpilotServer, cred: Credential
) -> httpx.Client:
    """The admin's session cookies in the browser, and an API client sharing them."""
    api = httpx.Client(base_url=server.url(""), timeout=30)
    response = api.post("/api/auth/login", json={"email": cred.email, "password": cred.password})
    assert response.status_code == 200, response.text
    api.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    context.add_cookies(
        [
            {"name": c.name, "value": c.value or "", "domain": "127.0.0.1", "path": "/"}
            for c in api.cookies.jar
        ]
    )
    return api


def test_an_admin_finds_token_use_in_the_menu(
    context: BrowserContext,
    page: Page,
    deskpilot: DeskpilotServer,
    credentials: dict[str, Credential],
) -> None:
    api = sign_in_by_api(context, deskpilot, credentials[ADMIN_EMAIL])
    try:
        chat = api.post("/api/chat/sessions", json={}).json()
        sent = api.post(f"/api/chat/sessions/{chat['id']}/messages", json={"content": "help"})
        assert sent.status_code == 200, sent.text
        report = api.get("/api/admin/usage").json()

        page.goto("/dashboard/tickets/")
        page.get_by_test_id("nav-usage").click()

        expect(page).to_have_url(re.compile(r"/dashboard/usage/?$"))
        expect(page.get_by_role("heading", name="Token use")).to_be_visible()
        shown = page.get_by_test_id("usage-report")
        expect(shown.get_by_role("term").nth(2)).to_have_text("Replies")
        replies = f"{report['total']['replies']:,}"
        expect(shown.locator("dd").nth(2)).to_have_text(replies)
        people = shown.get_by_role("table", name="Per person", exact=False)
        expect(people.get_by_role("rowheader").first).to_contain_text("@")
        # The admin's own offline reply counts: the offline assistant spends no tokens.
        expect(shown.get_by_role("table", name="Per model")).to_contain_text(
            "deskpilot-offline (offline)"
        )
        page.get_by_role("button", name="7 days").click()
        expect(page.get_by_role("button", name="7 days")).to_have_attribute("aria-pressed", "true")
        expect(shown.locator("dd").nth(2)).to_have_text(replies)  # all of them this week

    finally:
        api.close()


def test_an_agent_has_no_link_and_the_page_says_why(agent_page: Page) -> None:
    agent_page.goto("/dashboard/usage/")

    expect(agent_page.get_by_text("Only administrators can see token use.")).to_be_visible()
    expect(agent_page.get_by_test_id("current-user")).to_be_visible()  # the menu has loaded
    expect(agent_page.get_by_test_id("nav-tickets")).to_be_visible()
    expect(agent_page.get_by_test_id("nav-usage")).to_have_count(0)
