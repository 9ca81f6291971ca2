"""One model call, its retries included, ends at DESKPILOT_LLM_DEADLINE_SECONDS: a model
that never answers no longer holds the caller for (retries + 1) × timeout."""

import time

import pytest

from deskpilot.llm.types import ChatModel, ProviderError
from tests.fakes import text
from tests.llm.conftest import Provider, RunTurn

HUNG = {"timeout": 2.0, "retries": 2, "deadline": 3.0}


def hung_model(provider: Provider) -> ChatModel:
    # Every request, the retries' too, waits a minute for its first byte.
    provider.fake.script(text("Never sent.", delay=60, repeat_forever=True))
    return provider.model(
        llm_timeout_seconds=HUNG["timeout"],
        llm_max_retries=HUNG["retries"],
        llm_deadline_seconds=HUNG["deadline"],
    )


async def test_a_model_that_never_answers_times_out_at_the_deadline(
    provider: Provider, run_turn: RunTurn
) -> None:
    model = hung_model(provider)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await run_turn(model)
    elapsed = time.monotonic() - started

    assert caught.value.code == "timeout"
    assert "3 seconds" in caught.value.message
    # Without the deadline: 3 attempts of 2 s each, plus the SDK's back-off between them.
    # Past the first attempt's timeout (2 s): the deadline, not a timeout, ended the retry.
    assert HUNG["deadline"] - 0.1 <= elapsed < (HUNG["retries"] + 1) * HUNG["timeout"] - 1


async def test_a_title_request_is_bounded_too(provider: Provider) -> None:
    model = hung_model(provider)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await model.complete(system="Title this.", prompt="Agent: hi")
    elapsed = time.monotonic() - started

    assert caught.value.code == "timeout"
    assert elapsed < (HUNG["retries"] + 1) * HUNG["timeout"] - 1


async def test_an_answer_that_stalls_mid_stream_ends_at_the_deadline(
    provider: Provider, run_turn: RunTurn
) -> None:
    # Two text events, then silence with the connection open.
    stall_after = provider.wire.events_before_text + 2
    provider.fake.script(text("Hello there, this answer never ends.", stall_after=stall_after))
    model = provider.model(llm_timeout_seconds=10, llm_deadline_seconds=1)
    received: list[str] = []
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await run_turn(model, received=received)
    elapsed = time.monotonic() - started

    assert caught.value.code == "timeout"
    assert received  # some text came before the stall
    assert 0.9 <= elapsed < 5  # the read timeout alone would wait 10 s
