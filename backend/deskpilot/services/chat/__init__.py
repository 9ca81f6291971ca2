"""The chat room: one turn, its store, the prompt, the tools."""
