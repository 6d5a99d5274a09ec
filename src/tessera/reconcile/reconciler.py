"""Group claims across documents into relations and events; report where sources disagree."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .. import gazetteer_facade as places
from ..models import (FILLER_FIELDS, SYMMETRIC_PREDICATES, same_kind, Conflict, DocumentAnalysis, Event, EventClaim,
                      EventMerge, Evidence, Filler, Relation, RelationClaim, ValueWithEvidence)
from ..resolve import Resolution
from ..analyze.lexicons import cues
from ..resolve.normalize import filler_words, filler_key, merge_fillers, person_tokens, titles_of
from ..analyze.casing import lowercase_share
from ..analyze.dates import days_apart, month_or_day, parse_iso
from .compare import counts_compatible, dates_compatible, most_precise

TAGGER = "model.roles.v1"  # fillers only the role tagger read are weaker evidence of identity
FUNCTIONAL = {"founded_on"}  # one true value: disagreement is a conflict


@dataclass
class Reconciled:
    relations: list[Relation]
    events: list[Event]
    conflicts: list[Conflict]
    event_merges: list[EventMerge] = field(default_factory=list)
    # where each relation, event, conflict and event merge falls in the order a whole rebuild gives:
    # id (for an event merge, its event id and index) -> text that sorts in that order
    ranks: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)  # (document, claim index, event id) of every event account
    replaced: set = field(default_factory=set)  # going on from stored events: the ids of those these replace


def _hid(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def _source(document: str, duplicate_of: dict[str, str]) -> str:
    """The independent source a document counts as: itself, or the earliest copy of its story."""
    return duplicate_of.get(document, document)


def _values(pairs: list[tuple[object, Evidence]]) -> tuple[ValueWithEvidence, ...]:
    grouped: dict[object, list[Evidence]] = defaultdict(list)
    for v, ev in pairs:
        if ev not in grouped[v]:
            grouped[v].append(ev)
    return tuple(ValueWithEvidence(value=v, evidence=tuple(evs)) for v, evs in grouped.items())


def relation_key(c: RelationClaim, s: str, o: str | None) -> tuple[str, str, str | None]:
    """The (subject, predicate, object) of the relation a claim is grouped into (object None for a value)."""
    if c.predicate in SYMMETRIC_PREDICATES and o is not None and o < s:
        s, o = o, s
    return (s, c.predicate, o) if c.value is None else (s, c.predicate, None)


def _relations(claims: list[tuple[RelationClaim, str, str | None, str]],
               duplicate_of: dict[str, str], ranks: dict) -> tuple[list[Relation], list[Conflict]]:
    groups: dict[tuple, list[tuple[RelationClaim, str, str | None]]] = defaultdict(list)
    first: dict[tuple, str] = {}
    for c, s, o, rank in claims:
        key = relation_key(c, s, o)
        groups[key].append((c, key[0], key[2]))
        first.setdefault(key, rank)
    relations: list[Relation] = []
    conflicts: list[Conflict] = []
    for (s, p, o), items in groups.items():
        if p in FUNCTIONAL:
            rel, conflict = _literal(s, p, items, duplicate_of)
            ranks[rel.id] = first[(s, p, o)] + "\x1f0000"
            relations.append(rel)
            if conflict:
                ranks[conflict.id] = "0" + ranks[rel.id]
                conflicts.append(conflict)
            continue
        # time-scoped: claims with incompatible dates are different relations (pledges in 2014 and 2015)
        clusters: list[dict] = []
        for c, _, _ in sorted(items, key=lambda x: x[0].date is None):
            if c.date is None:
                continue
            for cl in clusters:
                if dates_compatible(cl["date"], c.date):
                    cl["claims"].append(c)
                    cl["date"] = most_precise([cl["date"], c.date])
                    break
            else:
                clusters.append({"date": c.date, "claims": [c]})
        undated = [c for c, _, _ in items if c.date is None]
        loose = []
        for c in undated:
            same_doc = [cl for cl in clusters if any(x.evidence.document == c.evidence.document for x in cl["claims"])]
            target = same_doc[0] if len(same_doc) == 1 else clusters[0] if len(clusters) == 1 else None
            (target["claims"] if target else loose).append(c)
        if loose:
            clusters.append({"date": None, "claims": loose})
        for n, cl in enumerate(clusters):
            evidence = tuple(dict.fromkeys(c.evidence for c in cl["claims"]))
            ended = all(c.ended for c in cl["claims"])  # "former" only when every source says so
            relations.append(Relation(id=_hid("rel-", s, p, o, cl["date"]), subject=s, predicate=p, object=o,
                                      date=cl["date"], evidence=evidence, ended=ended))
            ranks[relations[-1].id] = f"{first[(s, p, o)]}\x1f{n:04d}"
    return relations, conflicts


def _close_predecessors(relations: list[Relation], context: list[Relation] = ()) -> list[Relation]:
    """A leader someone succeeded no longer leads: mark that leadership as ended (a succession, not a conflict).
    ``context``: other relations that count as successions and leaderships (not returned)."""
    replaced = {(r.object, r.subject) for r in [*relations, *context] if r.predicate == "succeeded"}  # (old, new)
    leads = {(r.subject, r.object) for r in [*relations, *context] if r.predicate == "led_by"}  # (group, person)
    out = []
    for r in relations:
        if r.predicate == "led_by" and not r.ended and any(
                old == r.object and (r.subject, new) in leads for old, new in replaced):
            r = replace(r, ended=True)
        out.append(r)
    return out


def _literal(s: str, p: str, items, duplicate_of: dict[str, str]) -> tuple[Relation, Conflict | None]:
    pairs = [(c.value, c.evidence) for c, _, _ in items]
    values = [v for v, _ in pairs]
    # two copies of one story never disagree (an edited copy's value is no second source)
    clash = any(not dates_compatible(a, b) and (ea.document == eb.document
                                                or _source(ea.document, duplicate_of) != _source(eb.document, duplicate_of))
                for i, (a, ea) in enumerate(pairs) for b, eb in pairs[i + 1:])
    if clash:
        support = defaultdict(set)
        for v, ev in pairs:
            support[v].add(_source(ev.document, duplicate_of))
        best = max(support, key=lambda v: (len(support[v]), len(v)))
    else:
        best = most_precise(values)
    rel = Relation(id=_hid("rel-", s, p, "value"), subject=s, predicate=p, value=best,
                   evidence=tuple(dict.fromkeys(ev for _, ev in pairs)))
    conflict = None
    if clash:
        conflict = Conflict(id=_hid("con-", rel.id, "value"), about=rel.id, field="value", values=_values(pairs))
    return rel, conflict


class _Geo:
    """Where places lie, for the reconciler: each location entity's gazetteer entry when it has one
    (``gazetteer_facade.locate``), else what the names alone say."""

    def __init__(self, names: dict[str, str], located: dict | None = None) -> None:
        self.names = names
        self.located = located or {}
        self.regions = frozenset(cues()["supranational_regions"])  # "Latin America": above the countries

    def place(self, eid: str):
        return self.located.get(eid)

    def is_country(self, eid: str) -> bool:
        p = self.place(eid)
        return p.kind == "country" if p is not None else places.is_country(self.names.get(eid, ""))

    def busy(self, eid: str) -> bool:
        """Whether the place is a city of BUSY_CITY people or more, or a country's first division (a province,
        a state, a department: Antioquia holds Medellin), where one day sees several incidents."""
        p = self.place(eid)
        return p is not None and (p.kind == "admin1" or p.kind == "city" and (p.population or 0) >= BUSY_CITY)

    def specific(self, ids: set[str]) -> set[str]:
        """The places below the country level (not a country, nor "Latin America", "the Caribbean")."""
        return {i for i in ids if not self.is_country(i)
                and self.names.get(i, "").lower().removeprefix("the ") not in self.regions}

    def countries(self, ids: set[str]) -> set[str]:
        """The countries (codes) the gazetteer puts these places in."""
        return {p.country_code for i in ids if (p := self.place(i)) is not None and p.country_code}

    def holds(self, outer: str, inner: str) -> bool:
        """Whether place ``outer`` holds place ``inner`` (a country its towns, a region its cities)."""
        po, pi = self.place(outer), self.place(inner)
        if po is not None and pi is not None:
            return po.key != pi.key and places.contains(po, pi)
        return places.within(self.names.get(inner, ""), self.names.get(outer, ""))

    def nested(self, a: set[str], b: set[str]) -> tuple[str, str] | None:
        """A place of one set and a place of the other that holds it (Garissa / Kenya), or None."""
        for x in sorted(a):  # sorted: the pair named in the reason is the same whatever the set order
            for y in sorted(b):
                if self.holds(y, x):
                    return x, y
                if self.holds(x, y):
                    return y, x
        return None

    def may_meet(self, a: set[str], b: set[str]) -> bool:
        """Whether a place of one set may be, hold or lie in a place of the other (a place the gazetteer
        does not know may be anywhere: a street, a campus)."""
        for x in a:
            for y in b:
                px, py = self.place(x), self.place(y)
                if px is None or py is None:
                    if not (places.is_place(self.names.get(x, "")) and places.is_place(self.names.get(y, ""))):
                        return True
                    if self.holds(x, y) or self.holds(y, x):
                        return True
                elif places.compatible(px, py):
                    return True
        return False


REPORTED_WITHIN_DAYS = 31  # accounts without a date of their own, published this far apart, are not one incident
REPORTED_CLOSE_DAYS = 3  # ... nor, with no victim or target in common, published further apart than this


def _reported_together(mine: set, theirs: set, within: int = REPORTED_WITHIN_DAYS) -> bool:
    """Whether an account with no date of its own may be the same incident as a cluster, by when their
    documents were published: within ``within`` days of one another (True when either is unknown)."""
    if not mine or not theirs:
        return True
    return any(abs((a - b).days) <= within for a in mine for b in theirs)


# One incident, several accounts: an account joins the first event it is compatible with whose evidence
# scores at least JOIN_SCORE. Incompatible (never joined): another type or kind of attack, dates that
# cannot both be true, two specific places neither of which holds the other (unless one victim is named
# by both), or no date of their own and reports too far apart. The evidence, each with its weight:
WEIGHTS = {
    "victim": 4.0,  # a named victim (or the dead person) of both
    "place": 2.5,  # a place below the country named by both
    "day": 2.0,  # the same day
    "nested": 1.0,  # a place of one lies in a country of the other
    "dated": 1.0,  # both dated to the month or day, compatibly
    "reported": 0.5,  # not both dated, but reported within REPORTED_WITHIN_DAYS (or when unknown)
    "perpetrator": 1.0,  # a group or person held responsible by both
    "target": 1.5,  # a target worded alike by both ("the Colombian embassy")
    "victim_read": 2.0,  # a named victim of both where one reading is the tagger's alone
    "described": 1.5,  # victims described alike, by more than number or sex ("six Jesuits", "the Spanish Jesuits")
}
DESCRIBED_DISPUTED_DAYS = 2  # ... dates this close, at one place, for victims described alike: a disagreement
DISPUTED_DAYS = 7  # two days this close for one named victim are a disagreement, not two incidents
JOIN_SCORE = 3.5  # a shared place needs dates or reports that agree; a shared day needs places that do
# Another report's account joins only with a participant in common (a victim, a target, victims described
# alike), or at one place when the two name no people or organizations attacked that differ (measured on MUC-4's
# 1,300 training reports, `python -m benchmarks.muc4_kb --split train`: false merges 69 -> 57, events joining
# reports 133 -> 109, merged 18 of 93 as before; dev unchanged)
PARTICIPANTS = {"victim", "victim_read", "target", "described"}
# ... and a city this big is no place in common enough (MUC-4 training reports: same-day joins at San Salvador,
# Bogota, Medellin, Guatemala City were 4 right, 16 wrong; the towns the samples' accounts share are small)
BUSY_CITY = 300_000


@dataclass
class _Account:
    """What the reconciler compares of one event claim (entity ids already global)."""

    claim: EventClaim
    ids: dict
    document: str
    locations: set
    subject: str | None
    victims: set
    reported: set
    read_victims: set = field(default_factory=set)  # named victims the rules found (not the tagger alone)
    perpetrators: set = field(default_factory=set)
    claimants: set = field(default_factory=set)  # the groups that claimed it (among the perpetrators)
    targets: set = field(default_factory=set)  # target wordings (filler keys) and "@" + the entities targets name
    named: set = field(default_factory=set)  # named victims: (their name's words, the name as written)
    # victims described: (head word, count or None, the wording, whether a named victim's title gives it)
    described: set = field(default_factory=set)
    keys: set = field(default_factory=set)  # its join keys (_join_keys): the events that may take it share one
    source: str = ""  # the independent source its document counts as (_source)
    countries: set = field(default_factory=set)  # the countries (codes) its places lie in
    specific: set = field(default_factory=set)  # its places below the country level (_Geo.specific)
    leader: tuple | None = None  # a copy's account told again: the original's account it follows (follower_leaders)


@dataclass
class _Cluster:
    type: str
    subject: str | None
    accounts: list = field(default_factory=list)
    locations: set = field(default_factory=set)
    subtypes: set = field(default_factory=set)
    victims: set = field(default_factory=set)
    read_victims: set = field(default_factory=set)
    perpetrators: set = field(default_factory=set)
    claimants: set = field(default_factory=set)
    targets: set = field(default_factory=set)
    named: set = field(default_factory=set)
    described: set = field(default_factory=set)
    reported: set = field(default_factory=set)
    reasons: list = field(default_factory=list)  # (document, reason, score) of each account that joined
    sources: set = field(default_factory=set)  # its accounts' sources
    countries: set = field(default_factory=set)  # the countries its accounts' places lie in
    specific: set = field(default_factory=set)  # its accounts' places below the country level
    by_date: dict = field(default_factory=dict)  # each date its accounts give -> those accounts
    name_words: set = field(default_factory=set)  # the words of each of its named victims' names

    def add(self, a: _Account) -> None:
        self.accounts.append(a)
        self.sources.add(a.source)
        self.countries |= a.countries
        self.specific |= a.specific
        self.name_words |= {words for words, _ in a.named}
        self.reported |= a.reported
        self.locations |= a.locations
        self.victims |= a.victims
        self.read_victims |= a.read_victims
        self.perpetrators |= a.perpetrators
        self.claimants |= a.claimants
        self.targets |= a.targets
        self.named |= a.named
        self.described |= a.described
        if a.claim.subtype:
            self.subtypes.add(a.claim.subtype)
        if a.claim.date:
            self.by_date.setdefault(a.claim.date, []).append(a)


# pure functions of two date strings, asked again and again of the same few dates
_compatible = lru_cache(maxsize=1 << 16)(dates_compatible)
_month_or_day = lru_cache(maxsize=1 << 12)(month_or_day)


def _similarity(a: _Account, cl: _Cluster, geo: _Geo) -> tuple[float, list[str]] | None:
    """How strongly the evidence says account ``a`` tells the incident of ``cl``, with the reasons; None
    when they cannot be one incident."""
    claim, names = a.claim, geo.names
    if cl.type != claim.type:
        return None
    if claim.subtype and not all(same_kind(claim.subtype, st) for st in cl.subtypes):
        return None  # an airstrike and a ground attack at one place are two events
    shared_victims = a.victims & cl.victims
    if claim.type == "death" and a.subject and a.subject == cl.subject:
        shared_victims = shared_victims | {a.subject}
    # first what rules it out (cheap, and most of the events compared are ruled out)
    if claim.type == "death" and not shared_victims:
        return None  # a death is one person's: the same person or not at all
    if a.countries and cl.countries and not a.countries & cl.countries and not shared_victims:
        return None  # told in two countries: two incidents, whatever they share (a day, a target's wording)
    shared = a.specific & cl.locations
    apart = [(d, xs) for d, xs in cl.by_date.items() if not _compatible(d, claim.date)]
    alike = _described_alike(a.described, cl.described) if apart else None
    if claim.type != "death" and apart and not all(all(
            (_same_victim(a, x) and days_apart(d, claim.date) <= DISPUTED_DAYS)
            or (alike and shared and days_apart(d, claim.date) <= DESCRIBED_DISPUTED_DAYS) for x in xs)
            for d, xs in apart):
        return None  # dates that cannot both be true, unless one victim's sources disagree by a few days
        # (a person dies once: two dates of one death are a disagreement; the date of another's death in
        # the event is no date of theirs), or the sources of victims described alike at one place by a day or two
    if a.specific and cl.specific and not shared and not shared_victims and not geo.may_meet(a.specific, cl.specific):
        return None  # two places, neither holding the other
    reasons: list[tuple[str, str]] = []
    # the report telling its event again, or a copy of it (an edited copy's sentence is no longer the same)
    same_report = a.source in cl.sources
    v = min(shared_victims, key=lambda v: (v not in (a.read_victims & cl.read_victims), v), default=None)
    # a full name of three words or more written alike by both ("CARLOS PIZARRO LEON-GOMEZ", "Carlos Pizarro
    # Leongomez's") is as good as a name the rules read, whoever read it, where no two dates disagree
    full = next((x for x in sorted(a.named, key=_by_name) if len(x[0]) >= 3 and x[0] in cl.name_words), None)
    if full is not None and apart:
        full = None
    if v is not None:
        # a name only the tagger read is weaker evidence across reports; within one report, it is the
        # report naming its victim again (MUC-4 dev 45.94 -> 46.14)
        read = (v in a.read_victims and v in cl.read_victims or claim.type == "death"
                or same_report or full is not None)
        reasons.append(("victim" if read else "victim_read", f"victim {names.get(v, v)}"))
    else:  # "ANTONIO RODRIGUEZ PORTH" (no entity) and "DR JOSE ANTONIO RODRIGUEZ PORTH"
        same = full or next((x for x in sorted(a.named, key=_by_name)
                             if any(_one_within(x[0], y) for y in cl.name_words)), None)
        if same is not None:
            reasons.append(("victim" if same is full else "victim_read", f"victim named {same[1]}"))
    p = min(a.perpetrators & cl.perpetrators, default=None)
    if p is not None:
        reasons.append(("perpetrator", f"perpetrator {names.get(p, p)}"))
    t = min(a.targets & cl.targets, default=None)
    if t is not None:  # a wording, or "@" and the entity a target names ("AVIANCA'S", "AVIANCA AIRLINES PLANE")
        reasons.append(("target", f"target {names.get(t[1:], t[1:]) if t.startswith('@') else t}"))
    if not apart:
        alike = _described_alike(a.described, cl.described)
    if alike is not None:
        reasons.append(("described", f"victims described alike: {alike}"))
    nested = geo.nested(a.locations, cl.locations)
    if a.victims and cl.victims and not shared_victims and not shared and not any(
            k in ("victim", "victim_read") for k, _ in reasons):
        return None  # each names its victims, none the same, and no place in common: two killings the same day
    if claim.date and len(claim.date) == 10 and claim.date in cl.by_date:
        reasons.append(("day", f"same day {claim.date}"))
    loc = min(shared, key=lambda x: (names.get(x, x), x), default=None)
    if loc is not None:
        reasons.append(("place", f"place {names.get(loc, loc)}"))
    elif nested:
        reasons.append(("nested", f"{names.get(nested[0], nested[0])} within {names.get(nested[1], nested[1])}"))
    dated = _month_or_day(claim.date) and cl.by_date and all(_month_or_day(d) for d in cl.by_date)
    if dated:
        reasons.append(("dated", "dates agree"))
    elif _reported_together(a.reported, cl.reported):
        reasons.append(("reported", f"reported within {REPORTED_WITHIN_DAYS} days" if a.reported and cl.reported
                        else "publication date unknown"))
    elif not shared_victims and not any(k == "victim_read" for k, _ in reasons):
        return None  # no date of its own and reported at another time, about no victim named by both
    kinds = {k for k, _ in reasons}
    if not dated and not kinds & {"victim", "victim_read", "target"} and not same_report \
            and not _reported_together(a.reported, cl.reported, REPORTED_CLOSE_DAYS):
        return None  # another report's undated account, weeks apart: a group's attack in a town is not enough
        # (the Extraditables kidnapped many in Medellin); it needs a victim or a target in common
    if not same_report and not kinds & PARTICIPANTS and (
            "place" not in kinds or _participants_differ(a, cl)
            or (all(geo.busy(x) for x in shared) and not _group_enough(a, cl, kinds))):
        return None  # another report's account with no victim or target in common: one group's attacks on one
        # day (an offensive's), or one town's at one time whose victims or targets differ, are several incidents;
        # so are two accounts whose only place in common is a big city and nothing else but the time (a bombing in
        # Bogota and a bombing in Bogota the same day); where one gives no date, the group held responsible is not
        # enough either, unless both say it claimed the attack (the FMLN attacked in San Salvador every day of its
        # offensive; a claim names one attack)
    score = sum(WEIGHTS[k] for k, _ in reasons)
    return score, [r for _, r in reasons]


def _group_enough(a: _Account, cl: _Cluster, kinds: set[str]) -> bool:
    """Whether the group held responsible by both ties an account to an event at a big city: both dated
    compatibly, or both saying the group claimed it (a claim names one attack)."""
    return "perpetrator" in kinds and ("dated" in kinds or bool(a.claimants & cl.claimants))


def _same_victim(a: _Account, x: _Account) -> bool:
    """Whether two accounts name one victim (an entity, the dead person, or one name within the other)."""
    return bool(a.victims & x.victims) or (a.subject is not None and a.subject == x.subject) or any(
        _one_within(m[0], n[0]) for m in a.named for n in x.named)


def _one_within(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one name's words are all among the other's ("Antonio Rodriguez Porth", "Jose Antonio Rodriguez
    Porth")."""
    return a <= b or b <= a


