"""What the OpenAI and Anthropic providers share when they turn SDK errors into
ProviderErrors (backend/deskpilot/llm/types.py)."""

import re

import aiohttp

from deskpilot.llm.types import ProviderError

# How servers say a prompt does not fit: OpenAI and vLLM ("maximum context length"),
# llama.cpp ("exceeds the available context size"), llama-cpp-python ("Requested tokens
# (…) exceed context window"), Ollama and Anthropic ("prompt is too long").
_CONTEXT_TOO_LONG = re.compile(
    r"context (length|window|size)|prompt is too long|too many tokens", re.IGNORECASE
)


def really_timed_out(exc: BaseException) -> bool:
    """Both SDKs' aiohttp transport (their `aiohttp` extra) reports every aiohttp connection
    failure — refused, reset, closed mid-answer — as a connect *timeout*. Only aiohttp's own
    timeouts are timeouts; the rest is an unreachable or broken connection."""
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, aiohttp.ServerTimeoutError):
            return True
        if isinstance(cause, aiohttp.ClientConnectionError):
            return False
        cause = cause.__cause__
    return True


def connection_error(exc: BaseException, *, timed_out: bool) -> ProviderError:
    """The SDK's connection error (after its own retries); `timed_out` when it is the SDK's
    timeout error, which may still be a broken connection (`really_timed_out`)."""
    if timed_out and really_timed_out(exc):
        return ProviderError("timeout", "The model did not answer in time.")
    return ProviderError("unavailable", f"Could not reach the model: {_cause_of(exc)}")


def status_error(status: int, explanation: str) -> ProviderError:
    """An error status from the model API (after the SDK's own retries)."""
    detail = f"The model API answered {status}: {explanation}"
    if status == 429:
        return ProviderError("rate_limited", detail)
    if status in (401, 403):
        return ProviderError("auth", detail)
    if status == 408:
        return ProviderError("timeout", detail)
    if status in (400, 413) and _CONTEXT_TOO_LONG.search(explanation):
        return ProviderError("context_length", detail)
    if status >= 500:
        return ProviderError("unavailable", detail)
    return ProviderError("bad_response", detail)


def _cause_of(exc: BaseException) -> str:
    return str(exc.__cause__ or exc)[:300]
