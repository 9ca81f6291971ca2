from fastapi import APIRouter
from sqlalchemy import text

from deskpilot.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(db: SessionDep) -> dict[str, str]:
    await db.execute(text("SELECT 1"))
    return {"status": "ok"}
