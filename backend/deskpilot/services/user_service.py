import asyncio
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Conflict
from deskpilot.core.security import hash_password
from deskpilot.models import User


async def get_user_by_email(*, db: AsyncSession, email: str) -> User | None:
    result = await db.execute(select(User).where(func.lower(User.email) == email.strip().lower()))
    return result.scalar_one_or_none()


async def create_user(
    *, db: AsyncSession, email: str, name: str, password: str, role: str = "agent"
) -> User:
    if await get_user_by_email(db=db, email=email) is not None:
        raise Conflict(f"A user with email {email} already exists")
    password_hash = await asyncio.to_thread(hash_password, password)  # argon2: off the loop
    user = User(email=email.strip(), name=name.strip(), password_hash=password_hash, role=role)
    db.add(user)
    await db.flush()
    return user


async def active_users(*, db: AsyncSession) -> list[User]:
    """Active users by name, for assignee pickers."""
    return list(
        (await db.execute(select(User).where(User.is_active).order_by(User.name))).scalars()
    )


def _folded(value: Any) -> Any:
    """Lower case without accents (migration 0005's search_fold: without the unaccent
    extension it only lowers the case, and matching stays case-insensitive)."""
    return func.search_fold(value)


async def find_users(*, db: AsyncSession, query: str, limit: int = 20) -> list[User]:
    """Active users whose name or e-mail contains `query`, ignoring case and accents
    ("jose" finds José): whole-name matches first, then names that start with it, then
    the rest, each by name. What an assignee named in words is resolved with."""
    wanted = _folded(bindparam("query", query.strip(), type_=Text))
    name = _folded(User.name)
    found = or_(func.strpos(name, wanted) > 0, func.strpos(_folded(User.email), wanted) > 0)
    closeness = case((name == wanted, 0), (func.strpos(name, wanted) == 1, 1), else_=2)
    statement = (
        select(User)
        .where(User.is_active, found)
        .order_by(closeness, User.name, User.email)
        .limit(limit)
    )
    return list((await db.execute(statement)).scalars())


async def users_by_id(
    *, db: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    result = await db.execute(select(User).where(User.id.in_(wanted)))
    return {user.id: user for user in result.scalars()}
