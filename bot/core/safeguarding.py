"""Safeguarding rules: does a teacher's reply need their coach's eyes at once?

A reply that matches (harm to a student, self-harm, abuse, crisis) is flagged to the coach as
urgent and never drafted on. The rules lean towards flagging: a false positive costs the coach
a look, a false negative can cost far more. So negation is deliberately not honoured ("he's not
suicidal, but...", "probably nothing, but...") — such a reply still flags. Figurative classroom
talk ("my lesson died", "killed it", "shooting hoops") is kept out by writing each rule around
the concerning construction rather than around a bare word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CATEGORIES = ("harm-to-student", "self-harm", "abuse", "crisis")

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})
_DASHES = re.compile(r"[\-‐‑‒–—―]+")


@dataclass(frozen=True)
class Concern:
    """Why a reply was flagged. ``matched`` names the rule, never the reply's words, so it can
    be logged and shown without repeating what the teacher wrote."""

    category: str
    matched: str


@dataclass(frozen=True)
class _Rule:
    category: str
    matched: str
    pattern: re.Pattern[str]


def normalise(text: str) -> str:
    """Lowercase, fold unicode quotes and compatibility forms, turn dashes into spaces
    ("self-harm" → "self harm") and collapse whitespace."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(_DASHES.sub(" ", folded).split())


_NOT = r"(?:n'?t| not)"
_CANT = r"(?:can'?t|cannot|can not)"
_SELF = r"(?:my|him|her|them|your|our|one)? ?sel(?:f|ves)\b"
_KIN = (r"(?:mom|mum|mother|dad|father|step ?(?:dad|mom|mum|father|mother)|parents?|uncle|aunt|"
        r"brother|sister|cousin|grand(?:ma|pa|mother|father)|boyfriend|girlfriend|husband|wife|"
        r"partner|foster \w+|guardian|caregiver|babysitter)")
_YOUNG = (r"(?:students?|kids?|child|children|boys?|girls?|classmates?|peers?|kindergartners?|"
          r"\d+(?:st|nd|rd|th) graders?)")
_INTENT = (r"(?:\b(?:will|would|gonna|going to|wants? to|wanted to|trying to|tried to|"
           r"threat\w* to|plans? to|planning to|promised to)|'ll|'d)")


def _rule(category: str, matched: str, *patterns: str) -> _Rule:
    return _Rule(category, matched, re.compile("|".join(f"(?:{p})" for p in patterns)))


