"""ORM tables (SQLAlchemy 2, Mapped[] columns). Schema changes go through Alembic migrations."""

from deskpilot.models.auth import AuthSession, LoginFailure
from deskpilot.models.base import Base
from deskpilot.models.chat import ChatMessage, ChatSession
from deskpilot.models.ticket import Ticket, TicketEvent, TicketNote
from deskpilot.models.usage import TokenUsageDaily
from deskpilot.models.user import User

__all__ = [
    "AuthSession",
    "Base",
    "ChatMessage",
    "ChatSession",
    "LoginFailure",
    "Ticket",
    "TicketEvent",
    "TicketNote",
    "TokenUsageDaily",
    "User",
]
