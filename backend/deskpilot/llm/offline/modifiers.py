"""What changes the meaning of a request without being one: negation, a question, a
hedge, a polite "can you". Each is read from the tokens around an intent's words, so that
"not urgent" negates a priority, "no need to open a ticket" a create, and "is tkt 64
closed" asks rather than closes."""

from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.text import Message

_CONTRASTS: Final = lx.words("but instead")
NEGATION_REACH: Final = 4  # tokens between a negation and the verb or noun it negates
_OPENERS: Final = lx.words("okay so and also hey hmm oh well but then just fyi btw please")


def negated_at(message: Message, index: int) -> bool:
    """Whether the intent word at `index` is negated: a negation at most NEGATION_REACH
    tokens before it, in the same clause ("dont close 60", "no need to open a ticket",
    "was gonna log one")."""
    start = index
    for _ in range(NEGATION_REACH + 1):
        if start == 0 or message.tokens[start - 1].kind == "mark":
            break
        start -= 1
    window = tuple(message.words[start:index])
    contrast = [k for k, w in enumerate(window) if w in _CONTRASTS]
    if contrast:
        window = window[contrast[-1] + 1 :]  # "not resolved yet but note on 11: …"
    for negation in lx.NEGATIONS:
        n = len(negation)
        if any(window[i : i + n] == negation for i in range(len(window) - n + 1)):
            return True
    # "no ticket needed", "no tkt needed": the negation sits right before the noun
    return False


def opening_words(message: Message) -> list[str]:
    """The message's words without leading fillers ("ok", "so", "hey", "please")."""
    words = [t.word for t in message.unquoted if t.kind != "mark" or t.word in ("?",)]
    while words and words[0] in _OPENERS:
        words.pop(0)
    return words


def is_request(message: Message) -> bool:
    """A question in form that asks for an action: "can you close 60?"."""
    words = opening_words(message)
    return any(tuple(words[: len(p)]) == p for p in lx.REQUEST_STARTS)


def is_question(message: Message) -> bool:
    """A real question (not a polite request): it starts with a question word, or ends
    with "?" without starting with a verb of a request."""
    if is_request(message):
        return _asks_whether(message)
    words = opening_words(message)
    if words and words[0] in lx.QUESTION_STARTS:
        return True
    return bool(message.tokens) and message.tokens[-1].word == "?" and not _imperative(words)


def _asks_whether(message: Message) -> bool:
    """ "can you tell me if 12 was escalated", "could you tell me what …": a request to
    answer a question."""
    words = opening_words(message)
    return tuple(words[2:4]) == ("tell", "me") or tuple(words[2:5]) == ("let", "me", "know")


def _imperative(words: list[str]) -> bool:
    verbs = lx.SET_VERBS | lx.ASSIGN_VERBS | lx.CREATE_VERBS | {"close", "resolve", "reopen"}
    return bool(words) and words[0] in verbs


def is_advice_question(message: Message) -> bool:
    """ "should we close 70?", "who should i give 61 to?": asks what to do, not to do it
    (in any of the message's sentences)."""
    sentence: list[str] = []
    for token in [*message.unquoted, None]:
        if token is None or token.word in ("?", ".", "!"):
            words = [w for w in sentence if w not in _OPENERS]
            if words and (
                words[0] in ("should", "shall")
                or (
                    len(words) > 1
                    and words[0] in lx.QUESTION_STARTS
                    and words[1] in ("should", "shall")
                )
            ):
                return True
            sentence = []
        elif token.kind != "mark":
            sentence.append(token.word)
    return False


def is_hedged(message: Message) -> bool:
    return message.has(lx.HEDGES)


def reported(message: Message) -> bool:
    """ "caller says it's working now": a report of what someone said, not an instruction."""
    return message.has(lx.phrases("says", "said", "caller says", "user says", "she says",
                                  "he says", "apparently", "reports", "reported"))  # fmt: skip
