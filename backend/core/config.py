"""Application settings, read once from DESKPILOT_* environment variables and an optional .env."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKPILOT_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL; unset means the embedded server in data_dir.",
    )
    data_dir: Path = Path("./.deskpilot")
    frontend_dir: Path | None = Field(
        default=None,
        description="Built web app; default: the one in the package, else frontend/out",
    )
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    cookie_secure: bool = False
    session_ttl_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 900
    db_pool_size: int = 10

    # LLM
    llm_provider: Literal["offline", "openai", "anthropic"] = "offline"
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = 60.0
    llm_connect_timeout_seconds: float = 5.0
    llm_max_retries: int = 2
    llm_max_tool_rounds: int = 5
    llm_max_output_tokens: int = 1024
    llm_history_token_budget: int = 12000
    llm_generate_titles: bool = True

    # Chat limits
    chat_max_message_chars: int = 8000
    chat_max_attached_tickets: int = 20
    chat_messages_per_minute: int = 20
    chat_max_concurrent_streams: int = 3

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if (
            self.environment == "production"
            and self.secret_key.get_secret_value() == DEFAULT_SECRET
        ):
            raise ValueError(
                "DESKPILOT_SECRET_KEY must be set to a non-default value in production"
            )
        return self

    @property
    def effective_model(self) -> str:
        if self.llm_model:
            return self.llm_model
        return {
            "openai": "gpt-4o-mini",
            "anthropic": "claude-sonnet-4-5",
            "offline": "deskpilot-offline",
        }[self.llm_provider]


@lru_cache
def get_settings() -> Settings:
    return Settings()
