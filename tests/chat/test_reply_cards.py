"""A reply's ticket cards come from the text as the user sees it (issue 13, item 2): no card
from an HTML entity (`what&#39;s`), code, a URL, or a cut-off of the number the agent asked
for ("show me ticket 4711" answered with "#47"); an exact `#N` still makes one."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.chat.mentions import mentioned_numbers
from tests.chat.helpers import Client, new_session, send, use_fake
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, text
from tests.support.factories import make_ticket


@pytest.mark.parametrize(
    ("reply", "asked", "expected"),
    [
        ("I can&#39;t see what&#39;s wrong.", "what is wrong?", []),
        ("Ticket #47 is it.", "show me ticket 4711", []),
        ("Ticket #4711 does not exist.", "show me ticket 4711", [4711]),
        ("Run `grep #12` or see https://desk.example/tickets/#13", "", []),
        ("```\n#14\n```\nand #15, #15 again", "", [15]),
        ("Both #3 and #47.", "ticket 4711 and #3", [3]),
    ],
)
def test_mentions_are_read_as_the_user_sees_them(
    reply: str, asked: str, expected: list[int]
) -> None:
    assert mentioned_numbers(reply, asked=asked, known=()) == expected


def test_a_ticket_the_turn_touched_counts_even_as_a_prefix() -> None:
    assert mentioned_numbers("#47", asked="4711", known={47}) == [47]


async def test_no_card_for_a_ticket_nobody_mentioned(
    server: LiveServer,
    client: Client,
    db: AsyncSession,
    agent: User,
    openai_fake: FakeOpenAIServer,
) -> None:
    for _ in range(47):
        await make_ticket(db, by=agent)
    use_fake(server, openai_fake)
    openai_fake.script(
        text("I don&#39;t know what&#39;s in ticket 4711: did you mean #47?"),
        text("Yes, #12 is the printer."),
    )
    session = await new_session(client)

    first = await send(client, session["id"], "show me ticket 4711")
    second = await send(client, session["id"], "and the printer one?")

    assert first.status_code == 200, first.text
    assert first.json()["tickets"] == []
    assert [t["number"] for t in second.json()["tickets"]] == [12]