def _participants_differ(a: _Account, cl: _Cluster) -> bool:
    """Whether an account and an event both name whom or what was attacked, by name, and none the same:
    named victims, organizations or places named as targets; where neither names any, target wordings
    without a word in common."""
    pairs = [(a.victims | {n for _, n in a.named}, cl.victims | {n for _, n in cl.named}),
             ({t for t in a.targets if t.startswith("@")}, {t for t in cl.targets if t.startswith("@")})]
    both = [bool(x & y) for x, y in pairs if x and y]
    if both:
        return not any(both)
    # else what was attacked, worded by each with no word in common ("the central market" and "railroad
    # boxcars, electric power poles"; "the police station" and "the police post" share one)
    mine, theirs = _target_words(a.targets), _target_words(cl.targets)
    return bool(mine and theirs) and not mine & theirs


def _target_words(targets: set) -> set[str]:
    """The content words of the target wordings (not the entity ids: "@..."), counts and articles aside."""
    skip = _function_words()
    return {w for t in targets if not t.startswith("@") for w in filler_words(t)
            if not w.isdigit() and len(w) > 2 and w not in skip}


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(cues()["function_words"])


def _targets(claim: EventClaim, m: dict[str, str]) -> set[str]:
    """What an account says was attacked: each target's wording, and "@" with the entity a target names."""
    return ({filler_key(t.value) for t in claim.targets if filler_key(t.value)}
            | {"@" + m[t.entity] for t in claim.targets if t.entity in m})


