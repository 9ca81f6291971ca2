"""Contact search through the service: by name (word prefixes, several words, accents),
organisation, e-mail (whole or in part), phone in any common format and its last digits;
A to Z with a cursor."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.services import contact_service
from tests.support.factories import make_contact

PEOPLE = [
    dict(name="Maria Lopez", organization="Acme Corp", phone="+1 555 010 2030",
         email="maria.lopez@acme.example.com"),
    dict(name="Kevin O'Brien", organization="acme corp", phone="555-010-2299",
         email="kevin.obrien@acme.example.com"),
    dict(name="Dana Kim", organization="Northwind Traders", phone="(555) 010-7781",
         email="dana.kim@northwind.example.com"),
    dict(name="José Núñez", organization="Globex", phone="+44 20 7946 0958"),
    dict(name="Li Wei", email="li.wei@umbrellahealth.example.com"),
    dict(name="Marianne Lopes", organization="Initech"),
]  # fmt: skip


@pytest.fixture
async def people(db: AsyncSession) -> None:
    for person in PEOPLE:
        await make_contact(db, **person)  # type: ignore[arg-type]


async def names(db: AsyncSession, q: str, **kwargs: object) -> list[str]:
    page = await contact_service.find_contacts(db=db, q=q, region="US", **kwargs)  # type: ignore[arg-type]
    return [c.name for c in page.items]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # name: whole words, prefixes, several words, any case, accents
        ("Maria Lopez", ["Maria Lopez"]),
        ("lopez", ["Maria Lopez"]),
        ("mari", ["Maria Lopez", "Marianne Lopes"]),
        ("lop", ["Maria Lopez", "Marianne Lopes"]),
        ("KEVIN", ["Kevin O'Brien"]),
        ("o'brien", ["Kevin O'Brien"]),
        ("jose nunez", ["José Núñez"]),
        ("José", ["José Núñez"]),
        # organisation, and a name with its organisation
        ("acme", ["Kevin O'Brien", "Maria Lopez"]),
        ("northwind", ["Dana Kim"]),
        ("maria acme", ["Maria Lopez"]),
        ("initech", ["Marianne Lopes"]),
        # e-mail: whole, any case, or its parts
        ("maria.lopez@acme.example.com", ["Maria Lopez"]),
        ("Dana.Kim@Northwind.example.com", ["Dana Kim"]),
        ("umbrellahealth", ["Li Wei"]),
        # phone: every common format, and the last 4+ digits
        ("+1 (555) 010-2030", ["Maria Lopez"]),
        ("555.010.2030", ["Maria Lopez"]),
        ("5550102030", ["Maria Lopez"]),
        ("+15550102030", ["Maria Lopez"]),
        ("1-555-010-2030", ["Maria Lopez"]),
        ("2030", ["Maria Lopez"]),
        ("010-2299", ["Kevin O'Brien"]),
        ("7781", ["Dana Kim"]),
        ("0958", ["José Núñez"]),
        ("+44 20 7946 0958", ["José Núñez"]),
        ("0102", []),  # digits inside a number, not its end
        # a contact's handle
        ("C-3", ["Dana Kim"]),
        ("c3", ["Dana Kim"]),
        # nothing to match
        ("nobody", []),
        ("!!!", []),
    ],
)
async def test_search_by_every_field(
    db: AsyncSession, people: None, q: str, expected: list[str]
) -> None:
    assert await names(db, q) == expected


async def test_a_trunk_prefixed_number_in_the_callers_region(db: AsyncSession) -> None:
    await make_contact(db, name="Pat Smith", phone="020 7946 0000", region="GB")
    page = await contact_service.find_contacts(db=db, q="020 7946 0000", region="GB")
    assert [c.name for c in page.items] == ["Pat Smith"]


async def test_without_q_every_contact_a_to_z_page_by_page(db: AsyncSession, people: None) -> None:
    everyone = sorted(p["name"] for p in PEOPLE)
    assert await names(db, "") == everyone
    first = await contact_service.find_contacts(db=db, q="", region="US", limit=4)
    assert [c.name for c in first.items] == everyone[:4]
    assert first.next_cursor
    second = await contact_service.find_contacts(
        db=db, q="", region="US", limit=4, cursor=first.next_cursor
    )
    assert [c.name for c in second.items] == everyone[4:]
    assert second.next_cursor is None


async def test_by_organisation(db: AsyncSession, people: None) -> None:
    acme = (await contact_service.find_contacts(db=db, q="maria", region="US")).items[0]
    assert acme.organization is not None
    assert acme.organization.name == "Acme Corp"  # "acme corp" found it, whatever its case
    assert await names(db, "", organization_id=acme.organization.id) == [
        "Kevin O'Brien",
        "Maria Lopez",
    ]
    assert await names(db, "kevin", organization_id=acme.organization.id) == ["Kevin O'Brien"]


async def test_the_public_shape(db: AsyncSession, people: None) -> None:
    [maria] = (await contact_service.find_contacts(db=db, q="2030", region="US")).items
    assert maria.phone == "+15550102030"
    assert maria.phone_display == "+1 555-010-2030"
    assert maria.email == "maria.lopez@acme.example.com"
    assert maria.open_tickets == 0
    assert maria.number >= 1
