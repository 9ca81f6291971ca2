"""The offline assistant: a rule-based ChatModel used when no model is configured.

assistant.py is the ChatModel; the rest reads requests or writes answers:
  intents.py   one user message → a Plan (tool calls or a text-only intent), trying
               create.py, update.py, search.py and refs.py's readers in turn, over vocab.py's words
  history.py   the conversation: which message to answer, which ticket "it" means
  replies.py   tool results → the answer; texts.py answers that need no tool
"""

from deskpilot.llm.offline.assistant import OfflineAssistant

__all__ = ["OfflineAssistant"]
