import uuid

from pydantic import BaseModel, Field

from deskpilot.schemas.common import PublicModel, Role, StrictModel


class LoginRequest(StrictModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class UserPublic(PublicModel):
    id: uuid.UUID
    email: str
    name: str
    role: Role


class AuthState(BaseModel):
    user: UserPublic
    csrf_token: str
