"""Model providers behind one small interface (types.py: ChatModel, ProviderError).

factory.py builds the configured model and registry.py keeps one per configuration;
openai_provider.py, anthropic_provider.py and offline/ implement it. The two SDK
providers share remote.py (their base class: client options, the turn and `complete()`),
stream.py (reading a streamed answer), errors.py (SDK errors → ProviderError) and
deadline.py (one deadline per call); sse_decoder.py is OpenAI's.
"""
