"""The admins' token report: totals per day, per user and per model over a range of UTC
days, read from token_usage_daily (services/token_usage.py records it) in one statement."""

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import UUID

from deskpilot.core.db import Reader
from deskpilot.core.errors import ValidationFailed
from deskpilot.schemas.common import UserRef
from deskpilot.schemas.usage import DayUsage, ModelUsage, TokenTotals, UsageReport, UserUsage

DEFAULT_DAYS = 30
MAX_DAYS = 366

_REPORT = text(
    """
    SELECT CASE WHEN grouping(u.day) = 0 THEN 'day'
                WHEN grouping(u.user_id) = 0 THEN 'user'
                WHEN grouping(u.provider, u.model) = 0 THEN 'model'
                ELSE 'total' END AS kind,
           u.day, u.user_id, min(users.name) AS name, min(users.email) AS email,
           u.provider, u.model,
           coalesce(sum(u.input_tokens), 0)::bigint AS input_tokens,
           coalesce(sum(u.output_tokens), 0)::bigint AS output_tokens,
           coalesce(sum(u.replies), 0)::bigint AS replies
    FROM token_usage_daily u JOIN users ON users.id = u.user_id
    WHERE u.day BETWEEN :start AND :end
      AND (CAST(:user_id AS uuid) IS NULL OR u.user_id = :user_id)
    GROUP BY GROUPING SETS ((u.day), (u.user_id), (u.provider, u.model), ())
    """
).bindparams(bindparam("user_id", type_=UUID(as_uuid=True)))


def report_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The days asked for: by default the last DEFAULT_DAYS up to today (UTC)."""
    end = end or datetime.now(UTC).date()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed.for_field("start", "must not be after end")
    if (end - start).days >= MAX_DAYS:
        raise ValidationFailed.for_field("start", f"at most {MAX_DAYS} days at a time")
    return start, end


def _by_tokens(item: TokenTotals) -> tuple[int, int]:
    return (-(item.input_tokens + item.output_tokens), -item.replies)


async def usage_report(
    *, db: Reader, start: date | None, end: date | None, user_id: uuid.UUID | None
) -> UsageReport:
    start, end = report_range(start, end)
    rows = (await db.execute(_REPORT, {"start": start, "end": end, "user_id": user_id})).all()
    total = TokenTotals(input_tokens=0, output_tokens=0, replies=0)
    days: list[DayUsage] = []
    users: list[UserUsage] = []
    models: list[ModelUsage] = []
    for row in rows:
        counts = {
            "input_tokens": row.input_tokens,
            "output_tokens": row.output_tokens,
            "replies": row.replies,
        }
        if row.kind == "day":
            days.append(DayUsage(day=row.day, **counts))
        elif row.kind == "user":
            user = UserRef(id=row.user_id, name=row.name, email=row.email)
            users.append(UserUsage(user=user, **counts))
        elif row.kind == "model":
            models.append(ModelUsage(provider=row.provider, model=row.model, **counts))
        else:
            total = TokenTotals(**counts)
    return UsageReport(
        start=start,
        end=end,
        user_id=user_id,
        total=total,
        by_day=sorted(days, key=lambda d: d.day),
        by_user=sorted(users, key=_by_tokens),
        by_model=sorted(models, key=_by_tokens),
    )
