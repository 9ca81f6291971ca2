"""Tool calls a local model wrote into its text because the server did not parse them:
`<tool_call>{"name": …, "arguments": {…}}</tool_call>` (Qwen, Hermes and chatml templates),
or the whole answer a bare JSON object naming one of the offered tools (often in a ```json
fence). Sloppy JSON is repaired (json-repair). Text that only looks like a call (JSON naming
no offered tool) stays text.

`TextCallFilter` sits on a streamed answer: it holds back text that may turn out to be a
call, so the user never sees a call's JSON appear and vanish."""

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import json_repair

from deskpilot.llm.types import ToolCall

_TAG_OPEN = "<tool_call>"
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*(?:```)?$", re.DOTALL)
_SPECIAL_TOKENS = re.compile(r"<\|?(?:im_end|im_start|eot_id|end_of_turn|eos)\|?>|<end_of_turn>")


@dataclass(frozen=True)
class ParsedText:
    text: str  # what is left for the user to read
    calls: tuple[ToolCall, ...]


def lenient_json(raw: str) -> Any:
    """The value in `raw`, repaired if need be (control characters, trailing commas, single
    quotes, an unterminated last string); None when nothing readable is there."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        pass
    try:
        value = json_repair.repair_json(raw, return_objects=True, skip_json_loads=True)
    except Exception:  # the library's own bugs must not end a turn
        return None
    return None if value == "" else value


def _as_call(value: Any, tools: Collection[str], number: int) -> ToolCall | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("function"), dict):  # {"type": "function", "function": {…}}
        value = value["function"]
    name = value.get("name") or value.get("tool") or value.get("tool_name")
    if not isinstance(name, str) or name not in tools:
        return None
    arguments = value.get("arguments", value.get("parameters", value.get("args", {})))
    if isinstance(arguments, str):
        arguments = lenient_json(arguments) if arguments.strip() else {}
    if not isinstance(arguments, dict):
        arguments = {}
    return ToolCall(
        id=f"call_text_{number}", name=name, arguments=json.dumps(arguments, ensure_ascii=False)
    )


def parse_text_calls(text: str, tools: Collection[str]) -> ParsedText:
    """Calls written into `text` for one of `tools`, and the text without them."""
    if not tools:
        return ParsedText(text, ())
    if _TAG_OPEN in text:
        calls: list[ToolCall] = []
        for match in _TAGGED.finditer(text):
            value = lenient_json(match.group(1))
            for item in value if isinstance(value, list) else [value]:
                call = _as_call(item, tools, len(calls))
                if call is not None:
                    calls.append(call)
        if calls:
            rest = _SPECIAL_TOKENS.sub("", _TAGGED.sub("", text)).strip()
            return ParsedText(rest, tuple(calls))
        return ParsedText(text, ())
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    if not body.startswith(("{", "[")):
        return ParsedText(text, ())
    value = lenient_json(body)
    items = value if isinstance(value, list) else [value]
    found = [_as_call(item, tools, number) for number, item in enumerate(items)]
    if found and all(call is not None for call in found):
        return ParsedText("", tuple(call for call in found if call is not None))
    return ParsedText(text, ())


class TextCallFilter:
    """Streamed text in, text safe to show out: whatever may still become a tool call (a
    `<tool_call>` tag or an answer opening with `{`, `[` or a code fence) waits for the end."""

    def __init__(self) -> None:
        self._text = ""
        self._shown = 0
        self._opened = False  # the text's first non-blank character is in, and opens no call

    def feed(self, delta: str) -> str:
        self._text += delta
        safe = self._safe_length()
        shown, self._shown = self._text[self._shown : safe], max(self._shown, safe)
        return shown

    def finish(self, text: str) -> str:
        """The text left to show once the answer is parsed into `text` (calls removed)."""
        return text[self._shown :] if text.startswith(self._text[: self._shown]) else ""

    def _safe_length(self) -> int:
        # Per chunk, without re-reading the whole answer: its opening is settled once, and
        # no tag starts before what was shown (its start would have been held back).
        if not self._opened:
            head = self._text.lstrip()
            if not head or head.startswith(("{", "[", "`")):
                return self._shown  # may be a bare call: hold it all
            self._opened = True
        tag = self._text.find(_TAG_OPEN, self._shown)
        if tag >= 0:
            return max(self._shown, tag)
        if "<" in self._text[1 - len(_TAG_OPEN) :]:
            for keep in range(len(_TAG_OPEN) - 1, 0, -1):  # a tag may be starting at the end
                if self._text.endswith(_TAG_OPEN[:keep]):
                    return max(self._shown, len(self._text) - keep)
        return len(self._text)
