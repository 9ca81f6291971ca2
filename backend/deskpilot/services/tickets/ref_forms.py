"""The words of the ways people name a ticket (refs.py reads sentences with them)."""

from dataclasses import dataclass
from typing import Final

from deskpilot.services.tickets.typos import Vocabulary


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A reply that says yes to a question quoting a change ("Close #60?"): it names that ticket.
CONFIRMATIONS: Final = frozenset(
    {
        *("yes", "y", "yep", "yup", "yeah", "yes please", "sure", "okay", "ok", "go ahead"),
        *("do it", "correct", "right", "that's right", "thats right", "affirmative"),
        *("confirm", "confirmed", "please do", "yes do it", "go for it", "sounds good"),
        *("please", "absolutely", "ok do it", "okay do it", "yes go ahead", "sure go ahead"),
    }
)


@dataclass(frozen=True)
class TicketForms:
    """All lower case. A form's name says where the ticket number stands."""

    nouns: frozenset[str]  # "ticket 71"
    number_words: frozenset[str]  # "ticket no. 71"
    verbs: Vocabulary  # "close 71": a verb whose object is a ticket (a typo of one too)
    particles: frozenset[str]  # "pull up 60", "close out 63": verb, particle, ticket
    objects: frozenset[str]  # "add that to 36": verb, object, preposition, ticket
    object_verbs: frozenset[str]  # the verbs of that form besides `verbs`
    object_prepositions: frozenset[str]
    lead_ins: frozenset[str]  # "a note to 71", "who has 27": two words, then the ticket
    markers: frozenset[str]  # "re 77", "re: 42"
    prepositions: frozenset[str]  # "about 47," "done w/ 14": only at a clause's end
    clause_openers: frozenset[str]  # "fyi 3 is p1 now": words before a sentence's subject
    connectors: frozenset[tuple[str, ...]]  # "71, 72 and 73"
    followers: frozenset[str]  # what may come after a bare ticket number
    subject_followers: frozenset[str]  # what may come after a ticket opening a clause
    closing_words: frozenset[str]  # what may end a clause after "about 47"
    levels: frozenset[str]  # "make 41 a p1", "make 45 low prio"
    units: frozenset[str]  # after a number: it is a quantity ("71 users", "16 GB")
    places: frozenset[str]  # before a number: it is a place or another kind of number
    times: frozenset[str]  # before a bare number: a time ("at 3", "since 10")


FORMS: Final = TicketForms(
    nouns=_words("ticket tickets tkt tkts tix"),
    number_words=_words("no nr num number numbered"),
    verbs=Vocabulary(
        _words(
            # status, priority, assignment, notes
            "close closing reopen re-open reopening resolve resolving unresolve un-resolve "
            "update updating mark set move escalate escalating de-escalate deescalate assign "
            "assigning reassign change bump drop lower raise kick give hand take own grab "
            "append finish complete leave make pass have "
            # looking a ticket up
            "show check chk view see get fetch pull summarize summarise read whats what's"
        ),
        not_typos=_words("chose those these close lose loose rose hose dose dress"),
    ),
    particles=_words("up at out on over off into back down me"),
    objects=_words("it that this them text these those the note comment"),
    object_verbs=_words("add note log put jot write"),
    object_prepositions=_words("to on for"),
    lead_ins=frozenset(
        {
            *("note to", "notes to", "note on", "notes on", "note for", "notes for"),
            *("comment on", "comment to", "comment for", "status of", "status on"),
            *("priority of", "priority on", "priority for", "prio on", "prio of"),
            *("who has", "add to", "append to", "down on", "what about", "how about"),
            *("working on", "work on", "im on", "i'm on", "is working", "latest on"),
            *("news on", "update on", "updates on", "eta on", "eta for", "look at"),
            *("looked at", "look into", "looking at", "pull up", "close out"),
        }
    ),
    markers=_words("re"),
    prepositions=_words("on about with for off"),
    clause_openers=_words(
        ", ; . ! ? : ( and but so then now also fyi btw ok okay oh ah pls please think guess "
        "reckon suppose"
    ),
    connectors=frozenset({(",",), ("and",), ("&",), ("or",), ("/",), ("+",), (",", "and")}),
    followers=_words(
        # "close 71 as duplicate", "set 71 to resolved", "move 9 back to open"
        "to as back and or & over off up w "
        # "close 71 please", "reopen 12 because ...", "resolve 22, it's fixed"
        "please pls now asap today tomorrow then too again also for because since with "
        "so but if when once after before without saying yet instead though "
        "it its it's is was are were has have had needs need still that which been "
        # statuses: "mark 71 resolved" ("in progress" is read as two words, see below)
        "open opened closed resolved done fixed solved complete completed pending duplicate "
        "sorted finished wip "
        # priorities: "make 45 low prio", "is 55 urgent"
        "urgent high low medium critical"
    ),
    subject_followers=_words(
        "can could should will would might must i -> > ' : - , is was has needs need still "
        "to fixed done sorted resolved closed finished isnt wasnt doesnt cant wont hasnt "
        "isn't wasn't doesn't can't won't hasn't"
    ),
    closing_words=_words("please pls now yet again thanks thx too today"),
    levels=_words("p priority prio urgent high low medium critical"),
    units=_words(
        # people
        "users user people persons person staff employees employee agents agent customers "
        "customer members member colleagues guests visitors callers accounts account seats "
        "licenses licences license licence ppl interns "
        # things
        "laptops laptop pcs pc computers computer desktops desktop machines machine monitors "
        "monitor screens screen printers printer phones phone devices device tablets tablet "
        "servers server vms cables keyboards keyboard mice mouse drives drive disks chairs desks "
        "tickets items item emails email messages calls attempts tries times x pages "
        "codes errors "
        # sizes, rates, money
        "gb mb kb tb gib mib gig gigs bytes bits ghz mhz gbps mbps cores inch inches cm mm "
        "kg percent percentage pct % ° € $ £ euros euro dollars dollar usd eur gbp k "
        # time
        "ms sec secs second seconds min mins minute minutes h hr hrs hour hours day days "
        "week weeks month months year years am pm "
        # places and ranks
        "floor floors room rooms priority prio of more others out"
    ),
    places=_words(
        "room rooms floor floors level building bldg ext extension x desk seat bay row rack "
        "port line suite apt unit store site office order invoice po serial asset model part "
        "account version v step page item error err code vlan channel phone tel station pin "
        "batch win windows macos ios android iphone ipad gen"
    ),
    times=_words("at since until till by from before after around"),
)
