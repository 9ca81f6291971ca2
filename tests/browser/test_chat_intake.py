"""A call taken in from the agent's notes in one chat turn (issue 15), with the offline
assistant and approval on (the default): the reply shows the caller card and ONE card
grouping the steps (add the caller → the new ticket → log the call); one Approve does them
all; the ticket is linked to its caller and the call is on the contact's page."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.callers_ui import (
    CONTACTS_PATH,
    make_contact,
    make_ticket,
    new_phone,
    open_contact,
)
from tests.browser.chat_ui import open_chat, send, wait_for_reply
from tests.browser.page_api import api_get
from tests.browser.test_accessibility import problems

pytestmark = pytest.mark.browser


def test_notes_for_a_new_caller_end_in_one_approved_card(agent_page: Page) -> None:
    page = agent_page
    phone = new_phone()
    open_chat(page)
    send(
        page,
        f"Priya Raman from Vexcorp called from {phone.international}, "
        "the label maker in shipping prints blank labels",
    )
    reply = wait_for_reply(page, replies=1, status="awaiting_approval")

    group = reply.get_by_test_id("proposal-group")
    expect(group).to_have_count(1)
    expect(group).to_have_attribute("data-state", "pending")
    steps = group.get_by_test_id("proposal-step")
    expect(steps).to_have_count(3)
    tools = steps.evaluate_all("els => els.map(e => e.dataset.tool)")
    assert tools == ["create_contact", "create_ticket", "log_call"], tools
    expect(steps.first).to_contain_text("Priya Raman")
    expect(reply.get_by_test_id("proposal-card")).to_have_count(0)  # one card, not three
    assert problems(page) == []  # axe: the grouped card waiting

    approve = group.get_by_test_id("proposal-group-approve")
    approve.focus()
    page.keyboard.press("Enter")
    reply = wait_for_reply(page, replies=1)
    group = reply.get_by_test_id("proposal-group")
    expect(group).to_have_attribute("data-state", "executed")
    for step in group.get_by_test_id("proposal-step").all():
        expect(step).to_have_attribute("data-state", "executed")
    expect(group.get_by_test_id("proposal-group-undo")).to_be_visible()
    assert problems(page) == []  # axe: the grouped card done

    # The caller exists now, with the new ticket linked and the call logged on it.
    found = api_get(page, "/api/contacts", q=phone.digits)["items"]
    assert [c["name"] for c in found] == ["Priya Raman"], found
    contact = found[0]
    detail = open_contact(page, contact["number"])
    tickets = page.get_by_test_id("contact-open-tickets").get_by_test_id("contact-ticket")
    expect(tickets).to_have_count(1)
    number = int(tickets.first.get_attribute("data-ticket-number") or 0)
    ticket = api_get(page, f"/api/tickets/{number}")
    assert ticket["contact"]["id"] == contact["id"] and ticket["source"] == "call"
    call = detail.get_by_test_id("contact-call")
    expect(call).to_have_count(1)
    expect(call.get_by_test_id("contact-call-ticket")).to_contain_text(f"#{number}")


def test_notes_for_a_known_caller_show_the_caller_card(agent_page: Page) -> None:
    page = agent_page
    phone = new_phone()
    contact = make_contact(page, "Tariq Nasser", phone=phone.digits, organization="Helix Labs")
    open_ticket = make_ticket(page, "Conference room screen stays black", contact_id=contact["id"])
    open_chat(page)
    send(page, f"Tariq Nasser from Helix Labs, {phone.dotted}: the badge printer is out of ribbon")
    reply = wait_for_reply(page, replies=1, status="awaiting_approval")

    caller = reply.get_by_test_id("caller-card")
    expect(caller).to_have_count(1)
    expect(caller).to_have_attribute("data-contact-number", str(contact["number"]))
    expect(caller).to_contain_text("Helix Labs")
    expect(caller.get_by_test_id("caller-card-link")).to_have_attribute(
        "href", f"{CONTACTS_PATH}?id={contact['number']}"
    )
    expect(caller.get_by_test_id("caller-card-ticket")).to_have_attribute(
        "data-ticket-number", str(open_ticket["number"])
    )

    assert problems(page) == []  # axe: the caller card
    group = reply.get_by_test_id("proposal-group")
    steps = group.get_by_test_id("proposal-step")
    tools = steps.evaluate_all("els => els.map(e => e.dataset.tool)")
    assert "create_contact" not in tools and tools[-1] == "log_call", tools
    group.get_by_test_id("proposal-group-approve").click()
    reply = wait_for_reply(page, replies=1)
    expect(reply.get_by_test_id("proposal-group")).to_have_attribute("data-state", "executed")
    calls = api_get(page, f"/api/contacts/{contact['number']}")["calls"]
    assert len(calls) == 1, calls

    # One Undo takes the whole intake back (the call first); every step says so.
    group = reply.get_by_test_id("proposal-group")
    group.get_by_test_id("proposal-group-undo").click()
    for state in group.get_by_test_id("proposal-step-state").all():
        expect(state).to_have_text("Undone")
    expect(group.get_by_test_id("proposal-group-undo")).to_have_count(0)
    assert api_get(page, f"/api/contacts/{contact['number']}")["calls"] == []


def test_a_known_caller_reporting_an_open_problem_again_gets_a_note_on_that_ticket(
    agent_page: Page,
) -> None:
    """Issue 15's "done when": no model configured, call notes for a known caller; the reply
    names the caller and their open tickets and warns of the duplicate; the agent approves a
    note on the existing ticket (and the call); the call is on the contact's page."""
    page = agent_page
    phone = new_phone()
    contact = make_contact(page, "Noor Haddad", phone=phone.digits, organization="Orbit Freight")
    existing = make_ticket(
        page,
        "Warehouse label printer jams on every roll",
        description="The Zebra label printer in the warehouse jams on every new roll.",
        contact_id=contact["id"],
    )
    open_chat(page)
    send(
        page,
        f"Noor Haddad from Orbit Freight called, {phone.dotted}: "
        "the warehouse label printer is jamming on every roll again",
    )
    reply = wait_for_reply(page, replies=1, status="awaiting_approval")

    caller = reply.get_by_test_id("caller-card")
    expect(caller).to_have_attribute("data-contact-number", str(contact["number"]))
    expect(caller.get_by_test_id("caller-card-ticket")).to_have_attribute(
        "data-ticket-number", str(existing["number"])
    )
    expect(reply).to_contain_text(f"This looks like #{existing['number']}")

    group = reply.get_by_test_id("proposal-group")
    steps = group.get_by_test_id("proposal-step")
    tools = steps.evaluate_all("els => els.map(e => e.dataset.tool)")
    assert tools == ["update_ticket", "log_call"], tools  # a note there, no new ticket
    group.get_by_test_id("proposal-group-approve").click()
    reply = wait_for_reply(page, replies=1)
    expect(reply.get_by_test_id("proposal-group")).to_have_attribute("data-state", "executed")

    ticket = api_get(page, f"/api/tickets/{existing['number']}")
    assert any(
        "label printer is jamming on every roll again" in note["body"] for note in ticket["notes"]
    ), ticket["notes"]
    assert len(api_get(page, f"/api/tickets?contact_id={contact['id']}")["items"]) == 1

    open_contact(page, contact["number"])
    call = page.get_by_test_id("contact-call")
    expect(call).to_have_count(1)
    expect(call.get_by_test_id("contact-call-ticket")).to_contain_text(f"#{existing['number']}")
