"""Callers (migration 0010): organisations, contacts, the call log and merge audits."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Computed, Identity, Integer, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base, created_at_column, updated_at_column, uuid_pk, uuid_ref

# The generated columns as migration 0010 wrote them.
CONTACT_SEARCH_SQL = (
    "to_tsvector('simple', search_fold(name || ' ' || "
    "coalesce(regexp_replace(email, '[^[:alnum:]]+', ' ', 'g'), '')))"
)
PHONE_DIGITS_SQL = "reverse(regexp_replace(phone, '[^0-9]', '', 'g'))"


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_at_column()


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)  # E.164
    organization_id: Mapped[uuid.UUID | None] = uuid_ref("organizations.id", ondelete="SET NULL")
    notes: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed(CONTACT_SEARCH_SQL, persisted=True), deferred=True
    )
    phone_digits: Mapped[str | None] = mapped_column(
        Text(collation="C"), Computed(PHONE_DIGITS_SQL, persisted=True), deferred=True
    )


class Interaction(Base):
    """One call (the only channel yet) with a contact, maybe about a ticket."""

    __tablename__ = "interactions"

    id: Mapped[uuid.UUID] = uuid_pk()
    channel: Mapped[str] = mapped_column(Text, nullable=False, server_default="call")
    contact_id: Mapped[uuid.UUID] = uuid_ref("contacts.id", ondelete="CASCADE")
    ticket_id: Mapped[uuid.UUID | None] = uuid_ref("tickets.id", ondelete="SET NULL")
    agent_id: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    direction: Mapped[str] = mapped_column(Text, nullable=False, server_default="inbound")
    started_at: Mapped[datetime] = created_at_column()
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_at_column()


class ContactMerge(Base):
    """The audit of one merge: the merged contact as it was (its row is gone)."""

    __tablename__ = "contact_merges"

    id: Mapped[uuid.UUID] = uuid_pk()
    kept_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    merged_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    merged_name: Mapped[str] = mapped_column(Text, nullable=False)
    merged_snapshot: Mapped[Any] = mapped_column(JSONB, nullable=False)
    tickets_moved: Mapped[int] = mapped_column(Integer, nullable=False)
    calls_moved: Mapped[int] = mapped_column(Integer, nullable=False)
    actor_id: Mapped[uuid.UUID | None] = uuid_ref("users.id", ondelete="SET NULL")
    created_at: Mapped[datetime] = created_at_column()