def _described_alike(mine: set, theirs: set) -> str | None:
    """A description of victims both give: the same head word, by more than number or sex ("Jesuits", not
    "people"), with counts that do not differ ("six Jesuits", "the Spanish Jesuits"), not two named victims'
    titles (two colonels are two people); the wording, or None."""
    found = sorted(x[2] for x in mine for y in theirs
                   if x[0] == y[0] and (x[1] is None or y[1] is None or x[1] == y[1]) and not (x[3] and y[3]))
    return found[0] if found else None


def _descriptions(claim: EventClaim, titles: dict[str, set[str]]) -> set:
    """(head word, count, wording, titled) of the victims an account describes: those without a name, and the
    titles its document gives a named one ("Jesuit Ignacio Ellacuria" is described as a Jesuit, as the
    other reports' "six Jesuits" are; ``titles``: local entity id -> (title, the name that gives it))."""
    generic = set(cues()["generic_people_nouns"])
    out = set()
    for v in claim.victims:
        if v.entity is not None:
            out |= {(t, None, name, True) for t, name in titles.get(v.entity, ()) if t not in generic}
            continue
        wording = v.value.split()
        last = wording[-1].lower() if wording else ""
        head = last.removesuffix("s")  # "Jesuits" and "Jesuit"
        if not head.isalpha() or last in generic or head in generic:
            continue
        count = next((int(w) for w in filler_words(v.value) if w.isdigit()), None)
        out.add((head, count, " ".join(wording), False))
    return out


