"""axe-core on every page and state an agent meets (issue 20), in light and in dark mode (which
follows the system): no violation of impact serious or critical, and no landmark or region
finding. axe-core comes from npm (the web app's dev dependencies) and runs inside the page."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.callers_ui import (
    CONTACTS_PATH,
    log_call,
    make_contact,
    make_ticket,
    new_phone,
    open_contact,
    tag,
)
from tests.browser.chat_ui import ask, open_chat, wait_for_reply
from tests.browser.conftest import Credential, DeskpilotServer
from tests.browser.test_usage import ADMIN_EMAIL, sign_in_by_api
from tests.browser.tickets_ui import open_picker

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "frontend/node_modules/axe-core/axe.min.js"
FADES_DONE = """() => Promise.allSettled(document.getAnimations()
  .filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished))"""
RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.html)}))"""


@pytest.fixture(params=["light", "dark"], autouse=True)
def color_scheme(request: pytest.FixtureRequest, page: Page) -> str:
    scheme: str = request.param
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    return scheme


BACKGROUND_LIGHTNESS = """() => {
  // through a canvas: the computed colour may be written in oklch
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const context = canvas.getContext("2d");
  context.fillStyle = getComputedStyle(document.body).backgroundColor;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def test_the_colours_follow_the_system(page: Page, color_scheme: str) -> None:
    page.goto("/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    lightness: float = page.evaluate(BACKGROUND_LIGHTNESS)
    assert (lightness < 0.2) if color_scheme == "dark" else (lightness > 0.9), lightness


def problems(page: Page) -> list[dict[str, object]]:
    """The violations that count: serious or critical, and every landmark or region one."""
    # Colours are judged as they end up, not halfway through a fade-in.
    page.evaluate(FADES_DONE)
    # evaluate, not a script tag: the page's CSP allows no inline script
    page.evaluate(AXE.read_text())
    found: list[dict[str, object]] = page.evaluate(RUN)
    return [
        v
        for v in found
        if v["impact"] in ("serious", "critical")
        or "landmark" in str(v["id"])
        or v["id"] == "region"
    ]


def test_the_sign_in_and_not_found_pages(page: Page) -> None:
    page.goto("/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    assert problems(page) == []
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert problems(page) == []


def test_the_tickets_pages_and_the_new_ticket_dialog(agent_page: Page) -> None:
    page = agent_page
    page.goto("/dashboard/tickets/")
    expect(page.get_by_test_id("ticket-row").first).to_be_visible()
    assert problems(page) == []
    page.get_by_test_id("new-ticket").click()
    expect(page.get_by_test_id("new-ticket-dialog")).to_be_visible()
    assert problems(page) == []
    page.goto("/dashboard/tickets/view/?ref=12")
    expect(page.get_by_test_id("ticket-detail")).to_be_visible()
    assert problems(page) == []


def test_the_chat_empty_with_cards_with_a_proposal_the_picker_and_the_user_menu(
    agent_page: Page,
) -> None:
    page = agent_page
    open_chat(page)
    assert problems(page) == []
    ask(page, "what's the status of #12?")
    assert problems(page) == []
    page.get_by_test_id("chat-input").fill("close #40")
    page.get_by_test_id("chat-input").press("Enter")
    wait_for_reply(page, replies=2, status="awaiting_approval")
    assert problems(page) == []
    open_picker(page)
    assert problems(page) == []
    page.keyboard.press("Escape")
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("sign-out")).to_be_visible()
    assert problems(page) == []


def test_the_contacts_pages_forms_and_the_caller_picker(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    phone = new_phone()
    contact = make_contact(
        page, f"Axe Tester {word}", phone=phone.digits, organization=f"Axe {word}"
    )
    ticket = make_ticket(page, f"Axe projector {word} flickers", contact_id=contact["id"])
    log_call(page, contact["id"], f"Projector call {word}", ticket_id=ticket["id"])

    page.goto(CONTACTS_PATH)
    expect(page.get_by_test_id("contact-row").first).to_be_visible()
    assert problems(page) == []
    page.get_by_test_id("new-contact").click()
    expect(page.get_by_test_id("contact-dialog")).to_be_visible()
    assert problems(page) == []
    page.keyboard.press("Escape")

    open_contact(page, contact["number"])
    expect(page.get_by_test_id("contact-call")).to_have_count(1)
    assert problems(page) == []
    page.get_by_test_id("log-call-open").click()
    page.get_by_test_id("contact-edit").click()
    page.get_by_test_id("contact-phone").fill("12")
    page.get_by_test_id("contact-save").click()
    expect(page.get_by_test_id("field-error")).to_be_visible()
    assert problems(page) == []  # the edit form with an error, and the call form

    # The new-ticket dialog with the caller list open, then with a caller and a duplicate.
    page.goto("/dashboard/tickets/")
    page.get_by_test_id("new-ticket").click()
    dialog = page.get_by_test_id("new-ticket-dialog")
    dialog.get_by_test_id("caller-picker-search").fill(phone.dotted)
    expect(dialog.get_by_test_id("caller-picker-option")).to_have_count(1)
    assert problems(page) == []
    dialog.get_by_test_id("caller-picker-search").press("Enter")
    dialog.locator("#nt-title").fill(f"Axe projector {word} flickering")
    expect(dialog.get_by_test_id("duplicate-panel")).to_be_visible()
    assert problems(page) == []


def test_the_merge_dialog(
    context: BrowserContext,
    page: Page,
    deskpilot: DeskpilotServer,
    credentials: dict[str, Credential],
) -> None:
    api = sign_in_by_api(context, deskpilot, credentials[ADMIN_EMAIL])
    word = tag()
    kept = api.post("/api/contacts", json={"name": f"Axe Kept {word}"}).json()
    api.post("/api/contacts", json={"name": f"Axe Duplicate {word}"})
    open_contact(page, kept["number"])
    page.get_by_test_id("contact-merge").click()
    dialog = page.get_by_test_id("merge-dialog")
    dialog.get_by_test_id("merge-picker-search").fill(f"Duplicate {word}")
    expect(dialog.get_by_test_id("merge-picker-option")).to_have_count(1)
    dialog.get_by_test_id("merge-picker-search").press("Enter")
    expect(dialog.get_by_test_id("merge-summary")).to_be_visible()
    assert problems(page) == []


def test_the_admin_usage_page(
    context: BrowserContext,
    page: Page,
    deskpilot: DeskpilotServer,
    credentials: dict[str, Credential],
) -> None:
    sign_in_by_api(context, deskpilot, credentials[ADMIN_EMAIL])
    page.goto("/dashboard/usage/")
    expect(page.get_by_test_id("usage-report")).to_be_visible()
    assert problems(page) == []
