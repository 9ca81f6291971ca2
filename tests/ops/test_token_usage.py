"""Token use stored per assistant reply (from the provider's usage fields, all of a turn's
model calls added up, the chat title's too) and per UTC day, user and model; zero for the
offline assistant; unknown (NULL) when a provider reports none."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from deskpilot.models import ChatMessage, TokenUsageDaily, User
from tests.chat.helpers import Client, FakeServer, new_session, provider_name, send, use_fake
from tests.chat.reads import fetch_all, stored_messages
from tests.conftest import LiveServer
from tests.fakes import FakeOpenAIServer, call, status, text, tokens, tool_calls


async def replies(session_id: str) -> list[ChatMessage]:
    return [m for m in await stored_messages(session_id) if m.role == "assistant"]


async def day_rows(user: User) -> list[TokenUsageDaily]:
    return await fetch_all(select(TokenUsageDaily).where(TokenUsageDaily.user_id == user.id))


def counts(row: Any) -> tuple[int | None, int | None]:
    return row.input_tokens, row.output_tokens


async def test_a_reply_stores_the_tokens_of_all_its_model_calls(
    server: LiveServer, client: Client, agent: User, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(
        tool_calls(call("search_tickets", {"query": "vpn"}), usage=tokens(1000, 40, cached=600)),
        text("No VPN tickets.", usage=tokens(1100, 15)),
        text("Still none.", usage=tokens(1300, 7)),
    )
    session = await new_session(client)

    assert (await send(client, session["id"], "any vpn tickets?")).status_code == 200
    assert (await send(client, session["id"], "and now?")).status_code == 200

    first, second = await replies(session["id"])
    assert (first.model, counts(first)) == ("fake-model", (2100, 55))
    assert (second.model, counts(second)) == ("fake-model", (1300, 7))
    [day] = await day_rows(agent)
    assert (day.day, day.provider, day.model) == (
        datetime.now(UTC).date(),
        provider_name(fake),
        "fake-model",
    )
    assert (counts(day), day.replies) == ((3400, 62), 2)
    # User messages carry none.
    assert {counts(m) for m in await stored_messages(session["id"]) if m.role == "user"} == {
        (None, None)
    }


async def test_the_titles_tokens_count_with_the_first_reply(
    server: LiveServer, client: Client, agent: User, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_generate_titles=True)
    fake.script(
        text("Printer fixed.", usage=tokens(500, 10)), text("Printer fix", usage=tokens(90, 3))
    )
    session = await new_session(client)

    assert (await send(client, session["id"], "is the printer fixed?")).status_code == 200

    for _ in range(250):  # the title comes after the reply
        [reply] = await replies(session["id"])
        if counts(reply) != (500, 10):
            break
        await asyncio.sleep(0.02)
    assert counts(reply) == (590, 13)
    [day] = await day_rows(agent)
    assert (counts(day), day.replies) == ((590, 13), 1)  # a title is no reply


async def test_the_offline_assistant_spends_nothing(client: Client, agent: User) -> None:
    session = await new_session(client)

    assert (await send(client, session["id"], "find printer tickets")).status_code == 200

    [reply] = await replies(session["id"])
    assert (reply.model, counts(reply)) == ("deskpilot-offline", (0, 0))
    [day] = await day_rows(agent)
    assert (day.provider, day.model, counts(day), day.replies) == (
        "offline",
        "deskpilot-offline",
        (0, 0),
        1,
    )


async def test_a_server_that_reports_no_usage_leaves_it_unknown(
    server: LiveServer, client: Client, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    use_fake(server, openai_fake)
    openai_fake.honours_include_usage = False
    openai_fake.script(text("Fixed."))
    session = await new_session(client)

    assert (await send(client, session["id"], "fixed?")).status_code == 200

    [reply] = await replies(session["id"])
    assert counts(reply) == (None, None)
    [day] = await day_rows(agent)
    assert (counts(day), day.replies) == ((0, 0), 1)


async def test_a_failed_reply_keeps_the_tokens_already_spent(
    server: LiveServer, client: Client, agent: User, fake: FakeServer
) -> None:
    use_fake(server, fake, llm_max_retries=0)
    fake.script(
        tool_calls(call("search_tickets", {"query": "vpn"}), usage=tokens(800, 25)),
        status(500),
    )
    session = await new_session(client)

    assert (await send(client, session["id"], "any vpn tickets?")).status_code == 502

    [reply] = await replies(session["id"])
    assert (reply.status, counts(reply)) == ("failed", (800, 25))
    [day] = await day_rows(agent)
    assert counts(day) == (800, 25)


async def test_deleting_a_chat_keeps_what_it_cost(
    server: LiveServer, client: Client, agent: User, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(text("Done.", usage=tokens(321, 12)))
    session = await new_session(client)
    assert (await send(client, session["id"], "close it")).status_code == 200

    assert (await client.delete(f"/api/chat/sessions/{session['id']}")).status_code == 204

    assert await stored_messages(session["id"]) == []
    [day] = await day_rows(agent)
    assert (counts(day), day.replies) == ((321, 12), 1)
