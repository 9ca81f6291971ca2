import asyncio
import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
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


async def users_by_id(
    *, db: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    result = await db.execute(select(User).where(User.id.in_(wanted)))
    return {user.id: user for user in result.scalars()}
