"""Business rules and transactions. Routers and LLM tools both call these."""