def _by_name(named: tuple[frozenset[str], str]) -> tuple[str, list[str]]:
    """A named victim's sort key (its name as written, then its words): sets iterate in no fixed order."""
    return named[1], sorted(named[0])


def _named(v: Filler) -> bool:
    """Whether a victim is named, by two words or more: a person the analysis resolved, or a name only the
    role tagger read ("ANTONIO RODRIGUEZ PORTH") whose every word is a name's, not a common word's ("police
    officers", "six Jesuits", "the aid workers" are descriptions, however often two reports use them)."""
    words = _name_words(v.value)
    if len(words) < 2:
        return False
    if v.entity is not None:
        return True
    return any(e.extractor == TAGGER for e in v.evidence) and not any(_common(w) for w in words)


@lru_cache(maxsize=1 << 14)
def _common(word: str) -> bool:
    """A word written in lowercase more often than not (the casing statistics), or with a digit: no name's."""
    return any(ch.isdigit() for ch in word) or lowercase_share(word) >= 0.5


def _name_words(value: str) -> frozenset[str]:
    """A person's name as a set of lowercase words, titles and possessives aside."""
    return frozenset(w.lower().removesuffix("'s").replace("-", "") for w in person_tokens(" ".join(value.split())))


@dataclass
class StoredEvent:
    """An event as the knowledge stores it, for a reconciliation that goes on from there (``reconcile(stored=)``),
    read for weighing: ``weighings``, its accounts weighed into it in their order as ((document, claim index), what
    weighing reads of it: ``weighing``); and ``read``, which reads it whole (``WholeEvent``). Most events read for an
    account do not take it: they are compared from what their accounts' weighings say, and read whole (their claims
    decoded from their documents) only when they change."""

    id: str
    rank: str
    weighings: list
    read: Callable[[], WholeEvent]


@dataclass
class WholeEvent:
    """A stored event read whole: its accounts weighed into it in their order, each (claim, local id -> entity id,
    (document, claim index), its document's person titles: ``titles_in``); (document, reason, score) of each after
    the first that joined; and the copies' accounts that follow its accounts, (claim, map, ref, the ref followed)
    each."""

    weighed: list
    reasons: list
    followers: list


@dataclass(frozen=True)
class _Told:
    """What weighing reads of a stored account's claim itself (the rest is in its ``weighing``)."""

    type: str
    subtype: str | None
    date: str | None


def weighing(a: _Account) -> str:
    """What weighing an account against others reads of it (``_similarity``, ``_Cluster.add``), as JSON: so that a
    stored event's accounts are compared without decoding their documents' claims (``_stub``). Its third item is the
    claim's date, which the store reads (``knowledge.event_dates``: the dates by which news passes an event over)."""
    return json.dumps([a.claim.type, a.claim.subtype, a.claim.date, a.document, a.source, a.subject,
                       sorted(a.locations), sorted(a.victims), sorted(a.read_victims), sorted(a.perpetrators),
                       sorted(a.claimants), sorted(a.targets), sorted([sorted(w), n] for w, n in a.named),
                       sorted(([*d] for d in a.described), key=repr), sorted(d.isoformat() for d in a.reported),
                       sorted(a.countries), sorted(a.specific)], ensure_ascii=False, separators=(",", ":"))


