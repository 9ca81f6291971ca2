"""Running cases: each turn through the chat turn the API runs (services/chat/turn.py), as
the world's current agent, on the scratch database the engine was initialised with.

What a turn did is observed from outside the model: the calls it made or proposed (a
recording wrapper around the model), the audit trail's new events (what was written), the
stored reply (its text, and calls left as proposals when approval is on), the wall time.
"""

import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from deskpilot.core.config import Settings
from deskpilot.core.db import get_engine, session_factory
from deskpilot.core.errors import AppError
from deskpilot.evals.cases import WRITE_TOOLS, Case
from deskpilot.evals.intake import IntakeCase, score_intake
from deskpilot.evals.scoring import (
    Observation,
    ObservedCall,
    TurnScore,
    Write,
    final_state_problems,
    score_turn,
)
from deskpilot.evals.world import World, install_agents, install_contacts, reset, reset_callers
from deskpilot.llm.types import ChatModel, ModelEvent, ModelTurn
from deskpilot.llm.wrapper import ChatModelWrapper
from deskpilot.models import User
from deskpilot.services.chat.turn import ChatTurn
from deskpilot.services.chat_service import ChatService


class RecordingModel(ChatModelWrapper):
    """The model under test, unchanged, keeping every turn it returns (its calls)."""

    def __init__(self, inner: ChatModel) -> None:
        super().__init__(inner)
        self.turns: list[ModelTurn] = []

    async def _relay(self, events: AsyncIterator[ModelEvent]) -> AsyncIterator[ModelEvent]:
        async for event in events:
            if isinstance(event, ModelTurn):
                self.turns.append(event)
            yield event


@dataclass(frozen=True)
class TurnRun:
    text: str
    observation: Observation
    score: TurnScore


@dataclass(frozen=True)
class CaseRun:
    case: Case
    turns: tuple[TurnRun, ...]
    final_problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return all(t.score.passed for t in self.turns) and not self.final_problems


