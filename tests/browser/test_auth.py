"""Sign-in and sign-out through the form, with the demo credentials `seed-demo` printed."""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.chat_ui import wait_for_hydration
from tests.browser.conftest import OTHER_EMAIL, Credential
from tests.browser.gate import RequestGate

pytestmark = pytest.mark.browser


def fill_login(page: Page, email: str, password: str) -> None:
    wait_for_hydration(page.locator("#email"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_sign_in_with_demo_credentials_and_sign_out(
    page: Page, credentials: dict[str, Credential]
) -> None:
    user = credentials[OTHER_EMAIL]
    page.goto("/login/")
    fill_login(page, user.email, user.password)

    expect(page).to_have_url(re.compile(r"/dashboard/chat/?$"))
    expect(page.get_by_test_id("current-user")).to_have_text("Sam Okafor")
    expect(page.get_by_test_id("chat-input")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    expect(page.get_by_test_id("login-form")).to_be_visible()

    # Signed out for real: the dashboard sends us back to the sign-in page.
    page.goto("/dashboard/tickets/")
    expect(page).to_have_url(re.compile(r"/login/"))
    assert page.request.get("/api/auth/me").status == 401


def test_wrong_password_shows_an_inline_error(
    page: Page, credentials: dict[str, Credential]
) -> None:
    page.goto("/login/")
    fill_login(page, credentials[OTHER_EMAIL].email, "not-the-password")

    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"incorrect|invalid", re.IGNORECASE))
    expect(page).to_have_url(re.compile(r"/login/?$"))  # stays on the form
    expect(page.locator("#email")).to_have_value(credentials[OTHER_EMAIL].email)


@pytest.mark.parametrize(
    ("path", "landing"),
    [
        ("/dashboard/chat/", r"/dashboard/chat/?$"),
        ("/dashboard/tickets/view/?ref=12", r"/dashboard/tickets/view/?\?ref=12$"),
    ],
    ids=["chat", "ticket"],
)
def test_signed_out_visit_redirects_to_sign_in_and_back(
    page: Page, credentials: dict[str, Credential], path: str, landing: str
) -> None:
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/login/?\?next="))
    expect(page.get_by_test_id("login-form")).to_be_visible()

    user = credentials[OTHER_EMAIL]
    fill_login(page, user.email, user.password)
    expect(page).to_have_url(re.compile(landing))
    if "chat" in path:
        expect(page.get_by_test_id("chat-input")).to_be_visible()
    else:
        expect(page.get_by_test_id("ticket-detail")).to_have_attribute("data-ticket-number", "12")


def test_credentials_entered_before_the_page_hydrates_are_kept(
    page: Page, credentials: dict[str, Credential]
) -> None:
    """The sign-in page is static HTML: it can be typed into (or autofilled by a password
    manager) before its script runs. Hold the scripts back until the fields are filled."""
    gate = RequestGate(page, re.compile(r"/_next/static/.*\.js"))
    page.goto("/login/", wait_until="commit")
    user = credentials[OTHER_EMAIL]
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(user.password)
    assert gate.held, "the scripts were not held back"
    gate.open()
    wait_for_hydration(page.locator("#email"))

    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/dashboard/chat/?$"))


@pytest.mark.parametrize(
    "query",
    [
        "next=%2F%09%2Fevil.example%2F",
        "next=%2F%0A%2Fevil.example%2F",
        "next=%2F%0D%2Fevil.example%2F",
        "next=%2F%09%5Cevil.example%2F",
    ],
    ids=["tab", "line-feed", "carriage-return", "tab-backslash"],
)
def test_a_hostile_next_keeps_the_sign_in_on_this_origin(
    page: Page, credentials: dict[str, Credential], base_url: str, query: str
) -> None:
    """The browser drops tab/CR/LF from a URL, so `/<TAB>/evil.example` is `//evil.example`."""
    left_for: list[str] = []

    def foreign(route: Route) -> None:
        left_for.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>evil</h1>")

    page.route(re.compile(r"^https?://evil\.example(?::\d+)?/"), foreign)
    page.goto(f"/login/?{query}")
    user = credentials[OTHER_EMAIL]
    fill_login(page, user.email, user.password)

    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/dashboard/chat/?$"))
    expect(page.get_by_test_id("chat-input")).to_be_visible()
    assert left_for == []