def _weighed_account(row: str) -> _Account:
    """An account from its ``weighing``: compared as the account its claim gives, never emitted (its join keys are
    the stored index's: ``_Weighing._load``)."""
    (kind, subtype, date, document, source, subject, locations, victims, read_victims, perpetrators, claimants, targets,
     named, described, reported, countries, specific) = json.loads(row)
    return _Account(
        claim=_Told(kind, subtype, date), ids={}, document=document, source=source, subject=subject,
        locations=set(locations), victims=set(victims), read_victims=set(read_victims), perpetrators=set(perpetrators),
        claimants=set(claimants), targets=set(targets), named={(frozenset(w), n) for w, n in named},
        described={tuple(d) for d in described}, reported={dt.date.fromisoformat(d) for d in reported},
        countries=set(countries), specific=set(specific))


def never_together(date: str | None, dates: Iterable[str]) -> bool:
    """Whether an account of ``date`` (not a death's) can never join an event whose accounts give ``dates``, nor
    an event holding it take that event's account: a date of theirs cannot be true with it and is further from
    it than any disagreement of sources (``_similarity``: DISPUTED_DAYS). A stored event so dated is not read
    for the account (a copy's account reads the events its sentences are in first: it joins its story's)."""
    return bool(date) and any(_apart(d, date) for d in dates)


@lru_cache(maxsize=1 << 16)
def _apart(a: str, b: str) -> bool:
    """Whether two dates cannot both be true and lie more than DISPUTED_DAYS apart (asked of thousands of stored
    events' dates for each account of news: the same few hundred dates)."""
    return not _compatible(a, b) and days_apart(a, b) > DISPUTED_DAYS


def _sentence_keys(keys: set[str]) -> set[str]:
    """The join keys of an account's sentences (``_join_keys``: those a copy repeats)."""
    return {k for k in keys if "|q:" in k}


def titles_in(analysis: DocumentAnalysis) -> dict[str, set[tuple[str, str]]]:
    """Local person id -> (title, the name that gives it) of one document (``_descriptions``)."""
    return person_titles(analysis.entities) if analysis.events else {}


def person_titles(entities) -> dict[str, set[tuple[str, str]]]:
    """Local person id -> (title, the name that gives it), of these local entities of one document."""
    return {e.id: {(t, " ".join(n.split())) for n in e.names for t in titles_of(n)}
            for e in entities if e.type == "person"}


