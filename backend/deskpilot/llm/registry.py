"""One ChatModel per configuration per process, so SDK clients and their connection pools are
reused; each measured (llm/measured.py)."""

from deskpilot.core.config import Settings
from deskpilot.llm.factory import build_chat_model
from deskpilot.llm.measured import MeasuredChatModel
from deskpilot.llm.types import ChatModel

_models: dict[tuple[object, ...], ChatModel] = {}


def _key(settings: Settings) -> tuple[object, ...]:
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return (
        settings.llm_provider,
        settings.effective_model,
        settings.llm_base_url,
        api_key,
        settings.llm_timeout_seconds,
        settings.llm_connect_timeout_seconds,
        settings.llm_max_retries,
        settings.llm_deadline_seconds,
        settings.llm_max_output_tokens,
        settings.llm_context_window,
        settings.llm_tool_calls_as_text,
    )


async def close_chat_models() -> None:
    """At shutdown: close the SDK clients (their connection pools)."""
    models = list(_models.values())
    _models.clear()
    for model in models:
        await model.aclose()


def get_chat_model(settings: Settings) -> ChatModel:
    key = _key(settings)
    model = _models.get(key)
    if model is None:
        model = _models[key] = MeasuredChatModel(build_chat_model(settings))
    return model
