import uuid
from datetime import date

from fastapi import APIRouter

from deskpilot.api.deps import AdminUser, SessionDep
from deskpilot.schemas.usage import UsageReport
from deskpilot.services.usage_report import usage_report

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/usage", response_model=UsageReport)
async def usage(
    _: AdminUser,
    db: SessionDep,
    start: date | None = None,
    end: date | None = None,
    user_id: uuid.UUID | None = None,
) -> UsageReport:
    """Tokens the model spent, per day, user and model, over UTC days `start`..`end`
    (default: the last 30 days; at most 366). Administrators only."""
    return await usage_report(db=db, start=start, end=end, user_id=user_id)
