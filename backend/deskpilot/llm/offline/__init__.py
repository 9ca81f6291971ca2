"""The offline assistant: a rule-based ChatModel used when no model is configured.

assistant.py is the ChatModel; the rest reads requests or writes answers:
  intents.py   one user message → a Plan (plan.py): tool calls or a text-only intent,
               using create_request.py, update.py, search.py over lexicon.py's words
  create_fields.py, issue_title.py  a new ticket's fields and title
  history.py   the conversation: which message to answer, which ticket "it" means
  results.py   tool results paired with their calls and read leniently
  replies.py   tool results → the answer; texts.py: answers that need no tool
  title.py     a chat's title from its first message
"""

from deskpilot.llm.offline.assistant import OfflineAssistant

__all__ = ["OfflineAssistant"]
