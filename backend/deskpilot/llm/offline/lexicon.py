"""Every word the offline assistant understands, in one place, read top to bottom.

Words here are canonical tokens: text.py lower-cases the message, drops apostrophes
("don't" → "dont"), expands SHORTHAND ("tkt" → "ticket", "w/" → "with"), corrects a typing
slip in a word of this file ("reslove" → "resolve", spelling.py) and reads number words
("forty-seven" → 47). Phrases are tuples of such tokens. So "tkt" is understood in
SHORTHAND, "p1" in PRIORITY_WORDS, "no need" in NEGATIONS.
"""

from typing import Final, Literal

Status = Literal["open", "in_progress", "resolved", "closed"]
Priority = Literal["low", "medium", "high", "urgent"]
PRIORITY_ORDER: Final[tuple[Priority, ...]] = ("low", "medium", "high", "urgent")
Phrase = tuple[str, ...]


def phrases(*texts: str) -> frozenset[Phrase]:
    return frozenset(tuple(text.split()) for text in texts)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- how agents abbreviate ----------------------------------------------------------------
SHORTHAND: Final[dict[str, str]] = {
    "pls": "please", "plz": "please", "plss": "please", "pleas": "please",
    "tkt": "ticket", "tkts": "tickets", "tix": "tickets", "tckt": "ticket", "tic": "ticket",
    "w/": "with", "w/o": "without", "re": "about", "abt": "about", "bout": "about",
    "prio": "priority", "pri": "priority", "prios": "priorities",
    "lmk": "let me know", "chk": "check", "u": "you", "ur": "your", "rn": "now",
    "msg": "message", "acct": "account", "ppl": "people", "pw": "password", "pwd": "password",
    "nvm": "never mind", "nevermind": "never mind", "thx": "thanks", "ty": "thanks",
    "tks": "thanks", "thnx": "thanks", "gonna": "going to", "wanna": "want to",
    "cust": "customer", "usr": "user", "wk": "week", "tmrw": "tomorrow", "tmr": "tomorrow",
    "b4": "before", "asap": "asap", "ok": "okay", "k": "okay", "kk": "okay", "yea": "yeah",
    "ad": "add",
    # contractions, apostrophes already dropped
    "whats": "what is", "whos": "who is", "wheres": "where is", "hows": "how is",
    "thats": "that is", "theres": "there is", "heres": "here is", "ill": "i will",
    "ive": "i have", "youre": "you are", "lets": "let us",
}  # fmt: skip

NUMBER_WORDS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Single digits in words ("one", "two") are read as numbers only after a ticket noun
# ("ticket five"): elsewhere they are words ("new one for hr", "these two").
SMALL_NUMBER_WORDS: Final = words("zero one two three four five six seven eight nine")

# -- tickets and what they are called -------------------------------------------------------
TICKET_NOUNS: Final = words("ticket tickets case cases incident incidents request")
ONE_NOUNS: Final = words("one ones")  # "new one for hr", "the printer one", "open ones"
PLURAL_TICKETS: Final = words("tickets cases incidents ones issues")

# -- statuses (everyday words → the schema's values) ---------------------------------------
STATUS_WORDS: Final[dict[Phrase, Status]] = {
    **{p: "open" for p in phrases("open", "reopen", "re-open", "reopened", "unresolve",
                                  "un-resolve", "unresolved", "open again", "new")},
    **{p: "in_progress" for p in phrases("in progress", "inprogress", "in-progress", "wip",
                                         "being worked on", "ongoing", "started",
                                         "work in progress", "in_progress")},
    **{p: "resolved" for p in phrases("resolved", "resolve", "solved", "fixed", "done",
                                      "sorted", "complete", "completed", "finished",
                                      "all good", "good now", "working now", "works now",
                                      "working again", "works again")},
    **{p: "closed" for p in phrases("closed", "close", "close out", "shut", "can go")},
}  # fmt: skip
# Statuses Deskpilot does not have: said so plainly, never mapped to another.
NOT_A_STATUS: Final = phrases("on hold", "hold", "paused", "pending", "snoozed", "waiting",
                              "blocked", "parked")  # fmt: skip
STATUS_LABELS: Final[dict[str, str]] = {
    "open": "open", "in_progress": "in progress", "resolved": "resolved", "closed": "closed",
    "all": "any status",
}  # fmt: skip

# Verbs that set a status by themselves ("close 7", "reopen 64", "start work on 66").
STATUS_VERBS: Final[dict[Phrase, Status]] = {
    **{p: "closed" for p in phrases("close", "close out", "shut")},
    **{p: "resolved" for p in phrases("resolve", "solve", "finish", "complete")},
    **{p: "open" for p in phrases("reopen", "re-open", "unresolve", "un-resolve", "kick back",
                                  "send back")},
    **{p: "in_progress" for p in phrases("start work on", "start working on", "start on",
                                         "begin work on", "pick up", "working on",
                                         "work on", "im on", "i am on")},
}  # fmt: skip
# Verbs that take a status word after them ("mark 58 done", "set 23 to wip").
SET_VERBS: Final = words("mark set move put change switch update flag make turn kick send")

