import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from deskpilot.api import sse
from deskpilot.api.deps import CurrentUser, SessionDep, SettingsDep
from deskpilot.core.db import session_factory
from deskpilot.core.errors import ProviderFailed, ProviderTimeout, TurnFailed, error_body
from deskpilot.llm.registry import get_chat_model
from deskpilot.llm.types import ProviderError
from deskpilot.schemas.chat import (
    AttachmentChange,
    ChatConfig,
    ChatMessageCreate,
    ChatMessagePage,
    ChatMessagePublic,
    ChatSessionAttachResult,
    ChatSessionCreate,
    ChatSessionDetail,
    ChatSessionPage,
    ChatSessionPublic,
    ChatSessionRename,
    ChatTicketCreate,
    ChatTicketPublic,
)
from deskpilot.schemas.ticket import TicketCreate
from deskpilot.services.actor import Actor
from deskpilot.services.chat.attachments import create_and_attach
from deskpilot.services.chat.turn import ChatTurn, TurnEvent
from deskpilot.services.chat_service import ChatService, parse_session_id
from deskpilot.services.tickets.queries import present_ticket

router = APIRouter(prefix="/chat", tags=["chat"])


@router.get("/config", response_model=ChatConfig)
async def config(_: CurrentUser, settings: SettingsDep) -> ChatConfig:
    return ChatConfig(
        provider=settings.llm_provider,
        model=settings.effective_model,
        offline=settings.llm_provider == "offline",
        max_message_chars=settings.chat_max_message_chars,
        max_attached_tickets=settings.chat_max_attached_tickets,
    )


@router.post("/sessions", response_model=ChatSessionPublic, status_code=201)
async def create_session(
    user: CurrentUser, db: SessionDep, settings: SettingsDep, body: ChatSessionCreate | None = None
) -> ChatSessionPublic:
    service = ChatService(db, settings, user)
    session = await service.create_session(title=body.title if body else None)
    await db.commit()
    return await service.present_session(session)


@router.get("/sessions", response_model=ChatSessionPage)
async def list_sessions(
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ChatSessionPage:
    items, next_cursor = await ChatService(db, settings, user).list_sessions(
        limit=limit, cursor=cursor
    )
    return ChatSessionPage(items=items, next_cursor=next_cursor)


@router.get("/sessions/{session_id}", response_model=ChatSessionDetail)
async def get_session(
    session_id: str, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ChatSessionDetail:
    return await ChatService(db, settings, user).session_detail(session_id)


@router.get("/sessions/{session_id}/messages", response_model=ChatMessagePage)
async def list_messages(
    session_id: str,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> ChatMessagePage:
    service = ChatService(db, settings, user)
    session = await service.get_session(session_id)
    messages, has_more = await service.messages_page(session.id, before=before, limit=limit)
    return ChatMessagePage(items=await service.present_messages(messages), has_more=has_more)


@router.patch("/sessions/{session_id}", response_model=ChatSessionPublic)
async def rename_session(
    session_id: str,
    body: ChatSessionRename,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> ChatSessionPublic:
    service = ChatService(db, settings, user)
    session = await service.rename_session((await service.get_session(session_id)).id, body.title)
    await db.commit()
    return await service.present_session(session)


@router.delete("/sessions/{session_id}", status_code=204)
async def delete_session(
    session_id: str, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> Response:
    service = ChatService(db, settings, user)
    await service.delete_session((await service.get_session(session_id)).id)
    await db.commit()
    return Response(status_code=204)


@router.patch("/sessions/{session_id}/tickets", response_model=ChatSessionAttachResult)
async def change_tickets(
    session_id: str,
    body: AttachmentChange,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> ChatSessionAttachResult:
    service = ChatService(db, settings, user)
    session = await service.get_session(session_id)
    session, notice = await service.change_attachments(session.id, body.attach, body.detach)
    await db.commit()
    public = await service.present_session(session)
    message = (await service.present_messages([notice]))[0] if notice else None
    return ChatSessionAttachResult(**public.model_dump(), system_message=message)


@router.post("/tickets", response_model=ChatTicketPublic, status_code=201)
async def create_chat_ticket(
    body: ChatTicketCreate, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ChatTicketPublic:
    service = ChatService(db, settings, user)
    session = await service.get_session(body.session_id)
    created = await create_and_attach(
        db=db,
        data=TicketCreate(
            title=body.title,
            description=body.description,
            priority=body.priority,
            category=body.category,
            source="chat",
        ),
        actor=Actor(user_id=user.id, channel="chat", chat_session_id=session.id),
        session_id=session.id,
        max_attached=settings.chat_max_attached_tickets,
        announce=True,
    )
    await db.commit()
    ticket = await present_ticket(db=db, ticket=created.ticket)
    notice = await service.present_messages([created.notice]) if created.notice else [None]
    return ChatTicketPublic(
        **ticket.model_dump(), attached=created.attached, system_message=notice[0]
    )


# A turn that failed after the user message was stored is answered as unavailable, not as
# a server crash: the failure was handled, the message and a failed reply are stored, and
# resending the same client_message_id retries it.
_TURN_FAILURE_STATUS = {
    ProviderFailed.code: ProviderFailed.status_code,  # 502
    ProviderTimeout.code: ProviderTimeout.status_code,  # 504
    TurnFailed.code: TurnFailed.status_code,  # 503
}


def _sse(event: TurnEvent) -> bytes:
    return f"event: {event.name}\ndata: {json.dumps(event.data, ensure_ascii=False)}\n\n".encode()


async def _sse_events(turn: ChatTurn) -> AsyncIterator[bytes]:
    async for event in turn.events():
        yield _sse(event)
    yield _sse(TurnEvent("done", {}))


@router.post(
    "/sessions/{session_id}/messages",
    response_model=ChatMessagePublic,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def send_message(
    session_id: str,
    body: ChatMessageCreate,
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
) -> Response:
    # No request session: the turn works on its own connection (and checks the session
    # is the caller's).
    try:
        model = get_chat_model(settings)
    except ProviderError as exc:
        raise ProviderFailed(f"The AI model is not usable: {exc.message}") from exc
    turn = ChatTurn(
        sessions=session_factory(),
        settings=settings,
        model=model,
        user=user,
        session_id=parse_session_id(session_id),
        content=body.content,
        client_message_id=body.client_message_id,
        streaming="text/event-stream" in request.headers.get("accept", ""),
    )
    await turn.start()

    if turn.streaming:

        async def stream() -> AsyncIterator[bytes]:
            try:
                async for chunk in sse.with_pings(_sse_events(turn), sse.PING_INTERVAL_SECONDS):
                    yield chunk
            finally:
                turn.stop()

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    final: dict[str, object] | None = None
    failure: dict[str, object] | None = None
    # Return as soon as the reply is stored; the turn task finishes the title on its own.
    async for event in turn.events():
        if event.name == "assistant_message":
            final = event.data["message"]
            break
        if event.name == "error":
            failure = event.data
            break
    if final is not None:
        return JSONResponse(final)
    failure = failure or {"code": "internal_error", "message": "No reply was produced"}
    code, message_id = str(failure["code"]), failure.get("message_id")
    # The failed reply is stored: its id lets the client show it and resend the message.
    details = [{"field": "message_id", "message": str(message_id)}] if message_id else None
    return JSONResponse(
        error_body(code, str(failure["message"]), details),
        status_code=_TURN_FAILURE_STATUS.get(code, ProviderFailed.status_code),
    )
