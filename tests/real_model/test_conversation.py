"""A scripted conversation of 22 turns in three chats against a real small model (issue 13's
real-model lane): create, look up, update, search, a number that does not exist, a repeated
create, attach and summarise, a long transcript and a follow-up, a context overflow. After
every turn and at the end the invariants hold (invariants.py); the model's accuracy is not
judged. Each turn's time and outcome are printed (`pytest -s`) for the lane's log."""

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.api.deps import CSRF_HEADER, SESSION_COOKIE
from deskpilot.models import User
from tests.chat.helpers import attach, new_session, send
from tests.conftest import LiveServer
from tests.real_model import invariants
from tests.real_model.conftest import REAL_MODEL_NAME, REAL_MODEL_URL
from tests.real_model.invariants import Turn
from tests.support.factories import make_ticket
from tests.support.fast import open_session

TURN_SECONDS = 600.0
CALL = (
    "Agent: Deskpilot helpdesk, how can I help? Caller: Hi, this is Maria from accounting. "
    "Since this morning the VPN drops every ten minutes and I lose my work in the ERP. "
    "Agent: Which office are you in? Caller: Berlin, second floor. "
)
TRANSCRIPT = "Summarize this call transcript:\n" + CALL * 30 + "Caller: Thanks, bye."
OVERFLOW = "Here is another long call for the record:\n" + CALL * 33  # < 8,000 chars

SEEDED = [
    ("Printer on floor 2 jams", "Paper jams in tray 2 every morning."),
    ("Toner empty in Paris", "The Paris office printer shows toner empty."),
    ("Laptop will not boot", "A black screen after the logo."),
    ("Email bounces for sales", "Mails to the sales alias bounce since Monday."),
    ("Wi-Fi slow in the lab", "Speed tests show 2 Mbit/s."),
    ("Password reset for Tom", "Tom is locked out after the holidays."),
]
# Tickets no message names or attaches: the copilot may not change them.
UNTOUCHABLE = {5, 6}

CHAT_A = [
    "Create a ticket: the VPN is down in the Berlin office since 9am. It is urgent.",
    "Show me ticket #1",
    "Search for tickets about printers",
    "Add a note to #2: replaced the toner cartridge",
    "Close ticket #3, the laptop works again",
    "show me ticket 4711",
    "What is the status of the VPN ticket you created?",
    "Create a ticket for the VPN outage in Berlin again, please.",
    "Anything still open about printers?",
    TRANSCRIPT,
    "What did the caller want?",
    "Set the priority of #1 to high",
]
CHAT_B = [
    "Summarize the attached ticket",
    "Summarize it again, shorter",
    "Add a note that the customer called back",
    "Is it urgent?",
    "Create a ticket for this customer's problem",  # a copy of the attached one is refused
]
CHAT_C = [OVERFLOW, OVERFLOW, OVERFLOW, "What was the first call about?", "Thanks, that is all."]


@pytest.fixture
async def agent_client(
    server: LiveServer, db: AsyncSession, agent: User
) -> AsyncIterator[httpx.AsyncClient]:
    token, csrf = await open_session(server, db, agent)
    async with httpx.AsyncClient(
        base_url=server.base_url,
        timeout=TURN_SECONDS,
        cookies={SESSION_COOKIE: token},
        headers={CSRF_HEADER: csrf},
    ) as client:
        yield client


async def test_a_scripted_conversation_keeps_every_invariant(
    server: LiveServer, db: AsyncSession, agent: User, agent_client: httpx.AsyncClient
) -> None:
    for title, description in SEEDED:
        await make_ticket(db, by=agent, title=title, description=description)
    server.configure(
        llm_provider="openai",
        llm_base_url=REAL_MODEL_URL,
        llm_model=REAL_MODEL_NAME,
        llm_tool_calls_as_text=True,
        llm_context_window=2048,
        llm_max_output_tokens=128,
        llm_max_tool_rounds=2,
        llm_max_retries=0,
        llm_timeout_seconds=TURN_SECONDS / 2,
        llm_deadline_seconds=TURN_SECONDS / 2,
        llm_generate_titles=True,
        chat_approval="never",  # writes at once: scope and duplicates are tested for real
        chat_messages_per_minute=1000,
    )
    turns: list[Turn] = []
    problems: list[str] = []

    async def say(session_id: str, content: str, attached: set[int] = frozenset()) -> None:
        started = time.monotonic()
        response = await send(agent_client, session_id, content)
        turn = Turn(
            session_id,
            content,
            response.status_code,
            response.json(),
            set(attached),
            time.monotonic() - started,
        )
        turns.append(turn)
        found = invariants.check_reply(turn)
        problems.extend(f"turn {len(turns)} ({content[:40]!r}): {p}" for p in found)
        outcome = turn.body.get("status") or turn.body.get("error", {}).get("code")
        calls = [f"{c['name']}:{c['status']}" for c in turn.body.get("tool_calls") or []]
        outcome = f"{outcome} {' '.join(calls)}".strip()
        print(
            f"turn {len(turns):2d} {turn.seconds:6.1f}s {turn.status_code} {outcome}: {content[:50]!r}"
        )

    chat_a = await new_session(agent_client)
    for content in CHAT_A:
        await say(chat_a["id"], content)
    chat_b = await new_session(agent_client)
    assert (await attach(agent_client, chat_b["id"], 4)).status_code == 200
    for content in CHAT_B:
        await say(chat_b["id"], content, attached={4})
    chat_c = await new_session(agent_client)
    for content in CHAT_C:
        await say(chat_c["id"], content)

    problems += await invariants.every_message_stored(turns)
    problems += await invariants.no_duplicate_tickets()
    problems += await invariants.titles_clean()
    problems += await invariants.writes_in_scope(UNTOUCHABLE)
    assert len(turns) >= 20
    assert not problems, "\n".join(problems)
    completed = [t for t in turns if t.status_code == 200]
    assert completed, "no turn completed: is the model server answering?"
    # The chat that overflowed recovered: its last message was answered.
    assert turns[-1].status_code == 200, turns[-1].body
    print(f"{len(completed)}/{len(turns)} turns complete, {sum(t.seconds for t in turns):.0f}s")
