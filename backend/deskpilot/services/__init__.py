"""Business rules. Each domain has its front door here (chat_service, chat_llm_service,
ticket_service, auth_service, user_service) and its insides in a package beside it (chat/,
tickets/). Routes and the copilot's tools both call them; core/db.py states the commit rule."""
