"""Both SDKs' aiohttp transport (their `aiohttp` extra) reports every aiohttp connection
failure — refused, reset, closed mid-answer — as a connect *timeout*. Only aiohttp's own
timeouts are timeouts; the rest is an unreachable or broken connection."""

import aiohttp


def really_timed_out(exc: BaseException) -> bool:
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, aiohttp.ServerTimeoutError):
            return True
        if isinstance(cause, aiohttp.ClientConnectionError):
            return False
        cause = cause.__cause__
    return True
