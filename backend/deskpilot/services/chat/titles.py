"""A chat title as a weak model writes it, made presentable or refused: special tokens
(`<|im_start|>`, `<end_of_turn>`), role prefixes ("Agent:", "Title:"), Markdown and quotes
are stripped; a title with fewer than two letters or no word of three, or that echoes one of Deskpilot's own
fallback replies, is refused (the title derived from the first message stays)."""

import re
from collections.abc import Iterable

TITLE_MAX_CHARS = 60
_SPECIAL_TOKEN = re.compile(r"<\|[^|>]*\|>|</?(?:start_of_turn|end_of_turn|bos|eos|s)>", re.I)
_ROLE = r"(?:agent|assistant|user|model|system|title|chat title|human|ai)"
_ROLE_PREFIX = re.compile(rf"^\s*{_ROLE}\s*[:>\-–]\s*", re.IGNORECASE)
_ROLE_ONLY = re.compile(rf"^\s*{_ROLE}\s*$", re.IGNORECASE)
_MARKUP = re.compile(r"[*_`>\[\]|~]+|^\s*#+\s")
_QUOTES = "\"'“”‘’«»"
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"\w+")
_WORD = re.compile(r"[^\W\d_]{3,}")


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
