"""The demo's callers: ~40 contacts across 10 organisations, some of them repeat callers.

Deterministic (seeded): names from the vocabulary's pools, phones in the ranges set aside
for fiction (+1 555-01xx in North America, +44 20 7946 0xxx in London), e-mail addresses
at `example.com` sub-domains. `weight` says how often a contact calls: the first
REPEAT_CALLERS of them call many times, so the demo has callers with several tickets.
"""

import random
import re
from dataclasses import dataclass

from deskpilot.demo import vocab

ORGANIZATIONS = 10
CONTACTS = 40
REPEAT_CALLERS = 8
REPEAT_WEIGHT = 8


@dataclass(frozen=True, slots=True)
class ContactSeed:
    name: str
    organization: str
    phone: str  # E.164
    email: str
    notes: str
    weight: int


def _domain(organization: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", organization.lower()) + ".example.com"


def _phone(index: int) -> str:
    if index % 5 == 4:  # one in five calls from London
        return f"+44207946{index:04d}"
    return f"+1555010{1000 + index * 37:04d}"


_NOTES = (
    "Prefers e-mail for updates.",
    "Office manager: can approve purchases.",
    "Works mornings only.",
    "",
    "",
    "Site contact for the warehouse.",
    "",
)


def demo_contacts(seed: int = 15) -> list[ContactSeed]:
    """CONTACTS contacts over the first ORGANIZATIONS companies of the pools, each name once."""
    rng = random.Random(seed)
    organizations = vocab.COMPANIES[:ORGANIZATIONS]
    names: list[str] = []
    while len(names) < CONTACTS:
        name = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
        if name not in names:
            names.append(name)
    contacts = []
    for index, name in enumerate(names):
        organization = organizations[index % ORGANIZATIONS]
        first, last = name.lower().split(" ", 1)
        contacts.append(
            ContactSeed(
                name=name,
                organization=organization,
                phone=_phone(index),
                email=f"{first}.{last}@{_domain(organization)}",
                notes=_NOTES[index % len(_NOTES)],
                weight=REPEAT_WEIGHT if index < REPEAT_CALLERS else 1,
            )
        )
    return contacts


# Calls that made no ticket: a question answered on the phone, a follow-up.
CALLS_WITHOUT_TICKET: tuple[tuple[str, str], ...] = (
    ("inbound", "Asked for an update on their open tickets; told them where each one stands."),
    ("inbound", "Wanted the guest Wi-Fi password for a visitor; read it out."),
    ("outbound", "Called back to confirm the fix works; all good, nothing to open."),
    ("inbound", "Asked how to book a loan laptop for a trainee; sent the booking link."),
    ("outbound", "Left a voicemail about the planned maintenance on Saturday."),
)
