"""The admins' token report (GET /api/admin/usage)."""

import uuid
from datetime import date

from pydantic import BaseModel

from deskpilot.schemas.common import UserRef


class TokenTotals(BaseModel):
    input_tokens: int
    output_tokens: int
    replies: int  # assistant replies stored (titles add tokens, not replies)


class DayUsage(TokenTotals):
    day: date


class UserUsage(TokenTotals):
    user: UserRef


class ModelUsage(TokenTotals):
    provider: str
    model: str


class UsageReport(BaseModel):
    """Days are UTC dates, `start` and `end` included; only days, users and models that
    used tokens or replied are listed. With `user_id`, everything is that user's."""

    start: date
    end: date
    user_id: uuid.UUID | None
    total: TokenTotals
    by_day: list[DayUsage]  # oldest first
    by_user: list[UserUsage]  # most tokens first
    by_model: list[ModelUsage]  # most tokens first