def _arguments(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


_EVENTS = text(
    "SELECT e.id, t.number, e.action, e.field FROM ticket_events e"
    " JOIN tickets t ON t.id = e.ticket_id"
)
_FINAL = text(
    "SELECT t.number, t.status, t.priority, u.name AS assignee FROM tickets t"
    " LEFT JOIN users u ON u.id = t.assignee_id WHERE t.number = ANY(:numbers)"
)


class Runner:
    def __init__(self, *, settings: Settings, model: ChatModel, world: World) -> None:
        self.settings = settings
        self.model = RecordingModel(model)
        self.world = world
        self._agent_ids: dict[str, uuid.UUID] = {}
        self._contact_ids: dict[str, uuid.UUID] = {}
        self._contact_numbers: dict[str, int] = {}
        self._user: User | None = None
        # intake notes run with writes proposed: the grouped card is what they score
        self._proposing = settings.model_copy(update={"chat_approval": "writes"})

    @property
    def engine(self) -> AsyncEngine:
        return get_engine()

    async def install(self) -> None:
        """The world's agents, once, on the empty scratch database."""
        async with self.engine.begin() as connection:
            self._agent_ids = await install_agents(connection, self.world)
            self._contact_ids = await install_contacts(connection, self.world)
            numbers = await connection.execute(text("SELECT id, number FROM contacts"))
            by_id = {row[0]: row[1] for row in numbers}
            self._contact_numbers = {k: by_id[i] for k, i in self._contact_ids.items()}
        async with session_factory()() as db:
            me = self._agent_ids[self.world.current_agent]
            self._user = (await db.execute(select(User).where(User.id == me))).scalar_one()

    async def run_case(self, case: Case) -> CaseRun:
        if isinstance(case, IntakeCase):
            return await self._run_intake(case)
        async with self.engine.begin() as connection:
            await reset(connection, self.world, self._agent_ids)
        session_id = await self._new_chat()
        seen: set[uuid.UUID] = set()
        created: list[int] = []
        runs: list[TurnRun] = []
        for turn in case.turns:
            failure = await self._attach(session_id, turn.attach) if turn.attach else None
            observation = await self._run_turn(session_id, turn.text, seen, failure)
            score = score_turn(
                turn.expect,
                observation,
                created=created[-1] if created else None,
                agents=self.world.agents,
            )
            created.extend(observation.created)
            runs.append(TurnRun(turn.text, observation, score))
        problems = await self._final_problems(case) if case.final_state else []
        return CaseRun(case=case, turns=tuple(runs), final_problems=tuple(problems))

    async def _run_intake(self, case: IntakeCase) -> CaseRun:
        """A call note (evals/intake.py), with the world's callers, its writes proposed."""
        async with self.engine.begin() as connection:
            await reset_callers(connection, self._contact_ids)
            await reset(connection, self.world, self._agent_ids, self._contact_ids)
        session_id = await self._new_chat()
        [turn] = case.turns
        observation = await self._run_turn(
            session_id, turn.text, set(), None, settings=self._proposing
        )
        number = self._contact_numbers.get(case.contact) if case.contact else None
        score = score_intake(case, observation, number)
        return CaseRun(
            case=case, turns=(TurnRun(turn.text, observation, score),), final_problems=()
        )

    # -- one chat, as the agent the API would have signed in ---------------------------
    def _service(self, db: Any) -> ChatService:
        assert self._user is not None, "install() first"
        return ChatService(db, self.settings, self._user)

    async def _new_chat(self) -> uuid.UUID:
        async with session_factory()() as db:
            session = await self._service(db).create_session()
            await db.commit()
            return session.id

    async def _attach(self, session_id: uuid.UUID, numbers: Sequence[int]) -> str | None:
        async with session_factory()() as db:
            try:
                await self._service(db).change_attachments(session_id, list(numbers), [])
            except AppError as exc:
                return f"attaching {list(numbers)}: {exc.message}"
            await db.commit()
        return None

    async def _run_turn(
        self,
        session_id: uuid.UUID,
        content: str,
        seen: set[uuid.UUID],
        failure: str | None,
        *,
        settings: Settings | None = None,
    ) -> Observation:
        assert self._user is not None
        self.model.turns.clear()
        started = time.perf_counter()
        reply: dict[str, Any] = {}
        turn = ChatTurn(
            sessions=session_factory(),
            settings=settings or self.settings,
            model=self.model,
            user=self._user,
            session_id=session_id,
            content=content,
            client_message_id=None,
            streaming=False,
        )
        try:
            await turn.start()
            answer = await turn.result()
            reply = answer.body
            if answer.status_code != 200:
                failure = failure or str(reply.get("error", {}).get("message", answer.status_code))
            if turn.task is not None:
                await turn.task  # the title, if any: the chat is free before the next turn
        except AppError as exc:
            failure = failure or exc.message
        latency_ms = (time.perf_counter() - started) * 1000
        calls = tuple(
            ObservedCall(call.name, _arguments(call.arguments))
            for model_turn in self.model.turns
            for call in model_turn.tool_calls
        )
        writes, created = await self._new_writes(seen)
        writes.extend(_proposed_writes(reply))
        reported = [t.usage for t in self.model.turns if t.usage is not None]
        tokens = sum(u.input_tokens + u.output_tokens for u in reported) if reported else None
        return Observation(
            calls=calls,
            reply=str(reply.get("content") or ""),
            writes=tuple(writes),
            created=tuple(created),
            latency_ms=latency_ms,
            tokens=tokens,
            failure=failure,
        )

    async def _new_writes(self, seen: set[uuid.UUID]) -> tuple[list[Write], list[int]]:
        """What the audit trail gained since the last look: one Write per event."""
        async with self.engine.connect() as connection:
            rows = (await connection.execute(_EVENTS)).all()
        writes: list[Write] = []
        created: list[int] = []
        for event_id, number, action, field in rows:
            if event_id in seen:
                continue
            seen.add(event_id)
            what = {"created": "created", "note_added": "note"}.get(action, field or action)
            writes.append(Write(int(number), what))
            if action == "created":
                created.append(int(number))
        return writes, created

    async def _final_problems(self, case: Case) -> list[str]:
        async with self.engine.connect() as connection:
            rows = (await connection.execute(_FINAL, {"numbers": list(case.final_state)})).all()
        actual = {
            int(r.number): {"status": r.status, "priority": r.priority, "assignee": r.assignee}
            for r in rows
        }
        return final_state_problems(case.final_state, actual)


def _proposed_writes(reply: dict[str, Any]) -> list[Write]:
    """Write calls the reply left as proposals (approval on): they count as made."""
    writes: list[Write] = []
    for record in reply.get("tool_calls") or ():
        if not isinstance(record, dict) or record.get("status") != "proposed":
            continue
        if record.get("name") not in WRITE_TOOLS:
            continue
        arguments = record.get("arguments")
        ticket = arguments.get("ticket_id") if isinstance(arguments, dict) else None
        if record.get("name") == "create_ticket":
            ticket = None
        number = ticket if isinstance(ticket, int) else None
        writes.append(Write(number, f"proposed {record.get('name')}"))
    return writes
