"""ORM tables (SQLAlchemy 2, Mapped[] columns). Schema changes go through Alembic migrations."""

from deskpilot.models.auth import AuthSession, LoginFailure
from deskpilot.models.base import Base
from deskpilot.models.chat import ChatMessage, ChatSession
from deskpilot.models.contact import Contact, ContactMerge, Interaction, Organization
from deskpilot.models.lease import ChatTurnLease
from deskpilot.models.proposal import ChatProposal
from deskpilot.models.search import SearchTerm
from deskpilot.models.ticket import Ticket, TicketEvent, TicketNote
from deskpilot.models.usage import TokenUsageDaily
from deskpilot.models.user import User

__all__ = [
    "AuthSession",
    "Base",
    "ChatMessage",
    "ChatProposal",
    "ChatSession",
    "ChatTurnLease",
    "Contact",
    "ContactMerge",
    "Interaction",
    "LoginFailure",
    "Organization",
    "SearchTerm",
    "Ticket",
    "TicketEvent",
    "TicketNote",
    "TokenUsageDaily",
    "User",
]
