"""GET /api/contacts: contacts by name, organisation, e-mail or phone, A to Z.

- Words (name, organisation, e-mail): each word of the query must begin a word of the
  contact's name or e-mail (contacts.search_vector, GIN) or of its organisation's name;
  so "maria acme" finds Maria Lopez of Acme Corp, "lop" finds her too. Folded through
  `search_fold` on both sides (case; accents where `unaccent` is installed).
- An e-mail address: that address, whatever its case.
- A contact's handle ("C-12"): that contact.
- A phone number in any common format, or its last 4+ digits: see phones.py.
No extension is needed: the same statements run with or without pg_trgm.
"""

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.types import Text

from deskpilot.core.db import Reader
from deskpilot.core.errors import ValidationFailed
from deskpilot.schemas.contact import ContactPage
from deskpilot.services.contacts.phones import search_suffixes
from deskpilot.services.contacts.rows import contacts, organizations, public_fields, public_select

MAX_QUERY_WORDS = 6
_WORD = re.compile(r"\w+")
_HANDLE = re.compile(r"^c-?([0-9]{1,18})$", re.IGNORECASE)
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_PAGE = TypeAdapter(ContactPage)


@dataclass(frozen=True, slots=True)
class ContactQuery:
    words: tuple[str, ...] = ()  # each one a prefix
    email: str | None = None
    phone_suffixes: tuple[str, ...] = ()  # reversed digits
    number: int | None = None  # "C-12"
    organization_id: uuid.UUID | None = None

    @property
    def empty(self) -> bool:
        return not (self.words or self.email or self.phone_suffixes or self.number)


def parse_query(q: str, *, region: str, organization_id: uuid.UUID | None = None) -> ContactQuery:
    text = q.strip()
    suffixes = tuple(search_suffixes(text, region=region))
    words: tuple[str, ...] = ()
    if not suffixes:  # a phone number's digits are not the words of a name
        words = tuple(dict.fromkeys(w.lower() for w in _WORD.findall(text)))[:MAX_QUERY_WORDS]
    handle = _HANDLE.match(text)
    return ContactQuery(
        words=words,
        number=int(handle.group(1)) if handle else None,
        email=text if "@" in text else None,
        phone_suffixes=suffixes,
        organization_id=organization_id,
    )


def _word_matches(i: int) -> ColumnElement[bool]:
    query = func.to_tsquery(_SIMPLE, func.search_fold(bindparam(f"w{i}", type_=Text)))
    in_organizations = select(organizations.c.id).where(  # ix_organizations_search
        func.to_tsvector(_SIMPLE, func.search_fold(organizations.c.name)).op("@@")(query)
    )
    return or_(
        contacts.c.search_vector.op("@@")(query),
        contacts.c.organization_id == func.any(func.array(in_organizations.scalar_subquery())),
    )


@cache
def _statement(
    words: int, email: bool, suffixes: int, number: bool, organization: bool, after: bool
) -> Any:
    alternatives: list[ColumnElement[bool]] = []
    if number:
        alternatives.append(contacts.c.number == bindparam("number"))
    if words:
        alternatives.append(and_(*(_word_matches(i) for i in range(words))))
    if email:
        alternatives.append(func.lower(contacts.c.email) == func.lower(bindparam("email")))
    for i in range(suffixes):
        start = bindparam(f"s{i}", type_=Text)
        alternatives.append(
            and_(contacts.c.phone_digits >= start, contacts.c.phone_digits < start + ":")
        )
    statement: Select[Any] = public_select(func.lower(contacts.c.name).label("sort_name"))
    if alternatives:
        statement = statement.where(or_(*alternatives))
    if organization:
        statement = statement.where(contacts.c.organization_id == bindparam("organization_id"))
    if after:
        key = func.row(func.lower(contacts.c.name), contacts.c.number)
        statement = statement.where(
            key > func.row(bindparam("after_name", type_=Text), bindparam("after_number"))
        )
    return statement.order_by(func.lower(contacts.c.name), contacts.c.number).limit(
        bindparam("limit")
    )


def _encode_cursor(name: str, number: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, number]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        name, number = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise ValidationFailed.for_field("cursor", "invalid cursor") from None
    if not isinstance(name, str) or not isinstance(number, int) or isinstance(number, bool):
        raise ValidationFailed.for_field("cursor", "invalid cursor")
    return name, number


async def search_contacts(
    *, db: Reader, query: ContactQuery, limit: int, cursor: str | None = None
) -> ContactPage:
    """A page of contacts meeting `query` (all of them when it is empty), A to Z."""
    params: dict[str, Any] = {f"w{i}": f"{w}:*" for i, w in enumerate(query.words)}
    params |= {f"s{i}": s for i, s in enumerate(query.phone_suffixes)}
    if query.email:
        params["email"] = query.email
    if query.number is not None:
        params["number"] = query.number
    if query.organization_id is not None:
        params["organization_id"] = query.organization_id
    if cursor:
        params["after_name"], params["after_number"] = _decode_cursor(cursor)
    statement = _statement(
        len(query.words),
        query.email is not None,
        len(query.phone_suffixes),
        query.number is not None,
        query.organization_id is not None,
        bool(cursor),
    )
    rows = (await db.execute(statement, {**params, "limit": limit + 1})).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _encode_cursor(last.sort_name, last.number)
    return _PAGE.validate_python(
        {"items": [public_fields(row) for row in rows[:limit]], "next_cursor": next_cursor}
    )