class _Weighing:
    """The accounts of events weighed one at a time, in the order of the whole knowledge base (``ranks``): each
    joins the first event (by the order they were opened) whose evidence says it is the same incident, or opens
    one; and each event that gains an account is looked at again by the events of one account that share a join
    key with it (what a later report adds, a town or a date, may be what ties an earlier account to the
    incident: "Ellacuria, in San Salvador", read before the report that placed the murder in San Salvador).
    Every step depends only on the accounts before it, so a reconciliation of news that comes after everything
    stored goes on from the stored events (``stored``: a lookup of the stored events sharing join keys, loaded
    as they are needed) and gives what a whole one gives."""

    def __init__(self, geo: _Geo, published: dict[str, str], duplicate_of: dict[str, str], stored=None) -> None:
        self.geo, self.published, self.duplicate_of, self.stored = geo, published, duplicate_of, stored
        self.clusters: dict[str, _Cluster] = {}  # rank of the account that opened it -> each event standing
        self.by_key: dict[str, set[str]] = defaultdict(set)  # join key -> events (by opening rank) with it
        # (type, source, sentence) -> the accounts (document, claim index) saying it
        self.told_at: dict[tuple[str, str, str], list[tuple]] = defaultdict(list)
        self.where: dict[tuple, tuple[str, int]] = {}  # account -> (its event, its place in the event)
        self.refs: dict[str, list] = {}  # event -> its accounts (document, claim index), in their order
        self.followers: dict[str, list] = defaultdict(list)  # event -> the copies' accounts that follow its accounts
        self.loaded: dict[str, StoredEvent] = {}  # stored events read, by opening rank
        self.changed: set[str] = set()  # events opened or changed here
        self.asked: set[tuple[str, str | None]] = set()  # (join key, date) whose stored events are loaded
        self.stubs: set[str] = set()  # stored events read as their accounts' weighings give them (``_stub``)
        self.rank_of: dict[str, str] = {}  # stored event read -> its opening rank

    def account(self, claim: EventClaim, m: dict, titles: dict) -> _Account:
        doc = claim.evidence[0].document
        a = _Account(
            claim=claim, ids=m, document=doc, source=_source(doc, self.duplicate_of),
            locations={m[l] for l in claim.locations if l in m},
            subject=m.get(claim.subject) if claim.subject else None,
            victims={m[v.entity] for v in claim.victims if v.entity in m},
            read_victims={m[v.entity] for v in claim.victims if v.entity in m
                          and any(e.extractor != TAGGER for e in v.evidence)},
            perpetrators={m[p] for p in claim.perpetrators if p in m},
            claimants={m[p] for p in claim.claimed_by if p in m},
            named={(_name_words(v.value), " ".join(v.value.split())) for v in claim.victims if _named(v)},
            targets=_targets(claim, m),
            described=_descriptions(claim, titles),
            reported={d for d in (parse_iso(self.published.get(e.document)) for e in claim.evidence) if d})
        a.countries, a.specific = self.geo.countries(a.locations), self.geo.specific(a.locations)
        a.keys = _join_keys(claim, m, self.geo)
        return a

    def _load(self, keys: set[str], date: str | None = None, whole: bool = False) -> None:
        """Read the stored events that share any of these join keys (a reconciliation going on from them) and
        may take an account of this date, or be taken by an event holding it (``never_together``); ``whole``: those
        sharing one read whole (a copy's account reads the events of its sentences: where they are told)."""
        if self.stored is None:
            return
        fresh = {(k, date) for k in keys} - self.asked
        self.asked |= fresh
        events, keyed = self.stored({k for k, _d in fresh}, date) if fresh else ((), ())
        for ev in events:
            self.loaded[ev.rank] = ev
            self.rank_of[ev.id] = ev.rank
            if ev.weighings:
                self._stub(ev)
            else:  # (accounts indexed without their weighings)
                self._whole(ev.rank)
        for k, eid in keyed:  # the events read (now or before) with each key: a stub knows no keys of its own
            self.by_key[k].add(self.rank_of[eid])
        if whole:
            for r in sorted({r for k in keys for r in self.by_key.get(k, ()) if r in self.stubs}):
                self._whole(r)

    def _stub(self, ev: StoredEvent) -> None:
        """A stored event as its accounts' weighings give it: compared, not changed (``_whole`` first)."""
        accounts = [_weighed_account(row) for _ref, row in ev.weighings]
        cl = self.clusters[ev.rank] = _Cluster(type=accounts[0].claim.type, subject=accounts[0].subject)
        for a in accounts:
            cl.add(a)
        self.refs[ev.rank] = [ref for ref, _row in ev.weighings]
        self.stubs.add(ev.rank)

    def _whole(self, r: str) -> None:
        """A stored event read whole (its accounts from their claims), as it stands after the stored documents."""
        ev = self.loaded[r].read()
        self.stubs.discard(r)
        cl = self.clusters[r] = _Cluster(type=ev.weighed[0][0].type, subject=None)
        self.refs[r] = []
        for n, (claim, m, ref, titles) in enumerate(ev.weighed):
            a = self.account(claim, m, titles)
            if n == 0:
                cl.subject = a.subject
            self._add(r, a, ref)
        cl.reasons = list(ev.reasons)
        self.followers[r] = list(ev.followers)

    def _add(self, r: str, a: _Account, ref: tuple, told: bool = True) -> None:
        cl = self.clusters[r]
        self.where[ref] = (r, len(cl.accounts))
        cl.add(a)
        self.refs[r].append(ref)
        for k in a.keys:
            self.by_key[k].add(r)
        if told:
            for q in {e.quote for e in a.claim.evidence}:
                self.told_at[(a.claim.type, a.source, q)].append(ref)

    def take(self, claim: EventClaim, m: dict, rank: str, ref: tuple, titles: dict) -> None:
        """Weigh one account (after every account before it in the order)."""
        a = self.account(claim, m, titles)
        if a.source != a.document:  # a copy: the events its story's sentences are in, whatever their dates
            self._load(_sentence_keys(a.keys), whole=True)
        self._load(a.keys, self._dated(claim))
        target, why = None, None
        # a copy's account joins the event its story's account is in: the first event (and in it the first
        # account) where another document of its source says one of its sentences (a key: always a candidate)
        told = min(((*self.where[x], x[0]) for q in {e.quote for e in claim.evidence}
                    for x in self.told_at.get((claim.type, a.source, q), ()) if x[0] != a.document), default=None)
        if told is not None:
            target, why = told[0], (0.0, [f"copy of {told[2][:12]}, same sentence"])
        else:  # only the events that share a key with the account may take it (see account_keys), in the order
            # they were opened: the same first fit as over all of them, without scoring the others
            for r in sorted({r for k in a.keys for r in self.by_key.get(k, ()) if r in self.clusters}):
                found = _similarity(a, self.clusters[r], self.geo)
                if found and found[0] >= JOIN_SCORE:
                    target, why = r, found
                    break
        if target is None:
            target = rank
            self.clusters[rank] = _Cluster(type=claim.type, subject=a.subject)
            self.refs[rank] = []
        else:
            if target in self.stubs:
                self._whole(target)
            self.clusters[target].reasons.append((a.document, "; ".join(why[1]), why[0]))
        self._add(target, a, ref)
        self.changed.add(target)
        self._look_again(target, a.keys, self._dated(claim))

    @staticmethod
    def _dated(claim: EventClaim) -> str | None:
        """The date by which stored events may be passed over for this account (None: none may)."""
        return claim.date if claim.type != "death" else None

    def _look_again(self, r: str, keys: set[str], date: str | None) -> None:
        """The events of one account sharing a key with what event ``r`` just gained (an account of ``date``),
        asked again whether they tell its incident (and so on, with what each that joins brings)."""
        pending = [keys]
        while pending:
            ks = pending.pop()
            self._load(ks, date)
            for s in sorted({s for k in ks for s in self.by_key.get(k, ())}):
                one = self.clusters.get(s)
                if s == r or one is None or len(one.accounts) != 1:
                    continue
                found = _similarity(one.accounts[0], self.clusters[r], self.geo)
                if found and found[0] >= JOIN_SCORE:
                    if s in self.stubs:
                        self._whole(s)
                    b = self.clusters[s].accounts[0]
                    self.clusters[r].reasons.append((b.document, "; ".join(found[1]), found[0]))
                    del self.clusters[s]
                    self.changed.discard(s)
                    self._add(r, b, self.refs.pop(s)[0], told=False)
                    self.followers[r] += self.followers.pop(s, [])
                    pending.append(b.keys)

    def follow(self, claim: EventClaim, m: dict, ref: tuple, leader: tuple) -> None:
        """A copy's account told again: it takes the event of the account it follows (after all the weighing)."""
        if leader not in self.where:  # a stored account: its event holds a sentence the copy repeats
            self._load(_sentence_keys(_join_keys(claim, m, self.geo)), whole=True)
        r = self.where[leader][0]
        self.followers[r].append((claim, m, ref, leader))
        self.changed.add(r)

    def replaced(self) -> set[str]:
        """The stored events that the events given out replace (changed, or joined into another)."""
        return {ev.id for r, ev in self.loaded.items() if r in self.changed or r not in self.clusters}

    def emit(self, doc_ranks: dict, ranks: dict, accounts: list, out: tuple) -> None:
        """Give out the events (with their conflicts, merges and accounts' index rows): all of them, or, going on
        from stored events, those opened or changed here (a stored one keeps its id)."""
        seen: set[str] = set()
        for r in sorted(self.clusters):
            if self.stored is not None and r not in self.changed:
                continue
            cl, refs = self.clusters[r], list(self.refs[r])
            for claim, m, ref, leader in sorted(self.followers.get(r, ()), key=lambda f: (doc_ranks[f[2][0]], f[2][1])):
                _follow(cl, claim, m, ref, leader, self.duplicate_of)
                refs.append(ref)
            stored = self.loaded.get(r)
            _emit(cl, refs, r, out, ranks, accounts, self.duplicate_of, seen,
                  lambda x: (account_keys(x.claim, x.ids, self.geo, x.keys), weighing(x)),
                  eid=stored.id if stored else None)


def _follow(cl: _Cluster, claim: EventClaim, m: dict, ref: tuple, leader: tuple, duplicate_of: dict[str, str]) -> None:
    """Add to an event a copy's account that tells again the account ``leader`` of its original."""
    cl.add(_Account(claim=claim, ids=m, document=ref[0], locations=set(), subject=None, victims=set(), reported=set(),
                    source=_source(ref[0], duplicate_of), leader=leader))
    cl.reasons.append((ref[0], f"copy of {leader[0][:12]}, same sentence", 0.0))


def _emit(cl: _Cluster, refs: list, rank: str, out: tuple, ranks: dict, accounts: list, duplicate_of: dict[str, str],
          seen: set[str], rows_of, eid: str | None = None) -> None:
    """Append an event, its conflicts and merges to ``out`` and its accounts' index rows (document, claim index,
    event, keys, weighing, place in it: ``rows_of`` gives an account's keys and weighing) to ``accounts``, with
    their ranks (the event's: ``rank``, that of the account that opened it)."""
    ev, cons = _event(cl, seen, duplicate_of, eid)
    seen.add(ev.id)
    events, conflicts, merges = out
    events.append(ev)
    ranks[ev.id] = rank
    for n, c in enumerate(cons):
        ranks[c.id] = f"1{rank}\x1f{n:02d}"
    conflicts.extend(cons)
    for n, (d, r, sc) in enumerate(cl.reasons):
        merges.append(EventMerge(event=ev.id, document=d, reason=r, score=sc))
        ranks[(ev.id, n)] = f"{rank}\x1f{n:04d}"
    accounts.extend((doc, i, ev.id, *(({follow_key(x.leader)}, None) if x.leader else rows_of(x)), position)
                    for position, ((doc, i), x) in enumerate(zip(refs, cl.accounts)))


