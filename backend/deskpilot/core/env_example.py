"""`.env.example`, written from the Settings class so it cannot fall behind it."""

from typing import Any

from pydantic import SecretStr, TypeAdapter
from pydantic.fields import FieldInfo

from deskpilot.core.config import Settings

HEADER = """\
# Deskpilot settings: copy to .env (or set them in the environment) and uncomment what you
# change. Every line shows the default. Generated from backend/deskpilot/core/config.py by
# `deskpilot env-example --output .env.example`: do not edit by hand.
"""


def env_name(name: str) -> str:
    return f"{Settings.model_config.get('env_prefix', '')}{name}".upper()


def _is_secret(field: FieldInfo) -> bool:
    return field.annotation is SecretStr or field.annotation == SecretStr | None


def _default_text(field: FieldInfo) -> str:
    """The default as it would be written in the environment; secrets and unset are blank."""
    if _is_secret(field) or field.default is None:
        return ""
    value = TypeAdapter(Any).dump_python(field.default, mode="json")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _entry(name: str, field: FieldInfo) -> str:
    description = field.description or ""
    if _is_secret(field):
        description += " (secret: set it, never commit it)"
    return f"# {description.strip()}\n# {env_name(name)}={_default_text(field)}\n"


def render_env_example() -> str:
    entries = [_entry(name, field) for name, field in Settings.model_fields.items()]
    return HEADER + "\n" + "\n".join(entries)
