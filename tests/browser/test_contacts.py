"""The contacts page (issue 15): search by a phone in any format, a contact's tickets and
calls, logging a call, editing (a bad phone or a taken e-mail shown on its field), and an
admin merging a duplicate."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.callers_ui import (
    CONTACTS_PATH,
    close_ticket,
    contact_row,
    get_contact,
    log_call,
    make_contact,
    make_ticket,
    new_phone,
    open_contact,
    tag,
)
from tests.browser.conftest import Credential, DeskpilotServer
from tests.browser.test_usage import ADMIN_EMAIL, sign_in_by_api

pytestmark = pytest.mark.browser


def test_search_finds_a_contact_by_phone_in_any_format(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    phone = new_phone()
    contact = make_contact(
        page, f"Ines Okoro {word}", phone=phone.digits, organization=f"Orbis {word}"
    )
    page.goto(CONTACTS_PATH)
    search = page.get_by_test_id("contact-search")
    row = contact_row(page, contact["number"])

    for typed in (phone.international, phone.dotted, phone.digits):
        search.fill(typed)
        expect(row).to_be_visible()
    # The search is in the URL (back from a contact shows it again).
    expect(page).to_have_url(f"{CONTACTS_PATH}?q={phone.digits}")
    # By the last four digits, the organisation, and a number that is no one's.
    search.fill(phone.last4)
    expect(row).to_be_visible()
    search.fill(f"Orbis {word}")
    expect(row).to_be_visible()
    expect(page.get_by_test_id("contact-row")).to_have_count(1)
    search.fill(f"nobody {word}")
    expect(page.get_by_test_id("contacts-empty")).to_be_visible()

    # The row leads to the contact's page.
    search.fill(phone.dotted)
    row.click()
    expect(page.get_by_test_id("contact-name")).to_have_text(f"Ines Okoro {word}")


def test_a_contacts_page_shows_their_tickets_and_calls_and_logs_a_call(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    contact = make_contact(page, f"Tomas Berg {word}", phone=new_phone().digits)
    open_one = make_ticket(page, f"Badge reader rejects card {word}", contact_id=contact["id"])
    done = make_ticket(page, f"Monitor flickers {word}", contact_id=contact["id"])
    close_ticket(page, done["number"])
    log_call(
        page,
        contact["id"],
        f"Called about the badge reader {word}",
        ticket_id=open_one["id"],
        duration_seconds=240,
    )

    open_contact(page, contact["number"])
    open_list = page.get_by_test_id("contact-open-tickets")
    recent = page.get_by_test_id("contact-recent-tickets")
    expect(open_list.get_by_test_id("contact-ticket")).to_have_count(1)
    expect(open_list.get_by_test_id("contact-ticket").first).to_have_attribute(
        "data-ticket-number", str(open_one["number"])
    )
    expect(recent.get_by_test_id("contact-ticket")).to_have_count(1)
    expect(recent.get_by_test_id("contact-ticket").first).to_have_attribute(
        "data-ticket-number", str(done["number"])
    )
    calls = page.get_by_test_id("contact-call")
    expect(calls).to_have_count(1)
    expect(calls.first.get_by_test_id("contact-call-summary")).to_have_text(
        f"Called about the badge reader {word}"
    )
    expect(calls.first.get_by_test_id("contact-call-ticket")).to_contain_text(
        f"#{open_one['number']}"
    )
    expect(calls.first).to_contain_text("4 min")

    # Log another from the page, about the open ticket, by keyboard.
    page.get_by_test_id("log-call-open").click()
    summary = page.get_by_test_id("log-call-summary")
    expect(summary).to_be_focused()
    summary.fill(f"Called back: reader replaced {word}")
    page.get_by_test_id("log-call-direction").select_option("outbound")
    page.get_by_test_id("log-call-ticket").select_option(open_one["id"])
    page.get_by_test_id("log-call-submit").click()
    expect(calls).to_have_count(2)
    expect(calls.first.get_by_test_id("contact-call-summary")).to_have_text(
        f"Called back: reader replaced {word}"
    )
    expect(calls.first).to_contain_text("Outbound call")
    expect(page.get_by_test_id("log-call-open")).to_be_focused()
    stored = get_contact(page, contact["number"])["calls"]
    assert [c["summary"] for c in stored][:1] == [f"Called back: reader replaced {word}"]
    assert (
        stored[0]["direction"] == "outbound" and stored[0]["ticket"]["number"] == open_one["number"]
    )


def test_editing_shows_a_bad_phone_and_a_taken_email_on_their_fields(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    other = make_contact(page, f"Other Person {word}", email=f"taken-{word}@example.com")
    contact = make_contact(page, f"Lena Park {word}", phone=new_phone().digits)
    open_contact(page, contact["number"])

    page.get_by_test_id("contact-edit").click()
    form = page.get_by_test_id("contact-form")
    phone_box = form.get_by_test_id("contact-phone")
    phone_box.fill("12")
    form.get_by_test_id("contact-save").click()
    expect(phone_box).to_have_attribute("aria-invalid", "true")
    expect(phone_box).to_be_focused()
    error = form.get_by_test_id("field-error")
    expect(error).to_have_count(1)
    # The message is tied to the field (read with it by screen readers).
    error_id = error.get_attribute("id")
    assert error_id and error_id in (phone_box.get_attribute("aria-describedby") or "")

    fixed = new_phone()
    phone_box.fill(fixed.dotted)
    email_box = form.get_by_test_id("contact-email")
    email_box.fill(f"TAKEN-{word}@example.com")
    form.get_by_test_id("contact-save").click()
    expect(email_box).to_have_attribute("aria-invalid", "true")
    expect(phone_box).not_to_have_attribute("aria-invalid", "true")
    expect(form.get_by_test_id("contact-conflict")).to_contain_text(f"C-{other['number']}")

    email_box.fill(f"lena-{word}@example.com")
    form.get_by_test_id("contact-organization").fill(f"Northwind {word}")
    form.get_by_test_id("contact-save").click()
    expect(form).to_have_count(0)
    expect(page.get_by_test_id("contact-edit")).to_be_focused()
    expect(page.get_by_test_id("contact-email")).to_have_text(f"lena-{word}@example.com")
    expect(page.get_by_test_id("contact-organization")).to_contain_text(f"Northwind {word}")
    saved = get_contact(page, contact["number"])
    assert saved["phone"] == fixed.e164
    assert saved["organization"]["name"] == f"Northwind {word}"


def test_an_admin_merges_a_duplicate(
    context: BrowserContext,
    page: Page,
    deskpilot: DeskpilotServer,
    credentials: dict[str, Credential],
) -> None:
    api = sign_in_by_api(context, deskpilot, credentials[ADMIN_EMAIL])
    word = tag()
    phone = new_phone()
    kept = api.post("/api/contacts", json={"name": f"Maria Lopez {word}"}).json()
    duplicate = api.post(
        "/api/contacts", json={"name": f"M. Lopez {word}", "phone": phone.digits}
    ).json()
    ticket = api.post(
        "/api/tickets",
        json={
            "title": f"VPN drops {word}",
            "description": "Drops hourly.",
            "contact_id": duplicate["id"],
        },
    ).json()
    api.post("/api/calls", json={"contact_id": duplicate["id"], "summary": f"VPN call {word}"})

    open_contact(page, kept["number"])
    page.get_by_test_id("contact-merge").click()
    dialog = page.get_by_test_id("merge-dialog")
    search = dialog.get_by_test_id("merge-picker-search")
    expect(search).to_be_focused()
    # Both are "Lopez": only the duplicate is offered (never the kept contact itself).
    search.fill(f"Lopez {word}")
    options = dialog.get_by_test_id("merge-picker-option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("data-contact-number", str(duplicate["number"]))
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("Enter")
    expect(dialog.get_by_test_id("merge-duplicate-name")).to_contain_text(
        f"C-{duplicate['number']}"
    )
    dialog.get_by_test_id("merge-confirm").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("contact-merged")).to_contain_text(f"C-{duplicate['number']}")

    # The duplicate's ticket, call and phone are the kept contact's now; the duplicate is gone.
    expect(
        page.get_by_test_id("contact-open-tickets").get_by_test_id("contact-ticket")
    ).to_have_attribute("data-ticket-number", str(ticket["number"]))
    expect(page.get_by_test_id("contact-call-summary")).to_have_text(f"VPN call {word}")
    expect(page.get_by_test_id("contact-phone")).to_be_visible()
    assert api.get(f"/api/contacts/{duplicate['number']}").status_code == 404
    page.goto(f"{CONTACTS_PATH}?id={duplicate['number']}")
    expect(page.get_by_test_id("contact-not-found")).to_be_visible()


def test_agents_are_not_offered_the_merge(agent_page: Page) -> None:
    page = agent_page
    contact = make_contact(page, f"No Merge {tag()}")
    open_contact(page, contact["number"])
    expect(page.get_by_test_id("contact-edit")).to_be_visible()
    expect(page.get_by_test_id("contact-merge")).to_have_count(0)


def test_the_contacts_pages_fit_a_phone(agent_page: Page) -> None:
    page = agent_page
    page.set_viewport_size({"width": 360, "height": 800})
    word = tag()
    contact = make_contact(
        page,
        f"Alexandra Konstantinopoulou-Featherstonehaugh {word}",
        phone=new_phone().digits,
        email=f"alexandra.konstantinopoulou-{word}@a-rather-long-domain.example",
        organization=f"International Widgets and Sprockets {word}",
    )
    ticket = make_ticket(
        page, f"Very long ticket title about the printer {word} " * 3, contact_id=contact["id"]
    )
    log_call(page, contact["id"], "A call " * 40, ticket_id=ticket["id"])

    for path in (f"{CONTACTS_PATH}?q={word}", f"{CONTACTS_PATH}?id={contact['number']}"):
        page.goto(path)
        expect(
            page.get_by_test_id("contact-row").or_(page.get_by_test_id("contact-detail")).first
        ).to_be_visible()
        if "id=" in path:
            page.get_by_test_id("log-call-open").click()
            page.get_by_test_id("contact-edit").click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
