"""Build the configured ChatModel."""

from backend.core.config import Settings
from backend.llm.types import ChatModel


def build_chat_model(settings: Settings) -> ChatModel:
    # Each SDK is imported only when chosen: importing both costs seconds at start-up.
    if settings.llm_provider == "openai":
        from backend.llm.openai_provider import OpenAIChatModel

        return OpenAIChatModel(settings)
    if settings.llm_provider == "anthropic":
        from backend.llm.anthropic_provider import AnthropicChatModel

        return AnthropicChatModel(settings)
    from backend.llm.offline import OfflineAssistant

    offline: ChatModel = OfflineAssistant()
    return offline
