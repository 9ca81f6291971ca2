"""Every state a proposal goes through: pending → executed | rejected | superseded | failed,
each once; a decided proposal stays as it is whatever is asked of it later."""

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import session_factory
from deskpilot.models import Ticket, User
from tests.chat.helpers import send
from tests.chat.proposals import close_proposed, decide, proposal_row
from tests.chat.reads import stored_messages, ticket_by_number

Client = httpx.AsyncClient


async def to_executed(client: Client, session_id: str, proposal_id: str) -> None:
    assert (await decide(client, session_id, proposal_id, "approve")).status_code == 200


async def to_rejected(client: Client, session_id: str, proposal_id: str) -> None:
    assert (await decide(client, session_id, proposal_id, "reject")).status_code == 200


async def to_superseded(client: Client, session_id: str, proposal_id: str) -> None:
    assert (await send(client, session_id, "thanks")).status_code == 200


async def to_failed(client: Client, session_id: str, proposal_id: str) -> None:
    async with session_factory()() as db:  # the ticket is gone by the time it is approved
        await db.execute(delete(Ticket))
        await db.commit()
    assert (await decide(client, session_id, proposal_id, "approve")).status_code == 200


TRANSITIONS = {
    "executed": to_executed,
    "rejected": to_rejected,
    "superseded": to_superseded,
    "failed": to_failed,
}


@pytest.mark.parametrize("state", list(TRANSITIONS))
async def test_pending_to(state: str, client: Client, db: AsyncSession, agent: User) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    assert (await proposal_row(proposal_id)).state == "pending"

    await TRANSITIONS[state](client, session_id, proposal_id)

    row = await proposal_row(proposal_id)
    assert row.state == state
    assert row.decided_at is not None
    assert row.decided_by == (agent.id if state in ("executed", "rejected", "failed") else None)
    reply = (await stored_messages(session_id))[1]
    assert reply.status == "complete"  # nothing waits: the reply is finished
    assert reply.tool_calls[0]["status"] == state
    assert reply.tool_calls[0]["proposal_id"] == proposal_id


@pytest.mark.parametrize("state", list(TRANSITIONS))
@pytest.mark.parametrize("action", ["approve", "reject"])
async def test_a_decided_proposal_stays_decided(
    state: str, action: str, client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)
    await TRANSITIONS[state](client, session_id, proposal_id)
    before = await proposal_row(proposal_id)
    messages_before = len(await stored_messages(session_id))

    response = await decide(client, session_id, proposal_id, action)

    assert response.status_code == 200, response.text
    assert response.json()["proposals"][0]["state"] == state
    after = await proposal_row(proposal_id)
    assert (after.state, after.result, after.decided_at) == (
        before.state,
        before.result,
        before.decided_at,
    )
    assert len(await stored_messages(session_id)) == messages_before  # the model not asked


async def test_failed_tells_the_model_why(client: Client, db: AsyncSession, agent: User) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    await to_failed(client, session_id, proposal_id)

    row = await proposal_row(proposal_id)
    assert row.result["error"]["code"] == "not_found"
    reply = (await stored_messages(session_id))[1]
    assert reply.content.startswith("I couldn't update #1")


async def test_executed_keeps_the_write_and_its_approver(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session_id, proposal_id = await close_proposed(client, db, agent)

    await to_executed(client, session_id, proposal_id)

    row = await proposal_row(proposal_id)
    assert row.summary == "Updated ticket #1 (status open → closed)"
    assert row.ticket_id == (await ticket_by_number(1)).id
    assert row.edited_arguments is None
