"""The web app under its Content-Security-Policy: every page works with no violation, and no
other origin can frame it."""

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from tests.browser.chat_ui import ask, open_chat
from tests.browser.conftest import DESKTOP, OTHER_EMAIL, Credential, free_port
from tests.browser.test_auth import fill_login

pytestmark = pytest.mark.browser

# Runs where the page's own scripts run: records every violation the page reports.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations = (window.cspViolations || 0) + 1;
  window.reportCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}: ${e.sample}`
  );
});
"""


class CspWatch:
    """Collects CSP violations from the event and from the console, plus page errors."""

    def __init__(self, page: Page) -> None:
        self.violations: list[str] = []
        self.errors: list[str] = []
        page.expose_function("reportCspViolation", self._report)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", self._response)
        self.policies: dict[str, str] = {}

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy", "")

    def assert_clean(self) -> None:
        assert self.violations == []
        assert self.errors == []


def assert_strict_policy(policy: str) -> None:
    """Not vacuous: the pages were loaded under a policy that blocks inline script."""
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src, policy
    assert "'unsafe-inline'" not in script_src.group(1)
    assert "'sha256-" in script_src.group(1)
    assert "frame-ancestors 'none'" in policy


@pytest.fixture
def watched(browser: Browser, base_url: str) -> Iterator[tuple[Page, CspWatch]]:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = CspWatch(page)
    yield page, watch
    context.close()


def test_every_page_works_under_the_policy_without_a_violation(
    watched: tuple[Page, CspWatch], credentials: dict[str, Credential]
) -> None:
    page, watch = watched

    # Sign in through the form.
    page.goto("/login/")
    user = credentials[OTHER_EMAIL]
    fill_login(page, user.email, user.password)
    expect(page).to_have_url(re.compile(r"/dashboard/chat/?$"))

    # A chat turn with the offline assistant, which runs a tool and shows a ticket card.
    open_chat(page)
    reply = ask(page, "Find open tickets about printers")
    expect(reply.get_by_test_id("ticket-card-inline").first).to_be_visible()
    page.get_by_test_id("add-ticket").click()  # a popover
    expect(page.get_by_test_id("ticket-picker-search")).to_be_visible()
    page.keyboard.press("Escape")

    # The ticket list, its dialog (which locks scrolling with an inserted <style>), a ticket.
    page.goto("/dashboard/tickets/")
    rows = page.get_by_test_id("ticket-row")
    expect(rows.first).to_be_visible()
    page.get_by_test_id("new-ticket").click()
    expect(page.get_by_test_id("new-ticket-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("new-ticket-dialog")).to_be_hidden()
    number = rows.first.get_attribute("data-ticket-number")
    rows.first.click()
    expect(page.get_by_test_id("ticket-detail")).to_have_attribute(
        "data-ticket-number", number or ""
    )
    page.get_by_test_id("user-menu").click()  # a dropdown menu (also locks scrolling)
    expect(page.get_by_test_id("sign-out")).to_be_visible()
    page.keyboard.press("Escape")

    # A fresh load of each page (client-side navigation above loaded only the first two).
    for path in ("/dashboard/tickets/", f"/dashboard/tickets/view/?ref={number}", "/"):
        page.goto(path)
        expect(page.locator("main, [data-testid=login-form]").first).to_be_visible()
    missing = page.goto("/no/such/page/")
    assert missing is not None and missing.status == 404
    expect(page.get_by_text(re.compile("not found", re.IGNORECASE)).first).to_be_visible()

    watch.assert_clean()
    assert len(watch.policies) >= 6, watch.policies
    for policy in watch.policies.values():
        assert_strict_policy(policy)


def test_an_injected_inline_script_is_blocked_and_reported(
    watched: tuple[Page, CspWatch],
) -> None:
    """The watch above would see a violation, and the policy really stops inline script."""
    page, watch = watched
    page.goto("/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_function("() => window.cspViolations > 0")
    assert page.evaluate("() => window.injected") is None
    assert any(v.startswith("script-src-elem blocked inline") for v in watch.violations), (
        watch.violations
    )


FRAMING_PAGE = """<!doctype html><title>framer</title>
<iframe id="app" src="{url}" width="800" height="600"
  onload="document.title = 'frame loaded'"></iframe>"""


@pytest.fixture
def framing_origin(base_url: str) -> Iterator[str]:
    """A page on another local origin (another port) that embeds the app in an iframe."""
    port = free_port()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = FRAMING_PAGE.format(url=f"{base_url}/login/").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{port}/"
    server.shutdown()
    server.server_close()


def test_the_app_refuses_to_be_framed(page: Page, framing_origin: str) -> None:
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "frame" in m.text else None)
    page.goto(framing_origin)
    expect(page).to_have_title("frame loaded")

    framed = page.frame_locator("#app")
    expect(framed.locator("body")).not_to_contain_text("Sign in")
    expect(framed.get_by_test_id("login-form")).to_have_count(0)
    assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in refusals), (
        refusals
    )
