"""The words that tell an incident's moments, as families of meaning, and the sentences a
text is read in (importers.moments reads the moments with them).

A family is a meaning, not a list of phrases: matched on whole words at the start of a stem
("alert" finds "alerted", "alerting", "alerts").
"""

from __future__ import annotations

import re

DETECTED = re.compile(
    # "paged", "pages the on-call"; not "the site's pages", "GitHub Pages" (a web page).
    r"\b(?:alert|alarm|paged\b|pages\s+(?:the|an?|our|us|them|him|her|on-?call)\b|paging|"
    # "discovered"; not "service discovery" or "API discovery errors" (a mechanism's name).
    r"pager|detect|discover(?:ed|s|ing)?\b|spotted|observ|became aware|"
    # "we identified a bug in our code": a defect not known before, found; not "identified
    # the issue as ...", the diagnosis of one already known.
    r"identif(?:ied|y|ies)\s+an?\s+(?:[\w-]+\s+)?(?:bug|issue|problem|vulnerabilit\w+|flaw|defect|leak)\b|"
    # "noticed", "we notice"; not "this notice", "a notice to users" (a message, not a sighting).
    r"notic(?:ed|ing)\b|(?<!\bthis )(?<!\bthe )(?<!\ba )(?<!\bour )(?<!\bthat )(?<!\bpublic )"
    r"(?<!\bsent )(?<!\bposted )(?<!\bissued )(?<!\bemailed )(?<!\bpublished )"
    # Nor "Notice: resynchronization finished": a post's label, not a sighting.
    r"notices?\b(?!\s*:)(?!\s+(?:of|to|is|was|has|board|period|posted|sent|went|were|are|go|goes|"
    r"published|issued)\b)|"
    r"aware of|declar\w*\s+(?:an?\s+|the\s+)?(?:incident|outage|sev)|incident\s+(?:was\s+)?"
    r"(?:declared|opened|created|raised)|"
    # "the Discord community began reporting issues": the people a service is for.
    r"(?:customers?|users?|support|merchants?|community|members|players|clients)\s+"
    # "a user notifies strange behaviour", "a customer flags the error"; not "users were
    # notified" (the team telling them).
    r"(?:\w+\s+)?(?:report|complain|contact|escalat|notifies|flag(?:s|ged)\b|pings\b|"
    r"pinged\b|asks\b|asked\b)|"
    # "Reported by a customer", "errors reported from the EU"; not "the value reported by
    # other validators" (a figure someone gives, not a fault someone tells of).
    # At the start of a row, or after the stamp it keeps in brackets: "(12:22PM) Report from".
    r"(?:^\W*|(?<=\)\s)|(?:issues?|problems?|errors?|failures?|outages?|"
    r"incidents?|bugs?|crash\w*|"
    r"vulnerabilit\w*|slowness|downtime)\s+(?:(?:was|were|is|are|first|being)\s+)?)"
    r"report(?:ed|s)?\s+(?:by|from)|"
    r"on-?call\s+(?:\w+\s+)?(?:engaged|notified|acknowledg|respond)|acknowledg|"
    r"monitor\w*\s+(?:\w+\s+)?(?:fired|trigger|flag|caught)|"
    # "Initial discovery", "first detection": the sighting named as an event.
    r"(?:first|initial)\s+(?:alert|report|page|discovery|detection|sighting)|"
    # "First validator reports an apphash", "the first customer complains".
    r"first\s+(?:[\w-]+\s+){1,2}(?:reports?|reported|complain\w*|notic\w*)\b|"
    r"escalat|ticket\s+(?:\S+\s+)?(?:is\s+|was\s+)?(?:opened|filed|raised|created)|"
    # "Reports of failed sign-ins", "incident reported internally", "automated warning from
    # the cloud provider": someone or something outside the fault telling of it.
    r"reports?\s+of\s+(?:\w+\s+)?(?:issues?|problems?|errors?|failures?|outages?|slow|broken|"
    r"failed|missing|trouble)|(?:incident|issue|problem|outage|bug)\s+(?:was\s+|is\s+)?"
    # "Issue identified and reported."
    r"(?:(?:identified|found|detected|confirmed)\s+and\s+)?reported|"
    r"(?:automated|automatic)\s+warning|warning\s+(?:from|received|fired|raised)|"
    # "the author reports the issue to the help desk", "a researcher submits a disclosure report"
    # "reports crash bug to the maintainers": the fault may be named with a word or two first.
    # "Sheriffs reported issue with update tasks": told in the past as well.
    r"report(?:s|ed)?\s+(?:the\s+|an?\s+|this\s+|their\s+|its\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:issue|problem|bug|outage|incident|vulnerabilit|finding|discovery)|"
    # "the sheriff pinged Aki", "paged @maria": someone reaching a person by name.
    r"(?:ping(?:ed|s)|paged|messag(?:ed|es)|contact(?:ed|s)|call(?:ed|s))\s+@?(?-i:[A-Z])[\w.-]+|"
    # "Cloud Engineering member informed", "the on-call engineer was notified".
    r"(?:team|member|engineers?|on-?call|staff|operators?|sre|admins?)\s+(?:was\s+|were\s+|is\s+|"
    r"are\s+|gets\s+|got\s+)?(?:informed|notified|alerted|paged)\b|"
    r"(?:submit|receiv|got)\w*\s+(?:an?\s+|the\s+|several\s+|many\s+)?(?:\w+\s+)?reports?\b|"
    # "receives a page storm", "got an alert from the uptime check".
    # "we started getting pages for widespread failures".
    r"(?:receiv|got|get)\w*\s+(?:an?\s+|the\s+|several\s+|many\s+)?(?:[\w-]+\s+)?"
    r"(?:pages?|alerts?|alarms?|notifications?)\b|"
    # "pings the maintainer to inform them of the outage", "we were told about the issue"
    # "reports on Slack that something is wrong with the CI", "says things look broken".
    r"(?:reports?|reported|says?|said|tells?|told)\b[^.;]{0,40}\b(?:something|things?)\s+"
    r"(?:is\s+|was\s+|are\s+|were\s+|look\w*\s+|went\s+)?(?:wrong|broken|off|down)\b|"
    # "OSTIF notified `conda-forge` of the leaked token": someone telling the team of it,
    # whatever the name is written as.
    r"(?:notified|informed|alerted)\s+(?:`[^`\n]{1,40}`|\S+)\s+(?:\S+\s+){0,2}?(?:of|about)\s|"
    # "first recorded instance of a user seeing ...": the first sighting on record.
    r"first\s+\W?(?:recorded|known|reported|logged)\s+(?:instance|case|report|sighting)|"
    # "notifying the ESLint team of the issue".
    r"(?:inform|notif|told|tell)\w*\s+(?:\w+\s+){0,3}(?:of|about)\s+(?:the\s+|an?\s+)?"
    r"(?:outage|incident|issue|problem|errors?|failures?)|"
    # "we are informed that the booking site is down", "support told us that ..."
    r"(?:informed|notified|told)\s+(?:\w+\s+)?that\b|"
    # "a user notified the maintainers' channel", "pinged the on-call", "emailed security@"
    # "a user emails PyPI Security", told in the present as timelines often are.
    r"(?:notifie[ds]|ping(?:ed|s)|messag(?:ed|es)|contact(?:ed|s)|e-?mail(?:ed|s)|"
    r"wr(?:ote|ites)\s+to)\s+(?:the\s+|our\s+)?"
    r"(?:[\w'-]+[\s-])?(?:team|channel|maintainers?|on-?call|developers?|devs|support|security|"
    r"us)\b)",
    re.IGNORECASE,
)


