"""One error type, one JSON shape: {"error": {"code", "message", "details"}}."""

from typing import Any


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers


class Unauthorized(AppError):
    status_code, code = 401, "unauthorized"


class InvalidCredentials(AppError):
    status_code, code = 401, "invalid_credentials"


class Forbidden(AppError):
    status_code, code = 403, "forbidden"


class CsrfFailed(AppError):
    status_code, code = 403, "csrf_failed"


class NotFound(AppError):
    status_code, code = 404, "not_found"


class ChatSessionNotFound(NotFound):
    """The chat session itself is gone (or is someone else's): its own code, so a client can
    tell it from a missing ticket or message without reading the message."""

    code = "session_not_found"

    def __init__(self, message: str = "Chat session not found") -> None:
        super().__init__(message)


class Conflict(AppError):
    status_code, code = 409, "conflict"


class ValidationFailed(AppError):
    status_code, code = 422, "validation_error"

    @classmethod
    def for_field(cls, field: str, message: str) -> "ValidationFailed":
        return cls(f"{field}: {message}", details=[{"field": field, "message": message}])


class RateLimited(AppError):
    status_code, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ProviderFailed(AppError):
    status_code, code = 502, "provider_error"


class ProviderTimeout(AppError):
    status_code, code = 504, "provider_timeout"


class TurnFailed(AppError):
    """A chat turn failed on our side after the user's message was stored (503: retryable)."""

    status_code, code = 503, "internal_error"


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}
