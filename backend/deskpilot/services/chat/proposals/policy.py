"""When the copilot's writes wait for the agent: DESKPILOT_CHAT_APPROVAL, and each user's
own choice where the setting leaves it to them ('optional')."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.config import Settings
from deskpilot.core.errors import Forbidden
from deskpilot.models import User
from deskpilot.schemas.proposal import ApprovalSettings


def asks_before_changes(settings: Settings, user: User) -> bool:
    """Whether this user's copilot proposes its writes rather than making them."""
    if settings.chat_approval == "optional":
        return bool(user.ask_before_changes)
    return settings.chat_approval == "writes"


def approval_settings(settings: Settings, user: User) -> ApprovalSettings:
    return ApprovalSettings(
        policy=settings.chat_approval,
        ask_before_changes=asks_before_changes(settings, user),
        can_change=settings.chat_approval == "optional",
    )


async def set_preference(
    *, db: AsyncSession, settings: Settings, user: User, ask_before_changes: bool
) -> ApprovalSettings:
    """The user's "Ask before changing tickets"; 403 unless the setting lets them choose."""
    if settings.chat_approval != "optional":
        raise Forbidden(
            "Whether the copilot asks before changing tickets is set for everyone here "
            f"(DESKPILOT_CHAT_APPROVAL={settings.chat_approval})"
        )
    await db.execute(
        update(User).where(User.id == user.id).values(ask_before_changes=ask_before_changes)
    )
    user.ask_before_changes = ask_before_changes
    return approval_settings(settings, user)