def retell(event_id: str, rank: str, members: list[tuple[EventClaim, dict, tuple, set, str | None]],
           reasons: list[tuple], followers: list[tuple[EventClaim, dict, tuple, tuple]],
           duplicate_of: dict[str, str]) -> Reconciled:
    """An event again where only the copies' accounts that follow its accounts changed (they sway nothing, so
    nothing is weighed again): ``members``, the accounts weighed into it, in their order (claim, local id ->
    entity id, (document, claim index), index keys, ``weighing``); ``reasons``, (document, reason, score) of each
    after the first that joined; ``followers``, the copies' accounts now (claim, map, ref, the ref followed), in the
    order of their documents. Gives what a whole reconciliation gives for it."""
    first, m, _ref, _keys, _w = members[0]
    cl = _Cluster(type=first.type, subject=m.get(first.subject) if first.subject else None)
    stored = {}
    for claim, mm, ref, keys, row in members:
        cl.add(_Account(claim=claim, ids=mm, document=ref[0], locations=set(), subject=None, victims=set(),
                        reported=set()))
        stored[id(cl.accounts[-1])] = (keys, row)
    cl.reasons = list(reasons)
    refs = [ref for _c, _m, ref, _k, _w in members]
    for claim, mm, ref, leader in followers:
        _follow(cl, claim, mm, ref, leader, duplicate_of)
        refs.append(ref)
    ranks: dict = {}
    accounts: list = []
    out: tuple[list, list, list] = ([], [], [])
    _emit(cl, refs, rank, out, ranks, accounts, duplicate_of, set(), lambda x: stored[id(x)], eid=event_id)
    events, conflicts, merges = out
    return Reconciled(relations=[], events=events, conflicts=conflicts, event_merges=merges, ranks=ranks,
                      accounts=accounts)


# A copy's local entity or event account that follows its original's has one index key: FOLLOWS and the one it
# follows (document and local id or claim index), which no name or join key finds (tessera.refresh)
FOLLOWS = "F:"


def follow_key(ref: tuple[str, object]) -> str:
    return f"{FOLLOWS}{ref[0]} {ref[1]}"


def followed(keys) -> tuple[str, str] | None:
    """What a follower follows, from its index keys: (document, local id or claim index as written), or None for
    what is resolved by its names or weighed by its join keys."""
    if len(keys) == 1:
        (k,) = keys
        if k.startswith(FOLLOWS):
            doc, rest = k[len(FOLLOWS):].split(" ", 1)
            return doc, rest
    return None


