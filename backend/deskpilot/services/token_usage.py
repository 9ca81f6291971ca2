"""Recording the tokens a chat's model calls took (the admins' report: usage_report.py).

A reply's tokens are stored with it, and added to the day's row of token_usage_daily, in the
statement that stores the reply (chat/turn_sql.py's INSERT_REPLY takes ADD_TO_DAY as one of
its parts: no extra round trip per turn). A chat title's tokens, spent after the reply is
stored, are added to that reply and to the day by ADD_TITLE_TOKENS on a connection of its
own. Days are UTC dates.
"""

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from deskpilot.core.raw_sql import fetch_on_own_connection, raw_statement
from deskpilot.llm.types import Usage


def add_to_day(replies: int) -> str:
    """An upsert adding :input_tokens and :output_tokens (NULL counts as 0) and `replies`
    to the day's row for :user_id, :provider and :model."""
    return f"""
    INSERT INTO token_usage_daily AS daily
        (day, user_id, provider, model, input_tokens, output_tokens, replies)
    VALUES ((now() AT TIME ZONE 'UTC')::date, :user_id, :provider, :model,
            coalesce(CAST(:input_tokens AS integer), 0),
            coalesce(CAST(:output_tokens AS integer), 0), {replies})
    ON CONFLICT (day, user_id, provider, model) DO UPDATE
       SET input_tokens = daily.input_tokens + excluded.input_tokens,
           output_tokens = daily.output_tokens + excluded.output_tokens,
           replies = daily.replies + excluded.replies
    """


ADD_REPLY_TO_DAY = add_to_day(replies=1)

ADD_TITLE_TOKENS = raw_statement(
    text(
        f"""
    WITH counted AS ({add_to_day(replies=0)})
    UPDATE chat_messages
       SET input_tokens = coalesce(input_tokens, 0) + :input_tokens,
           output_tokens = coalesce(output_tokens, 0) + :output_tokens
     WHERE id = :message_id
    """
    )
)


def usage_params(usage: Usage | None, *, provider: str, model: str) -> dict[str, object]:
    """The parameters ADD_TO_DAY reads besides :user_id."""
    return {
        "provider": provider,
        "model": model,
        "input_tokens": usage.input_tokens if usage else None,
        "output_tokens": usage.output_tokens if usage else None,
    }


async def add_title_tokens(
    engine: AsyncEngine,
    *,
    reply_id: uuid.UUID,
    user_id: uuid.UUID,
    usage: Usage,
    provider: str,
    model: str,
) -> None:
    await fetch_on_own_connection(
        engine,
        ADD_TITLE_TOKENS,
        {
            "message_id": reply_id,
            "user_id": user_id,
            **usage_params(usage, provider=provider, model=model),
        },
    )
