"""The action items' rules: vague actions (BL005), placeholder owners (BL006), too many
actions (BL007).

An action item is a promise to change the system. One that asks people to try harder or
names nothing that can be finished, one owned by nobody in particular, and a list too long
to be done are promises that will not be kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from mkdocs_postmortems.core.findings import define
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.engine import APOS, BlamelessRule, BlameMatch, norm

# BL005: vague action items


_LEAD_IN: Final = re.compile(
    r"\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s*)?[*_\s]*"
    r"(?:(?:todo|action|ai|next\s+step)\s*:\s*)?"
    r"(?:(?:we|i|you|they|the\s+team|team|everyone|everybody|all\s+engineers|engineers|"
    r"developers|devs|on-?call|sres?|ops|people)\s+)?"
    r"(?:(?:should|must|shall|will|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|"
    r"are\s+going\s+to|is\s+going\s+to|going\s+to|to|let" + APOS + r"?s|please|always|also|"
    r"just|really|try\s+to|make\s+sure(?:\s+(?:to|that))?|ensure(?:\s+that)?)\s+)*",
    re.IGNORECASE,
)
_DISCIPLINE: Final = re.compile(
    r"\b(?:"
    r"(?:be|being|stay|get|remain)\s+(?:(?:more|extra|very|especially|much|even|a\s+lot|"
    r"a\s+bit|super|really)\s+)*(?:careful|cautious|vigilant|mindful|diligent|attentive|"
    r"thorough|aware|alert|conscious)"
    r"|pay\s+(?:(?:more|closer|extra|better|special|greater)\s+)?attention"
    r"|take\s+(?:(?:more|extra|better|greater|special)\s+)?care"
    r"|(?:try|work)\s+harder|(?:double|triple)[\s-]?check(?:s|ed|ing)?"
    r"|remember\s+to|(?:do\s+not|don" + APOS + r"t)\s+forget(?:\s+to)?"
    r"|(?:do\s+not|don" + APOS + r"t|never)\s+let\s+(?:it|this|that)\s+happen(?:\s+again)?"
    r"|(?:it|this|that)\s+(?:does\s+not|doesn" + APOS + r"t|won" + APOS + r"t|will\s+not|"
    r"never)\s+(?:happen|recur)s?(?:\s+again)?"
    r"|think\s+(?:twice|harder|more\s+carefully|before)"
    r"|(?:communicate|do|be)\s+better|keep\s+an\s+eye\s+on|watch\s+out(?:\s+for)?"
    r"|(?:monitor|watch|check|review|test|read)\b[^.;\n]{0,60}?\b(?:more\s+)?"
    r"(?:closely|carefully|thoroughly|diligently|attentively)"
    r")(?![\w-])",
    re.IGNORECASE,
)
# A code span opens only at the start of a backtick run (CommonMark); without the
# lookbehind every backtick of a long run is tried as an opener, quadratic in the run.
_ACTION_TOKEN: Final = re.compile(
    r"(?<!`)(`+)(?!`).*?[^`]\1(?!`)|<?(?:https?|ftp)://[^\s<>)]*>?|[\w'\u2019][\w'\u2019./-]*"
)
_CONCRETE_SHAPE: Final = re.compile(r"\d|_|\w[./]\w|^[A-Z][A-Z0-9]+-\d+$")


@lru_cache(maxsize=4096)
def _is_concrete(token: str) -> bool:
    """A token that names something specific: code, a URL, a number, a path, an id (cached:
    the words of action items recur from file to file)."""
    if token[0] in "`<" or "://" in token:
        return True
    if _CONCRETE_SHAPE.search(token):
        return True
    low = norm(token.rstrip(".'\u2019"))
    return not (
        low in words.GENERIC
        or low in words.VAGUE_VERBS
        or low in words.WEAK_VERBS
        or low in words.QUANTIFIERS
        or low in words.PERSON_WORDS
    )


def scan_action(text: str) -> list[BlameMatch]:
    """Flag an action item that nobody can finish or verify (BL005).

    Two shapes are vague: an action that asks people to try harder ("be more careful",
    "double-check deploys", "monitor the queue more closely"), which is flagged wherever it
    starts the item; and an action built only from vague verbs and generic nouns
    ("investigate", "look into it", "improve monitoring", "fix the issue", "make sure this
    does not happen again"). One specific word is enough to make an action concrete: a
    system or component name, a number, a code span, a link or a ticket id ("investigate
    why the pool size defaulted to 10 and set it from config" names a pool and a setting).
    That trades some recall for precision: "improve Kafka monitoring" passes.
    """
    if not text or not text.strip():
        return []
    lead = _LEAD_IN.match(text)
    pos = lead.end() if lead else 0
    disc = _DISCIPLINE.match(text, pos)
    if disc is not None:
        first = _ACTION_TOKEN.search(text)
        start = first.start() if first is not None and first.start() < pos else disc.start()
        return [_bl005(text, start, disc.end(), discipline=True)]
    tokens = []
    for m in _ACTION_TOKEN.finditer(text, pos):
        if _is_concrete(m.group(0)):
            # One specific word makes the whole action concrete: stop reading.
            return []
        tokens.append((m.group(0), m.start(), m.end()))
    if not tokens:
        return []
    said = {norm(tok) for tok, _, _ in tokens}
    if said & words.WEAK_VERBS and not said & words.QUANTIFIERS and not said & words.VAGUE_VERBS:
        return []
    disc = _DISCIPLINE.search(text, pos)
    if disc is not None:
        return [_bl005(text, disc.start(), disc.end(), discipline=True)]
    start = tokens[0][1]
    end = tokens[-1][2]
    while end > start and text[end - 1] in ".'\u2019":
        end -= 1
    return [_bl005(text, start, end, discipline=False)]


def _bl005(text: str, start: int, end: int, *, discipline: bool) -> BlameMatch:
    phrase = text[start:end]
    return BlameMatch(VAGUE_ACTION.code, start, end, phrase, _vague_message(phrase, discipline))


def _vague_message(phrase: str, discipline: bool) -> str:
    if discipline:
        return (
            f'vague action: "{phrase}" asks people to try harder; change the system instead '
            "(a guard, a default, an automated check) so the slip becomes hard to make"
        )
    return (
        f'vague action: "{phrase}" has no deliverable anyone can finish or verify; say '
        'what will change and what done looks like (e.g. "investigate why X defaulted '
        'to Y and set it from config")'
    )


# BL006: placeholder owners

_OWNER_STRIP: Final = re.compile(r"^[\s*_`\[<(]+|[\s*_`\]>)]+$")
_OWNER_ONLY_PUNCT: Final = re.compile(r"^[\W_]*$")
_OWNER_TBD_PREFIX: Final = re.compile(r"^(?:tbd|tba|tbc|todo|\?+)\b", re.IGNORECASE)


def is_placeholder_owner(owner: str) -> bool:
    """True if an action item's owner names nobody in particular (BL006).

    Placeholders: empty text, markers such as "TBD", "TBA", "TODO", "?", "??", "-", "n/a",
    "unknown", "unassigned"; nobody-in-particular such as "someone", "anyone", "everyone",
    "all", "nobody"; and unnamed collectives such as "team", "the team", "engineering",
    "devs". Anything starting with TBD/TBA/TODO or "?" is a placeholder even with a hint
    after it ("TBD (probably Alice)"). Emphasis, backticks and brackets are ignored, so
    "**TBD**" and "<owner>" count.

    Not placeholders: any person's name or handle, and any named team, including short ones
    such as "ops", "SRE" or "platform": a named team has a queue and a lead, so the item
    can be routed, which is what ownership is for.
    """
    text = _OWNER_STRIP.sub("", owner.strip())
    text = " ".join(text.replace("\u2019", "'").split()).lower().rstrip("?.!")
    if _OWNER_ONLY_PUNCT.match(text):
        return True
    if text.startswith("@"):
        text = text[1:]
    if text in words.PLACEHOLDER_OWNERS:
        return True
    return _OWNER_TBD_PREFIX.match(owner.strip(" *_`[<(")) is not None


def scan_owner(owner: str) -> list[BlameMatch]:
    """BL006 as a match, for callers that report every rule the same way."""
    if not is_placeholder_owner(owner):
        return []
    stripped = owner.strip()
    start = owner.find(stripped) if stripped else 0
    end = start + len(stripped)
    shown = stripped or "(empty)"
    return [BlameMatch(PLACEHOLDER_OWNER.code, start, end, owner[start:end], _owner_message(shown))]


def _owner_message(shown: str) -> str:
    return (
        f'placeholder owner: "{shown}" is not someone who can be asked about progress; '
        "name one person or a named team who will drive this item to done"
    )


def _too_many_message(count: int) -> str:
    return (
        f"too many actions: {count} action items; limit to 3-5 meaningful ones and move the "
        "rest to the backlog"
    )


MAX_ACTION_ITEMS: Final = 5

VAGUE_ACTION: Final = BlamelessRule(
    define(
        "BL005",
        "vague-action",
        "An action item is too vague to be done or verified.",
        why='An action like "be more careful" or "investigate" cannot be finished or '
        "verified, so it stays open forever or is closed without changing anything.",
        fix="Name a concrete change to the system (a check, a default, an alert, a limit, a "
        "test) and what done looks like.",
        level="warning",
        example="Before: `Be more careful with deploys.`  \n"
        "After: `Add a canary stage that holds a deploy for 10 minutes at 5% traffic.`",
    ),
    _vague_message,
)
PLACEHOLDER_OWNER: Final = BlamelessRule(
    define(
        "BL006",
        "placeholder-owner",
        "An action item's owner is a placeholder (TBD, someone, the team).",
        why='An action item owned by "TBD", "the team" or "everyone" is owned by nobody, and '
        "is the first to be forgotten.",
        fix="Name one person or a named team who will drive the item to done; they may "
        "delegate the work.",
        level="warning",
        example="Before: `| Add a pool size minimum | TBD | ... |`  \n"
        "After: `| Add a pool size minimum | Dana Whitfield | ... |`",
    ),
    _owner_message,
)
TOO_MANY_ACTIONS: Final = BlamelessRule(
    define(
        "BL007",
        "too-many-actions",
        "A post-mortem has more than five action items.",
        why="A long list of action items dilutes attention; the important fixes compete with "
        "nice-to-haves and most of the list is never done.",
        fix="Keep 3 to 5 meaningful items; move the rest to the team's backlog or a follow-up "
        "ticket.",
        level="warning",
        example="Keep the three to five items that would most reduce the chance or impact of a "
        "repeat; move the rest to the team's backlog.",
    ),
    _too_many_message,
)