# A status page's first update ("Investigating - We are looking into elevated errors") is
# the team telling that it knows: a detection at the latest.
POSTED = re.compile(
    # "[*_\s]*" holds the spaces after the brackets: "\s*" before it read a long run of
    # spaces once for each of its spaces.
    r"^(?:\([^)]*\))?[*_\s]*investigating\b|"
    # "Our external provider is currently experiencing issues": a post in the present tense
    # of what the users meet now.
    r"^(?:\([^)]*\)\s*)?[\w\s'*_-]{0,60}?\b(?:is|are)\s+currently\s+"
    r"(?:experiencing|investigating|seeing|looking\s+into)\b",
    re.IGNORECASE,
)


RESOLVED = re.compile(
    r"\b(?:resolv|restor|recover|back to (?:normal|100\s?%)|"
    r"return(?:s|ed|ing)?\s+to\s+(?:normal|baseline)|"
    r"fully (?:operational|functional|available)|all clear|incident\s+(?:was\s+)?(?:closed|ended|over)|"
    # "All systems operational", "the outage was over", "no more errors after the rollback".
    r"all\s+(?:systems|services|components)\s+(?:are\s+)?operational|"
    r"(?:outage|impact|downtime|disruption)\s+(?:was|is|had\s+been)\s+over|"
    r"no\s+(?:more|further|new)\s+(?:errors?|failures?|alerts?|timeouts?|crash\w*)\b|"
    # What users do working once more: "users can log in again", "logins succeed again",
    # "builds are green again", "expected behaviour resumed", "traffic is flowing normally".
    r"\b(?:can|could|able\s+to)\s+(?:\w+\s+){1,3}?again\b|succe\w*\s+again|"
    r"green\s+again|greening\s+up|"
    r"(?:behaviou?r|service|traffic|processing|operations?|deliver\w*)\s+(?:\w+\s+)?resumed|"
    r"(?:flow|runn|serv|process|operat|perform)\w*\s+normally|"
    # The remedy that worked: "successfully restarts the hub", "successfully rolled back".
    r"successfully\s+(?:restart|reboot|roll\w*\s+back|revert|fail\w*\s+over|redeploy)\w*|"
    # Planned work done: "This maintenance window has concluded at 5:40 PM PST".
    r"(?:window|maintenance|downtime|migration|upgrade)\s+(?:\w+\s+){0,2}?"
    r"(?:concluded|completed|finished|ended|is\s+over|was\s+over)|"
    r"(?:outage|impact|incident|errors?)\s+(?:\w+\s+)?(?:ended|ceased|stopped|subsided)|"
    # "End of impact", "End of the mail outage", "(outage ends)".
    r"end\s+of\s+(?:the\s+)?(?:[\w.'-]+\s+){0,3}?(?:impact|outage|incident|downtime)\b|"
    r"(?:outage|impact|incident|downtime)\s+ends\b|"
    r"service\w*\s+(?:is|are|was|were)\s+(?:back|healthy|up)|"
    # The resolution announced as done: "resolution is confirmed complete".
    r"resolution\s+(?:is\s+|was\s+|has\s+been\s+)?(?:\w+\s+)?(?:complete|confirmed|done)|"
    # The service at its work as before: "once again merging at its usual rate".
    r"(?:usual|normal|expected|regular)\s+(?:rate|pace|speed|levels?|throughput)|"
    r"healthy again|operational again|(?:was|were|is|been|got)\s+fixed|"
    # "things are back to working order", "the site is back online", "back in service".
    r"back\s+(?:to\s+)?(?:working|online|in\s+(?:service|operation))|working\s+order|"
    # "Build Service comes back up", "the site came back from downtime".
    r"\b(?:comes?|came)\s+back\s+(?:up|online|from\s+(?:the\s+|its\s+)?(?:downtime|"
    r"maintenance|outage))\b|"
    # "blocks being created again", "queues flowing again": the service doing its work.
    # "prices were current again", "the mirrors are in sync again": the state before, back.
    # "Printing works again for every office."
    r"(?:working|works|worked|flowing|processing|serving|created|produced|running|responding|available|"
    r"current|accurate|fresh|up\s+to\s+date|in\s+sync|reachable|responsive|stable|normal)"
    r"\s+again|"
    # "the chain starts moving again", "validators are signing again": the service doing its
    # work once more; not "failing again", "erroring again" (a relapse).
    r"(?!(?:fail|error|crash|halt|stall|break|lagg|drop|tim|spik|miss|los|degrad|throttl|"
    r"reject|restart|happen|occur|recurr|increas|ris|climb|grow|slow|stuck|hang)\w*)"
    r"[a-z]+ing\s+again\b|once\s+again\s+"
    r"(?!(?:fail|error|crash|halt|stall|break|lagg|drop|tim|spik|miss|los|degrad|throttl))"
    r"[a-z]+ing\b|"
    r"(?:chain|network|production|processing|service|traffic|operations?|deliver(?:y|ies))\s+"
    r"(?:has\s+|have\s+|was\s+|were\s+)?resum(?:ed|es)\b|"
    r"resum(?:ed|es)\s+(?:\w+\s+)?(?:production|processing|service|operations?|traffic|"
    r"deliver(?:y|ies))\b|"
    # "All systems verified operational", "login confirmed working".
    r"(?:verified|confirmed|now|back)\s+(?:as\s+)?(?:fully\s+)?(?:operational|working)\b|"
    r"(?:working|running|operating)\s+(?:as\s+expected|normally)\b|"
    # What was closed to users during the incident opens to them again: "trees re-open",
    # "signups reopened". Not an incident or a ticket reopened, which goes the other way.
    r"\b(?:trees?|sites?|stores?|shops?|registr(?:y|ies)|signups?|registrations?|doors)\s+"
    r"(?:(?:is|are|was|were|ha(?:s|ve)\s+been)\s+)?re-?open(?:ed|s|ing)?\b)",
    re.IGNORECASE,
)