# -- priorities ---------------------------------------------------------------------------
PRIORITY_WORDS: Final[dict[Phrase, Priority]] = {
    **{p: "urgent" for p in phrases("urgent", "urgently", "asap", "critical", "emergency",
                                    "p1", "sev1", "sev 1", "top priority", "blocker")},
    **{p: "high" for p in phrases("high", "important", "p2", "sev2", "sev 2", "high-priority",
                                  "high-prio")},
    **{p: "medium" for p in phrases("medium", "normal", "p3", "moderate", "medium-priority")},
    **{p: "low" for p in phrases("low", "minor", "p4", "not urgent", "no rush", "whenever",
                                 "not a big deal", "nice to have", "low-priority", "low-prio")},
}  # fmt: skip
# Bare "high"/"low" are priorities only near a priority word or verb ("high CPU" is not).
WEAK_PRIORITY_WORDS: Final = words("high low medium normal important minor moderate")
PRIORITY_NOUNS: Final = words("priority priorities")
RAISE_VERBS: Final = phrases("bump", "bump up", "escalate", "raise", "up the priority",
                             "up the prio", "increase", "upgrade", "push up")  # fmt: skip
LOWER_VERBS: Final = phrases("drop", "lower", "de-escalate", "deescalate", "downgrade",
                             "decrease", "reduce", "bump down")  # fmt: skip

# -- assignment ---------------------------------------------------------------------------
ASSIGN_VERBS: Final = words("assign reassign give hand pass transfer route")
TAKE_VERBS: Final = words("take grab own have")  # "can jose take 57", "i will take 41"
UNASSIGN_WORDS: Final = phrases("off", "unassign", "take off")
TEAM_WORDS: Final = words("team teams queue queues group groups department dept squad desk")

# -- notes --------------------------------------------------------------------------------
NOTE_NOUNS: Final = words("note notes comment comments")
NOTE_VERBS: Final = words("note jot append record comment log write add put")

# -- creating -----------------------------------------------------------------------------
CREATE_VERBS: Final = words(
    "create open log file raise submit make add start register lodge cut enter book need "
    "want get put write set"
)
CREATE_PARTICLES: Final = words("in up")  # "put in a ticket", "write up a tkt", "set up"
CREATE_FILLERS: Final = words(
    "a an new another separate quick support helpdesk service fresh this that it one me us"
)
# "log it: …", "need this logged", "log as urgent": a create with no noun at all
LOG_VERBS: Final = words("log logged file filed raise raised")

# -- looking up and searching --------------------------------------------------------------
GET_VERBS: Final = phrases(
    "show",
    "show me",
    "pull up",
    "pull",
    "check",
    "look at",
    "look into",
    "looked at",
    "get",
    "fetch",
    "view",
    "see",
    "open",
    "open up",
    "read",
    "read me",
    "summarize",
    "summarise",
    "tell me about",
    "describe",
    "explain",
    "let me know",
    "details",
    "detail",
    "info",
    "information",
    "status",
    "what about",
    "how about",
    "where are we",
    "any movement",
    "any news",
    "any update",
    "any updates",
    "latest",
    "update on",
    "news on",
    "going on",
)
SEARCH_VERBS: Final = phrases(
    "search",
    "search for",
    "find",
    "find me",
    "look for",
    "look up",
    "lookup",
    "list",
    "query",
    "grep",
    "show",
    "show me",
    "give me",
    "pull up",
    "get",
    "any",
    "anything",
    "are there",
    "is there",
    "do we have",
    "which",
    "what",
    "how many",
    "all",
)
# Words of a question that reads a field ("who has 27", "whats the prio on 18").
FIELD_WORDS: Final = words(
    "status state priority category assignee assigned owner owns notes note who title "
    "description latest last update updates history"
)
SEARCH_CONNECTORS: Final = phrases(
    "about",
    "mentioning",
    "regarding",
    "concerning",
    "related to",
    "relating to",
    "containing",
    "matching",
    "involving",
    "on",
    "for",
    "with",
    "that mention",
    "that mentions",
    "titled",
    "called",
    "named",
    "from",
    "by",
    "like",
    "of",
)
LIMIT_WORDS: Final = phrases("top", "first", "last", "latest", "newest", "recent", "up to",
                             "max", "maximum", "at most", "limit", "limit to", "just",
                             "only", "most recent")  # fmt: skip
ALL_STATUSES: Final = phrases("any status", "all statuses", "all status", "whatever status",
                              "whatever their status", "closed or not", "open or closed",
                              "regardless of status", "any state")  # fmt: skip

