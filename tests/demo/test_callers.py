"""The demo's callers: deterministic, valid phones and e-mails, unique, spread over the
organisations; the curated tickets name them, repeat callers several times."""

from collections import Counter

from deskpilot.demo.callers import ORGANIZATIONS, REPEAT_CALLERS, demo_contacts
from deskpilot.demo.corpus import demo_tickets
from deskpilot.services.contacts.emails import normalize_email
from deskpilot.services.contacts.phones import normalize_phone


def test_contacts_are_deterministic_valid_and_unique() -> None:
    contacts = demo_contacts()
    assert contacts == demo_contacts()
    assert len(contacts) == 40
    assert len({c.organization for c in contacts}) == ORGANIZATIONS
    assert min(Counter(c.organization for c in contacts).values()) >= 3
    for field in ("name", "phone", "email"):
        assert len({getattr(c, field) for c in contacts}) == 40, field
    for contact in contacts:
        assert normalize_phone(contact.phone, region="US") == contact.phone
        assert normalize_email(contact.email) == contact.email


def test_tickets_name_their_callers_and_some_call_often() -> None:
    roster = demo_contacts()
    tickets = demo_tickets(callers=roster)
    assert all(t.caller for t in tickets)
    by_name = {c.name: c for c in roster}
    for ticket in tickets:
        caller = by_name[ticket.caller or ""]
        if "Customer called" in ticket.description:
            assert caller.name in ticket.description
            assert caller.organization in ticket.description
    per_caller = Counter(t.caller for t in tickets)
    assert sum(1 for n in per_caller.values() if n >= 3) >= REPEAT_CALLERS // 2
    # without callers, the tickets are those of before (the search benchmarks rely on it)
    assert [t.description for t in demo_tickets()] != [t.description for t in tickets]
    assert all(t.caller is None for t in demo_tickets())