# The whole incident said to be over, not a part of the service back: "Incident resolved",
# "Function execution is fully restored", "all systems operational".
WHOLE_END = re.compile(
    r"\b(?:incident\s+(?:is\s+|was\s+|has\s+been\s+)?(?:resolved|over|ended)|"
    r"(?:fully|completely)\s+(?:restored|recovered|resolved|operational)|"
    r"all\s+(?:systems?|services?)\s+(?:are\s+)?(?:\w+\s+)?(?:operational|restored|recovered))",
    re.IGNORECASE,
)
MITIGATED = re.compile(r"\bmitigat", re.IGNORECASE)


# What stops the harm without saying the service is back: a fix or a revert in production,
# a leaked key destroyed, the team halting what was being abused. Weaker than an end: taken
# only when no row says the impact ended.
CONTAINED = re.compile(
    r"\b(?:fix(?:es)?\s+(?:was\s+|were\s+|is\s+)?(?:deployed|released|rolled out)|"
    # A fixed version shipped: "v1.11.2 pushed", "release 2.5.1 was published".
    r"v?\d+\.\d+\.\d+\s+(?:was\s+|is\s+|has\s+been\s+)?(?:pushed|released|published|shipped)\b|"
    # The fixed release in users' hands: "release binaries were available", "the patched
    # packages are now available".
    r"(?:release|binar(?:y|ies)|packages?|builds?|patched|hotfix|fixed\s+versions?)\b"
    r"(?!\s+(?:notes?|logs?|announcements?)\b)[^.;]{0,40}?"
    r"\b(?:were|was|are|is|became|made|now)\s+(?:\w+\s+)?available\b|"
    # The harmful release withdrawn: "removed from sale", "pulled from the store", "yanked".
    r"(?:removed|pulled|withdrawn|taken\s+down)\s+(?:\w+\s+)?from\s+(?:the\s+)?(?:sale|production|"
    r"stores?|app\s+stores?|registry|market\w*|distribution)\b|unpublish(?:ed|es)\b|yanked\b|"
    r"(?:deployed|released|rolled out)\s+(?:the\s+|a\s+)?fix|"
    r"(?:revert|rollback|roll-back|roll back|downgrade)\w*\b.{0,60}\b(?:complete|done|finished)|"
    # "The hotfix release's deployment completed as version 2.5.1".
    r"\b(?:hot)?fix(?:es)?\b.{0,60}\b(?:deploy\w*|roll-?out|upgrade)\s+(?:was\s+|is\s+|has\s+)?"
    r"(?:complete|done|finished)|"
    r"(?:token|key|credential|password|secret|certificate)s?\b.{0,40}\b"
    r"(?:destroyed|revoked|rotated|invalidated|deleted|disabled)|"
    r"(?:destroy|revok|rotat|invalidat)\w*\s+(?:the\s+|all\s+|a\s+)?(?:\w+\s+)?"
    r"(?:token|key|credential|password|secret)s?\b|"
    # "Team halts the pool", "we paused withdrawals": the team stops the harm. "The chain
    # halted" (the service as the subject) is the failure, and is not read here.
    r"(?:team|we|engineers?|operators?|maintainers?)\s+(?:\w+\s+)?"
    r"(?:halt|paus|disabl|shut|block|suspend)\w*|"
    # The fault put right: "identifies the misconfiguration and corrects it", "fixed the
    # bad setting".
    r"\b(?:correct|fix)(?:s|es|ed)?\s+(?:it|them|this|the\s+(?:[\w-]+\s+){0,2}?"
    r"(?:misconfiguration|configuration|config|setting|bug|fault|error|typo|rule))\b)",
    re.IGNORECASE,
)


