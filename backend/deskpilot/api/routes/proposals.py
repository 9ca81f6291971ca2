"""The agent's decisions on the copilot's proposals, and undo of its writes from the chat.

Approve and reject answer like sending a message: the reply the decision lets go on, as a
stream (Accept: text/event-stream) or as JSON once stored."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from deskpilot.api.deps import CurrentUser, SessionDep, SettingsDep, request_channel
from deskpilot.core.errors import ProviderFailed
from deskpilot.llm.registry import get_chat_model
from deskpilot.llm.types import ChatModel, ProviderError
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.schemas.proposal import ProposalApprove, ProposalPublic, ProposalReject
from deskpilot.services.chat.events import DONE, TurnEvent
from deskpilot.services.chat.proposals import decide
from deskpilot.services.chat.proposals.answer import Continuing, Settled, answer
from deskpilot.services.chat.proposals.continuation import ContinuedTurn
from deskpilot.services.chat.proposals.decide import Decision, ProposalNotFound
from deskpilot.services.chat.proposals.present import proposals_by_ids
from deskpilot.services.chat.proposals.undo import undo_proposal
from deskpilot.services.chat_service import parse_session_id

router = APIRouter(prefix="/chat/sessions/{session_id}", tags=["chat"])
_STREAMED: dict[int | str, dict[str, Any]] = {200: {"content": {"text/event-stream": {}}}}
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _proposal_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ProposalNotFound() from None


def _model(settings: Any) -> ChatModel:
    try:
        return get_chat_model(settings)
    except ProviderError as exc:
        raise ProviderFailed(f"The AI model is not usable: {exc.message}") from exc


def _streaming(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


async def _respond(outcome: Continuing | Settled, streaming: bool, db: Any) -> Response:
    await db.close()  # nothing more to read: no connection held while the model thinks
    if streaming:
        events = (
            outcome.sse() if isinstance(outcome, Continuing) else _events([*outcome.events(), DONE])
        )
        return StreamingResponse(events, media_type="text/event-stream", headers=_SSE_HEADERS)
    if isinstance(outcome, Continuing):
        started = await outcome.start()
        if isinstance(started, ContinuedTurn):
            reply = await started.result()
            return JSONResponse(reply.body, status_code=reply.status_code)
        outcome = started
    return JSONResponse(outcome.message.model_dump(mode="json"))


async def _events(events: list[TurnEvent]) -> AsyncIterator[bytes]:
    for event in events:
        yield event.sse()


async def _answer(
    decision: Decision, request: Request, user: Any, db: Any, settings: Any, model: ChatModel
) -> Response:
    await db.commit()
    streaming = _streaming(request)
    outcome = await answer(
        db=db, settings=settings, model=model, user=user, decision=decision, streaming=streaming
    )
    return await _respond(outcome, streaming, db)


class _Deciding:
    """What approve and reject take alike: the proposal the path names, the caller and
    the request the reply answers (parsed in `run`, after FastAPI has validated the body)."""

    def __init__(
        self,
        session_id: str,
        proposal_id: str,
        request: Request,
        user: CurrentUser,
        db: SessionDep,
        settings: SettingsDep,
    ) -> None:
        self.session_id, self.proposal_id = session_id, proposal_id
        self.request, self.user, self.db, self.settings = request, user, db, settings

    async def run(self, decision_of: Callable[..., Awaitable[Decision]], **args: Any) -> Response:
        model = _model(self.settings)
        decision = await decision_of(
            db=self.db,
            user=self.user,
            session_id=parse_session_id(self.session_id),
            proposal_id=_proposal_id(self.proposal_id),
            **args,
        )
        return await _answer(decision, self.request, self.user, self.db, self.settings, model)


Deciding = Annotated[_Deciding, Depends()]


@router.post(
    "/proposals/{proposal_id}/approve", response_model=ChatMessagePublic, responses=_STREAMED
)
async def approve(deciding: Deciding, body: ProposalApprove | None = None) -> Response:
    """Run the proposed write (with the agent's edited arguments, if given), then let the
    reply go on. 409 `stale` with the fresh proposal if a field it changes changed since."""
    arguments = body.arguments if body else None
    return await deciding.run(decide.approve, settings=deciding.settings, arguments=arguments)


@router.post(
    "/proposals/{proposal_id}/reject", response_model=ChatMessagePublic, responses=_STREAMED
)
async def reject(deciding: Deciding, body: ProposalReject | None = None) -> Response:
    """Do not run it; the model is told, with the reason if given, and goes on."""
    return await deciding.run(decide.reject, reason=body.reason if body else None)


@router.post(
    "/messages/{message_id}/approve-all", response_model=ChatMessagePublic, responses=_STREAMED
)
async def approve_all(
    session_id: str,
    message_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Approve the reply's pending proposals in order, one transaction each; a stale one
    stops there (409, the ones before it done)."""
    model = _model(settings)
    sid = parse_session_id(session_id)
    pending = await decide.pending_of(db=db, user=user, session_id=sid, message_id=message_id)
    if not pending:
        raise ProposalNotFound()
    decision: Decision | None = None
    for proposal_id in pending:
        decision = await decide.approve(
            db=db, settings=settings, user=user, session_id=sid, proposal_id=proposal_id
        )
        if decision.stale or decision.continues:
            break
        await db.commit()
    assert decision is not None
    return await _answer(decision, request, user, db, settings, model)


@router.post("/proposals/{proposal_id}/undo", response_model=ProposalPublic)
async def undo(
    session_id: str, proposal_id: str, request: Request, user: CurrentUser, db: SessionDep
) -> ProposalPublic:
    """Undo an executed write of the copilot (409 naming the field changed since, and by
    whom, when a field no longer holds the value it wrote); a grouped intake, every step."""
    pid = _proposal_id(proposal_id)
    await decide.own_proposal(
        db=db, user=user, session_id=parse_session_id(session_id), proposal_id=pid
    )
    await undo_proposal(db=db, user=user, proposal_id=pid, channel=request_channel(request))
    await db.commit()
    return (await proposals_by_ids(db, [pid]))[pid]
