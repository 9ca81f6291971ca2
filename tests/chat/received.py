"""What a fake model server received: a request body of either provider, read alike."""

import json
from typing import Any


def tool_results_in(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool results in a request to either fake, as {"id", "content" (parsed), "is_error"}."""
    results = []
    for message in request["messages"]:
        if message.get("role") == "tool":  # OpenAI
            results.append(
                {
                    "id": message["tool_call_id"],
                    "content": json.loads(message["content"]),
                    "is_error": None,
                }
            )
        elif message.get("role") == "user" and isinstance(message.get("content"), list):
            for block in message["content"]:  # Anthropic
                if block.get("type") == "tool_result":
                    results.append(
                        {
                            "id": block["tool_use_id"],
                            "content": json.loads(block["content"]),
                            "is_error": block.get("is_error"),
                        }
                    )
    return results


def system_prompt_of(request: dict[str, Any]) -> str:
    if "system" in request:  # Anthropic
        system = request["system"]
        return system if isinstance(system, str) else "".join(b["text"] for b in system)
    first = request["messages"][0]
    assert first["role"] == "system"
    return str(first["content"])


def user_texts_in(request: dict[str, Any]) -> list[str]:
    """The plain text of every user message in a request (either provider)."""
    texts = []
    for message in request["messages"]:
        if message.get("role") != "user":
            continue
        content = message["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.extend(b["text"] for b in content if b.get("type") == "text")
    return texts
