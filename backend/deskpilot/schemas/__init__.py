"""Pydantic request/response models (the API's shapes); ORM tables live in backend/deskpilot/models."""
