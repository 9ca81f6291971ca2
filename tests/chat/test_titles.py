"""Generated titles from a weak model (issue 13, item 9): special tokens, role prefixes and
Markdown are stripped; junk is refused and the title derived from the first message stays."""

import pytest

from deskpilot.services.chat.titles import clean_title
from deskpilot.services.chat_llm_service import ROUNDS_EXHAUSTED_FALLBACK
from tests.chat.helpers import Client, titled_first_exchange
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer
from tests.support.sse import names

FALLBACKS = (ROUNDS_EXHAUSTED_FALLBACK,)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("*", None),
        ("Agent:", None),
        ("<|im_start|>user\n>agent: se", None),
        ("Agent: I stopped after several rounds of tool calls", None),
        ("**Title:** Printer jam on floor 2<end_of_turn>", "Printer jam on floor 2"),
        ('<|im_start|>assistant\n"VPN outage in Berlin"<|im_end|>', "VPN outage in Berlin"),
        ("## Password reset", "Password reset"),
        ("Ticket #47 follow-up", "Ticket #47 follow-up"),
    ],
)
def test_titles_are_cleaned_or_refused(raw: str, expected: str | None) -> None:
    assert clean_title(raw, fallbacks=FALLBACKS) == expected


async def test_a_junk_title_keeps_the_derived_one(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session_id, _, events = await titled_first_exchange(
        server, client, openai_fake, "<|im_start|>user\n>agent: *"
    )

    assert "session_title" not in names(events)
    detail = (await client.get(f"/api/chat/sessions/{session_id}")).json()
    assert detail["title"] == "the printer on floor 2 jams"
