"""Build the configured ChatModel."""

from backend.core.config import Settings
from backend.llm.anthropic_provider import AnthropicChatModel
from backend.llm.openai_provider import OpenAIChatModel
from backend.llm.types import ChatModel


def build_chat_model(settings: Settings) -> ChatModel:
    if settings.llm_provider == "openai":
        return OpenAIChatModel(settings)
    if settings.llm_provider == "anthropic":
        return AnthropicChatModel(settings)
    # Imported here so this module does not depend on the offline assistant's
    # (heavier, separately owned) modules unless it is the chosen provider.
    from backend.llm.offline import OfflineAssistant

    offline: ChatModel = OfflineAssistant()
    return offline
