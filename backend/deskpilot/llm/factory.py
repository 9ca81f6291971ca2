"""Build the configured ChatModel."""

from deskpilot.core.config import Settings
from deskpilot.llm.types import ChatModel


def build_chat_model(settings: Settings) -> ChatModel:
    # Each SDK is imported only when chosen: importing both costs seconds at start-up.
    if settings.llm_provider == "openai":
        from deskpilot.llm.openai_provider import OpenAIChatModel

        return OpenAIChatModel(settings)
    if settings.llm_provider == "anthropic":
        from deskpilot.llm.anthropic_provider import AnthropicChatModel

        return AnthropicChatModel(settings)
    from deskpilot.llm.offline import OfflineAssistant

    offline: ChatModel = OfflineAssistant()
    return offline
