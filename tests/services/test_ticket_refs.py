"""Which numbers a sentence names as tickets (backend/deskpilot/services/ticket_refs.py): the rule
behind the chat's write scope. Sentences both ways, most written as support staff write."""

import pytest

from deskpilot.services.tickets.refs import (
    MAX_TICKET_NUMBER,
    explicit_ticket_numbers,
    ticket_numbers_in,
)

NAMES_A_TICKET: list[tuple[str, list[int]]] = [
    # every form quoted in the issue
    ("#71", [71]),
    ("ticket 71", [71]),
    ("ticket #71", [71]),
    ("tickets 71 and 72", [71, 72]),
    ("close 71", [71]),
    ("reopen 12", [12]),
    ("set 71 to resolved", [71]),
    ("add a note to 71", [71]),
    # "#N" anywhere
    ("please resolve #2", [2]),
    ("#47?", [47]),
    ("close #3 and #4", [3, 4]),
    ("Customer on #71 called again, can you check?", [71]),
    ("Is #12 a duplicate of #9?", [12, 9]),
    ("(#88) printer in accounting", [88]),
    # "ticket N", "ticket #N", "ticket no. N", shorthand
    ("re-open ticket 3", [3]),
    ("ticket 71 is about the VPN", [71]),
    ("What happened on ticket #71?", [71]),
    ("ticket#71 needs a callback", [71]),
    ("ticket no. 71 is done", [71]),
    ("ticket number 12 please", [12]),
    ("tkt 71 can be closed", [71]),
    ("tix 71 and 72 are the same outage", [71, 72]),
    ("Rebooted 5 PCs, still failing for ticket 71", [71]),
    ("Ticket 71 - 5 users affected", [71]),
    ("ticket 71's caller is back", [71]),
    # lists
    ("close tickets 3, 4 and 5", [3, 4, 5]),
    ("tickets 71, 72, and 73 are all the same printer", [71, 72, 73]),
    ("merge #5 & #6", [5, 6]),
    ("check 71 and ticket 72", [71, 72]),
    ("ticket 71 and 5 users are affected", [71]),
    ("close #71 and 72 laptops", [71]),
    # the object of a ticket verb
    ("close 47", [47]),
    ("Close 71, it's fixed", [71]),
    ("reopen 12 because the customer called back", [12]),
    ("set 8 to resolved", [8]),
    ("mark 71 as in progress", [71]),
    ("mark 71 resolved", [71]),
    ("set 71 in progress", [71]),
    ("move 9 back to open", [9]),
    ("resolve 22.", [22]),
    ("update 71 with the new serial", [71]),
    ("escalate 15 please", [15]),
    ("assign 30 to Dana", [30]),
    ("close 71 and 72", [71, 72]),
    ("close 3, 4 and 5", [3, 4, 5]),
    ("add a note to 5: customer called back", [5]),
    ("put a comment on 40 saying we ordered the part", [40]),
    ("what's the status of 47?", [47]),
    # a verb with its particle, or with "it"/"that" and a preposition; a typo of a verb
    ("pull up 60", [60]),
    ("has anyone looked at 68 yet", [68]),
    ("close out 63", [63]),
    ("reboot took 15 min but it's back, add that to 58", [58]),
    ("note it on 18 please", [18]),
    ("reslove 31", [31]),
    ("asign 41 to pryia", [41]),
    ("mark 58 in progess", [58]),
    ("make 41 a p1", [41]),
    ("make 45 low prio", [45]),
    ("bump 23 to urgent", [23]),
    ("give 40 to marco", [40]),
    ("hand 61 over to aisha", [61]),
    ("can jose take 57", [57]),
    # lead-ins and "re"
    ("who has 27", [27]),
    ("whats the prio on 18", [18]),
    ("add a note to 52 the contractor starts monday", [52]),
    ("add to 70's notes that legal signed off", [70]),
    ("re: 42 - codes arriving now, pls resolve", [42]),
    ("log that greg rang again re 77, still won't charge", [77]),
    ("add to the mfa ticket (42)", [42]),
    # a preposition at the end of a clause
    ("someone called at 11:40 about 47, printer jammed again", [47]),
    ("it happened 3 times today on 68, add a note", [68]),
    ("done w/ 14, badge reader swapped", [14]),
    ("lower prio on 3", [3]),
    ("urgent on 66 pls", [66]),
    # a ticket opening a sentence or clause
    ("60 can be resolved - flushed the cache on all 3 machines", [60]),
    ("47: tech visited, roller replaced", [47]),
    ("45's sorted", [45]),
    ("fyi 3 is p1 now, whole floor is down", [3]),
    ("i think 58 can go", [58]),
    ("61 to medium and 58 to high", [61, 58]),
    ("68 -> josé", [68]),
    ("1 is finished, ben has his laptop", [1]),
]

