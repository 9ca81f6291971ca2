"""Token use as each provider reports it, read into ModelTurn.usage / Completion.usage: the
prompt's tokens (cached ones included) in, the answer's out."""

from deskpilot.llm.offline import OfflineAssistant
from deskpilot.llm.types import Message, ModelTurn, Usage
from tests.fakes import call, text, tokens, tool_calls
from tests.llm.conftest import CONTEXT, Provider, RunTurn


async def test_a_streamed_turn_reports_the_providers_usage(
    provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(text("The printer is fixed.", usage=tokens(1200, 37, cached=1000)))

    _, turn = await run_turn(provider.model())

    # Anthropic reports the 1000 cached tokens apart from input_tokens (200): added back.
    assert turn.usage == Usage(input_tokens=1200, output_tokens=37)


async def test_a_turn_with_tool_calls_reports_its_usage_too(
    provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(
        tool_calls(call("search_tickets", {"query": "vpn"}), usage=tokens(900, 21))
    )

    _, turn = await run_turn(provider.model())

    assert [c.name for c in turn.tool_calls] == ["search_tickets"]
    assert turn.usage == Usage(900, 21)


async def test_openai_asks_for_usage_in_the_stream(openai: Provider, run_turn: RunTurn) -> None:
    openai.fake.script(text("Fixed.", usage=tokens(50, 3)))

    await run_turn(openai.model())

    [body] = openai.fake.requests
    assert body["stream_options"] == {"include_usage": True}


async def test_a_compatible_server_that_reports_no_usage_gives_none(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.honours_include_usage = False
    openai.fake.script(text("Fixed."))

    deltas, turn = await run_turn(openai.model())

    assert "".join(deltas) == "Fixed."
    assert turn.usage is None  # unknown, not zero


async def test_a_title_reports_its_usage(provider: Provider) -> None:
    provider.fake.script(text("Printer jam", usage=tokens(80, 4, cached=30)))

    title = await provider.model().complete(system="Write a title.", prompt="my printer jams")

    assert (title.text, title.usage) == ("Printer jam", Usage(80, 4))


async def test_made_up_usage_grows_with_the_prompt(provider: Provider, run_turn: RunTurn) -> None:
    """Unscripted, the fakes still report usage, sized like real counts."""
    provider.fake.script(text("Short."), text("Short."))
    model = provider.model()

    _, small = await run_turn(model, messages=[Message(role="user", content="hi")])
    _, large = await run_turn(model, messages=[Message(role="user", content="hi " * 2000)])

    assert small.usage is not None and large.usage is not None
    assert large.usage.input_tokens > small.usage.input_tokens + 1000
    assert small.usage.output_tokens == large.usage.output_tokens >= 1


async def test_the_offline_assistant_spends_no_tokens() -> None:
    events = [
        event
        async for event in OfflineAssistant().stream_turn(
            system="",
            messages=[Message(role="user", content="find printer tickets")],
            tools=[],
            context=CONTEXT,
        )
    ]

    last = events[-1]
    assert isinstance(last, ModelTurn)
    assert last.usage == Usage(0, 0)
