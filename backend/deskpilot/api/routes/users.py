from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from deskpilot.api.deps import AdminUser, CurrentUser, SessionDep
from deskpilot.models import User
from deskpilot.schemas.auth import UserPublic
from deskpilot.schemas.common import StrictModel
from deskpilot.services import user_service

router = APIRouter(prefix="/users", tags=["users"])


class UserCreate(StrictModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=8, max_length=1024)
    role: Literal["agent", "admin"] = "agent"


@router.get("", response_model=list[UserPublic])
async def list_users(
    _: CurrentUser,
    db: SessionDep,
    q: Annotated[str, Query(max_length=120, pattern=r"^[^\x00]*$")] = "",
) -> list[User]:
    """Active users, for assignee pickers; with `q`, those whose name or e-mail contains
    it, ignoring case and accents, closest first."""
    if q.strip():
        return await user_service.find_users(db=db, query=q)
    return await user_service.active_users(db=db)


@router.post("", response_model=UserPublic, status_code=201)
async def create_user(body: UserCreate, _: AdminUser, db: SessionDep) -> User:
    user = await user_service.create_user(
        db=db, email=body.email, name=body.name, password=body.password, role=body.role
    )
    await db.commit()
    return user
