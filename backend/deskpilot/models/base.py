"""The declarative base and the column shapes every table repeats, defined once."""

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import DateTime, ForeignKey, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def uuid_pk() -> Mapped[uuid.UUID]:
    """A UUID primary key the database generates."""
    return mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )


def uuid_ref(target: str, *, ondelete: Literal["CASCADE", "SET NULL"]) -> Mapped[Any]:
    """A UUID foreign key to `target` ("table.column"); its nullability follows the
    attribute's annotation (`Mapped[uuid.UUID]` or `Mapped[uuid.UUID | None]`)."""
    return mapped_column(UUID(as_uuid=True), ForeignKey(target, ondelete=ondelete))


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def updated_at_column() -> Mapped[datetime]:
    """Set to now() on insert; the writers set it on change."""
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
