"""ORM tables (SQLAlchemy 2, Mapped[] columns). Schema changes go through Alembic migrations."""

from backend.models.auth import AuthSession, LoginFailure
from backend.models.base import Base
from backend.models.chat import ChatMessage, ChatSession
from backend.models.ticket import Ticket, TicketEvent, TicketNote
from backend.models.user import User

__all__ = [
    "AuthSession",
    "Base",
    "ChatMessage",
    "ChatSession",
    "LoginFailure",
    "Ticket",
    "TicketEvent",
    "TicketNote",
    "User",
]
