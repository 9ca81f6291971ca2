"""Helpers for the callers' pages (issue 15): contacts, tickets with a caller and calls made
through the API as the page's user, each with names and phone numbers of its own (the tests
share one database)."""

import random
import uuid
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.page_api import api_get, api_patch, api_post

CONTACTS_PATH = "/dashboard/contacts/"
_random = random.Random(uuid.uuid4().int)


def tag() -> str:
    """A word no other test (or the demo data) uses."""
    return uuid.uuid4().hex[:8]


@dataclass(frozen=True)
class Phone:
    """One number, written three ways."""

    exchange: int
    line: int

    @property
    def international(self) -> str:
        return f"+1 (555) {self.exchange}-{self.line:04d}"

    @property
    def dotted(self) -> str:
        return f"555.{self.exchange}.{self.line:04d}"

    @property
    def digits(self) -> str:
        return f"555{self.exchange}{self.line:04d}"

    @property
    def e164(self) -> str:
        return f"+1555{self.exchange}{self.line:04d}"

    @property
    def last4(self) -> str:
        return f"{self.line:04d}"


def new_phone() -> Phone:
    return Phone(_random.randint(200, 999), _random.randint(0, 9999))


def make_contact(page: Page, name: str, **fields: Any) -> dict[str, Any]:
    contact: dict[str, Any] = api_post(page, "/api/contacts", {"name": name, **fields})
    return contact


def make_ticket(
    page: Page, title: str, *, contact_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    body = {"title": title, "description": fields.pop("description", f"{title}."), **fields}
    if contact_id:
        body["contact_id"] = contact_id
    ticket: dict[str, Any] = api_post(page, "/api/tickets", body)
    return ticket


def close_ticket(page: Page, number: int) -> None:
    api_patch(page, f"/api/tickets/{number}", {"status": "closed"})


def log_call(page: Page, contact_id: str, summary: str, **fields: Any) -> dict[str, Any]:
    call: dict[str, Any] = api_post(
        page, "/api/calls", {"contact_id": contact_id, "summary": summary, **fields}
    )
    return call


def get_contact(page: Page, ref: int | str) -> dict[str, Any]:
    contact: dict[str, Any] = api_get(page, f"/api/contacts/{ref}")
    return contact


def open_contact(page: Page, number: int) -> Locator:
    page.goto(f"{CONTACTS_PATH}?id={number}")
    detail = page.get_by_test_id("contact-detail")
    expect(detail).to_have_attribute("data-contact-number", str(number))
    return detail


def contact_row(page: Page, number: int) -> Locator:
    return page.locator(f'[data-testid="contact-row"][data-contact-number="{number}"]')
