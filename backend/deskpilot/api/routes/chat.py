import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from deskpilot.api.deps import CurrentUser, SessionDep, SettingsDep
from deskpilot.core.db import session_factory
from deskpilot.core.errors import ProviderFailed
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
from deskpilot.schemas.common import QUERY_MAX
from deskpilot.schemas.proposal import ApprovalPreference, ApprovalSettings
from deskpilot.services.chat.proposals.policy import approval_settings, set_preference
from deskpilot.services.chat.turn import ChatTurn
from deskpilot.services.chat_service import ChatService, parse_session_id

router = APIRouter(prefix="/chat", tags=["chat"])


@router.get("/config", response_model=ChatConfig)
async def config(user: CurrentUser, settings: SettingsDep) -> ChatConfig:
    return ChatConfig(
        provider=settings.llm_provider,
        model=settings.effective_model,
        offline=settings.llm_provider == "offline",
        max_message_chars=settings.chat_max_message_chars,
        max_attached_tickets=settings.chat_max_attached_tickets,
        approval=approval_settings(settings, user),
    )


@router.put("/preferences", response_model=ApprovalSettings)
async def set_preferences(
    body: ApprovalPreference, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> ApprovalSettings:
    """The user's "Ask before changing tickets" (403 unless DESKPILOT_CHAT_APPROVAL is
    optional)."""
    result = await set_preference(
        db=db, settings=settings, user=user, ask_before_changes=body.ask_before_changes
    )
    await db.commit()
    return result


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
    q: Annotated[
        str | None, Query(max_length=QUERY_MAX, description="Words in a title or message")
    ] = None,
) -> ChatSessionPage:
    items, next_cursor = await ChatService(db, settings, user).list_sessions(
        limit=limit, cursor=cursor, q=q
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
    created = await service.create_ticket(body)
    await db.commit()
    return await service.present_chat_ticket(created)


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
        replaces=body.replaces,
        streaming="text/event-stream" in request.headers.get("accept", ""),
    )
    await turn.start()
    if turn.streaming:
        return StreamingResponse(
            turn.sse(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    reply = await turn.result()
    return JSONResponse(reply.body, status_code=reply.status_code)