_RULES = (
    _rule("self-harm", "suicide or self-injury named",
          r"\bsuicid\w*", r"\bself ?(?:harm|injur)\w*", r"\bkms\b", r"\bunalive\w*",
          r"\b(?:kill\w*|hang\w*|cut|cuts|cutting|hurting|harming|starving|burning) " + _SELF,
          r"\bhurts (?:him|her|them)sel(?:f|ves)\b", r"\b(?:hurt|harm) myself\b",
          r"\b(?:want\w*|going|gonna|tr(?:y|ies|ied|ying)|threat\w*|plann?\w*|think\w*|"
          r"thought|talk\w*|said)\b[^.!?]{0,30}\b(?:hurt|harm|cut) " + _SELF,
          r"\b(?:cuts|scars|scratches) on (?:his|her|their|my) (?:wrists?|arms?|thighs?|legs?)"),
    _rule("self-harm", "wish to die or to end a life",
          r"\b(?:want|wants|wanted|wanting|going|ready|trying) to die\b",
          r"\bwish (?:i|he|she|they) (?:was|were|could be) dead\b", r"\bbetter off dead\b",
          r"\bwish (?:i|he|she|they) (?:was|were|had) never (?:been )?born\b",
          r"\bbetter off without (?:me|him|her|them)\b",
          rf"\b(?:(?:do|does|did){_NOT}|no longer|never) want to "
          r"(?:be alive|live|exist|be here any ?more|wake up)\b",
          r"\b(?:and|just|to) (?:not|never) wak(?:e|ing) up\b", r"\bnever wak(?:e|ing) up\b",
          r"\bend(?:s|ed|ing)? (?:it all|my life|his life|her life|their li\w+)\b",
          r"\b(?:want\w*|going|gonna|ready|think\w*|thought|plann?\w*)\b (?:about |of )?(?:to )?"
          r"end(?:ing)? (?:things|everything)\b",
          r"\btak(?:e|ing) (?:my|his|her|their) (?:own )?li(?:fe|ves)\b",
          rf"\b{_CANT} go on\b", r"\bnothing to live for\b", r"\bnot worth living\b",
          r"\bno (?:reason|point) (?:to|in) (?:live|living|going on|being here)\b",
          r"\bsee the point (?:in|of) (?:living|anything|life|going on)\b",
          r"\b(?:nobody|no one) would (?:miss|care if)\b",
          r"\bgiv(?:e|es|ing|en) away (?:all )?(?:his|her|their|my) (?:stuff|things|belongings)",
          r"\bgoodbye (?:note|letter)\b", r"\boverdos\w*", r"\bod'?d\b",
          r"\b(?:bunch|handful|bottle) of (?:pills|tablets)\b",
          r"\bjump\w* off (?:a|the) (?:bridge|roof|building)\b"),
    _rule("abuse", "abuse or sexual abuse disclosed",
          r"\babus(?:e|ed|es|ing|ive)\b(?! of (?:the |our |my |this )?(?:hall ?pass|pass|passes|"
          r"privileges?|system|policy|rules?|bathroom|restroom|extensions?|chromebooks?|"
          r"phones?|devices?|equipment|supplies))(?! (?:prevention|awareness)\b)",
          r"\bsexual(?:ly)? (?:abus|assault|harass|touch)\w*", r"\bmolest\w*",
          r"\brap(?:e|ed|es|ing|ist)\b", r"\b(?:being|been|was|is|were) groomed\b",
          r"\binappropriate(?:ly)? touch\w*",
          r"\btouch\w* (?:him|her|them|me) (?:inappropriately|at night|in (?:bed|the shower))",
          r"\btouch\w* (?:his|her|their|my) (?:private|privates|chest|butt|bottom|crotch)\b",
          rf"\b{_KIN}'?s?\b[^.!?]{{0,40}}\btouch(?:es|ed|ing)? (?:him|her|them|me)\b",
          r"\bnudes\b", r"\bnaked (?:pictures|photos|pics|selfies|images)\b",
          r"\bsext(?:ing|ed|s)?\b",
          r"\bporn\w*", r"\b(?:domestic|family) violence\b",
          r"\b(?:cps|dcfs|child protective services|child services|social services)\b",
          r"\bmandated report\w*", r"\bpromise not to tell\b",
          r"\b(?:make|made|file|filed|making|filing) a (?:cps |child abuse |safeguarding )?"
          r"report\b(?! card)"),
    _rule("abuse", "harmed or afraid at home",
          rf"\b{_KIN}'?s?\b[^.!?]{{0,40}}\b"
          r"(?:hit|hits|hitting|beat|beats|beating|kick(?:s|ed|ing)?|"
          r"slap\w*|punch\w*|chok\w*|burn(?:s|ed|t|ing)?|whip\w*|hurt(?:s|ing)?|strangl\w*|"
          r"throws? things at) (?:him|her|them|me|us|his|my|their)\b",
          r"\b(?:hurt|hit|beaten|beat up|harmed) at home\b",
          r"\bbruis(?:e|es|ed|ing)\b(?! (?:ego|egos|banana|bananas|apples?|fruit|pride)\b)",
          r"\bblack eye\b", r"\b(?:burn|belt) marks\b", r"\bwelts\b",
          r"\bmarks on (?:his|her|their|my) (?:arms?|legs?|neck|face|back|body)\b",
          r"\b(?:scared|afraid|terrified|frightened) (?:to go|of going) home\b",
          rf"\b(?:scared|afraid|terrified|frightened) of (?:his|her|their|my) {_KIN}\b",
          r"\b(?:not safe|unsafe) at home\b", r"\bflinch\w*"),
    _rule("abuse", "neglect: hunger or no home",
          r"\bno food (?:at home|in the house)\b", r"\bnothing to eat\b",
          r"\b(?:hasn'?t|has not|hadn'?t|had not|haven'?t|didn'?t|not) "
          r"(?:eaten|had anything to eat)\b",
          r"\b(?:comes?|came|coming) to school hungry\b", r"\b(?:always|constantly) hungry\b",
          r"\b(?:not|isn'?t|stopped|won'?t) eating\b", r"\bnot being fed\b",
          r"\b(?:nobody|no one) feeds\b", r"\bhomeless\w*", r"\bevicted\b",
          rf"\b(?:do|does|did){_NOT} have a (?:home|place to (?:stay|sleep|live))\b",
          r"\bno (?:home|place to (?:stay|sleep|live))\b",
          r"\b(?:sleeping|living|staying) in (?:a|the|their|his|her|our) car\b",
          r"\b(?:living|staying|moved) (?:in|into) a shelter\b",
          r"\bkicked out of (?:the|his|her|their|my) (?:house|home)\b",
          r"\b(?:left )?(?:home )?alone (?:for days|overnight|all weekend|every night)\b"),
    _rule("harm-to-student", "weapon mentioned",
          r"(?<!glue )(?<!staple )(?<!nerf )(?<!water )(?<!squirt )(?<!heat )(?<!nail )"
          r"(?<!paint )(?<!spray )\bguns?\b",
          r"\b(?:firearms?|pistols?|handguns?|rifles?|shotguns?|knife|knives|switchblades?|"
          r"box ?cutters?|machetes?|weapons?|bullets?|ammo|ammunition|brass knuckles|tasers?)\b"),
    _rule("harm-to-student", "threat of violence",
          r"\bschool shoot\w*", r"\bshooters?\b", r"\bmass shooting\b",
          r"\bshoot(?:ing)? up (?:the |a |our |this |that |my )?(?:school|class|classroom|"
          r"building|place|cafeteria|gym|bus)\b",
          r"\b(?:got|was|were|been|get|getting|gets) shot\b(?! down)",
          r"(?<!a )\bshot (?:at|dead)\b",
          r"\bshoot(?:ing)? (?:at )?(?:him|her|them|you|me|us|people|everyone|everybody|kids|"
          r"students|teachers?|someone|somebody)\b(?! (?:a|an|the|some|hoops|baskets|hand|"
          r"hands|video|photos?|pictures?)\b)",
          _INTENT + r" ?(?:\w+ )?(?:shoot|stab|kill|murder|hurt|harm|attack|bomb|strangle|"
          r"choke|beat \w+ up|beat up|blow up|jump)\b(?! it\b| time\b)",
          r"\b(?:shoot|kill|stab|murder|strangle) (?:everyone|everybody|all of (?:us|you|them)|"
          r"people|the (?:whole )?(?:school|class)|us all)\b",
          r"\b(?:kill|hit) list\b", r"\b(?:death|bomb) threats?\b",
          r"\b(?:make|made|build|built|making|bring|brought|has|had|have) a bomb\b",
          r"\bblow up (?:the|our|this) (?:school|building|class)\b"),
    _rule("harm-to-student", "a young person hurt or attacked",
          r"\b(?:hit|hits|punch\w*|kick(?:s|ed|ing)?|slap\w*|chok\w*|shov\w*|grab\w*|beat|"
          r"beating|strangl\w*|attack\w*|assault\w*|stabb?\w*|hurt\w*|bit|bites?|threw \w+ at|"
          r"throwing \w+ at) (?:a|the|my|our|this|that|another|other|one of (?:my|our|the)|his|"
          r"her|some) (?:\w+ )?" + _YOUNG + r"\b(?!'?s? (?:attention|interest|eyes?)\b)(?! out\b)",
          r"\b(?:pushed|shoved|threw) (?:him|her|them|me) (?:down|into|against|off|onto)\b",
          r"\bhit (?:him|her|them|me) (?:in the|on the|with (?:a|his|her|their) \w+|across|hard|"
          r"so hard|again)\b",
          r"\b(?:punched|kicked|slapped|choked|strangled|stabbed|beat up|beaten up|attacked|"
          r"assaulted) (?:him|her|them|me)\b",
          r"\b(?:being|been|is|was|got|getting|gets|were|are) bullied\b",
          r"\bbullying (?:him|her|them|me)\b", r"\bcyber ?bull\w*",
          r"\bassault\w*", r"\bbleeding\b", r"\bconcussion\b", r"\bunconscious\b"),
    _rule("crisis", "panic, breakdown or not coping",
          r"\bpanic attacks?\b", r"\b(?:having|had|have) (?:a )?panic\b",
          r"\b(?:nervous|mental|emotional) breakdown\b",
          r"\b(?:having|had|have|on the verge of|close to|near) an? (?:\w+ )?breakdown\b(?! of)",
          r"\b(?:i|he|she|they|we|i'?m|i am|keep|kept|started)(?: \w+)? "
          r"(?:broke|break|breaking) down(?= ?(?:[.,;:!?)]|$|crying|in tears|sobbing|in front|"
          r"in (?:my|the) car|in the bathroom|at (?:home|night|school)|again|every))",
          rf"\b{_CANT} cope\b", r"\b(?:not|unable to|barely) coping\b",
          r"\b(?:i'?m|i am|everything is|my life is|life is) falling apart\b",
          r"\bbreaking point\b", r"\brock bottom\b",
          rf"\b{_CANT} (?:take|handle|do) (?:it|this|any of this|this job)? ?any ?more\b",
          r"\b(?:feel|feeling|felt|i'?m|i am|im) (?:so |completely |totally |utterly |really )?"
          r"(?:hopeless|worthless)\b(?! (?:at|with|about)\b)",
          r"\bcry(?:ing)? (?:in|at) (?:my|the) (?:car|desk|bathroom|closet)\b",
          r"\bcry(?:ing)? every (?:day|night|morning)\b", r"\bcry myself to sleep\b",
          r"\b(?:want|wish i could|like) (?:to )?disappear\b",
          r"\bhospitali[sz]ed\b", r"\bpsych(?:iatric)? (?:ward|hold|unit)\b"),
    _rule("crisis", "threat, emergency or danger",
          r"\bthreaten\w*", r"\b(?:made|making|make) (?:a )?threats?\b",
          r"\bthreats? (?:to|against)\b",
          r"\b(?:call|called|calling) (?:911|the police|the cops|an ambulance)\b",
          r"\b911\b", r"\bambulance\b", r"\block ?down\b(?! (?:drill|practice))",
          rf"\b(?:(?:do|does|did){_NOT}|never) feel safe\b", r"\bfeel(?:s|ing)? unsafe\b"),
)


def assess(text: str) -> Concern | None:
    """The first safeguarding rule ``text`` matches, in order of severity, or ``None``."""
    normalised = normalise(text)
    for rule in _RULES:
        if rule.pattern.search(normalised):
            return Concern(rule.category, rule.matched)
    return None
