"""English words one typing slip from a word of the lexicon: real words, never "corrected"
("chose" is not a slip for "close", nor "those" for another word).

Made from Debian's wamerican word list (`apt-get install wamerican`). When the lexicon's
words change, print the list again and paste it here:
`uv run python -m deskpilot.llm.offline.not_typos /usr/share/dict/american-english`
(tests/llm check it is current wherever that file is installed).
"""

import sys
from pathlib import Path
from typing import Final

_WORDS: Final = """
    abort abut aright arise balling bases began begun belling bequest bight bilking blacker
    bling blocked blower booked bounds bout bower braise bright bring bulling cages cakes
    cancer canes capes cares cashes casks castes casts causes caves ceases center chance
    chancel charge chases chats cheek chick chock chuck cleave clone cloned clove cloyed
    commend commends compete competed complected conform conformed cooked corked corking
    corks cotes cower crap crate crease cremate dad decease deduce deeded derail derails
    detain detains dint dodge doing dorks dose dotes eases eater eave eight emergence est
    ester etch ever faxed fetich fever fight filling fined finis finisher finishes fired
    fixer fixes flower forge forged forger forges forgot forked forking forks formal founds
    foxed fright fro gain gases genera glower gong goring hall hanks hats head heave heck
    heeded hones hooked hookup hose hounds hwy inter ketch killing lamest lases latent
    laxest ledge lever light linger locked locker lockup lode loge logger longed loomed
    looped loosed looted lose loser lover lowed mail manor massage might milling miner mixed
    monger motes mounds mower nay needled newer night nites nixed nodes noes noses notwork
    oases odes painting pease phone phoned phoney phoneys phonies picket pickets pilling
    pleas pointing pones ported pounds power praise prioritizes renter resister retail
    retails retch revolve revolved reword rickets rise rite rooked rote rouge rounds rouse
    rout routs rower salve salved scram scrape scrip seduce seeded sever shale shalt shanks
    shawl shell shill shorted sight slower small smart smarted snitch snorted sole soled
    soloed sorter sortied sound sower sported sprinting stall star starch stare stared stark
    starred stars starter startled starved stat stated states stats statue statues stitch
    strap summaries summit swatch tanks tart tats teats tedium thank thaws thee theme these
    thicket thickets thinks those three thunks ticked ticker tickers tight tilling totes
    tower trite twitch vases vetch votes weave weeded weer wherever white whole wicket
    wickets wight willing witch woks worded wording words worker wormed worming worms wounds
    wright writ writhe writs wrote
"""
NOT_TYPOS: Final = frozenset(_WORDS.split())


def slips_in(dictionary: Path) -> list[str]:
    """Words of `dictionary` that the typo tolerance would take for another word."""
    from deskpilot.llm.offline.text import VOCABULARY_WITHOUT_EXCEPTIONS as vocabulary

    english = {
        w
        for w in dictionary.read_text(encoding="utf-8").split()
        if w.isalpha() and w.islower() and w.isascii()
    }
    return sorted(w for w in english if w not in vocabulary.words and vocabulary.correct(w))


if __name__ == "__main__":
    print(" ".join(slips_in(Path(sys.argv[1]))))
