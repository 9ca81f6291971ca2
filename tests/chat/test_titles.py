"""Generated titles from a weak model (issue 13, item 9): special tokens, role prefixes and
Markdown are stripped; junk is refused and the title derived from the first message stays."""

import pytest

from deskpilot.services.chat.titles import clean_title
from deskpilot.services.chat_llm_service import ROUNDS_EXHAUSTED_FALLBACK
from tests.chat.helpers import Client, new_session, send_sse, use_fake
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, text
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
    use_fake(server, openai_fake, llm_generate_titles=True)
    openai_fake.script(text("Let's look at the printer."), text("<|im_start|>user\n>agent: *"))
    session = await new_session(client)

    _, events = await send_sse(client, session["id"], "the printer on floor 2 jams")

    assert "session_title" not in names(events)
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["title"] == "the printer on floor 2 jams"
