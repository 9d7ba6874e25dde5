"""The word lists of the blameless rules, as data.

Which words name people, roles and groups, which name things a system is made of, which
verbs are system behaviour, which words make an action item vague or an owner a placeholder:
the rules read these lists and hold none of their own, so a word is added in one place.
Every list is a set of lower-case words built once, at import. A list names one form of a
noun: the subject heuristic also tries its likely singulars.
"""

from __future__ import annotations

from typing import Final


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


# The subject of a phrase (engine): who or what stands before a verb.

# People, roles and groups of people. "they" and "operator" are ambiguous: in technical
# prose they often stand for pods or Kubernetes operators.
PERSON_WORDS: Final = _words(
    "we i you he she someone somebody anyone anybody everyone everybody nobody noone us",
    "ourselves myself yourself himself herself themselves whoever folks",
    "engineer developer dev sre oncall on-call on-caller responder reviewer approver",
    "author admin administrator sysadmin intern contractor lead manager human person people",
    "staff teammate colleague team member owner ic commander dba analyst employee",
    "maintainer committer submitter requester ops devops coordinator programmer tester",
    "qa architect director vp cto ceo",
)

AMBIGUOUS_WORDS: Final = _words("they them operator")

SYSTEM_WORDS: Final = _words(
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

SKIP_BEFORE: Final = _words(
    "also then still again just never ever even already clearly obviously was were is are be",
    "been being had has have all both simply really therefore thus hence initially later",
    "subsequently unfortunately apparently probably likely certainly definitely ultimately",
    "eventually not themselves itself ourselves himself herself repeatedly twice once first",
    "now so actually indeed somehow consistently silently quickly immediately originally",
    "sadly unexpectedly to appear appears appeared seem seems seemed",
)

NOT_ADVERBS: Final = _words("reply supply assembly family anomaly rally poly jelly ally only")

SYSTEM_VERBS: Final = _words(
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
HUMAN_PASSIVE: Final = _words(
    "reviewed checked double-checked noticed spotted tested verified escalated communicated",
    "announced read caught flagged questioned documented considered discussed known",
    "anticipated foreseen predicted realized realised investigated approved",
)

IRREGULAR_PP: Final = _words(
    "been known done seen gone taken caught run sent made built written read told kept got",
    "gotten had left set put brought thought found held felt led meant paid said shown spent",
    "stood understood broken chosen drawn driven fallen forgotten given hidden spoken stolen",
    "thrown begun come become overcome let hit cut shut split spread quit rung woken",
)

PERSON_PREFIX_STOP: Final = _words(
    "january february march april may june july august september october november december",
    "monday tuesday wednesday thursday friday saturday sunday",
)

DETERMINERS: Final = _words("the a an our their his her my your its this that these those on")

CONJUNCTIONS: Final = _words("but and yet")

CLAUSE_WORDS: Final = CONJUNCTIONS | _words(
    "so because while when as since although though after before once"
)

# What a person "failed to" do that is a fact, not a judgment: "the engineer failed to
# connect to the VPN". Other verbs after a person ("failed to update the runbook") judge.
ACCESS_VERBS: Final = _words(
    "connect reconnect authenticate login log reach access join load open start boot get",
    "become receive sign",
)

VERB_LIKE: Final = (
    SKIP_BEFORE
    | IRREGULAR_PP
    | SYSTEM_VERBS
    | _words(
        "ran wrote did took saw knew went gave made set sets chose picked opened merged pushed",
        "approved updated changed removed added edited typed entered",
    )
)

# BL001: handles and names that are no person's.

BROADCAST_HANDLES: Final = _words("@here @channel @everyone @all @team @oncall @on-call")

# Words that make a name a group of people, a company or a product rather than a person.
# "Platform team", "payments squad", "SRE on-call", "DevOps", "Acme Labs", "Initech Inc."
GROUP_WORDS: Final = _words(
    "team teams squad squads oncall on-call rota rotation sre sres platform platforms ops",
    "devops secops sysops netops itops finops mlops dataops gitops group groups guild crew",
    "department dept tribe chapter division unit committee board council office org",
    "organisation organization engineering infra infrastructure operations support helpdesk",
    "desk staff everyone all",
)

COMPANY_WORDS: Final = _words(
    "inc inc. ltd ltd. llc gmbh plc corp corp. corporation company technologies labs",
    "software systems a/s aps bv ab",
)

PARTICLES: Final = _words(
    "van von de da das dos del della der den di du la le bin ibn al el ter ten y"
)

TEAM_HANDLE_WORDS: Final = _words("team teams squad oncall on-call rota guild crew group dept")

# BL002: human error.

# "mistakenly believed", "accidentally found": a belief or a lucky find, not a slip.
SLIP_NOT_AFTER: Final = _words(
    "thought think believed believe assumed assume considered expected concluded judged",
    "found discovered noticed spotted learned learnt stumbled uncovered caught detected",
)

PASSIVE_AUX: Final = _words("was were been being be is are got get gets")

OVERSIGHT_BEFORE: Final = _words(
    "this that an the our my his her their its a simple human small minor unfortunate",
    "honest another big major critical costly careless obvious one",
)

OVERSIGHT_NOT_AFTER: Final = _words(
    "of over committee board body function role responsibility responsibilities process",
    "team group mechanism mechanisms and",
)

# BL004: judgment words ("lazy" is mostly technical).

LAZY_BEFORE: Final = _words(
    "was were is are being been too so very bit just plain pretty got getting seems seemed",
    "felt looked sheer pure of from",
)

LAZY_AFTER: Final = _words("about with engineer engineers person people")

# "lazy loaded", "being lazy initialised", "make the options lazy": evaluation strategy.
LAZY_TECH: Final = _words(
    "load loaded loading loads loader evaluation evaluated eval init initialization",
    "initialisation initialized initialised import imported imports iterator iterators",
    "sequence fetch fetched fetching property properties value values instantiation",
    "instantiated allocation allocated compilation compiled hydration rendering rendered",
    "expansion binding bindings parsing parsed resolution resolved",
)

LAZY_CAUSATIVE: Final = _words("make makes made making keep keeps kept stay stays")

# BL005: vague action items.

# Words an action can consist of entirely and still promise nothing checkable.
GENERIC: Final = _words(
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

VAGUE_VERBS: Final = _words(
    "investigate investigating investigation look looking review reviewing revisit reconsider",
    "re-evaluate reevaluate evaluate assess consider discuss explore research analyze analyse",
    "understand figure find fix fixing address resolve handle sort clean tidy improve improving",
    "enhance harden strengthen optimize optimise increase tighten rethink follow check monitor",
    "watch track prevent avoid ensure make keep eye think learn communicate educate train",
    "remind share try continue stop be do",
)

# Verbs that are concrete on their own ("add alerting") but vague with a bare quantifier
# ("add more alerting").
WEAK_VERBS: Final = _words("add adding implement create introduce set write put build have get")

QUANTIFIERS: Final = _words("more better additional extra some proper further improved")

# BL006: placeholder owners.

# Decision: a named team ("payments team", "SRE", "ops", "platform") is a real owner: it
# has a queue and a lead to route the item to. A collective with no name ("the team",
# "everyone", "engineering", "devs") or a marker for "not decided yet" is a placeholder.
PLACEHOLDER_OWNERS: Final = frozenset(
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
