"""The copilot's tools."""
