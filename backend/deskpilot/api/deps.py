"""Request dependencies: database session, settings, the signed-in user, CSRF, channel."""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings, get_settings
from deskpilot.core.db import SAFE_METHODS, autocommit_engine, get_db
from deskpilot.core.errors import CsrfFailed, Forbidden, Unauthorized
from deskpilot.core.logs import set_user
from deskpilot.models import AuthSession, User
from deskpilot.services import auth_service
from deskpilot.services.actor import Actor, Channel

SESSION_COOKIE = "deskpilot_session"
CSRF_COOKIE = "deskpilot_csrf"
CSRF_HEADER = "X-CSRF-Token"
CHANNEL_HEADER = "X-Deskpilot-Channel"

SessionDep = Annotated[AsyncSession, Depends(get_db)]


async def app_settings() -> Settings:
    # async on purpose: FastAPI runs sync dependencies in a thread pool, per request.
    return get_settings()


SettingsDep = Annotated[Settings, Depends(app_settings)]


@dataclass(frozen=True)
class Principal:
    user: User
    auth_session: AuthSession
    token: str


async def current_principal(request: Request, settings: SettingsDep) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized("Sign in to continue")
    found = await auth_service.authenticate(
        engine=autocommit_engine(), settings=settings, token=token
    )
    if found is None:
        raise Unauthorized("Your session has expired; sign in again")
    user, auth_session = found
    set_user(user.id)  # for the request's log lines
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), auth_session.csrf_token.encode()):
            raise CsrfFailed(f"Missing or wrong {CSRF_HEADER} header")
    return Principal(user=user, auth_session=auth_session, token=token)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


async def current_user(principal: PrincipalDep) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(current_user)]


async def current_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise Forbidden("Administrators only")
    return user


AdminUser = Annotated[User, Depends(current_admin)]


def request_channel(request: Request) -> Channel:
    return "ui" if request.headers.get(CHANNEL_HEADER, "").lower() == "ui" else "api"


async def current_actor(request: Request, user: CurrentUser) -> Actor:
    return Actor(user_id=user.id, channel=request_channel(request))


ActorDep = Annotated[Actor, Depends(current_actor)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
