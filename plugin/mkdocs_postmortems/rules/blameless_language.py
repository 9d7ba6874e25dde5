"""Text-matching engine for the blameless-review rules (BL001-BL007).

A post-mortem exists so that a team learns how its systems let an incident happen. Language
that puts a person at the centre ("human error", "should have", "careless", a name in the
root cause) ends that inquiry early and teaches people to hide their next mistake. These
rules point at such phrases while the write-up is still a pull request, and each message
suggests the question that would unlock the learning instead.

The module is pure text analysis on purpose: the checker owns files, sections, line numbers
and silence comments, and calls in here once per Markdown line (``scan_prose``), per
action-item cell (``scan_action``) and per owner cell (``is_placeholder_owner`` /
``scan_owner``). It runs on every line of every post-mortem in CI, so:

* every pattern is compiled once, at import; the only per-call compilation is the
  ``people`` pattern, which is cached because a caller passes the same names for many lines;
* one gate expression (a trie of the first words of every rule) finds the few places where
  a rule could match; each rule's combined expression is then only tried, anchored, there.
  A line without any trigger word costs one regex scan, about 3 microseconds per 100
  characters;
* no pattern nests unbounded quantifiers, so there is no catastrophic backtracking.

Precision matters more than recall: a check that cries wolf gets silenced wholesale. Words
such as "failed to", "should have", "fault" and "blame" are mostly used about systems in
technical prose, so those matches go through a small subject heuristic (:func:`_kind_before`)
that looks at the noun phrase in front of the phrase and only flags people, roles and teams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Final, Literal

__all__ = [
    "RULES",
    "BlameMatch",
    "is_group_name",
    "is_placeholder_owner",
    "looks_like_person",
    "may_blame",
    "scan_action",
    "scan_owner",
    "scan_prose",
]


@dataclass(frozen=True)
class BlameMatch:
    """One flagged phrase; offsets index the exact string the caller passed in.

    ``line[start:end] == phrase`` always holds, so the caller can turn ``start`` into a
    1-based column and editors can underline the phrase. ``message`` is one line, without
    the rule code (the caller prints the code in its own column).
    """

    code: str
    start: int
    end: int
    phrase: str
    message: str


RULES: Final[dict[str, tuple[str, str, str]]] = {
    "BL001": (
        "named-individual",
        "A root cause that names a person invites the conclusion that replacing or "
        "retraining that person fixes the system, and makes the next person less willing "
        "to speak up.",
        "Describe the role and the situation instead: what the on-call engineer saw, which "
        "tool made the step easy to get wrong. Teams, companies and services are not "
        "people; list a team whose name looks like a person's under the `teams` option.",
    ),
    "BL002": (
        "human-error",
        '"Human error", "by mistake", "accidentally" and "an oversight" are where an '
        "investigation stops, not where it should end: people make mistakes every day, and "
        "the interesting question is why this one could reach production.",
        "Ask why the error was possible and which safeguard did not catch it, and write "
        "that down as the cause.",
    ),
    "BL003": (
        "hindsight",
        '"Should have" and "failed to" judge a decision with knowledge nobody had at the '
        "time, and hide why the decision looked reasonable then.",
        "Describe what people knew and saw at that moment and why their action made sense; "
        "ask what information would have helped.",
    ),
    "BL004": (
        "judgment-word",
        "Words like careless, sloppy or to blame describe a person's character instead of "
        "the event, and turn a review into a trial.",
        "Replace the judgment with a description of what happened and the conditions that "
        "made it likely.",
    ),
    "BL005": (
        "vague-action",
        'An action like "be more careful" or "investigate" cannot be finished or '
        "verified, so it stays open forever or is closed without changing anything.",
        "Name a concrete change to the system (a check, a default, an alert, a limit, a "
        "test) and what done looks like.",
    ),
    "BL006": (
        "placeholder-owner",
        'An action item owned by "TBD", "the team" or "everyone" is owned by nobody, and '
        "is the first to be forgotten.",
        "Name one person or a named team who will drive the item to done; they may "
        "delegate the work.",
    ),
    "BL007": (
        "too-many-actions",
        "A long list of action items dilutes attention; the important fixes compete with "
        "nice-to-haves and most of the list is never done.",
        "Keep 3 to 5 meaningful items; move the rest to the team's backlog or a follow-up ticket.",
    ),
}

# Shared helpers

_APOS = r"['\u2019]"
"""Straight or curly apostrophe: editors and chat tools turn one into the other."""

# Inline code spans (any backtick-run length, per CommonMark), HTML comments and URLs are
# never prose. They are replaced by same-length filler so that offsets stay valid.
_BACKTICKS: Final = re.compile(r"`+")
_COMMENT: Final = re.compile(r"<!--.*?(?:-->|$)")
_URL: Final = re.compile(r"<?(?:https?|ftp)://[^\s<>]*>?|\bwww\.[^\s<>]+", re.IGNORECASE)

# A "clause" ends at sentence punctuation, brackets, table pipes, quotes and spaced dashes;
# the subject of a verb is looked for only inside its own clause.
_CLAUSE_BREAK: Final = re.compile(r"[.;:!?,()\[\]{}|\"\u201c\u201d]|\s[-\u2013\u2014]+\s")
_WORD: Final = re.compile(r"[A-Za-z0-9_][\w'\u2019-]*")

Kind = Literal["person", "ambiguous", "system", "unknown", "none"]


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Inline code spans per CommonMark: a run of N backticks up to the next run of exactly N.

    Done by pairing backtick runs rather than with one regex, which would need a lazy
    ``.*?`` and backreferences and costs several times more per line.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    # The next run of the same width, for each run: found in one pass from the right, so a
    # line of many unmatched runs is not searched again from every run.
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        following[index] = last.get(width)
        last[width] = index
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j is not None:
            spans.append((runs[i][0], runs[j][1]))
            i = j
        i += 1
    return spans


def _mask(line: str) -> str:
    """Blank out code spans, URLs and HTML comments, keeping every other offset unchanged.

    Code spans and URLs become runs of ``0``: a numeric token that the subject heuristic
    reads as a thing (a code span followed by "failed to" is about code, not a person).
    Comments become spaces because they carry no meaning for the sentence around them.
    """
    if "`" in line:
        parts: list[str] = []
        kept = 0
        for start, end in _code_spans(line):
            parts.extend((line[kept:start], "0" * (end - start)))
            kept = end
        line = "".join([*parts, line[kept:]])
    if "<!--" in line:
        line = _COMMENT.sub(lambda m: " " * len(m.group(0)), line)
    if "://" in line or "www." in line:
        line = _URL.sub(lambda m: "0" * len(m.group(0)), line)
    return line


def _norm(token: str) -> str:
    return token.lower().replace("\u2019", "'").strip("'-")


def _variants(word: str) -> tuple[str, ...]:
    """The word and its likely singulars, so word lists need only list one form."""
    if word.endswith("ies") and len(word) > 4:
        return (word, word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        return (word, word[:-1], word[:-2])
    if word.endswith("s") and len(word) > 2:
        return (word, word[:-1])
    return (word,)


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


# People, roles and groups of people. "they" and "operator" are ambiguous: in technical
# prose they often stand for pods or Kubernetes operators.
_PERSON_WORDS: Final = _words(
    "we i you he she someone somebody anyone anybody everyone everybody nobody noone us",
    "ourselves myself yourself himself herself themselves whoever folks",
    "engineer developer dev sre oncall on-call on-caller responder reviewer approver",
    "author admin administrator sysadmin intern contractor lead manager human person people",
    "staff teammate colleague team member owner ic commander dba analyst employee",
    "maintainer committer submitter requester ops devops coordinator programmer tester",
    "qa architect director vp cto ceo",
)
_AMBIGUOUS_WORDS: Final = _words("they them operator")
_SYSTEM_WORDS: Final = _words(
    "it this that these those which something nothing everything each one both either",
    "deploy deployment release rollout rollback build job cron cronjob task pod node container",
    "cluster service server host instance vm machine process daemon worker thread check probe",
    "healthcheck health-check request query call response connection socket lock alert alarm",
    "monitor page pager notification email message webhook script pipeline workflow ci cd test",
    "suite migration schema database db replica primary leader follower shard cache queue topic",
    "consumer producer broker stream api endpoint gateway proxy balancer lb alb elb nlb ingress",
    "dns resolver router firewall network disk volume storage bucket backup restore snapshot",
    "certificate cert key token secret config configuration setting flag toggle function lambda",
    "handler controller scheduler autoscaler hpa kubelet kubernetes k8s terraform helm chart",
    "manifest image ami registry app application client sdk library dependency package module",
    "plugin code patch fix change commit pr diff branch merge hook rule policy limit quota",
    "timeout retry system platform tool tooling agent collector exporter sidecar mesh watcher",
    "component dashboard metric log logger rotation upgrade update install installation",
    "failover switchover canary guard safeguard validation validator linter lint gate file",
    "record row table index transaction session cookie browser frontend backend site website",
    "traffic cpu memory heap gc kernel os driver firmware hardware aws gcp azure kafka redis",
    "postgres postgresql mysql nginx envoy traefik prometheus grafana elasticsearch s3 ec2 eks",
    "rds coredns kiam flux argo argocd jenkins github gitlab datadog pagerduty opsgenie sentry",
    "clickhouse celery binary artifact version object payload batch report export import sync",
    "replication election heartbeat mechanism automation bot runner executor dag step stage",
    "command statement loop program trigger detector sensor threshold slo sla budget",
    "monitoring alerting logging model engine compiler parser reconciler listener subscriber",
    "publisher callback event signal packet dataset field column value variable environment",
    "staging production prod region zone az vpc subnet route ip port address domain tls ssl",
    "handshake login auth authentication sso oauth idp ldap adfs adsync runbook playbook",
    "cdn vendor provider upstream downstream caller callee container script wrapper fetch",
    "crawler cronjob daemonset statefulset replicaset kube-proxy etcd iptables autoscaling",
    "mechanism feature flag toggle rate-limiter limiter breaker circuit",
)
_SKIP_BEFORE: Final = _words(
    "also then still again just never ever even already clearly obviously was were is are be",
    "been being had has have all both simply really therefore thus hence initially later",
    "subsequently unfortunately apparently probably likely certainly definitely ultimately",
    "eventually not themselves itself ourselves himself herself repeatedly twice once first",
    "now so actually indeed somehow consistently silently quickly immediately originally",
    "sadly unexpectedly to appear appears appeared seem seems seemed",
)
_NOT_ADVERBS: Final = _words("reply supply assembly family anomaly rally poly jelly ally only")
_SYSTEM_VERBS: Final = _words(
    "start restart boot connect reconnect acquire respond load resolve bind allocate schedule",
    "pull mount parse compile build reach complete return renew rotate sync replicate register",
    "authenticate authorize become come initialize initialise serve handle recover converge",
    "reconcile elect join drain terminate open write send deliver fetch upload download scale",
    "propagate apply execute run launch spawn emit fire trigger page alert notify detect match",
    "validate fail retry time expire flush commit deploy install upgrade update provision",
    "create delete evict attach detach shut stop exit die crash export import process consume",
    "produce publish subscribe accept reject refuse block throttle limit cache invalidate",
    "compress decode encode serialize deserialize render redirect route forward listen",
    "receive get keep pass heal lock unlock release free close pick honor honour respect",
    "enforce kick take use read rebalance failover fall show display log raise throw report",
    "fired triggered paged alerted notified returned rejected retried restarted started",
    "stopped scaled blocked timed thrown raised logged emitted sent matched expired rotated",
    "renewed routed cached refused dropped drained failed succeeded completed caught detected",
    "prevented gone worked ran applied deployed propagated reached responded recovered",
    "converged reconciled elected joined terminated exited crashed flushed committed accepted",
    "received delivered loaded resolved served handled created deleted evicted throttled",
    "limited enforced respected honored honoured used picked kept got gotten shown displayed",
    "rendered redirected validated processed consumed published replicated synced connected",
    "acquired booted mounted parsed compiled built completed registered authenticated",
    "authorized become came initialized initialised healed closed released locked unlocked",
    "rebalanced fallen fell reported waited wait backed back timed-out",
)
# Passive verbs after "should have been" that describe something a person does: "the PR
# should have been reviewed" is hindsight about a person even though its subject is a thing.
_HUMAN_PASSIVE: Final = _words(
    "reviewed checked double-checked noticed spotted tested verified escalated communicated",
    "announced read caught flagged questioned documented considered discussed known",
    "anticipated foreseen predicted realized realised investigated approved",
)
_IRREGULAR_PP: Final = _words(
    "been known done seen gone taken caught run sent made built written read told kept got",
    "gotten had left set put brought thought found held felt led meant paid said shown spent",
    "stood understood broken chosen drawn driven fallen forgotten given hidden spoken stolen",
    "thrown begun come become overcome let hit cut shut split spread quit rung woken",
)
_PERSON_PREFIX_STOP: Final = _words(
    "january february march april may june july august september october november december",
    "monday tuesday wednesday thursday friday saturday sunday",
)
_DETERMINERS: Final = _words("the a an our their his her my your its this that these those on")


_IDENTIFIER: Final = re.compile(r"_|\d|\w[./]\w")


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in _NOT_ADVERBS


def _classify(word: str, person_tokens: frozenset[str], original: str = "") -> Kind:
    """Person, system or unknown, for one already-normalised head noun."""
    if original and original in person_tokens:
        return "person"
    if word.strip("0") == "" or word[0].isdigit() or _IDENTIFIER.search(word):
        return "system"  # masked code span or URL, a number, or an identifier like stream_wrap
    variants = _variants(word)
    if any(v in _PERSON_WORDS for v in variants):
        return "person"
    if any(v in _AMBIGUOUS_WORDS for v in variants):
        return "ambiguous"
    if any(v in _SYSTEM_WORDS for v in variants):
        return "system"
    return "unknown"


def _kind_before(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Classify the subject of the phrase starting at ``pos`` from the words just before it.

    The head of an English noun phrase is its last word, so "the on-call engineer" is a
    person and "the engineer's script" is a thing. Adverbs and auxiliaries between subject
    and verb are skipped ("we then also failed to"); "who/that/which" defer to the noun they
    refer to. Only the current clause is considered, guessing across a comma does more harm
    than good, except after "but", "and" or "yet" with no subject of its own (see
    :func:`_shared_subject`).
    """
    window = masked[max(0, pos - 160) : pos]
    tokens = _WORD.findall(_CLAUSE_BREAK.split(window)[-1])
    while tokens:
        low = _norm(tokens[-1])
        if low in _SKIP_BEFORE or _is_adverb(low):
            tokens.pop()
            continue
        break
    if tokens and _norm(tokens[-1]) in _CONJUNCTIONS:
        # "The author set X but failed to ...": the subject is the first clause's.
        return _shared_subject(tokens[:-1], window, person_tokens)
    return _head_kind(tokens, person_tokens)