# -- modifiers: negation, questions, hedges, confirmations ----------------------------------
NEGATIONS: Final = phrases(
    "no need",
    "not needed",
    "no need for",
    "dont",
    "do not",
    "dont need",
    "doesnt",
    "does not",
    "didnt",
    "never",
    "not",
    "no",
    "nah",
    "nope",
    "without",
    "hold off",
    "leave",
    "forget",
    "ignore",
    "scrap",
    "skip",
    "cancel",
    "never mind",
    "was going to",
    "no longer",
    "shouldnt",
    "should not",
    "cant",
    "wont",
    "stop",
)
CANCELLATIONS: Final = phrases(
    "never mind",
    "cancel",
    "cancel that",
    "scrap that",
    "forget it",
    "forget that",
    "ignore that",
    "ignore my last message",
    "ignore my last msg",
    "dont",
    "no",
    "nope",
    "nah",
    "stop",
    "undo",
    "wrong chat",
    "not that",
)
QUESTION_STARTS: Final = words(
    "what which who whose when where why how is are was were has have had did does do "
    "should shall whom"
)
REQUEST_STARTS: Final = phrases(  # questions in form, requests in meaning
    "can you",
    "could you",
    "would you",
    "will you",
    "can u",
    "could u",
    "pls can you",
    "can i see",
    "can i get",
    "can we",
    "could we",
    "can i have",
    "would you mind",
    "can you tell me",
    "could you tell me",
)
HEDGES: Final = phrases("i think", "i guess", "maybe", "probably", "perhaps", "i believe",
                        "might", "should be able to", "i reckon", "i suppose",
                        "not sure", "possibly")  # fmt: skip
CONFIRMATIONS: Final = phrases(
    "yes",
    "y",
    "yep",
    "yup",
    "yeah",
    "yes please",
    "sure",
    "okay",
    "ok",
    "go ahead",
    "do it",
    "correct",
    "right",
    "thats right",
    "that is right",
    "affirmative",
    "confirm",
    "confirmed",
    "please do",
    "yes do it",
    "go for it",
    "sounds good",
    "please",
    "absolutely",
)
POLITE: Final = words("please pls kindly thanks thank you cheers just quickly now also then")

# -- what the tools cannot do ---------------------------------------------------------------
UNSUPPORTED: Final[dict[str, frozenset[Phrase]]] = {
    "delete": phrases("delete", "remove", "destroy", "purge", "erase", "trash"),
    "merge": phrases("merge", "combine", "link"),
    "edit": phrases("rename", "retitle", "change the title", "change its title",
                    "change the category", "change its category", "change the description",
                    "edit the title", "edit the description", "set the category",
                    "backdate", "change the date", "put it under", "move it under",
                    "change it to category", "recategorize", "recategorise"),
    "email": phrases("email the", "e-mail the", "mail the", "send an email", "send a mail",
                     "reply to the customer", "email them", "email him", "email her",
                     "message the customer", "text the customer", "call the customer"),
    "bulk": phrases("every open ticket", "all open tickets", "all tickets", "every ticket",
                    "all of them", "all of tom", "all their tickets"),
    "account": phrases("reset his", "reset her", "reset their", "make me an admin",
                       "admin rights", "password for him",
                       "password for her", "home address", "phone number of"),
    "instructions": phrases("do what", "do as it says", "follow the instructions",
                            "follow its instructions", "do whatever"),
}  # fmt: skip

# -- conversation ---------------------------------------------------------------------------
GREETINGS: Final = words("hi hello hey hiya howdy yo greetings morning afternoon evening")
THANKS: Final = phrases("thanks", "thank you", "cheers", "much appreciated", "great thanks",
                        "perfect", "cool", "nice", "awesome", "great", "ta")  # fmt: skip
HELP_WORDS: Final = phrases(
    "help",
    "what can you do",
    "what do you do",
    "who are you",
    "what are you",
    "are you there",
    "are you still there",
    "you there",
    "are you a bot",
    "are you an ai",
    "are you human",
    "commands",
    "how does this work",
    "how do i use",
    "examples",
)
HOW_TO_STARTS: Final = phrases("how do i", "how can i", "how to", "how do you", "how should i",
                               "whats the difference", "what is the difference",
                               "difference between")  # fmt: skip

# -- categories (creates): written ("category network", "a network ticket") or inferred -----
CATEGORY_NAMES: Final = words(
    "hardware software network email access account billing printing phones facilities "
    "security infrastructure general"
)
CATEGORY_HINTS: Final[dict[str, frozenset[str]]] = {
    "printing": words("printer printers print printing toner scanner scanning labels zebra"),
    "email": words("email emails e-mail mailbox outlook inbox distribution signature"),
    "network": words("vpn wifi wi-fi wireless internet network dns outage router firewall "
                     "ethernet proxy switch connection connectivity intranet"),
    "access": words("password login log-in locked lockout mfa 2fa sso permissions access "
                    "account badge bitlocker") | {"log in", "sign in", "cant login"},
    "billing": words("invoice invoices refund refunds charge charged overcharged billing "
                     "billed payment payments subscription receipt receipts pricing"),
    "hardware": words("laptop laptops monitor monitors screen keyboard mouse headset dock "
                      "docking desktop pc computer battery charger webcam projector "
                      "hardware hinge"),
    "phones": words("phone phones voicemail desk-phone softphone extension"),
    "software": words("install installed update upgrade excel powerpoint teams zoom slack "
                      "app application software license licence browser chrome crm crashes "
                      "crashing crash adobe acrobat visio citrix"),
    "facilities": words("chair desk aircon air-conditioning kitchen lights door heating "
                        "building"),
}  # fmt: skip