# Rows where a third party tells of its own incident ("the CDN updates its status page to
# say the problem is fixed"): their end is not ours, which our own rows tell.
TELLING = re.compile(
    r"\b(?:their|its)\s+(?:own\s+)?(?:status\s*page|twitter|blog|announcement)|"
    r"\b(?:provider|vendor|upstream|third[- ]party)\b.{0,40}\b(?:status|announc|report)",
    re.IGNORECASE,
)


# A fix or a revert somewhere else than where the users are is a step, not the end.
ELSEWHERE = re.compile(
    r"\b(?:sandbox|staging|test(?:ing)?\s+env|dev(?:elopment)?\s+env|canary)", re.I
)


# The service failing, said of the service: the start of impact when no row says so outright.
ONSET = re.compile(
    # Not "the malicious link was taken down": someone removing a thing, often the remedy.
    r"\b(?:(?:went|goes|go|is|was|were)\s+(?!taken\b)(?:\w+\s+)?down\b|crash(?:ed|es)\b|(?:stall|halt)(?:ed|s)\b|"
    r"(?:became|become|becomes|went)\s+(?:\w+\s+)?(?:unavailable|unreachable|unresponsive)|"
    r"stopped\s+(?:working|responding|serving|producing|processing|accepting)|"
    # A security harm: "a number of our packages were compromised", "the token was leaked";
    # said of a thing named, not "no customer data was exposed", "were not compromised".
    r"\b(?:our|the|their|its|a|an|some|several|many|\d+)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:were|was|got|been|are|is)\s+(?!not\b|never\b)(?:\w+\s+)?(?:compromised|breached|"
    r"hijacked|defaced|leaked|exposed|tampered)\b|"
    r"(?:reach(?:ed|es)|dropped\s+to|fell\s+to)\s+0\s?%|"
    r"(?:error|failure|latency)\s+rates?\s+(?:\w+\s+)?(?:rose|rises|increased|spiked|jumped)|"
    # "blocks per minute had a marked drop", "a sharp fall in successful logins".
    r"(?:sharp|marked|sudden|steep|dramatic)\s+(?:drop|declin\w*|decreas\w*|fall))",
    re.IGNORECASE,
)


