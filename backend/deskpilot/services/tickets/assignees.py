"""Who an assignee written by a person or a model is: a name, first name, surname or e-mail
of an active user of this desk, "me", or nobody.

`match_people` is the one reading of such a name (pure: the offline assistant uses it on the
agents it was given, to ask rather than guess); `resolve_assignee` applies it to the desk's
active users for the ticket service, and refuses what it cannot settle: no one, several
people, or a team (tickets are assigned to a person; teams come later).
"""

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.core.errors import ValidationFailed
from deskpilot.models import User

NOBODY: Final = frozenset({"none", "nobody", "no one", "noone", "unassigned", "unassign"})
ME: Final = frozenset({"me", "myself"})
TEAM_WORDS: Final = frozenset(
    {"team", "teams", "queue", "queues", "group", "groups", "department", "dept", "squad"}
)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str


def fold(text: str) -> str:
    """Case- and accent-insensitive: "José Núñez" → "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def names_a_team(value: str) -> bool:
    return any(word in TEAM_WORDS for word in _words(value))


def match_people(value: str, people: Sequence[Person]) -> list[Person]:
    """The people `value` may mean: one, several (ambiguous) or none.

    An e-mail or a full name is exact; otherwise every word written must be a word of the
    person's name ("tom" → both Toms, "becker" → Tom Becker, "jose" → José Núñez) or the
    e-mail's local part ("jose.nunez")."""
    wanted = fold(" ".join(value.strip().strip("@.,;:!?\"'").split()))
    if not wanted:
        return []
    exact = [p for p in people if wanted in (fold(p.email), fold(p.name))]
    if exact:
        return exact
    words = _words(wanted)
    found: list[Person] = []
    for person in people:
        own = set(_words(person.name)) | set(_words(person.email.split("@")[0]))
        if words and all(word in own for word in words):
            found.append(person)
    return found


def describe(people: Sequence[Person]) -> str:
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


_ACTIVE = select(User.id, User.name, User.email).where(User.is_active).order_by(User.name)


async def active_people(*, db: Reader) -> list[Person]:
    """The desk's active users, by name."""
    return [Person(str(r.id), r.name, r.email) for r in (await db.execute(_ACTIVE)).all()]


async def resolve_assignee(*, db: AsyncSession, value: str, me: uuid.UUID) -> uuid.UUID | None:
    """The user id `value` names (None: unassign), or ValidationFailed on field "assignee"
    saying plainly why not."""
    folded = fold(" ".join(value.split()))
    if folded in NOBODY:
        return None
    if folded in ME:
        return me
    if names_a_team(value):
        raise ValidationFailed.for_field(
            "assignee",
            f"'{value}' is a team: tickets are assigned to one person, and assigning to a "
            "team or queue is not possible yet",
        )
    found = match_people(value, await active_people(db=db))
    if not found:
        raise ValidationFailed.for_field(
            "assignee", f"no agent of this desk is called '{value}' (by name or e-mail)"
        )
    if len(found) > 1:
        raise ValidationFailed.for_field(
            "assignee", f"'{value}' could be {describe(found)}: say which one"
        )
    return uuid.UUID(found[0].id)
