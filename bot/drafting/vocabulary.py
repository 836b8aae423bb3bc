"""Word lists the privacy guard reads names against, beyond the first-name list (see
:mod:`bot.drafting.names`).

A first-name list from many cultures holds plenty of English words ("Will", "Hope", "Grace",
"Said", "Made", "Link"), so a lowercase word is taken for a name only when it is not a common
English word, and a capitalised word at the start of a sentence only when what follows reads
like a name's verb.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS = _words("""
a an the and or but nor so yet if then than that this these those there here where when while
what which who whom whose why how i me my mine myself we us our ours you your yours he him his
she her hers they them their theirs it its itself one ones some any all both each every either
neither no not none nothing something anything everything someone anyone everyone nobody
somebody anybody everybody am is are was were be been being do does did done have has had having
will would shall should can could may might must ought to of in on at by for with about against
between into through during before after above below from up down out off over under again
further once very too just also only even still already yet ever never always often sometimes
maybe perhaps please thanks thank yes yeah ok okay lol tbh um uh oh hey hi hello ha haha
i'm i've i'd i'll you're you've you'd you'll he's she's it's we're we've we'd we'll they're
they've they'd they'll that's there's here's what's who's let's don't doesn't didn't isn't
aren't wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't hadn't
""")

EVERYDAY = _words("""
will may might hope joy grace faith mark bill art chase hunter summer autumn spring winter fall
dawn sunny star sky river storm rain page cash buck guy jack jean rich king major grant ray dean
drew miles rob sue pat don ed van amber pearl ivy hazel holly heather
olive violet lily daisy iris jade ruby coral ginger honey candy cookie sugar angel baby precious
charity constance prudence mercy trinity destiny harmony melody serenity justice liberty unity
victory journey story echo lucky happy patience bliss nova said made math link peer skip greet
mad tiny worth love bell hall burns french joke uno alpha beta max min server trace valid unique
branch fleet minor constant unknown tab delta emit edit colon gray grey odd kit cherry con hence
roll worth haven press cap buster nil marshal flint till versa ties ping stone fancy sine fed
forum forest handy atlas lies brown bird blossom orange chip tone golden harden diamond bunk sage
era lone kitty lark crystal lean mate kick harm tea gang lane raven brain sad mile rim steward
pink ace berry ridge rice ward walker fisher gave caught ran took came went got brought kept
email e-mail id number teacher aide portfolio voice choice cute admin men women children people
come prior dis par tri uni ninja unnamed desire woody watt german raid wing ether toy dock silver
cadence blessing lore metro male easter hardy china lyric gauge judge elder corona rush gale
fuller shade rusty essence leaner bot
wrote spoke sat led felt left lost met paid sent spent taught told thought understood won
kid kids lesson lessons period periods tomorrow exit ticket tickets quiz quizzes pause hands
honestly quick english sub subs twins grade grader graders center centers desk desks recess
lunch bus homework worksheet worksheets warm-up turn talk pair share norms poster gallery walk
august june april march sterling young early north west south east long little red green white
black rose rosie rocky sandy misty stormy windy penny nickel dime goldie bunny buddy champ chief
sonny junior senior doc prince princess duke earl baron noble royal reign regal saint angel
""")
"""Common English words that some first-name list somewhere also holds."""

SAFE_CAPITALISED = _words("""
i i'm i've i'd i'll ok okay mon tue wed thu fri sat sun monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december english spanish french german italian portuguese russian chinese mandarin
cantonese japanese korean vietnamese arabic somali tagalog hindi urdu punjabi bengali haitian
creole hmong swahili amharic navajo latin greek asl ela esl ell math maths science history
geography algebra geometry calculus biology chemistry physics art music pe health band choir
spanish1 social studies reading writing phonics literacy stem steam ap ib sat act covid
christmas thanksgiving halloween easter ramadan eid diwali hanukkah passover kwanzaa juneteenth
lunar new year spring break google docs slides classroom forms drive kahoot padlet seesaw
canvas nearpod quizizz desmos zoom teams slack youtube flipgrid flip ixl khan academy gimkit
blooket edpuzzle schoology clever chromebook chromebooks ipad ipads smartboard powerpoint
excel word microsoft apple amazon tiktok instagram snapchat facebook america american
americans usa us african asian latino latina latinx hispanic black white native indigenous
mr mrs ms miss mx dr coach principal superintendent sir madam ma'am dear hi hello hey thanks
thank sorry also anyway honestly tbh p.s ps re fyi
""")
"""Capitalised words that are not names (days, months, subjects, languages, tools), taken
for one only where the context says so ("my student April", "June's")."""

NAME_FOLLOWERS = _words("""
was is has had did does said says told tells asked asks got gets came comes went goes wrote
writes brought brings kept keeps made makes took takes gave gives sat sits ran runs led leads
read reads spoke speaks stood raised raises finished finishes helped helps loved loves wants
wanted needs needed tried tries looked looks started starts answered answers explained explains
finally always never just also still really actually usually suddenly who and from in
can't didn't doesn't wasn't won't isn't hasn't hadn't couldn't wouldn't shouldn't seems seemed
shot felt thought found knew saw heard threw hit broke drew fell forgot grew hid hurt lost met put
quit rode rose sang slept spent stuck taught tore woke won wore built bought caught chose cut fought
flew froze hung let lit sent set shook shut sold sang swam swore struck
""")
"""Words that, after a sentence's first word, make that word read as someone doing something
("Hope was first", "Joy brought", "Will finally answered")."""

MONTH_CUES = _words("in of this next last since until by early late mid through during before after")
"""Words before a month name that make it a month ("in May"), not a student ("with May")."""

NAME_CUES = ("my student", "a student named", "student named", "named", "kid named", "girl named",
             "boy named", "a kid called", "my kiddo")
"""Phrases after which the next word is a name, whatever its case, unless it reads as a verb
("my student said...")."""

MONTHS_THAT_ARE_NAMES = _words("april may june august")

STAFF_TITLES = _words("mr mr. mrs mrs. ms ms. miss mx mx. dr dr. coach principal señora sra sra. señor sr sr. "
                      "madame mme mme. monsieur profe professor")
"""Titles before another adult's name; that name is redacted, the title kept."""

SCHOOL_WORDS = _words("elementary middle high primary intermediate academy charter prep preparatory "
                      "school montessori magnet k-8 junior")
"""Words that end a school's name ("Lincoln Elementary", "Cesar Chavez Academy")."""

GENERIC_SCHOOL_WORDS = _words("unified school schools district isd usd public county city the of and "
                              "academy elementary middle high primary charter prep k-12 k12 board")
"""Words of a known school's name that are not distinctive on their own."""