# A change made to the service: the first of the summary's timed events is the start when
# the text then tells what it broke ("we deployed ...; during the deployment, ... failed").
CHANGE = re.compile(
    r"\b(?:deploy|releas|roll(?:ed|ing)?\s+out|rollout|upgrad|migrat|publish|push|merg|"
    r"switch|applied|apply|chang|updat|launch)",
    re.IGNORECASE,
)


# The first signs of the fault told as such: the start, though the row may say they were
# "detected" or "observed" (in logs read afterwards, with nobody named who saw them).
FIRST_SIGNS = re.compile(
    r"\b(?:first|earliest|initial)\s+(?:\w+\s+)?(?:signs?|symptoms?|anomal\w*)\b"
    # "the first signs of recovery" are the end coming, not the fault.
    r"(?!\s+of\s+(?:recovery|improvement|progress|stabili|life|health))",
    re.IGNORECASE,
)
# Who notices: a person, a team, a tool that tells people, a user.
WATCHER = re.compile(
    r"\b(?:by|we|our|us|team|engineers?|on-?call|operators?|users?|customers?|alerts?|alarms?|"
    r"pag(?:ed|er|ing)|monitor\w*)\b",
    re.IGNORECASE,
)


STARTED = re.compile(
    # "Response to issue begins": the team's response begins, not the harm.
    r"\b(?<!to )(?<!to the )(?:(?:impact|outage|incident|errors?|failures?|degradation|disruption|problems?|issues?)"
    # "The team acknowledges the issue and starts the investigation": after "and", the verb
    # is the team's, and what it starts is the response, not the harm.
    r"\s+(?:(?!and\b|or\b)\w+\s+)?(?:began|begins|started|starts|start)\b"
    r"(?!\s+(?:(?:the|an?|our|its|their)\s+)?(?:investigat|respon|work|triag|debug|diagnos|"
    r"analys|look|fix|mitigat|recover|call|bridge)\w*)|"
    r"start(?:ed)?\s+(?:of\s+)?(?:the\s+)?(?:impact|outage|incident|failing|erroring|returning)|"
    # "GitLab.com starts experiencing an increase in load": a timeline told in the present.
    r"(?:began|begun|begins|start(?:s|ed|ing)?)\s+(?:to\s+)?(?:fail|return|see|experienc|erroring|"
    r"throw|reject|drop|time\s*out)|"
    # "Our cluster experienced a 7 minute cascading failure": the harm, named as a whole.
    r"experienc(?:e|ed|es|ing)\s+(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:outages?|failures?|incidents?|degradation|disruptions?|downtime|errors?|issues?|"
    r"problems?)\b|"
    # "Hachyderm experienced a spike in response times": the harm, measured.
    r"experienc(?:e|ed|es|ing)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:spikes?|surges?|jumps?)\s+in\s+"
    r"(?:\w+\s+)?(?:response\s+times?|latenc\w*|errors?|error\s+rates?|timeouts?)\b|"
    # "First errors", "Earliest sign of anomaly", "Initial symptoms detected".
    r"(?:first|earliest|initial)\s+(?:\w+\s+)?(?:errors?|failures?|timeouts?|signs?|symptoms?|"
    r"anomal\w*)\b(?!\s+of\s+(?:recovery|improvement|progress|stabili|life|health))|"
    r"<?\s*start of (?:outage|impact|incident)\s*>?|"
    # The fault reaching users: "Bug deployed to the auth service", "regression shipped".
    r"(?:bug|regression|defect)\s+(?:was\s+|is\s+)?(?:deployed|shipped|released|introduced|"
    r"rolled\s+out|went\s+live)|"
    # "an outage ... which started with degraded performance", "impact began around 11:00".
    # Not what starts the response: "a first report, which started a 2-day investigation".
    r"(?:which|that)\s+(?:started|began)(?!\s+(?:(?:the|an?|our|its|their)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:investigat|respon|triag|debug|diagnos|analys|search|hunt|call|"
    r"bridge))|(?:started|began)\s+(?:with|around|at|shortly)|"
    # The state of harm from a time on: "was unavailable from 17:45 UTC", "down since 09:00".
    r"(?:unavailable|down|offline|unreachable|inaccessible|degraded)\s+(?:from|since)\b|"
    # Planned work announced for a time: "on Friday at 5:00pm PST the site will be having a
    # scheduled downtime", "a planned maintenance window starts".
    r"(?:scheduled|planned)\s+(?:\w+\s+)?(?:downtime|maintenance|outage)|"
    # A security incident starts when the weakness is used: "an attacker exploited the pool".
    r"(?:attackers?|exploiters?|hackers?)\s+(?:\w+\s+)?exploited|was\s+exploited|"
    r"(?:issue|bug|vulnerability|flaw|weakness)\s+(?:was\s+)?exploited)",
    re.IGNORECASE,
)


