"""Application settings, read once from DESKPILOT_* environment variables and an optional .env."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

import phonenumbers
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKPILOT_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = Field(
        default="development",
        description="development, production or test; production refuses the default secret key",
    )
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL; unset means the embedded server in data_dir.",
    )
    data_dir: Path = Field(
        default=Path("./.deskpilot"), description="Where the embedded PostgreSQL keeps its files"
    )
    host: str = Field(default="127.0.0.1", description="`deskpilot serve`'s default --host")
    port: int = Field(
        default=8000, ge=1, le=65535, description="`deskpilot serve`'s default --port"
    )
    frontend_dir: Path | None = Field(
        default=None,
        description="Built web app; default: the one in the package, else frontend/out",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEFAULT_SECRET),
        description="Keys the stored session-token hashes; a long random value in production",
    )
    cookie_secure: bool = Field(
        default=False, description="Mark cookies Secure (set true behind HTTPS)"
    )
    session_ttl_hours: int = Field(default=12, description="Sign-in session lifetime")
    login_max_failures: int = Field(
        default=5,
        description="Failed logins per account per window before 429 (an address gets 4x)",
    )
    login_window_seconds: int = Field(default=900, description="Login throttling window")
    db_pool_size: int = Field(default=10, description="Database connections per server process")
    proxy_headers: bool = Field(
        default=False,
        description="Trust X-Forwarded-For/-Proto from forwarded_allow_ips (behind a proxy)",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Comma-separated proxy addresses or networks whose X-Forwarded-* is trusted",
    )
    prune_interval_seconds: int = Field(
        default=3600,
        ge=0,
        description="How often expired sessions and old login failures are deleted; 0: never",
    )
    max_request_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest request body accepted; larger ones get 413"
    )

    # Operations
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="Log lines as json or text; auto: text in development, json otherwise",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Least severe log level written (debug, info, ...)"
    )
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Also serve /metrics without sign-in on this port (serve); 0: not",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Interface the metrics port binds (keep it private)"
    )
    pg_bin_dir: Path | None = Field(
        default=None,
        description="Where backup/restore find pg_dump, pg_restore and psql; default: searched",
    )

    # LLM
    llm_provider: Literal["offline", "openai", "anthropic"] = Field(
        default="offline",
        description="offline, openai (any OpenAI-compatible server) or anthropic",
    )
    llm_model: str = Field(default="", description="Model name; empty means per provider")
    llm_base_url: str | None = Field(
        default=None, description="Provider URL, e.g. http://localhost:11434/v1 for Ollama"
    )
    llm_api_key: SecretStr | None = Field(default=None, description="The provider's API key")
    llm_timeout_seconds: float = Field(default=60.0, description="Read timeout per model call")
    llm_connect_timeout_seconds: float = Field(
        default=5.0, description="Connect timeout per model call"
    )
    llm_max_retries: int = Field(
        default=2, description="Retries on 429/5xx/connection errors before a reply starts"
    )
    llm_deadline_seconds: float = Field(
        default=90.0, gt=0, description="Longest one model call may take, retries included"
    )
    llm_max_tool_rounds: int = Field(
        default=5, description="Tool-call rounds per message before the model must answer"
    )
    llm_max_output_tokens: int = Field(
        default=1024, description="Longest reply the model may write per call"
    )
    llm_history_token_budget: int = Field(
        default=12000, description="History sent to the model; oldest turns dropped first"
    )
    llm_context_window: int | None = Field(
        default=None,
        gt=0,
        description="The model's context window in tokens; history and transcripts are cut "
        "to fit it with the tools and the reply (empty: only the history budget applies)",
    )
    llm_tool_calls_as_text: bool = Field(
        default=False,
        description="Describe the tools in the prompt and read calls from the model's text, "
        "for servers whose chat template has no tool support (openai provider)",
    )
    llm_generate_titles: bool = Field(
        default=True, description="Ask the model for a chat title after the first reply"
    )

    # Chat limits
    chat_max_message_chars: int = Field(default=8000, description="Longest chat message accepted")
    chat_max_attached_tickets: int = Field(default=20, description="Tickets attachable to one chat")
    chat_messages_per_minute: int = Field(default=20, description="Per-user chat message rate")
    chat_max_concurrent_streams: int = Field(
        default=3,
        description="Replies one user can have generating at once (counted in the database, "
        "over all server processes)",
    )
    chat_turn_lease_seconds: float = Field(
        default=30.0,
        ge=2,
        description="How long a reply's hold on its chat lasts unless renewed (it is renewed "
        "every third of this while the reply runs): a crashed process's chats are free again "
        "after it",
    )
    chat_approval: Literal["writes", "optional", "never"] = Field(
        default="writes",
        description="AI ticket changes wait for the agent's approval: writes (always), "
        "optional (each user chooses), never (they run at once)",
    )
    default_phone_region: str = Field(
        default="US",
        min_length=2,
        max_length=2,
        description="Country (ISO 3166 code) of phone numbers written without +country code",
    )

    @field_validator("default_phone_region", mode="after")
    @classmethod
    def _known_phone_region(cls, value: str) -> str:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{value!r} is not a country code phonenumbers knows (e.g. US, GB)")
        return region

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
    def effective_log_format(self) -> Literal["json", "text"]:
        if self.log_format == "auto":
            return "text" if self.environment == "development" else "json"
        return self.log_format

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