def _head_kind(tokens: list[str], person_tokens: frozenset[str]) -> Kind:
    """Kind of the noun phrase that ends with ``tokens[-1]``."""
    if not tokens:
        return "none"
    low = _norm(tokens[-1])
    if low == "who":
        return "person"
    if low in ("that", "which") and len(tokens) > 1:
        tokens.pop()
        low = _norm(tokens[-1])
    if low == "call" and len(tokens) > 1 and _norm(tokens[-2]) == "on":
        return "person"
    return _classify(low, person_tokens, tokens[-1])


_CONJUNCTIONS: Final = _words("but and yet")
_CLAUSE_WORDS: Final = _CONJUNCTIONS | _words(
    "so because while when as since although though after before once"
)
# What a person "failed to" do that is a fact, not a judgment: "the engineer failed to
# connect to the VPN". Other verbs after a person ("failed to update the runbook") judge.
_ACCESS_VERBS: Final = _words(
    "connect reconnect authenticate login log reach access join load open start boot get",
    "become receive sign",
)
_VERB_LIKE: Final = (
    _SKIP_BEFORE
    | _IRREGULAR_PP
    | _SYSTEM_VERBS
    | _words(
        "ran wrote did took saw knew went gave made set sets chose picked opened merged pushed",
        "approved updated changed removed added edited typed entered",
    )
)