_HEDGE = (
    r"(?:appears?|seem(?:s|ed)?)\s+(?:to\s+)?(?:have\s+|be\s+)?(?:\w+\s+){0,2}"
    r"(?:recover|restor|resolv|back|normal|fix|work|stable|stabili|healthy|clear|subsid)|"
    # An end believed in is not yet seen: "we believe it to be resolved and are monitoring".
    r"(?:believe[sd]?|think|thought)\s+(?:that\s+)?(?:\w+\s+){0,4}?(?:recover|restor|resolv|fix)"
)
# An end hedged in one sentence of a row hedges the row: "the pod is working again.
# Service appears to be restored." is what was seen, the end not yet called. Not a bare
# "apparently", which may hedge the cause beside a plain end.
HEDGED = re.compile(r"\b(?:" + _HEDGE + ")", re.IGNORECASE)


# Wording that says the end is not there yet: "partially restored", "began to recover",
# "triggered to resolve", "errors mostly subsided but latencies persist", "stopped resolving".
NOT_YET = re.compile(
    r"\b(?:partial(?:ly)?|some|most|mostly|persist|start(?:ed|s)?\s+to|starting|"
    # "began to recover", "begins recovering"; not "begin investigation" beside an end.
    r"beg[ia]ns?\s+(?:to\s+)?(?:\w+\s+)?(?:recover|restor|resolv|return|improv|clear|"
    r"subsid|heal|stabili|work|come\s+back|drain|catch)|"
    r"recovering|to\s+(?:resolv|restor|recover|mitigat|fix)|"
    # The end still under way beside what the team does: "monitoring the site as systems
    # recover", "while the backlog is restored", "until replication recovers".
    # Not "marked as resolved": a state reached.
    r"\b(?:as|while|until)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:recover(?:s|ing)?|restor(?:es?|ing)|resolv(?:es?|ing)|return(?:s|ing)?)\b|"
    # Work still going on: "working to replace the part and continue restoring connections".
    r"\bwork(?:s|ing)?\s+to\s+|\bcontinu\w*\s+(?:to\s+)?(?:restor|resolv|recover|fix)|"
    # Work towards an end, or one hoped for, planned or estimated, names no moment: "working
    # on resolving", "progress towards resolution", "hope to have it resolved soon",
    # "estimated time of recovery", "when the server is brought back online".
    r"(?:on|towards?)\s+(?:the\s+|a\s+)?(?:\w+ly\s+)?(?:resolv|restor|recover|resolution|fix)|"
    r"(?:hope|expect|plan|aim|estimat|anticipat)\w*\s+(?:\w+\s+){0,4}?"
    r"(?:resolv|restor|recover|resolution|fix|back)|"
    r"\b(?:when|until|if|as\s+soon\s+as|before|once)\s+(?:[\w.'-]+\s+){1,6}?(?:is|are|gets?|has\s+been)\s+"
    r"(?:\w+\s+)?(?:back|restored|resolved|recovered|fixed|online)|"
    # "the record stopped resolving": a name that does not resolve is the failure itself.
    r"(?:stopp(?:ed|ing)|ceased|not|n't)\s+(?:\w+\s+)?(?:resolving|recovering)|"
    r"not\s+(?:yet\s+)?(?:\w+\s+)?(?:resolv|restor|recover)|still|"
    # An end denied or doubted: "unlikely that we'll be in a position to bring it back
    # online today", "unable to restore", "no recovery yet".
    r"\b(?:unlikely|unable|cannot|can't|won't|will\s+not|no\s+longer\s+expect)\s+"
    r"(?:[\w']+\s+){0,10}?(?:back|restor|recover|resolv|online|up\b)|"
    r"\bno\s+(?:sign\s+of\s+|\w+\s+)?(?:recovery|restoration|resolution|improvement)\b|"
    # An end still ahead, as a plan: "we will proceed with another restore", "we plan to
    # open up the login nodes to make files available again".
    r"\b(?:will|shall|going\s+to|plan(?:s|ned|ning)?\s+to|intend\w*\s+to|goal\s+is\s+to)\s+"
    r"(?:[\w']+\s+){0,10}?(?:restor|recover|resolv|available|online|back\b|fix|correct)|"
    r"monitor(?:ing)?\s+(?:the\s+)?(?:fix|recovery)|" + _HEDGE + "|apparently|"
    # A hedged end is no end: "despite the fact that it appears to have recovered".
    # Only a hedge on the end itself: "a new node did not appear to be needed" hedges nothing.
    # The first of many back is the recovery beginning: "the first servers coming up".
    r"\bfirst\s+(?:[\w-]+\s+)?(?:servers?|machines?|systems?|services?|nodes?|hosts?|sites?)\s+"
    r"(?:are\s+|is\s+|were\s+)?(?:coming|came|back|up|online)\b|"
    # An expectation is no confirmation: "assets should be back to normal".
    r"\bshould\s+(?:now\s+)?(?:be\s+)?(?:\w+\s+)?(?:back|normal|restored|recovered|available|"
    r"working)|"
    # Nor one under way or partial: "a fix is being deployed, mitigating most but not all".
    r"being\s+(?:deployed|rolled|applied|restored)|in\s+progress|not\s+all\b|"
    # An end with its exception: "the node has restored, but volumes will not mount".
    r"\bbut\s+(?:\w+\s+){0,6}?(?:not|\w+n't|no\s+longer|unable|still|fail\w*)\b|"
    # Data put back is a step of the repair: "Restored quorum metadata on all brokers".
    r"\brestor\w*\s+(?:the\s+)?(?:[\w-]+\s+)?(?:metadata|state|snapshots?|backups?|config\w*|"
    r"files?|volumes?)\b|"
    r"\brestor\w*\s+(?:\w+\s+){0,3}from\s+(?:the\s+|a\s+)?(?:backups?|snapshots?)\b|"
    r"\b(?:metadata|snapshots?|backups?|config\w*|files?|volumes?)\s+(?:was|were|is|are|has\s+been|"
    r"have\s+been)\s+restored\b|"
    # A resource got back is no service back: "187 GB of space has been recovered".
    r"(?:space|capacity|bytes|funds|\d+\s*[kmgt]i?b)\s+(?:\w+\s+){0,2}(?:recovered|restored|"
    r"reclaimed)|(?:recover|reclaim)\w*\s+(?:\d+\s*[kmgt]i?b|(?:\w+\s+)?(?:disk\s+)?space\b))",
    re.IGNORECASE,
)


