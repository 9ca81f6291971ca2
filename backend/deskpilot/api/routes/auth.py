from fastapi import APIRouter, Request, Response

from deskpilot.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PrincipalDep,
    SessionDep,
    SettingsDep,
    client_ip,
)
from deskpilot.core.config import Settings
from deskpilot.core.logs import set_user
from deskpilot.schemas.auth import AuthState, LoginRequest, UserPublic
from deskpilot.services import auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


def _set_cookies(response: Response, settings: Settings, token: str, csrf: str) -> None:
    max_age = settings.session_ttl_hours * 3600
    common = {"max_age": max_age, "samesite": "lax", "secure": settings.cookie_secure, "path": "/"}
    response.set_cookie(SESSION_COOKIE, token, httponly=True, **common)  # type: ignore[arg-type]
    # Readable by the page so it can echo it in X-CSRF-Token (double submit, bound to the session).
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, **common)  # type: ignore[arg-type]


@router.post("/login", response_model=AuthState)
async def login(
    body: LoginRequest, request: Request, response: Response, db: SessionDep, settings: SettingsDep
) -> AuthState:
    signed_in = await auth_service.login(
        db=db,
        settings=settings,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    await db.commit()
    set_user(signed_in.user.id)  # the request's log line says who signed in
    _set_cookies(response, settings, signed_in.token, signed_in.csrf_token)
    return AuthState(
        user=UserPublic.model_validate(signed_in.user), csrf_token=signed_in.csrf_token
    )


@router.post("/logout", status_code=204)
async def logout(principal: PrincipalDep, db: SessionDep, settings: SettingsDep) -> Response:
    await auth_service.logout(db=db, settings=settings, token=principal.token)
    await db.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", response_model=AuthState)
async def me(principal: PrincipalDep) -> AuthState:
    return AuthState(
        user=UserPublic.model_validate(principal.user), csrf_token=principal.auth_session.csrf_token
    )