def _shared_subject(tokens: list[str], window: str, person_tokens: frozenset[str]) -> Kind:
    """The subject a verb shares with the clause before "but"/"and"/"yet".

    The subject of "The author correctly set X but failed to ..." is "author": the head
    noun right before the first verb-like word (an adverb, an auxiliary, a past tense) of
    the clause. When the conjunction starts its clause ("..., but failed to"), the clause
    before the comma is read; a period or any other break ends the search.
    """
    if not tokens:
        breaks = list(_CLAUSE_BREAK.finditer(window))
        if not breaks or breaks[-1].group(0) != ",":
            return "none"
        begin = breaks[-2].end() if len(breaks) > 1 else 0
        tokens = _WORD.findall(window[begin : breaks[-1].start()])
    # Only the nearest clause: "X was removed and the author set Y but ..." -> "the author".
    cuts = [i for i, word in enumerate(tokens) if _norm(word) in _CLAUSE_WORDS]
    if cuts:
        tokens = tokens[cuts[-1] + 1 :]
    for i, word in enumerate(tokens):
        low = _norm(word)
        if i > 0 and (low in _VERB_LIKE or _is_adverb(low) or low.endswith("ed")):
            return _head_kind(tokens[:i], person_tokens)
    return "none"


def _next_words(masked: str, pos: int, limit: int = 6) -> list[str]:
    """Up to ``limit`` normalised words after ``pos`` within the same clause."""
    clause = _CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    return [_norm(w) for w in _WORD.findall(clause)[:limit]]