# Words that say a summary's window is the incident's (not a maintenance slot, say).
IMPACT = re.compile(
    r"\b(?:outage|incident|impact|affect|degrad|unavailab|disrupt|error|fail|down|slow|"
    r"latenc|timeout|timed out|could(?:n't|\s+not)|can(?:not|'t|\s+not)|unable|"
    # "The API doesn't work as expected": what users meet, in the present.
    r"(?:do|does|did)(?:n't|\s+not)\s+work|inaccessib|unreachab|expired|"
    r"elevated|interrupt|broken|broke|lost|delay|stale|"
    r"regression|halt|stall|crash|stop(?:ped|s)?\s+(?:working|responding|serving|processing)|"
    r"read-only|"
    # "had connectivity problems", "the oracle blocked"; not "we blocked the address".
    r"problems?\b|trouble|(?<!\bwe )(?<!\bteam )blocked\b|"
    # The service misbehaving rather than failing outright: "the network instability
    # occurred between ...", "intermittent packet loss", "the cluster hung".
    r"instabilit|unstable|intermittent|flapp|packet\s+loss|unresponsive|overload|"
    r"saturat|congest|hung\b|freez|frozen|corrupt)",
    re.IGNORECASE,
)


# Not after "a.m." or "p.m.": "between 9:10 and 10:40 a.m. PT the API was down" is one.
SENTENCE = re.compile(r"(?<=[.!?])(?<![ap]\.m\.)(?<![AP]\.M\.)\s+(?=[A-Z(\"'])|\n\s*\n")