NAMES_NO_TICKET: list[str] = [
    # every sentence quoted in the issue
    "Summarize the attached ticket; about 71 users are affected",
    "about 71 users",
    "a team of 73 people",
    "from room 3 to 75",
    "Move the printer from room 3 to 75",
    "Upgrade RAM to 16 GB",
    "battery dropped to 5 percent",
    "Update 3 laptops",
    # everyday numbers
    "47",
    "75",
    "the printer on floor 2 jams",
    "2 monitors are broken",
    "room 101 has no wifi",
    "call back at 5pm",
    "on the 2nd floor",
    "version 10.2 crashes",
    "ticket 12.5",
    "The VPN drops every 10 minutes",
    "About 40 people can't print since 9:30",
    "Set the screen timeout to 15 min",
    "Disk is at 95%",
    "Disk usage went from 80 to 95 %",
    "She is on ext 4410",
    "call her on x 12",
    "Office 365 login fails for 12 users",
    "Replace 2 or 3 monitors in the lab",
    "update 2 or 3 laptops",
    "Close 2 windows and restart",
    "close 5 minutes before the meeting",
    "Order 10 pcs of the USB-C dock",
    "change 12 to 14",
    "set 5 to 16GB",
    "Set brightness to 80",
    "I opened a ticket 5 minutes ago",
    "there are 3 tickets about this",
    "this is our #1 priority",
    "room #3 printer is offline",
    "order #12345 never arrived",
    "Error code 0x80070005 on 2 machines",
    "Windows 11 update fails",
    "Error 404 on the intranet",
    "The quote is 1,200 euros for 4 seats",
    "Meeting at 14:00 in room 2",
    "Update: 3 laptops in room 4 need a new dock",
    "move 3 chairs to room 5",
    "The user has waited 2 days",
    "Escalate 4 users to the admin group",
    "Printer 3 is out of toner",
    "call me at 555 0100",
    "close 3,4",
    "step 2 of the guide fails",
    "RAM upgrade from 8 to 16",
    "reset the password for 3 accounts",
    "TKT-71 is the vendor's reference",
    "The laptop is 3 years old",
    # numbers near the new forms that still name nothing
    "40 users cant reach the intranet since 9am",
    "user locked out 10 min ago",
    "2 of the 5 interns still have no badge",
    "5 new laptops arrived for the interns",
    "ugh 5 calls in a row about the same printer",
    "12 14",
    "visio for 3 ppl in ops",
    "printer on floor 3 down since 10, 40 people waiting",
    "close 3 open tickets",
    "meet at 3 about the budget",
    "the quote came to about 40 euros, fine",
    "sofia says 1 in 10 codes turn up",
    "error 550 relay denied",
    "loose cable on desk 4",
]


@pytest.mark.parametrize(("sentence", "numbers"), NAMES_A_TICKET)
def test_a_sentence_that_names_tickets(sentence: str, numbers: list[int]) -> None:
    assert ticket_numbers_in(sentence) == numbers


@pytest.mark.parametrize("sentence", NAMES_NO_TICKET)
def test_a_sentence_that_names_no_ticket(sentence: str) -> None:
    assert ticket_numbers_in(sentence) == []


def test_the_table_has_sixty_sentences_both_ways() -> None:
    assert len(NAMES_A_TICKET) >= 30 and len(NAMES_NO_TICKET) >= 30
    assert len(NAMES_A_TICKET) + len(NAMES_NO_TICKET) >= 60


@pytest.mark.parametrize(
    ("sentence", "explicit"),
    [
        ("close 47", []),
        ("close #47", [47]),
        ("close ticket 47 and 48", [47, 48]),
        ("set 8 to resolved and look at #9", [9]),
        ("add a note to 5", []),
    ],
)
def test_explicit_forms_are_told_apart_from_verb_objects(
    sentence: str, explicit: list[int]
) -> None:
    assert explicit_ticket_numbers(sentence) == explicit


@pytest.mark.parametrize(
    "sentence",
    [
        f"close {MAX_TICKET_NUMBER + 1}",
        f"ticket #{10**30}",
        "#0",
        "ticket " + "9" * 5000,  # int() of this many digits would raise
    ],
)
def test_numbers_a_ticket_cannot_have_name_no_ticket(sentence: str) -> None:
    assert ticket_numbers_in(sentence) == []


def test_the_largest_ticket_number_can_be_named() -> None:
    assert ticket_numbers_in(f"close #{MAX_TICKET_NUMBER}") == [MAX_TICKET_NUMBER]