def _next_content_kind(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Kind of the first noun after ``pos`` (skipping articles), e.g. the object of "blame"."""
    clause = _CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    for tok in _WORD.findall(clause)[:5]:
        low = _norm(tok)
        if low in _DETERMINERS or low in ("it", "for", "with", "to", "onto", "upon"):
            if low == "it":
                return "system"
            continue
        return _classify(low, person_tokens, tok)
    return "none"


# "not human error", "without blaming anyone", "rather than 'careless'": the writer is
# rejecting the framing, which is exactly what a blameless review wants.
_NEGATION_BEFORE: Final = re.compile(
    r"\b(?:no|not|never|without|nobody|neither|nor|avoid(?:s|ed|ing)?|instead\s+of|"
    r"rather\s+than|free\s+(?:of|from)|beyond|against|refus(?:e|ed|es|ing)|no[\s-]one|"
    r"isn" + _APOS + r"t|wasn" + _APOS + r"t|don" + _APOS + r"t|doesn" + _APOS + r"t|"
    r"didn" + _APOS + r"t|aren" + _APOS + r"t|weren" + _APOS + r"t|won" + _APOS + r"t|"
    r"cannot|can" + _APOS + r"t)\b",
    re.IGNORECASE,
)
_NEGATION_AFTER: Final = re.compile(
    r"[\"'\u201d\u2019*_]*\s+(?:is|was|are|were)\s+(?:never|not|rarely|seldom)\b|"
    r"[\"'\u201d\u2019*_]*\s+(?:isn|wasn|aren|weren)" + _APOS + r"t\b",
    re.IGNORECASE,
)
_QUOTES: Final = {
    '"': '"',
    "\u201c": "\u201d",
    "'": "'",
    "\u2018": "\u2019",
}


def _negated_or_quoted(masked: str, start: int, end: int) -> bool:
    """True when the phrase is rejected ("not human error") or mentioned in quotes."""
    clause = _CLAUSE_BREAK.split(masked[max(0, start - 60) : start])[-1]
    if _NEGATION_BEFORE.search(clause):
        return True
    if _NEGATION_AFTER.match(masked, end):
        return True
    if start > 0 and end < len(masked):
        closing = _QUOTES.get(masked[start - 1])
        if closing is not None and masked[end] == closing:
            return True
    return False


# BL001: individuals named in the root cause

# A handle: "@" not preceded by a word character (that would be an e-mail address), a
# letter, then handle characters; not followed by "/" (an npm scope or a GitHub team).
_HANDLE: Final = re.compile(
    r"(?<![\w.+%-])@[A-Za-z][\w-]*(?:\.[\w-]+)*(?![\w/@-]|\.\w)",
)
_BROADCAST_HANDLES: Final = _words("@here @channel @everyone @all @team @oncall @on-call")
# "the @retry decorator", "annotation @Transactional": code written without backticks.
_CODE_NEIGHBOUR: Final = re.compile(
    r"(?:decorators?|annotations?|directives?|macros?)\b", re.IGNORECASE
)


def _is_code_handle(masked: str, start: int, end: int) -> bool:
    after = masked[end : end + 16].lstrip()
    before = masked[max(0, start - 16) : start].rstrip()
    if _CODE_NEIGHBOUR.match(after):
        return True
    last = before.rsplit(None, 1)[-1] if before else ""
    return _CODE_NEIGHBOUR.fullmatch(last) is not None


# Words that make a name a group of people, a company or a product rather than a person.
# "Platform team", "payments squad", "SRE on-call", "DevOps", "Acme Labs", "Initech Inc."
_GROUP_WORDS: Final = _words(
    "team teams squad squads oncall on-call rota rotation sre sres platform platforms ops",
    "devops secops sysops netops itops finops mlops dataops gitops group groups guild crew",
    "department dept tribe chapter division unit committee board council office org",
    "organisation organization engineering infra infrastructure operations support helpdesk",
    "desk staff everyone all",
)
_COMPANY_WORDS: Final = _words(
    "inc inc. ltd ltd. llc gmbh plc corp corp. corporation company technologies labs",
    "software systems a/s aps bv ab",
)
_NAME_PARTS: Final = re.compile(r"[\s_/]+|-(?=[a-z])|(?<=[a-z])(?=[A-Z])")
_PARTICLES: Final = _words(
    "van von de da das dos del della der den di du la le bin ibn al el ter ten y"
)


@lru_cache(maxsize=4096)
def _group_words_in(name: str) -> bool:
    """Whether a word of ``name`` is a group or company word; cached, names repeat a lot."""
    folded = " ".join(name.lower().split())
    if "on-call" in folded or "on call" in folded:
        return True
    parts = [p.lower() for p in _NAME_PARTS.split(name) if p]
    return any(p in _GROUP_WORDS or p in _COMPANY_WORDS for p in parts)


def is_group_name(name: str, teams: Collection[str] = ()) -> bool:
    """True if ``name`` names a team, a rota, a company or a product line, not a person.

    ``teams`` are the team names a knowledge base configures; beyond those, a name is a
    group when one of its words (split at spaces, hyphens, underscores and camelCase) is a
    group word ("Platform team", "payments-squad", "PlatformOps", "SRE", "on-call") or a
    company suffix ("Acme Labs", "Initech Inc.").
    """
    text = name.strip().lstrip("@").replace("\u2019", "'")
    if not text:
        return True
    if teams:
        folded = " ".join(text.lower().split())
        if any(folded == " ".join(t.lower().split()) for t in teams):
            return True
    return _group_words_in(text)


@lru_cache(maxsize=4096)
def looks_like_person(name: str) -> bool:
    """True if ``name`` has the shape of a person's name: "Priya Raman", "Dana", "J. O'Neil".

    One to four words, each capitalised with lower case after the capital (so "AWS",
    "PostHog" and "s3-bucket" are not names), allowing initials, hyphenated and
    apostrophe names, "Mc"/"Mac" and particles such as "van" or "de". A handle ("@jdoe") is
    a person too. Group names are not people (:func:`is_group_name`).
    """
    text = name.strip().replace("\u2019", "'")
    if text.startswith("@"):
        return _HANDLE.fullmatch(text) is not None and not _is_group_handle(text)
    if not text or is_group_name(text):
        return False
    words = text.split()
    if len(words) > 4:
        return False
    return all(_name_word(w, first=i == 0) for i, w in enumerate(words))


def _name_word(word: str, *, first: bool) -> bool:
    if not first and word.lower() in _PARTICLES:
        return True
    word = word.rstrip(".")
    if len(word) == 1:
        return word.isupper()
    for piece in re.split(r"[-']", word):
        for prefix in ("Mac", "Mc"):
            if piece.startswith(prefix) and len(piece) > len(prefix) + 1:
                piece = piece[len(prefix) :]
                break
        if not piece.isalpha():
            return False
        if piece.upper() == piece.lower():
            continue  # a script without case (Han, Devanagari, ...): nothing to check
        if not piece[0].isupper():
            return False
        if len(piece) > 1 and not piece[1:].islower():
            return False
    return True


_TEAM_HANDLE_WORDS: Final = _words("team teams squad oncall on-call rota guild crew group dept")


def _is_group_handle(handle: str) -> bool:
    """A team's alias, not a person: "@platform-team", "@payments-oncall", "@sre".

    Stricter than :func:`is_group_name`: people often put their role in their handle
    ("@ana-sre"), so a role word counts only when it is the whole handle.
    """
    parts = [p.lower() for p in _NAME_PARTS.split(handle[1:]) if p]
    if len(parts) == 1:
        return parts[0] in _GROUP_WORDS
    return any(p in _TEAM_HANDLE_WORDS for p in parts) or "on-call" in handle.lower()


# Finds the people's names in a line of masked prose.
NameFinder = Callable[[str], Iterable[re.Match[str]]]
_PEOPLE_CACHE: dict[tuple[frozenset[str], bool], tuple[NameFinder | None, frozenset[str]]] = {}
_PEOPLE_CACHE_MAX: Final = 64


def _people_pattern(
    people: Collection[str], *, first_names: bool = True
) -> tuple[NameFinder | None, frozenset[str]]:
    """Compile (once per distinct set of names) a pattern for the given people.

    Capitalised names match case-sensitively, so a "Rose" on the team does not flag "rose".
    With ``first_names``, the first word of a full name is matched too, since write-ups
    usually say "Alice", not "Alice Chen": only when the full name has the shape of a
    person's name (never "Platform" from "Platform team") and the first word is not a month
    or weekday ("May Lin" must not flag "May 3"). Names known from elsewhere in the
    knowledge base are matched whole only. Returns the pattern and the set of name words,
    used by the subject heuristic.
    """
    names_key = (
        people
        if isinstance(people, frozenset)
        else frozenset(p.strip() for p in people if p and p.strip())
    )
    key = (names_key, first_names)
    cached = _PEOPLE_CACHE.get(key)
    if cached is not None:
        return cached
    names: set[str] = set(names_key)
    if first_names:
        for full in names_key:
            parts = full.split()
            if (
                len(parts) > 1
                and len(parts[0].rstrip(".")) > 1
                and parts[0].lower() not in _PERSON_PREFIX_STOP
                and looks_like_person(full)
            ):
                names.add(parts[0].rstrip("."))
    alternatives = [_alternative(name) for name in sorted(names, key=lambda n: (-len(n), n))]
    finder = _name_finder(alternatives) if alternatives else None
    tokens = frozenset(w for n in names for w in n.split())
    if len(_PEOPLE_CACHE) >= _PEOPLE_CACHE_MAX:
        _PEOPLE_CACHE.clear()
    _PEOPLE_CACHE[key] = (finder, tokens)
    return finder, tokens


def _alternative(name: str) -> str:
    """A name as a pattern: its words apart by any space; in any case if written in lower
    case (a handle-like name), as written otherwise."""
    body = r"\s+".join(re.escape(p) for p in name.split())
    return body if name[:1].isupper() else f"(?i:{body})"


def _name_finder(alternatives: list[str]) -> NameFinder:
    r"""Where the names are: not after a word character, ``@``, ``.`` or ``-``, and not
    followed by a word character or ``-``.

    When every name starts with a letter as written, the regex engine tries only the
    positions one of those letters is at, several times faster than trying the leading
    ``(?<![\w@.-])`` at every position; :func:`_names_in` then checks what a match follows.
    A name in any case starts with a group, the engine tries every position anyway, and
    there the lookbehind is the quicker refusal, so it stays.
    """
    names = "(?:" + "|".join(alternatives) + r")(?![\w-])"
    if any(alternative.startswith("(?i:") for alternative in alternatives):
        return re.compile(f"(?<!{_JOINED})" + names).finditer
    return partial(_names_in, re.compile(names))


# What a name must not follow: then it is part of a word, an address or a handle. One
# class for both ways of refusing it (the lookbehind and :func:`_names_in`).
_JOINED: Final = r"[\w@.-]"
_NAME_JOINED: Final = re.compile(_JOINED)


def _names_in(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` that do not follow what :data:`_NAME_JOINED` matches,
    as a leading lookbehind would find them: a match refused for what it follows is tried
    again one position on, as the engine would."""
    at = 0
    while (m := pattern.search(text, at)) is not None:
        start = m.start()
        if start and _NAME_JOINED.match(text, start - 1):
            at = start + 1
            continue
        yield m
        at = m.end()


def _bl001_message(phrase: str, *, name: bool = False) -> str:
    """The message; a name (not a handle) may be a team the rules could not tell apart."""
    team = f"; if \"{phrase}\" is a team, list it under the 'teams' option" if name else ""
    return (
        f'named individual: "{phrase}" puts a person in the root cause; describe the role '
        "and the situation instead (what did the on-call engineer see, what did the system "
        f"allow?){team}"
    )


# BL002: "human error" and its cousins
# The rule patterns below are anchored: they are tried only where the gate (see scan_prose)
# found one of their first words at a word start, so they carry no leading ``\b``.

_ROLE_TAIL = r"(?:\s+(?:engineer|operator|developer|admin|lead|team|reviewer|responder|member)s?)?"
_BL002: Final = re.compile(
    r"(?:"
    r"(?:(?:human|operator|pilot|personnel|staff)[\s-]+(?:errors?|mistakes?|failures?)"
    r"|(?:user|developer|engineer|engineering|manual)[\s-]+(?:errors?|mistakes?))"
    r"(?![\s-]+(?:rates?|counts?|logs?|messages?|codes?|responses?|metrics?|budgets?|"
    r"handling|pages?|spikes?|types?|class(?:es)?|spiked|rose|increased|dropped|returned|"
    r"were\s+returned|dashboards?|panels?|ratios?|percent(?:age)?s?)\b)"
    r"|pebkac|pebcak|id-?10-?t(?:\s+error)?|layer[\s-]*8\s+(?:issues?|problems?|errors?)"
    r"|fat[\s-]?finger(?:ed|s|ing)?|finger[\s-]trouble"
    r"|(?:made|make|makes|making)\s+(?:(?:an?|the|one|some|several|two|a\s+few|"
    r"simple|silly|small|big|careless|honest|human|critical|costly|typo|stupid|dumb)\s+){0,3}"
    r"(?:mistakes?|blunders?)"
    r"|mistakes?\s+(?:(?:was|were)\s+made|(?:made\s+)?by\s+(?:(?:the|an?|our|their|one|of)"
    r"\s+){0,3}[\w'\u2019-]+" + _ROLE_TAIL + r"|on\s+the\s+part\s+of\s+(?:(?:the|an?|our)"
    r"\s+){0,2}[\w'\u2019-]+" + _ROLE_TAIL + r")"
    r"|(?P<messed>(?:messed|screwed|mucked|goofed|fouled|cocked)\s+up)"
    # A slip named by an adverb or "by mistake": "was mistakenly shut down", "removed by
    # mistake", "inadvertently deleted", "an accidental execution of the command".
    r"|(?P<slip>mistakenly|accident(?:al)?ly|accidently|inadvertently)"
    r"|accidental\s+(?:execution|deletion|removal|run|push|merge|commit|deploy(?:ment)?|"
    r"change|shut-?down|restart|reboot|termination|trigger(?:ing)?|overwrite|drop|revert|"
    r"rollback|click|keystroke)s?"
    r"|(?P<by>by\s+(?:mistake|accident))"
    # Input gone wrong: "entered incorrectly", "typed the wrong host", "mistyped". Not
    # "handles input incorrectly" or "entered a wrong state": systems do those.
    r"|(?:entered|typed|keyed|inputted|copied|pasted|copy-pasted|filled\s+in)\s+"
    r"(?:incorrectly|wrongly|erroneously)"
    r"|(?:incorrectly|wrongly|erroneously)\s+(?:entered|typed|keyed|inputted|copied|"
    r"pasted|copy-pasted|filled\s+in)"
    r"|(?:typed|keyed)(?:\s+in)?\s+(?:the\s+|an?\s+)?wrong"
    r"|mis-?typ(?:ed|ing|es?)|mis-?key(?:ed|ing|s)?"
    r"|(?P<oversight>oversights?)"
    r")(?![\w-])",
    re.IGNORECASE,
)
_BL002_STARTS: Final = (
    "human operator pilot personnel staff user developer engineer manual pebkac pebcak id10t "
    "id-10-t layer fat finger made make making mistake messed screwed mucked goofed fouled "
    "cocked mistaken accident inadvertent by entered typed keyed inputted copied pasted "
    "copy-pasted filled incorrectly wrongly erroneously mistyp mis-typ miskey mis-key oversight"
)
# "mistakenly believed", "accidentally found": a belief or a lucky find, not a slip.
_SLIP_NOT_AFTER: Final = _words(
    "thought think believed believe assumed assume considered expected concluded judged",
    "found discovered noticed spotted learned learnt stumbled uncovered caught detected",
)
_PASSIVE_AUX: Final = _words("was were been being be is are got get gets")
_OVERSIGHT_BEFORE: Final = _words(
    "this that an the our my his her their its a simple human small minor unfortunate",
    "honest another big major critical costly careless obvious one",
)
_OVERSIGHT_NOT_AFTER: Final = _words(
    "of over committee board body function role responsibility responsibilities process",
    "team group mechanism mechanisms and",
)


_HTTP_BEFORE: Final = re.compile(
    r"(?:\b[1-5](?:\d\d|xx)|\bhttp|\bstatus|\breturn(?:s|ed|ing)?|\brespon(?:d|ds|ded|se))"
    r"(?:\s+(?:an?|the|with))?\s+$",
    re.IGNORECASE,
)


def _bl002_flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> bool:
    """Drop the two technical look-alikes of human-error phrases.

    "Messed up" is only human error when a person messed up, not a migration; and "user
    error" right after a status code or "returned" is an error class an API reports
    ("returned a 400 user error"), not a judgment of a user.
    """
    if m.group("messed"):
        return _kind_before(masked, m.start(), person_tokens) == "person"
    if m.group("slip"):
        return _slip_flag(m, masked, person_tokens)
    if m.group("by"):
        before = [_norm(w) for w in _WORD.findall(masked[max(0, m.start() - 40) : m.start()])]
        return not any(w in _SLIP_NOT_AFTER for w in before[-3:])
    if m.group("oversight"):
        before = _WORD.findall(_CLAUSE_BREAK.split(masked[max(0, m.start() - 40) : m.start()])[-1])
        after = _next_words(masked, m.end(), 1)
        return (
            bool(before)
            and _norm(before[-1]) in _OVERSIGHT_BEFORE
            and not (after and after[0] in _OVERSIGHT_NOT_AFTER)
        )
    if m.group(0)[:4].lower() == "user":
        return _HTTP_BEFORE.search(masked, max(0, m.start() - 30), m.start()) is None
    return True


def _slip_flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> bool:
    """Whether "mistakenly", "accidentally" or "inadvertently" frames a person's slip.

    "Mistakenly" says someone made a mistake whatever the grammatical subject ("the command
    was mistakenly run", "the command mistakenly executed"). The other two also describe a
    change's side effect ("the patch inadvertently disabled the probe"), so a thing as the
    subject passes, unless a passive hides the person ("the route was accidentally
    removed"). A belief or a lucky find ("mistakenly thought", "accidentally found") is
    what people knew at the time, which is what a blameless write-up asks for.
    """
    after = _next_words(masked, m.end(), 1)
    if after and after[0] in _SLIP_NOT_AFTER:
        return False
    if m.group("slip").lower().startswith("mistaken"):
        return True
    before = _WORD.findall(_CLAUSE_BREAK.split(masked[max(0, m.start() - 60) : m.start()])[-1])
    while before and _is_adverb(_norm(before[-1])):
        before.pop()
    if before and _norm(before[-1]) in _PASSIVE_AUX:
        return True
    return _kind_before(masked, m.start(), person_tokens) != "system"


def _bl002_message(phrase: str) -> str:
    return (
        f'human error: "{phrase}" ends the inquiry at a person; ask why the error was '
        "possible and what safeguard did not catch it"
    )


# BL003: hindsight and counterfactuals

_ADV = r"(?:\s+(?:\w+ly|not|never|also|just|all|both|still|at\s+least))?"
_BL003: Final = re.compile(
    r"(?:"
    r"(?P<should>(?:should|ought\s+to)" + _ADV + r"\s+have"
    r"|should" + _APOS + r"ve|shouldn" + _APOS + r"t(?:\s+have|" + _APOS + r"ve)"
    r"|ought\s+not\s+(?:to\s+)?have)"
    r"|(?P<could>(?:could|might)(?:\s+have|" + _APOS + r"ve)" + _ADV + r"(?P<been>\s+been)?"
    r"(?:\s+\w+ly)?\s+(?:prevented|avoided|caught|stopped|averted|mitigated|detected|"
    r"spotted|noticed))"
    r"|(?P<failed>fail(?:ed|ing)\s+to)"
    r"|(?P<forgot>(?:forgot|forgotten|neglect(?:ed|ing)|omitted)\s+(?:to|about)"
    r"|didn" + _APOS + r"t\s+bother|did\s+not\s+bother|never\s+bothered)"
    r"|(?P<despite>despite\s+(?:(?:being|having\s+been)\s+(?:aware|warned|told)|knowing|"
    r"having\s+known))"
    r")(?![\w'\u2019-])",
    re.IGNORECASE,
)
_BL003_STARTS: Final = "should ought could might fail forg neglect omitted did never despite"
_PASSIVE_AGENT: Final = re.compile(
    r"(?:[\s,]+[\w'\u2019-]+){0,6}?\s+by\s+(?:(?:the|a|an|our|their|his|her|its)\s+)?"
    r"([\w'\u2019-]+)",
    re.IGNORECASE,
)


def _is_participle(word: str) -> bool:
    return word in _IRREGULAR_PP or (len(word) > 3 and word.endswith(("ed", "en")))


def _agent_kind(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Kind of the agent of a passive ("...been caught by the reviewer"), if any."""
    clause = _CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    m = _PASSIVE_AGENT.match(clause)
    if m is None:
        return "none"
    return _classify(_norm(m.group(1)), person_tokens, m.group(1))


def _bl003_flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> str | None:
    """Return a message if this hindsight phrase is about people, else None.

    The decision table, by subject kind (see :func:`_kind_before`):

    * "failed to": only people ("we failed to notice"), and not when the verb is something
      systems do ("the engineer failed to connect" is a fact, not a judgment).
    * "forgot to", "neglected to": people and unknown subjects; not systems
      ("the client forgot to send the header" is developer slang for a bug).
    * "should have": needs a past participle after it ("every service should have an owner"
      is about the future). Flagged for people and missing subjects; for things only when a
      person is the agent of a passive ("should have been caught by the reviewer") or the
      passive verb is human work ("the PR should have been reviewed"); unknown subjects are
      flagged unless the verb is system behaviour ("Kafka should have rebalanced").
    * "could have prevented": flagged unless a thing is the subject ("a canary could have
      caught this" is the smallest-change question answered, not a judgment).
    """
    phrase = m.group(0)
    start, end = m.span()
    subject = _kind_before(masked, start, person_tokens)
    after = _next_words(masked, end)
    if m.group("failed"):
        verb = after[0] if after else ""
        if subject == "person" and verb not in _ACCESS_VERBS:
            return _omission_message(phrase)
        if subject == "ambiguous" and verb and verb not in _SYSTEM_VERBS:
            return _omission_message(phrase)
        return None
    if m.group("despite"):
        # "despite being aware of the risk": only people are aware or warned, and the phrase
        # is a verdict on what they knew; the word before it is often the verb's object.
        return _hindsight_message(phrase)
    if m.group("forgot"):
        if subject == "system" or (phrase[:4].lower() == "omit" and subject != "person"):
            return None  # "may be omitted to set the context" is API documentation
        return _omission_message(phrase)
    if m.group("could"):
        if m.group("been"):
            agent = _agent_kind(masked, end, person_tokens)
            return None if agent == "system" else _counterfactual_message(phrase)
        return None if subject == "system" else _counterfactual_message(phrase)
    # should have / ought to have
    words = [w for w in after if not (_is_adverb(w) or w in ("just", "also", "already"))]
    if words and not _is_participle(words[0]):
        return None  # "should have a runbook": a wish about the future, not hindsight
    verb = words[0] if words else ""
    if "automatically" in after[:3] and subject != "person":
        return None  # "should have been automatically corrected": specified behaviour
    if verb == "known":
        return _hindsight_message(phrase)
    if subject in ("person", "none"):
        return _hindsight_message(phrase)
    if verb == "been":
        agent = _agent_kind(masked, end, person_tokens)
        if agent in ("person", "ambiguous"):
            return _hindsight_message(phrase)
        if agent == "system":
            return None
        passive = words[1] if len(words) > 1 else ""
        if passive in _HUMAN_PASSIVE:
            return _hindsight_message(phrase)
        return (
            None
            if subject == "system" or passive in _SYSTEM_VERBS
            else (_hindsight_message(phrase))
        )
    if subject == "system":
        return None
    if verb in _SYSTEM_VERBS:
        return None
    return _hindsight_message(phrase)


def _hindsight_message(phrase: str) -> str:
    return (
        f'hindsight: "{phrase}" judges a past decision with today\'s knowledge; ask what '
        "made sense at the time, with the information then at hand"
    )


def _omission_message(phrase: str) -> str:
    return (
        f'hindsight: "{phrase}" frames an omission as a personal failing; ask what '
        "information would have helped at that moment, and what made the step easy to miss"
    )


def _counterfactual_message(phrase: str) -> str:
    return (
        f'hindsight: "{phrase}" is a counterfactual about people; describe what happened, '
        "then ask what is the smallest change to the system that would have prevented it"
    )


# BL004: judgment words

_BL004: Final = re.compile(
    r"(?:"
    r"(?P<plain>careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|tly|ce|cy)"
    r"|stupid(?:ly|ity)?|slopp(?:y|ily|iness)|reckless(?:ly|ness)?"
    r"|irresponsib(?:le|ly|ility)|idiot(?:s|ic|ically)?|clueless|bone-?headed|inexcusabl[ey]"
    r"|unprofessional(?:ly)?|amateurish|(?:rookie|dumb|silly|amateur)\s+"
    r"(?:mistakes?|errors?|moves?)"
    r"|(?:dropp(?:ed|ing)|drops?)\s+the\s+ball|asleep\s+at\s+the\s+wheel|blameworthy)"
    r"|(?P<lazy>lazy|laziness)"
    r"|(?P<blame>blam(?:e|ed|es|ing))"
    r"|(?P<fault>fault)"
    r")(?![\w-])",
    re.IGNORECASE,
)
_BL004_STARTS: Final = (
    "careless negligen incompeten stupid slopp reckless irresponsib idiot clueless bonehead "
    "bone-headed inexcusabl unprofessional amateur rookie dumb silly drop asleep blam laz fault"
)
# What may stand right before "fault" or "blame"; searched in a short window ending at it.
_BEFORE_FAULT: Final = re.compile(
    r"(?:\b(?P<at>at)|(?P<poss>\b(?:his|her|their|our|my|your)|[\w-]+" + _APOS + r"s?))\s+$",
    re.IGNORECASE,
)
_FAULT_OF: Final = re.compile(r"\s+of\b", re.IGNORECASE)
_BEFORE_BLAME: Final = re.compile(
    r"(?P<git>\bgit\s+)$|\b(?P<to>(?:(?:is|was|were|are|be)\s+)?to\s+)$", re.IGNORECASE
)
_LAZY_BEFORE: Final = _words(
    "was were is are being been too so very bit just plain pretty got getting seems seemed",
    "felt looked sheer pure of from",
)
_LAZY_AFTER: Final = _words("about with engineer engineers person people")
# "lazy loaded", "being lazy initialised", "make the options lazy": evaluation strategy.
_LAZY_TECH: Final = _words(
    "load loaded loading loads loader evaluation evaluated eval init initialization",
    "initialisation initialized initialised import imported imports iterator iterators",
    "sequence fetch fetched fetching property properties value values instantiation",
    "instantiated allocation allocated compilation compiled hydration rendering rendered",
    "expansion binding bindings parsing parsed resolution resolved",
)
_LAZY_CAUSATIVE: Final = _words("make makes made making keep keeps kept stay stays")
_NOBODYS: Final = re.compile(r"(?:nobody|no-one|noone)" + _APOS, re.IGNORECASE)


def _bl004_span(
    m: re.Match[str], masked: str, person_tokens: frozenset[str]
) -> tuple[int, int] | None:
    """Return the span to flag if a judgment-word match judges a person, else None.

    "lazy" is mostly technical (lazy loading, a lazy parser), so it needs a copula or a
    person around it and must not describe a thing;
    "laziness of the iterator" is technical too. "fault" is only a judgment in "at fault",
    "fault of" and "X's fault" (so "fault tolerance" and "page fault" pass), and not when
    the one at fault is a thing ("the disk was at fault"). "blame" aimed at a thing ("we
    blamed the CDN at first") is a diagnosis, not a judgment; "git blame" is a command.
    """
    start, end = m.span()
    window = masked[max(0, start - 30) : start]
    if m.group("lazy"):
        if m.group("lazy").lower() == "laziness":
            return None if _next_words(masked, end, 1) == ["of"] else (start, end)
        before = _WORD.findall(_CLAUSE_BREAK.split(masked[max(0, start - 80) : start])[-1])
        after = _next_words(masked, end, 1)
        if after and after[0] in _LAZY_TECH:
            return None
        if any(_norm(w) in _LAZY_CAUSATIVE for w in before[-3:]):
            return None
        anyone = any(_classify(_norm(w), person_tokens, w) == "person" for w in before)
        if not anyone and _kind_before(masked, start, person_tokens) == "system":
            return None  # "the parser is lazy about ...": evaluation strategy, not a person
        if before and _norm(before[-1]) in _LAZY_BEFORE:
            return start, end
        if not after or after[0] in _LAZY_AFTER or _classify(after[0], person_tokens) == "person":
            return start, end
        return None
    if m.group("blame"):
        b = _BEFORE_BLAME.search(window)
        if b is not None and b.group("git"):
            return None
        if b is not None and b.group("to"):
            start -= len(b.group("to"))
        obj = _next_content_kind(masked, end, person_tokens)
        if obj == "system":
            return None
        if obj != "person" and _kind_before(masked, start, person_tokens) == "system":
            return None
        return start, end
    if m.group("fault"):
        f = _BEFORE_FAULT.search(window)
        if f is not None and f.group("at"):
            start -= len(window) - f.start()
            ok = _kind_before(masked, start, person_tokens) != "system"
            return (start, end) if ok else None
        if f is not None and f.group("poss"):
            owner = f.group("poss")
            if _NOBODYS.match(owner):
                return None
            plain = owner.replace("\u2019", "'").split("'")[0]
            if _classify(_norm(plain), person_tokens, plain) == "system":
                return None
            return start - (len(window) - f.start()), end
        of = _FAULT_OF.match(masked, end)
        if of is not None:
            if _next_content_kind(masked, of.end(), person_tokens) == "system":
                return None
            return start, of.end()
        return None
    return start, end


def _bl004_message(phrase: str) -> str:
    return (
        f'judgment word: "{phrase}" judges a person instead of describing what happened; '
        "describe the action and the conditions that made it reasonable at the time"
    )


# scan_prose


def _trie_regex(words: Collection[str]) -> str:
    """An alternation of literal words, factored as a trie.

    Python's regex engine tries alternatives one after another at every position; a trie
    shares prefixes, so a position that cannot start any trigger word fails on its first
    character. This keeps the gate around 2-3 microseconds on a 100-character line.
    """
    root: dict[str, object] = {}
    for word in words:
        node = root
        for ch in word:
            child = node.setdefault(ch, {})
            assert isinstance(child, dict)
            node = child
        node[""] = {}

    def build(node: dict[str, object]) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            assert isinstance(child, dict)
            alts.append(re.escape(ch) + build(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# First words of every rule pattern -> the rules whose pattern may start there.
_STARTS: Final[dict[str, tuple[str, ...]]] = {}
for _code, _starts in (
    ("BL002", _BL002_STARTS),
    ("BL003", _BL003_STARTS),
    ("BL004", _BL004_STARTS),
):
    for _stem in _starts.split():
        _STARTS[_stem] = (*_STARTS.get(_stem, ()), _code)
# The gate matches the shortest stem at a position; let it stand for longer stems too.
_GATE_CODES: Final[dict[str, tuple[str, ...]]] = {
    stem: tuple(
        sorted({c for other, codes in _STARTS.items() if other.startswith(stem) for c in codes})
    )
    for stem in _STARTS
}
_GATE: Final = re.compile(r"\b" + _trie_regex(_STARTS))
_GATE_ANYCASE: Final = re.compile(_GATE.pattern, re.IGNORECASE)
# The gate over a whole document looks for its candidates in a copy where every character
# that is no ASCII word character is a space: a word then starts right after a space, and
# the regex engine searches for a space in C. A pattern that starts with ``\b`` is tried
# at every position instead, which cost a third more on a typical body.
_SPACED: Final = bytes(
    c if c < 128 and (chr(c).isalnum() or chr(c) == "_") else ord(" ") for c in range(256)
)
# Any word start where a trigger word may stand, overlapping ones too (a stem spelt with a
# hyphen is spelt with a space in the copy, as everything else is).
_WORD_STARTS: Final = re.compile(
    b" (?="
    + _trie_regex({stem.encode().translate(_SPACED).decode() for stem in _STARTS}).encode()
    + b")"
)
_PROSE_RULES: Final = {"BL002": _BL002, "BL003": _BL003, "BL004": _BL004}


def may_blame(text: str) -> bool:
    """False when no prose rule (BL002-BL004) can match in any line of ``text``.

    One pass of the gate over a whole document, trying each rule's phrase only where a
    trigger word starts, is far cheaper than a call per line, and most post-mortems contain
    no blaming phrase at all. Names (BL001) are not gated: they depend on the people passed
    to :func:`scan_prose`. A phrase is tried as :func:`scan_prose` tries it: in its own line
    (a phrase ends where its line does), with code spans, links and comments masked.
    """
    low = text.lower()
    if len(low) != len(text):
        return True
    # The space in front stands for the start: each candidate's space is at the index, in
    # the copy, of the word start it stands for in ``text``. A character beyond ASCII is a
    # space there too (one ``?`` per character); if it is a letter, the candidate after it
    # is no word start, and the gate itself, which reads ``low``, says so.
    spaced = b" " + low.encode("ascii", "replace").translate(_SPACED)
    for candidate in _WORD_STARTS.finditer(spaced):
        start = candidate.start()
        gate = _GATE.match(low, start)
        if gate is None:
            continue
        first = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start)
        line = _mask(text[first:] if end == -1 else text[first:end])
        for code in _GATE_CODES.get(gate.group(0), ()):
            if _PROSE_RULES[code].match(line, start - first):
                return True
    return False


def may_name(text: str, people: Collection[str], known: Collection[str]) -> bool:
    """False when :func:`scan_prose` with ``names_people`` can flag no name (BL001) in any
    line of ``text``: no ``@`` and none of the names, found as it finds them.

    The lines are masked one by one, as :func:`scan_prose` masks each, and searched
    together: a name is no more found in its own line than in the lines joined (a line
    break, like the line's ends, is no word character), so this is never False where a
    line would be flagged.
    """
    if "@" in text:
        return True
    masked = "\n".join([_mask(line) for line in text.split("\n")])
    for names, first_names in ((people, True), (known, False)):
        if names:
            finder, _ = _people_pattern(names, first_names=first_names)
            if finder is not None and next(iter(finder(masked)), None) is not None:
                return True
    return False


def scan_prose(
    line: str,
    people: Collection[str] = (),
    *,
    names_people: bool = False,
    known: Collection[str] = (),
) -> list[BlameMatch]:
    """Flag blaming language (BL002-BL004, and BL001 when ``names_people``) in one line.

    ``line`` is one line of Markdown prose (a paragraph line, list item or table row); the
    caller skips fenced code and front matter. Block-quote lines return nothing because they
    quote someone else (a customer, a vendor's status page). Inline code spans, URLs and
    HTML comments are never flagged. ``people`` are names to treat as individuals: for
    BL001 (only when ``names_people``, which the caller sets for the Root Causes section)
    and, in every section, to recognise "Alice failed to ..." as a person's omission. The
    first word of a person's full name counts too ("Priya" for "Priya Raman"). ``known``
    are more people, known from elsewhere (other post-mortems, the configuration): they
    are matched only by their whole name. Callers pass people only, never teams, companies
    or services (see :func:`looks_like_person` and :func:`is_group_name`).

    Returns matches sorted by position; overlapping matches of the same rule are merged
    into the first.
    """
    if not line or line.lstrip(" \t").startswith(">"):
        return []
    low = line.lower()
    gate, text = (_GATE, low) if len(low) == len(line) else (_GATE_ANYCASE, line)
    # A few characters change length when lowercased ("İ"); then match case-insensitively
    # on the line itself so that offsets stay exact.
    first = gate.search(text)
    want_names = names_people and ("@" in line or bool(people) or bool(known))
    if first is None and not want_names:
        return []
    candidates = (
        [(m.start(), m.group(0).lower()) for m in gate.finditer(text, first.start())]
        if first is not None
        else []
    )
    masked = _mask(line)
    person_tokens: frozenset[str] = frozenset()
    finders: list[NameFinder] = []
    for names, first_names in ((people, True), (known, False)):
        if names:
            finder, tokens = _people_pattern(names, first_names=first_names)
            person_tokens |= tokens
            if finder is not None:
                finders.append(finder)
    found: list[BlameMatch] = []

    def add(code: str, start: int, end: int, message: str) -> None:
        found.append(BlameMatch(code, start, end, line[start:end], message))

    if want_names:
        if "@" in line:
            for m in _HANDLE.finditer(masked):
                if (
                    m.group(0).lower() not in _BROADCAST_HANDLES
                    and not _is_group_handle(m.group(0))
                    and not _is_code_handle(masked, m.start(), m.end())
                ):
                    add("BL001", m.start(), m.end(), _bl001_message(m.group(0)))
        for find in finders:
            for m in find(masked):
                add("BL001", m.start(), m.end(), _bl001_message(m.group(0), name=True))
    for pos, stem in candidates:
        for code in _GATE_CODES.get(stem, ()):
            if code == "BL002":
                hit = _BL002.match(masked, pos)
                if (
                    hit is not None
                    and _bl002_flag(hit, masked, person_tokens)
                    and not _negated_or_quoted(masked, hit.start(), hit.end())
                ):
                    add(code, hit.start(), hit.end(), _bl002_message(line[hit.start() : hit.end()]))
            elif code == "BL003":
                hit = _BL003.match(masked, pos)
                msg = _bl003_flag(hit, masked, person_tokens) if hit is not None else None
                if hit is not None and msg is not None:
                    add(code, hit.start(), hit.end(), msg)
            else:
                hit = _BL004.match(masked, pos)
                span = _bl004_span(hit, masked, person_tokens) if hit is not None else None
                if span is not None and not _negated_or_quoted(masked, *span):
                    add(code, span[0], span[1], _bl004_message(line[span[0] : span[1]]))
    return _dedupe(found)


def _dedupe(found: list[BlameMatch]) -> list[BlameMatch]:
    found.sort(key=lambda f: (f.start, -f.end, f.code))
    kept: list[BlameMatch] = []
    last_end: dict[str, int] = {}
    for f in found:
        if f.start < last_end.get(f.code, -1):
            continue
        kept.append(f)
        last_end[f.code] = f.end
    return kept


# BL005: vague action items

# Words an action can consist of entirely and still promise nothing checkable.
_GENERIC: Final = _words(
    "a an the this that these those it its it's our their his her my your all any some more",
    "better further other such similar related same and or then to of for in on at with from",
    "by about around into onto as so if when where how what why which who there here again",
    "future forward going moving now next time times ahead asap soon possible needed",
    "necessary applicable overall general generally etc things thing stuff everything",
    "anything something way ways area areas kind kinds type types sort case cases cause causes",
    "root reason reasons happened happens happen happening went wrong occurred occur recur",
    "recurrence recurring repeat issue issues problem problems incident incidents outage",
    "outages bug bugs error errors failure failures situation mistake mistakes event events",
    "system systems service services infrastructure infra setup platform stack process",
    "processes procedure procedures practice practices policy policies workflow workflows",
    "communication communications comms monitoring alerting alerts alert observability",
    "visibility logging logs metrics dashboards dashboard testing tests test coverage",
    "documentation docs doc runbook runbooks playbook playbooks tooling tools reliability",
    "stability resilience robustness robust quality performance security hygiene awareness",
    "knowledge understanding code config configuration changes change deploys deployments",
    "deployment deploy release releases team teams people everyone engineers is are was be",
    "been not no never doesn't does don't do won't will isn't let us we anymore ever properly",
    "correctly closely carefully thoroughly much lot bit little steps step measures",
    "safeguards controls checks handling response responses detection prevention mitigation",
    "remediation follow-up followup up down out off over work instead well good proper",
    "appropriate adequate sufficient additional extra new best improved improvements",
    "improvement place places possibly maybe perhaps further deeper detail details depth",
    "lessons learned learnings similar again also going forward whole entire approach",
    "culture mindset attention care effort focus priority priorities again sure can",
    "could should would must need needs have has had this it",
)
_VAGUE_VERBS: Final = _words(
    "investigate investigating investigation look looking review reviewing revisit reconsider",
    "re-evaluate reevaluate evaluate assess consider discuss explore research analyze analyse",
    "understand figure find fix fixing address resolve handle sort clean tidy improve improving",
    "enhance harden strengthen optimize optimise increase tighten rethink follow check monitor",
    "watch track prevent avoid ensure make keep eye think learn communicate educate train",
    "remind share try continue stop be do",
)
# Verbs that are concrete on their own ("add alerting") but vague with a bare quantifier
# ("add more alerting").
_WEAK_VERBS: Final = _words("add adding implement create introduce set write put build have get")
_QUANTIFIERS: Final = _words("more better additional extra some proper further improved")

_LEAD_IN: Final = re.compile(
    r"\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s*)?[*_\s]*"
    r"(?:(?:todo|action|ai|next\s+step)\s*:\s*)?"
    r"(?:(?:we|i|you|they|the\s+team|team|everyone|everybody|all\s+engineers|engineers|"
    r"developers|devs|on-?call|sres?|ops|people)\s+)?"
    r"(?:(?:should|must|shall|will|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|"
    r"are\s+going\s+to|is\s+going\s+to|going\s+to|to|let" + _APOS + r"?s|please|always|also|"
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
    r"|remember\s+to|(?:do\s+not|don" + _APOS + r"t)\s+forget(?:\s+to)?"
    r"|(?:do\s+not|don" + _APOS + r"t|never)\s+let\s+(?:it|this|that)\s+happen(?:\s+again)?"
    r"|(?:it|this|that)\s+(?:does\s+not|doesn" + _APOS + r"t|won" + _APOS + r"t|will\s+not|"
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
    low = _norm(token.rstrip(".'\u2019"))
    return not (
        low in _GENERIC
        or low in _VAGUE_VERBS
        or low in _WEAK_VERBS
        or low in _QUANTIFIERS
        or low in _PERSON_WORDS
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
    words = {_norm(tok) for tok, _, _ in tokens}
    if words & _WEAK_VERBS and not words & _QUANTIFIERS and not words & _VAGUE_VERBS:
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
    if discipline:
        message = (
            f'vague action: "{phrase}" asks people to try harder; change the system instead '
            "(a guard, a default, an automated check) so the slip becomes hard to make"
        )
    else:
        message = (
            f'vague action: "{phrase}" has no deliverable anyone can finish or verify; say '
            'what will change and what done looks like (e.g. "investigate why X defaulted '
            'to Y and set it from config")'
        )
    return BlameMatch("BL005", start, end, phrase, message)


# BL006: placeholder owners

# Decision: a named team ("payments team", "SRE", "ops", "platform") is a real owner: it
# has a queue and a lead to route the item to. A collective with no name ("the team",
# "everyone", "engineering", "devs") or a marker for "not decided yet" is a placeholder.
_PLACEHOLDER_OWNERS: Final = frozenset(
    {
        "",
        "tbd",
        "tba",
        "tbc",
        "todo",
        "to do",
        "to be decided",
        "to be determined",
        "to be assigned",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "everyone",
        "everybody",
        "all",
        "nobody",
        "no one",
        "none",
        "unknown",
        "unassigned",
        "not assigned",
        "n/a",
        "na",
        "n.a",
        "null",
        "nil",
        "team",
        "the team",
        "our team",
        "my team",
        "a team",
        "we",
        "us",
        "me",
        "you",
        "them",
        "they",
        "engineering",
        "engineers",
        "the engineers",
        "developers",
        "the developers",
        "devs",
        "the devs",
        "dev team",
        "the dev team",
        "owner",
        "name",
        "assignee",
        "person",
        "someone else",
        "whoever",
        "whoever is on call",
        "x",
        "xx",
        "xxx",
        "tk",
    }
)
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
    if text in _PLACEHOLDER_OWNERS:
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
    message = (
        f'placeholder owner: "{shown}" is not someone who can be asked about progress; '
        "name one person or a named team who will drive this item to done"
    )
    return [BlameMatch("BL006", start, end, owner[start:end], message)]