# Where a list item or a table row begins: each is a statement of its own.
LIST_ITEM = re.compile(r"\n(?=[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]|\|))")


# "Update 2nd February 2021:", "Edit (May 5):", "Addendum": text added later, dated then.
ADDENDUM = re.compile(r"\W*(?:update[sd]?|edit(?:ed)?|addendum|correction)\b", re.IGNORECASE)


# "The team was already online and immediately started to investigate": the harm seen as it
# began.
AT_ONCE = re.compile(
    r"\b(?:immediately|at once|right away|instantly)\b.{0,40}\b(?:investigat|respond|notic|"
    r"aware|alert|page|paged|look(?:ed|ing)? into)|\b(?:notic|alert|paged|aware)\w*\s+"
    r"(?:\w+\s+){0,3}(?:immediately|at once|right away|instantly)\b",
    re.IGNORECASE,
)


# "Incident officially begins": the process opened, told after the harm began; not its start.
FORMALLY = re.compile(r"\b(?:officially|formally)\b", re.IGNORECASE)


# The service seen healthy, without the word for an end: "systems are stabilizing",
# "readiness probe passing", "volumes attached and healthy", "the payment succeeds". Not
# "no longer healthy".
HEALTHY = re.compile(
    r"(?<!no longer )(?<!not )(?<!n't )\b(?:healthy|stabili[sz](?:ed|ing)|"
    r"(?:probes?|checks?)\s+(?:are\s+|is\s+)?(?:now\s+)?passing|"
    # What failed now going through: "the stuck transaction is mined and succeeds".
    r"succeed(?:s|ed)|succeeding|"
    # A verdict on the whole: "all good!", "everything looks green", "all systems OK".
    r"(?:all|everything)\s+(?:systems?\s+)?(?:is\s+|are\s+|looks?\s+|now\s+)*"
    r"(?:good|green|fine|ok(?:ay)?|nominal))\b",
    re.IGNORECASE,
)


# A later part of an incident told as such: "a second set of requests", "another wave".
REPEAT = re.compile(
    r"\b(?:again\b|recurr|re-?occur|resurfac|(?:second|third|fourth|another|later)\s+(?:\w+\s+)?"
    r"(?:set|period|wave|outage|incident|round|event|episode|spike|batch|burst|occurrence))",
    re.IGNORECASE,
)


RELAPSE = re.compile(
    r"\b(?:again|recurr|re-?occur|resurfac|second\s+(?:period|wave|outage|incident|round)|"
    r"another\s+(?:outage|spike|wave|period|round))",
    re.IGNORECASE,
)


# "If you are still experiencing issues, contact us": what the reader should do if, not
# what happened when.
ADDRESSED = re.compile(
    r"\b(?:if|should|unless|in\s+case|whether)\s+(?:you|anyone|any\s+\w+|customers?|users?|"
    r"your\s+\w+)\b",
    re.IGNORECASE,
)


def tells(sentence: str, family: re.Pattern[str]) -> re.Match[str] | None:
    """Where a sentence says what ``family`` means as something that happened: not in a
    condition put to the reader ("if you still see errors") before it."""
    return next(
        (m for m in family.finditer(sentence) if not ADDRESSED.search(sentence, 0, m.start())),
        None,
    )


def says(text: str, family: re.Pattern[str]) -> bool:
    """Whether a sentence of ``text`` says what ``family`` means, unqualified ("OUTAGE
    MITIGATED, new machine deployed. Mounts are still missing." says it; "partially
    restored" does not)."""
    return any(family.search(s) and not NOT_YET.search(s) for s in sentences(text))


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph or several, markup aside, each on one line. A run of
    text longer than any sentence a person writes (a log pasted as prose, a page without a
    full stop) is no statement of a moment, and reading its times costs seconds: left out."""
    # Each list item is a statement of its own, with or without a full stop; so is an
    # HTML one ("<li><strong>17:32</strong> - We are investigating</li><li>...").
    items = [part for item in LIST_ITEM.split(text) for part in _HTML_ITEM.split(item)]
    plain = [re.sub(r"[*_`]+", "", item) for item in items]
    return [
        " ".join(s.split())
        for item in plain
        for s in SENTENCE.split(item)
        if s.strip() and len(s) <= LONGEST_SENTENCE
    ]


LONGEST_SENTENCE = 2000
_HTML_ITEM = re.compile(r"</?(?:li|tr|ul|ol)\b[^>]*>", re.IGNORECASE)
