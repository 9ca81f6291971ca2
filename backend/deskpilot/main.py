"""The ASGI app: /api routes, and the web app's static export on the same port."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from deskpilot import __version__
from deskpilot.api.body_limit import BodySizeLimit
from deskpilot.api.delivery import install_delivery
from deskpilot.api.error_handlers import install_error_handlers
from deskpilot.api.request_log import RequestLog
from deskpilot.api.routes import (
    admin,
    auth,
    calls,
    chat,
    contacts,
    health,
    metrics,
    proposals,
    tickets,
    users,
)
from deskpilot.api.security_headers import SecurityHeaders
from deskpilot.core.config import Settings, get_settings
from deskpilot.core.database_url import resolve_database_url
from deskpilot.core.db import dispose_engine, init_engine
from deskpilot.core.metrics import leave_multiprocess_dir
from deskpilot.llm.registry import close_chat_models
from deskpilot.services.auth_pruning import start_pruning, stop_pruning

logger = logging.getLogger(__name__)
# The wheel carries the built web app beside this module (setup.py puts it there).
PACKAGED_WEB_APP = Path(__file__).resolve().parent / "web"


def source_web_app() -> Path | None:
    """frontend/out of the source checkout this module runs from (development), if any."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder / "frontend" / "out"
    return None


def default_web_app() -> Path | None:
    """The installed package's web app, else the checkout's build (which may not exist yet)."""
    return PACKAGED_WEB_APP if PACKAGED_WEB_APP.is_dir() else source_web_app()


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api")
    router.include_router(health.router)
    router.include_router(auth.router)
    router.include_router(users.router)
    router.include_router(tickets.router)
    router.include_router(contacts.router)
    router.include_router(calls.router)
    router.include_router(chat.router)
    router.include_router(proposals.router)
    router.include_router(admin.router)
    return router


class WebApp(StaticFiles):
    """The web app's files, served when no API route matches. Unknown /api paths still get
    the API's JSON 404 rather than the web app's HTML 404 page."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/api" or path.startswith("/api/")):
            raise StarletteHTTPException(404)
        await super().__call__(scope, receive, send)


def web_app_dir(settings: Settings) -> Path | None:
    return settings.frontend_dir or default_web_app()


def create_app(settings: Settings | None = None, *, manage_engine: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if manage_engine:
            init_engine(resolve_database_url(settings), pool_size=settings.db_pool_size)
        pruning = start_pruning(settings)  # expired sessions, old login failures
        yield
        await stop_pruning(pruning)
        if manage_engine:
            await close_chat_models()
            await dispose_engine()
            leave_multiprocess_dir()

    app = FastAPI(
        title="Deskpilot",
        version=__version__,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install_error_handlers(app)
    # Added first, so it sits inside any middleware added later (their headers reach a 413).
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    install_delivery(app)
    app.include_router(api_router())
    app.include_router(metrics.router)
    frontend_dir = web_app_dir(settings)
    if frontend_dir is not None and frontend_dir.is_dir():
        # The router's fallback, not a mount at /: a mount would match every path and so
        # turn an API route's 405 (wrong method) into the web app's 404 page.
        app.router.default = WebApp(directory=frontend_dir, html=True)
    else:
        # DEBUG: `deskpilot serve` says so on the console; tests and `openapi` need no web app.
        logger.debug("Web app not built (%s missing): serving the API only", frontend_dir)
    app.add_middleware(SecurityHeaders, frontend_dir=frontend_dir)
    app.add_middleware(RequestLog)  # last added, outermost: it times and tags every response
    return app
