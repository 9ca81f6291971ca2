"""The turn a decision lets go on: the same reply, carried on from where it paused.

The decision that left none of the reply's proposals waiting claimed it (decide.py: status
'pending'). This turn takes the chat's lease like any other, rebuilds what the model saw
with the decided calls' results (executed, or "the agent rejected this: …"), and runs the
model loop from the next round, within the round cap. The decision (`proposal_updated`)
goes out before it starts (answer.py); its text is added to the reply's, its tool calls
appended, and new writes may again be proposals. Everything else is ChatTurn's."""

import dataclasses
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import update

from deskpilot.core.db import session_factory
from deskpilot.core.errors import Conflict
from deskpilot.models import ChatMessage
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat.reply_rows import ReplyRows
from deskpilot.services.chat.turn import ChatTurn
from deskpilot.services.chat.turn_opening import Prepared

logger = logging.getLogger(__name__)


class ContinuedTurn(ChatTurn):
    def __init__(self, *, message_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(content="", client_message_id=None, **kwargs)
        self.message_id = message_id

    async def start(self) -> None:
        """As ChatTurn.start; if another turn holds the chat (a new message came in at the
        same moment, and has read the decided reply as it is), the reply stays as decided
        and 409 says so."""
        try:
            await super().start()
        except Conflict:
            await _settle(self.message_id)
            raise

    async def _open_turn(self) -> Prepared:
        prepared = await self._store.begin_continuation(
            self.session_id, self.user.id, message_id=self.message_id
        )
        assert prepared.failed_reply is not None
        rounds = [int(r.get("round", 0)) for r in prepared.failed_reply.tool_calls or []]
        self.first_round = max(rounds, default=-1) + 1
        return prepared

    async def _announce(self, prepared: Prepared) -> None:
        """Nothing: the decision (answer.Continuing) went first, before the chat was taken."""

    async def _save(
        self, prepared: Prepared, rows: ReplyRows
    ) -> tuple[StoredMessage, list[Sequence[Any]]]:
        paused = prepared.failed_reply
        assert paused is not None
        # its earlier refs keep their place
        rows = dataclasses.replace(rows, refs=[*paused.ticket_refs, *rows.refs])
        return await self._store.continue_reply(rows, message_id=paused.id)


async def _settle(message_id: uuid.UUID) -> None:
    """A claimed reply no continuation could carry on: finished as it stands."""
    async with session_factory()() as db:
        await db.execute(
            update(ChatMessage)
            .where(ChatMessage.id == message_id, ChatMessage.status == "pending")
            .values(status="complete")
        )
        await db.commit()
