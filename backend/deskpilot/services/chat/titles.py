"""A chat's title, asked of the model once its first reply is stored.

What a weak model writes is made presentable or refused: special tokens
(`<|im_start|>`, `<end_of_turn>`), role prefixes ("Agent:", "Title:"), Markdown and quotes
are stripped; a title with fewer than two letters or no word of three, or that echoes one of Deskpilot's own
fallback replies, is refused (the title derived from the first message stays)."""

import asyncio
import re
import uuid
from collections.abc import Iterable

from deskpilot.core.db import autocommit_engine
from deskpilot.llm.types import PLAIN_ERRORS, ChatModel, ProviderError
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat_llm_service import ROUNDS_EXHAUSTED_FALLBACK
from deskpilot.services.token_usage import add_title_tokens

TITLE_MAX_CHARS = 60
TITLE_TIMEOUT_SECONDS = 15
_SPECIAL_TOKEN = re.compile(r"<\|[^|>]*\|>|</?(?:start_of_turn|end_of_turn|bos|eos|s)>", re.I)
_ROLE = r"(?:agent|assistant|user|model|system|title|chat title|human|ai)"
_ROLE_PREFIX = re.compile(rf"^\s*{_ROLE}\s*[:>\-–]\s*", re.IGNORECASE)
_ROLE_ONLY = re.compile(rf"^\s*{_ROLE}\s*$", re.IGNORECASE)
_MARKUP = re.compile(r"[*_`>\[\]|~]+|^\s*#+\s")
_QUOTES = "\"'“”‘’«»"
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"\w+")
_WORD = re.compile(r"[^\W\d_]{3,}")


async def generated_title(
    model: ChatModel, *, user_id: uuid.UUID, question: StoredMessage, reply: StoredMessage
) -> str | None:
    """The title the model gives the chat of `question` and its `reply` (its tokens are
    counted with the reply's), or None: the title derived from the first message stays."""
    try:
        completion = await asyncio.wait_for(
            model.complete(
                system="Write a short title (at most 6 words) for this support conversation. "
                "Reply with the title only, no quotes.",
                prompt=f"Agent: {question.content[:1000]}\nAssistant: {reply.content[:1000]}",
                max_tokens=24,
            ),
            timeout=TITLE_TIMEOUT_SECONDS,
        )
    except (ProviderError, TimeoutError):
        return None
    if completion.usage is not None:
        await add_title_tokens(
            autocommit_engine(),
            reply_id=reply.id,
            user_id=user_id,
            usage=completion.usage,
            provider=model.provider,
            model=model.model,
        )
    return clean_title(
        completion.text, fallbacks=(ROUNDS_EXHAUSTED_FALLBACK, *PLAIN_ERRORS.values())
    )


def clean_title(raw: str, *, fallbacks: Iterable[str] = ()) -> str | None:
    """The title to show, or None when `raw` is not one."""
    text = _SPECIAL_TOKEN.sub("\n", raw)
    for line in text.splitlines():
        if _ROLE_ONLY.match(_MARKUP.sub(" ", line)):
            continue
        title = _MARKUP.sub(" ", line)
        while _ROLE_PREFIX.match(title):
            title = _ROLE_PREFIX.sub("", title, count=1)
        title = " ".join(title.split()).strip(_QUOTES + " .:-–")
        if title:
            break
    else:
        return None
    title = title[:TITLE_MAX_CHARS].rstrip()
    if len(_LETTER.findall(title)) < 2 or not _WORD.search(title) or _echoes(title, fallbacks):
        return None
    return title


def _echoes(title: str, fallbacks: Iterable[str]) -> bool:
    words = " ".join(_WORDS.findall(title.casefold()))
    return any(
        len(words) >= 8 and words in " ".join(_WORDS.findall(fallback.casefold()))
        for fallback in fallbacks
    )
