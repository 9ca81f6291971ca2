"""Logging: one line per event, JSON for machines or plain text for people
(DESKPILOT_LOG_FORMAT; `auto` is text in development, JSON elsewhere), on stderr.

Standard library logging with two small formatters, no logging library: what we need is a
line per record with a few fields, which `logging` does with a formatter and a filter.
Every record logged while a request is being handled (its chat turn included, which runs in
a task started by the request) carries that request's id and, once known, the user's id,
from the RequestContext the request middleware sets (api/request_log.py). Structured fields
go in `extra={"data": {...}}`.

What is never logged, at any level: message text, ticket text, passwords, tokens, cookies,
query strings (a search is a customer's words). Records say who, what, how long, and how it
ended. The demo credentials of a first start are printed on the console by `serve`, not
logged.
"""

import contextvars
import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

LogFormat = Literal["json", "text"]
HANDLER = "deskpilot"
REQUEST_LOGGER = "deskpilot.request"


@dataclass(slots=True)
class RequestContext:
    request_id: str
    user_id: uuid.UUID | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "deskpilot_request", default=None
)


def current_request() -> RequestContext | None:
    return _current.get()


def enter_request(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def leave_request(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def set_user(user_id: uuid.UUID) -> None:
    """The signed-in user of the request being handled (for its log lines)."""
    context = _current.get()
    if context is not None:
        context.user_id = user_id


class RequestFields(logging.Filter):
    """Adds the request's id and user to every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is not None:
            record.request_id = context.request_id
            if context.user_id is not None:
                record.user_id = str(context.user_id)
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("request_id", "user_id"):
        value = getattr(record, name, None)
        if value is not None:
            fields[name] = value
    data = getattr(record, "data", None)
    if isinstance(data, dict):
        fields.update(data)
    return fields


def _timestamp(record: logging.LogRecord) -> str:
    """`2026-12-07T16:10:32.192Z` (UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + (
        f".{int(record.msecs):03d}Z"
    )


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", the request's fields, the record's data,
    "exception"}: one JSON object per line (a traceback's newlines are escaped in it)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`12:00:01.234 INFO  deskpilot.request GET /api/tickets 200  duration_ms=3.1 …`"""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        head = f"{moment}.{int(record.msecs):03d} {record.levelname:<5} {record.name} "
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        text = head + record.getMessage() + (f"  {fields}" if fields else "")
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def logging_config(*, log_format: LogFormat, level: str, access_log: bool = True) -> dict[str, Any]:
    """A dictConfig: every logger (uvicorn's too) through one stderr handler. Given to
    uvicorn as its log_config, so each worker process configures itself the same way.
    Without `access_log`, requests are not logged (their errors still are)."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": RequestFields}},
        "formatters": {"line": {"()": formatter}},
        "handlers": {
            HANDLER: {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["request"],
            }
        },
        "loggers": {
            # Their own handlers off: everything goes through the root's one.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            # Requests are logged by the app (api/request_log.py), with the fields above.
            "uvicorn.access": {"handlers": [], "propagate": False},
            **({} if access_log else {REQUEST_LOGGER: {"level": "WARNING"}}),
        },
        "root": {"level": level.upper(), "handlers": [HANDLER]},
    }
