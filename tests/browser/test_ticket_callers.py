"""The caller on tickets (issue 15): on the list's rows, on the ticket page (linked, and
changed with the caller picker), on inline cards in the chat; and the new-ticket dialog's
caller picker and duplicate panel ("Looks like #47: add a note there instead?")."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.callers_ui import (
    make_contact,
    make_ticket,
    new_phone,
    tag,
)
from tests.browser.chat_ui import ask, open_chat
from tests.browser.page_api import api_get
from tests.browser.tickets_ui import card

pytestmark = pytest.mark.browser


def row(page: Page, number: int):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid="ticket-row"][data-ticket-number="{number}"]')


@pytest.mark.parametrize("width", [1280, 768])
def test_ticket_rows_name_the_caller(agent_page: Page, width: int) -> None:
    page = agent_page
    page.set_viewport_size({"width": width, "height": 900})
    word = tag()
    contact = make_contact(page, f"Rosa Diaz {word}", organization=f"Acme {word}")
    ticket = make_ticket(page, f"Scanner offline {word}", contact_id=contact["id"])
    page.goto(f"/dashboard/tickets/?q={word}")
    found = row(page, ticket["number"])
    expect(found).to_be_visible()
    if width >= 1024:  # a column of its own
        expect(found.get_by_test_id("ticket-row-caller")).to_contain_text(f"Rosa Diaz {word}")
        expect(found.get_by_test_id("ticket-row-caller")).to_contain_text(f"Acme {word}")
        expect(found.get_by_test_id("ticket-row-caller-inline")).to_be_hidden()
    else:  # under the title; the title keeps its width
        expect(found.get_by_test_id("ticket-row-caller")).to_be_hidden()
        expect(found.get_by_test_id("ticket-row-caller-inline")).to_contain_text(
            f"Rosa Diaz {word}"
        )
    box = found.get_by_test_id("ticket-row-title").bounding_box()
    assert box is not None and box["width"] >= 160, box


def test_the_ticket_page_links_the_caller_and_changes_it_with_the_picker(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    first = make_contact(page, f"Ana Silva {word}")
    phone = new_phone()
    second = make_contact(page, f"Ben Okafor {word}", phone=phone.digits)
    ticket = make_ticket(page, f"Docking station dead {word}", contact_id=first["id"])

    page.goto(f"/dashboard/tickets/view/?ref={ticket['number']}")
    section = page.get_by_test_id("ticket-caller-section")
    expect(section.get_by_test_id("ticket-caller")).to_have_attribute(
        "data-contact-number", str(first["number"])
    )

    # Change it by keyboard: search by phone, ArrowDown, Enter.
    section.get_by_test_id("ticket-caller-change").click()
    search = section.get_by_test_id("ticket-caller-picker-search")
    expect(search).to_be_focused()
    search.fill(phone.dotted)
    option = section.locator(
        f'[data-testid="ticket-caller-picker-option"][data-contact-number="{second["number"]}"]'
    )
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(section.get_by_test_id("ticket-caller")).to_have_attribute(
        "data-contact-number", str(second["number"])
    )
    expect(section.get_by_test_id("ticket-caller-change")).to_be_focused()
    assert (
        api_get(page, f"/api/tickets/{ticket['number']}")["contact"]["number"] == second["number"]
    )
    # Audited like any field, and undone from its toast.
    expect(page.get_by_test_id("toast")).to_contain_text(f"Caller changed to Ben Okafor {word}")
    page.get_by_test_id("toast-action").click()
    expect(section.get_by_test_id("ticket-caller")).to_have_attribute(
        "data-contact-number", str(first["number"])
    )
    assert api_get(page, f"/api/tickets/{ticket['number']}")["contact"]["number"] == first["number"]

    # The name leads to the caller's page, which lists the ticket.
    section.get_by_test_id("ticket-caller").get_by_role("link").click()
    expect(page.get_by_test_id("contact-detail")).to_have_attribute(
        "data-contact-number", str(first["number"])
    )
    expect(
        page.get_by_test_id("contact-open-tickets").locator(
            f'[data-ticket-number="{ticket["number"]}"]'
        )
    ).to_be_visible()


def test_inline_ticket_cards_name_the_caller(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    contact = make_contact(page, f"Chen Wei {word}")
    ticket = make_ticket(page, f"Keyboard sticks {word}", contact_id=contact["id"])
    open_chat(page)
    reply = ask(page, f"what's the status of #{ticket['number']}?")
    caller = card(reply, ticket["number"]).get_by_test_id("ticket-card-caller")
    expect(caller).to_contain_text(f"Chen Wei {word}")
    expect(caller.get_by_role("link")).to_have_attribute(
        "href", f"/dashboard/contacts/?id={contact['number']}"
    )


def test_the_new_ticket_dialog_picks_the_caller_and_warns_of_a_duplicate(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    phone = new_phone()
    contact = make_contact(page, f"Maya Patel {word}", phone=phone.digits)
    existing = make_ticket(
        page,
        f"Plotter {word} jams on the third floor",
        description=f"The plotter {word} on the third floor jams with every large print.",
        contact_id=contact["id"],
    )

    page.goto("/dashboard/tickets/")
    page.get_by_test_id("new-ticket").click()
    dialog = page.get_by_test_id("new-ticket-dialog")
    search = dialog.get_by_test_id("caller-picker-search")
    expect(search).to_be_focused()
    search.fill(phone.international)
    option = dialog.locator(
        f'[data-testid="caller-picker-option"][data-contact-number="{contact["number"]}"]'
    )
    expect(option).to_be_visible()
    # Escape closes the list, not the dialog.
    search.press("Escape")
    expect(option).to_be_hidden()
    expect(dialog).to_be_visible()
    search.press("ArrowDown")
    expect(option).to_be_visible()
    search.press("Enter")
    expect(dialog.get_by_test_id("caller-picker-value")).to_have_attribute(
        "data-contact-number", str(contact["number"])
    )
    expect(dialog).to_be_visible()  # Enter picked; it did not submit

    panel = dialog.get_by_test_id("duplicate-panel")
    expect(panel).to_have_count(0)
    dialog.locator("#nt-title").fill(f"Plotter {word} jams again")
    expect(panel).to_have_attribute("data-ticket-number", str(existing["number"]))
    expect(panel).to_contain_text(f"Looks like #{existing['number']}: add a note there instead?")
    dialog.locator("#nt-description").fill(f"Third floor plotter {word} jammed twice this morning.")
    expect(panel).to_have_attribute("data-ticket-number", str(existing["number"]))

    # "Add a note" goes to that ticket, its note composer focused and holding the description.
    panel.get_by_test_id("duplicate-add-note").first.click()
    expect(page.get_by_test_id("ticket-detail")).to_have_attribute(
        "data-ticket-number", str(existing["number"])
    )
    note = page.get_by_test_id("note-input")
    expect(note).to_be_focused()
    expect(note).to_have_value(f"Third floor plotter {word} jammed twice this morning.")
    expect(page).to_have_url(f"/dashboard/tickets/view/?ref={existing['number']}")


def test_a_new_ticket_is_created_with_its_caller(agent_page: Page) -> None:
    page = agent_page
    word = tag()
    contact = make_contact(page, f"Omar Haddad {word}")
    page.goto("/dashboard/tickets/")
    page.get_by_test_id("new-ticket").click()
    dialog = page.get_by_test_id("new-ticket-dialog")
    dialog.get_by_test_id("caller-picker-search").fill(f"Haddad {word}")
    dialog.locator(
        f'[data-testid="caller-picker-option"][data-contact-number="{contact["number"]}"]'
    ).click()
    dialog.locator("#nt-title").fill(f"Headset {word} crackles")
    dialog.locator("#nt-description").fill("Crackles on every call.")
    dialog.get_by_test_id("new-ticket-submit").click()
    detail = page.get_by_test_id("ticket-detail")
    expect(detail).to_be_visible()
    expect(page.get_by_test_id("ticket-caller")).to_have_attribute(
        "data-contact-number", str(contact["number"])
    )
    number = int(detail.get_attribute("data-ticket-number") or 0)
    assert api_get(page, f"/api/tickets/{number}")["contact"]["id"] == contact["id"]