def follower_leaders(analyses: dict[str, DocumentAnalysis], duplicate_of: dict[str, str],
                     documents: Iterable[str]) -> dict[tuple[str, int], tuple[str, int]]:
    """(document, claim index) -> (its original, claim index): the event accounts of these copies that tell again
    an account of their story's earliest copy (``analyses`` holds both), of the same type: the k-th told in the
    same sentences as the k-th of the original, or else the first sharing a sentence with it. Such an account takes
    the original's event and is never weighed: a copy sways nothing. An account whose sentences were all edited is
    weighed as any other."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for d in sorted(documents):
        h = duplicate_of.get(d)
        if h is None or h == d or h not in analyses or d not in analyses:
            continue
        head = analyses[h].events
        told: dict[tuple, list[int]] = defaultdict(list)
        for j, c in enumerate(head):
            told[(c.type, tuple(e.quote for e in c.evidence))].append(j)
        used: Counter = Counter()
        for i, c in enumerate(analyses[d].events):
            k = (c.type, tuple(e.quote for e in c.evidence))
            if used[k] < len(told.get(k, ())):
                out[(d, i)] = (h, told[k][used[k]])
                used[k] += 1
                continue
            quotes = {e.quote for e in c.evidence}
            j = next((j for j, x in enumerate(head) if x.type == c.type and quotes & {e.quote for e in x.evidence}),
                     None)
            if j is not None:
                out[(d, i)] = (h, j)
    return out


def _event(cl: _Cluster, taken: set[str] = frozenset(),
           duplicate_of: dict[str, str] | None = None, eid: str | None = None) -> tuple[Event, list[Conflict]]:
    duplicate_of = duplicate_of or {}
    claims = [(a.claim, a.ids) for a in cl.accounts]
    evidence = tuple(dict.fromkeys(e for c, _ in claims for e in c.evidence))
    n = 1
    eid = eid or _hid("evt-", cl.type, evidence[0].document, evidence[0].start)
    while eid in taken:  # two events told in one sentence
        n += 1
        eid = _hid("evt-", cl.type, evidence[0].document, evidence[0].start, n)

    def ids(field: str) -> tuple[str, ...]:
        out: list[str] = []
        for c, m in claims:
            for x in getattr(c, field):
                if x in m and m[x] not in out:
                    out.append(m[x])
        return tuple(out)

    date_pairs = [(c.date, c.evidence[0]) for c, _ in claims if c.date]
    dates = _values(date_pairs)
    conflicts: list[Conflict] = []
    values = [d.value for d in dates]

    def sources(evidence) -> set[str]:
        return {_source(e.document, duplicate_of) for e in evidence}

    # two copies of one story never disagree: an edited copy's date is no second source
    date_clash = any(not dates_compatible(a.value, b.value)
                     and not (sources(a.evidence) == sources(b.evidence) and len(sources(a.evidence)) == 1
                              and {e.document for e in a.evidence} != {e.document for e in b.evidence})
                     for i, a in enumerate(dates) for b in dates[i + 1:])
    if date_clash:
        best = max(dates, key=lambda d: (len(sources(d.evidence)), len(d.value))).value
        conflicts.append(Conflict(id=_hid("con-", eid, "date"), about=eid, field="date", values=dates))
    else:
        best = most_precise(values)
    fields = {}
    for fld in ("killed", "wounded"):
        pairs = [((q.value, q.qualifier), q.evidence) for c, _ in claims for q in getattr(c, fld)]
        grouped = _values(pairs)
        fields[fld] = tuple(ValueWithEvidence(value=v.value[0] if v.value[1] is None else f"{v.value[1]} {v.value[0]}",
                                              evidence=v.evidence) for v in grouped)
        clash = [
            (a, b) for i, a in enumerate(grouped) for b in grouped[i + 1:]
            if not counts_compatible(a.value, b.value)
            and sources(a.evidence) != sources(b.evidence)
            and not (sources(a.evidence) & sources(b.evidence))
        ]
        if clash:
            involved = {id(x) for pair in clash for x in pair}
            vals = tuple(ValueWithEvidence(value=v.value[0] if v.value[1] is None else f"{v.value[1]} {v.value[0]}",
                                           evidence=v.evidence) for v in grouped if id(v) in involved)
            conflicts.append(Conflict(id=_hid("con-", eid, fld), about=eid, field=fld, values=vals))
    subtypes = [c.subtype for c, _ in claims if c.subtype]
    subject = cl.subject
    event = Event(
        id=eid, type=cl.type, subtype=Counter(subtypes).most_common(1)[0][0] if subtypes else None,
        date=best, evidence=evidence, locations=ids("locations"), perpetrators=ids("perpetrators"),
        claimed_by=ids("claimed_by"), subject=subject,
        killed=fields["killed"], wounded=fields["wounded"], dates=dates,
        **{f: _fillers(claims, f) for f in FILLER_FIELDS},
    )
    return event, conflicts


def _fillers(claims: list[tuple[EventClaim, dict]], field: str) -> tuple[Filler, ...]:
    """An event's fillers of one role over all its accounts: one per entity or wording, every source's evidence."""
    return merge_fillers(replace(f, entity=m.get(f.entity) if f.entity else None)
                         for c, m in claims for f in getattr(c, field))


def reconcile(analyses: list[DocumentAnalysis], resolution: Resolution, entity_names: dict[str, str],
              published: dict[str, str] | None = None, located: dict | None = None,
              duplicate_of: dict[str, str] | None = None, ranks: dict[str, str] | None = None,
              relations_about: set | None = None, accounts_of: set | None = None,
              context: list[Relation] = (), followers: dict | None = None, stored=None) -> Reconciled:
    """Relations, events and conflicts from every document's claims, with their evidence.
    ``published`` (document id -> publication date) keeps accounts that give no date of their own
    from joining, by a shared town alone, an incident reported at another time; ``located`` (entity
    id -> gazetteer ``Place`` or None, from ``gazetteer_facade.locate``) says which places hold which.
    ``duplicate_of`` (document id -> the earliest copy of its story) makes copies one source: no
    conflict between them, and a copy's account joins the event of the account it copies.

    A part of the knowledge: ``relations_about`` keeps the claims of these relations only (``relation_key``)
    and ``accounts_of`` the event accounts (document, claim index) of this set only; ``context`` gives the
    other successions and leaderships. ``ranks`` (document id -> text that sorts documents in the order
    of ``analyses`` over the whole knowledge base) ranks what comes out among the rest. ``followers`` (a copy's
    account -> the original's it follows: ``follower_leaders``, worked out over ``analyses`` when None) are the
    accounts that take their original's event without being weighed.

    Going on from the stored knowledge: ``stored`` (join keys and a date or None -> the ``StoredEvent``s sharing
    any key, but those ``never_together`` with the date and those given before, and (key, event id) of every event
    given, now or before, with each key) gives the events that the accounts of ``accounts_of``, all after every
    stored one in the order, may join or make grow; only the events opened or changed come out, with ``replaced``,
    the stored events they replace."""
    duplicate_of = duplicate_of or {}
    if followers is None:
        by_document = {a.document: a for a in analyses}
        followers = follower_leaders(by_document, duplicate_of, by_document)
    ranks = ranks if ranks is not None else {a.document: f"{i:09d}" for i, a in enumerate(analyses)}
    rel_claims = []
    ev_claims = []
    following = []
    by_doc: dict[str, dict[str, str]] = defaultdict(dict)
    for (doc, local), global_id in resolution.of.items():
        by_doc[doc][local] = global_id
    for a in analyses:
        m = by_doc[a.document]
        titles = titles_in(a)
        for i, c in enumerate(a.relations):
            s = m.get(c.subject)
            o = m.get(c.object) if c.object else None
            if s is None or (c.object and o is None) or s == o:
                continue
            if relations_about is None or relation_key(c, s, o) in relations_about:
                rel_claims.append((c, s, o, f"{ranks[a.document]}\x1f{i:06d}"))
        for i, e in enumerate(a.events):
            if accounts_of is None or (a.document, i) in accounts_of:
                leader = followers.get((a.document, i))
                if leader is not None:
                    following.append((e, m, (a.document, i), leader))
                else:
                    ev_claims.append((e, m, f"{ranks[a.document]}\x1f{i:06d}", (a.document, i), titles))
    out: dict = {}
    accounts: list = []
    relations, rel_conflicts = _relations(rel_claims, duplicate_of, out)
    relations = _close_predecessors(relations, context)
    weighing = _Weighing(_Geo(entity_names, located), published or {}, duplicate_of, stored)
    for claim, m, rank, ref, titles in ev_claims:
        weighing.take(claim, m, rank, ref, titles)
    for claim, m, ref, leader in following:  # in the order of their documents, after all the weighing
        weighing.follow(claim, m, ref, leader)
    events: tuple[list, list, list] = ([], [], [])
    weighing.emit(ranks, out, accounts, events)
    return Reconciled(relations=relations, events=events[0], conflicts=rel_conflicts + events[1],
                      event_merges=events[2], ranks=out, accounts=accounts, replaced=weighing.replaced())


# ---- keys: which event accounts the reconciliation of one may depend on ----------------------------
# An account joins an incident only on evidence worth JOIN_SCORE, and without a named victim (4, or 2
# read by the tagger alone), a place below the country (2.5) or a target's wording (1.5), the rest (the
# same day 2, a perpetrator 1, a place within the other's 1, dates or reports that agree 1 or 0.5) reaches
# it only with the same day. So those, with the sentence a copy repeats, are the account's join keys, with
# its event type (types never join): accounts that share none never join. An account's keys also hold
# the spot of its first sentence (two events opened there take numbered ids) and, to look accounts up by
# entity, every entity whose name or place its reconciliation reads (E:). A part closed under keys
# reconciles alone as within the whole.
assert WEIGHTS["perpetrator"] + WEIGHTS["nested"] + max(WEIGHTS["dated"], WEIGHTS["reported"]) < JOIN_SCORE, \
    "an account may join on evidence that is no join key: see _join_keys"


def geography(entity_names: dict[str, str], located: dict | None = None) -> _Geo:
    """What the reconciler knows of where places lie (entity id -> name, and -> gazetteer place)."""
    return _Geo(entity_names, located)


def _join_keys(claim: EventClaim, m: dict[str, str], geo: _Geo) -> set[str]:
    places = geo.specific({m[x] for x in claim.locations if x in m})
    victims = {m[v.entity] for v in claim.victims if v.entity in m} | ({m[claim.subject]} if claim.subject in m else set())
    keys = {"e:" + i for i in places | victims}
    if claim.date and len(claim.date) == 10:
        keys.add("d:" + claim.date)
    keys |= {"t:" + t for t in _targets(claim, m)}
    for v in (v for v in claim.victims if _named(v)):  # one name within the other: they share every pair of
        words = sorted(_name_words(v.value))  # the shorter's words
        keys |= {f"n:{x} {y}" for i, x in enumerate(words) for y in words[i + 1:]}
    keys |= {"q:" + hashlib.sha1(e.quote.encode()).hexdigest()[:16] for e in claim.evidence}
    return {f"{claim.type}|{k}" for k in keys}


def account_keys(claim: EventClaim, m: dict[str, str], geo: _Geo, joins: set[str] | None = None) -> set[str]:
    """The keys of an event account (see above); ``m`` maps its document's local ids to entity ids;
    ``joins``, its ``_join_keys`` when already worked out."""
    first = claim.evidence[0]
    read = {m[x] for x in (*claim.locations, *claim.perpetrators, *([claim.subject] if claim.subject else []))
            if x in m} | {m[v.entity] for v in claim.victims if v.entity in m}
    joins = _join_keys(claim, m, geo) if joins is None else joins
    return joins | {f"{claim.type}|i:{first.document}:{first.start}"} | {"E:" + i for i in read}
