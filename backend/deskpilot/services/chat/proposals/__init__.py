"""The supervised copilot: the AI's writes become proposals the agent approves, edits or
rejects (policy.py decides when), stored with the reply that pauses on them (drafts.py,
chat/turn_sql.INSERT_REPLY), decided once (decide.py), the turn then continued
(continuation.py); a new message supersedes what is still pending (supersede.py). Undo of
an executed write is services/tickets/undo.py."""
