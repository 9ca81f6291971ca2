"""One error type, one JSON shape: {"error": {"code", "message", "details"}}."""

from typing import Any


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None) -> None:
        """A subclass states its HTTP status and error code in its header:
        `class NotFound(AppError, status=404, code="not_found")`."""
        super().__init_subclass__()
        if status is not None:
            cls.status_code = status
        if code is not None:
            cls.code = code

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers
        self.extra = extra  # more of the body, beside "error" (a stale write's fresh copy)


class Unauthorized(AppError, status=401, code="unauthorized"): ...


class InvalidCredentials(AppError, status=401, code="invalid_credentials"): ...


class Forbidden(AppError, status=403, code="forbidden"): ...


class CsrfFailed(AppError, status=403, code="csrf_failed"): ...


class NotFound(AppError, status=404, code="not_found"): ...


class ChatSessionNotFound(NotFound, code="session_not_found"):
    """The chat session itself is gone (or is someone else's): its own code, so a client can
    tell it from a missing ticket or message without reading the message."""

    def __init__(self, message: str = "Chat session not found") -> None:
        super().__init__(message)


class Conflict(AppError, status=409, code="conflict"): ...


class Stale(Conflict, code="stale"):
    """A write based on a version that changed since: the body carries the fresh one."""


class ValidationFailed(AppError, status=422, code="validation_error"):
    @classmethod
    def for_field(cls, field: str, message: str) -> "ValidationFailed":
        return cls(f"{field}: {message}", details=[{"field": field, "message": message}])


class RateLimited(AppError, status=429, code="rate_limited"):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ProviderFailed(AppError, status=502, code="provider_error"): ...


class ProviderTimeout(AppError, status=504, code="provider_timeout"): ...


class TurnFailed(AppError, status=503, code="internal_error"):
    """A chat turn failed on our side after the user's message was stored (503: retryable)."""


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}
