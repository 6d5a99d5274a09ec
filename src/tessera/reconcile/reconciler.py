"""Group claims across documents into relations and events; report where sources disagree."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from .. import gazetteer_facade as places
from ..models import (ROLE_FIELDS, SYMMETRIC_PREDICATES, same_kind, Conflict, DocumentAnalysis, Event, EventClaim,
                      Evidence, Filler, Relation, RelationClaim, ValueWithEvidence)
from ..resolve import Resolution
from ..resolve.normalize import merge_fillers
from ..analyze.dates import parse_iso, precision_rank
from .compare import counts_compatible, dates_compatible, most_precise

FUNCTIONAL = {"founded_on"}  # one true value: disagreement is a conflict


@dataclass
class Reconciled:
    relations: list[Relation]
    events: list[Event]
    conflicts: list[Conflict]


def _hid(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def _values(pairs: list[tuple[object, Evidence]]) -> tuple[ValueWithEvidence, ...]:
    grouped: dict[object, list[Evidence]] = defaultdict(list)
    for v, ev in pairs:
        if ev not in grouped[v]:
            grouped[v].append(ev)
    return tuple(ValueWithEvidence(value=v, evidence=tuple(evs)) for v, evs in grouped.items())


def _relations(claims: list[tuple[RelationClaim, str, str | None]]) -> tuple[list[Relation], list[Conflict]]:
    groups: dict[tuple, list[tuple[RelationClaim, str, str | None]]] = defaultdict(list)
    for c, s, o in claims:
        if c.predicate in SYMMETRIC_PREDICATES and o is not None and o < s:
            s, o = o, s
        key = (s, c.predicate, o) if c.value is None else (s, c.predicate, None)
        groups[key].append((c, s, o))
    relations: list[Relation] = []
    conflicts: list[Conflict] = []
    for (s, p, o), items in groups.items():
        if p in FUNCTIONAL:
            rel, conflict = _literal(s, p, items)
            relations.append(rel)
            if conflict:
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
        for cl in clusters:
            evidence = tuple(dict.fromkeys(c.evidence for c in cl["claims"]))
            ended = all(c.ended for c in cl["claims"])  # "former" only when every source says so
            relations.append(Relation(id=_hid("rel-", s, p, o, cl["date"]), subject=s, predicate=p, object=o,
                                      date=cl["date"], evidence=evidence, ended=ended))
    return relations, conflicts


def _close_predecessors(relations: list[Relation]) -> list[Relation]:
    """A leader someone succeeded no longer leads: mark that leadership as ended (a succession, not a conflict)."""
    replaced = {(r.object, r.subject) for r in relations if r.predicate == "succeeded"}  # (old, new)
    leads = {(r.subject, r.object) for r in relations if r.predicate == "led_by"}  # (group, person)
    out = []
    for r in relations:
        if r.predicate == "led_by" and not r.ended and any(
                old == r.object and (r.subject, new) in leads for old, new in replaced):
            r = replace(r, ended=True)
        out.append(r)
    return out


def _literal(s: str, p: str, items) -> tuple[Relation, Conflict | None]:
    pairs = [(c.value, c.evidence) for c, _, _ in items]
    values = [v for v, _ in pairs]
    clash = any(not dates_compatible(a, b) for i, a in enumerate(values) for b in values[i + 1:])
    if clash:
        support = defaultdict(set)
        for v, ev in pairs:
            support[v].add(ev.document)
        best = max(support, key=lambda v: (len(support[v]), len(v)))
    else:
        best = most_precise(values)
    rel = Relation(id=_hid("rel-", s, p, "value"), subject=s, predicate=p, value=best,
                   evidence=tuple(dict.fromkeys(ev for _, ev in pairs)))
    conflict = None
    if clash:
        conflict = Conflict(id=_hid("con-", rel.id, "value"), about=rel.id, field="value", values=_values(pairs))
    return rel, conflict


def _non_country(ids: set[str], kinds: dict[str, str]) -> set[str]:
    return {i for i in ids if not places.is_country(kinds.get(i, ""))}


def _nested(a: set[str], b: set[str], names: dict[str, str]) -> bool:
    """True when a place of one set lies in a country of the other (Garissa / Kenya)."""
    return any(places.within(names.get(x, ""), names.get(y, "")) or places.within(names.get(y, ""), names.get(x, ""))
               for x in a for y in b)


REPORTED_WITHIN_DAYS = 31  # accounts without a date of their own, published this far apart, are not one incident


def _month_or_day(date: str | None) -> bool:
    return bool(date) and precision_rank(date) >= 4


def _reported_together(mine: set, theirs: set) -> bool:
    """Whether an account with no date of its own may be the same incident as a cluster, by when their
    documents were published: within REPORTED_WITHIN_DAYS of one another (True when either is unknown)."""
    if not mine or not theirs:
        return True
    return any(abs((a - b).days) <= REPORTED_WITHIN_DAYS for a in mine for b in theirs)


def _events(claims: list[tuple[EventClaim, dict]], names: dict[str, str],
            published: dict[str, str]) -> tuple[list[Event], list[Conflict]]:
    clusters: list[dict] = []
    for claim, m in claims:
        locs = {m[l] for l in claim.locations if l in m}
        subject = m.get(claim.subject) if claim.subject else None
        victims = {m[v.entity] for v in claim.victims if v.entity in m}
        reported = {d for d in (parse_iso(published.get(e.document)) for e in claim.evidence) if d}
        target = None
        for cl in clusters:
            if cl["type"] != claim.type:
                continue
            if victims & cl["victims"] and (not claim.subtype or all(same_kind(claim.subtype, st) for st in cl["subtypes"])):
                target = cl  # the strike that killed X, told by several sources
                break
            if claim.type == "death":
                if subject and subject == cl["subject"]:
                    target = cl
                    break
                continue
            if not all(dates_compatible(d, claim.date) for d in cl["dates"]):
                continue
            if claim.subtype and not all(same_kind(claim.subtype, st) for st in cl["subtypes"]):
                continue  # an airstrike and a ground attack at one place are two events
            shared = locs & cl["locations"]
            same_day = bool(claim.date) and len(claim.date) == 10 and claim.date in cl["dates"]
            dated = _month_or_day(claim.date) and cl["dates"] and all(_month_or_day(d) for d in cl["dates"])
            if (_non_country(shared, names) and (dated or _reported_together(reported, cl["reported"]))) or (
                    same_day and (shared or _nested(locs, cl["locations"], names))):
                target = cl  # the same place, or the same day in places one of which holds the other
                break
        if target is None:
            target = {"type": claim.type, "subject": subject, "claims": [], "locations": set(), "dates": [],
                      "subtypes": set(), "victims": set(), "reported": set()}
            clusters.append(target)
        target["claims"].append((claim, m))
        target["reported"] |= reported  # publication dates of its documents
        target["locations"] |= locs
        target["victims"] |= victims
        if claim.subtype:
            target["subtypes"].add(claim.subtype)
        if claim.date:
            target["dates"].append(claim.date)
    events, conflicts = [], []
    seen: set[str] = set()
    for cl in clusters:
        ev, cons = _event(cl, seen)
        seen.add(ev.id)
        events.append(ev)
        conflicts.extend(cons)
    return events, conflicts


def _event(cl: dict, taken: set[str] = frozenset()) -> tuple[Event, list[Conflict]]:
    claims = cl["claims"]
    evidence = tuple(dict.fromkeys(e for c, _ in claims for e in c.evidence))
    eid = _hid("evt-", cl["type"], evidence[0].document, evidence[0].start)
    n = 1
    while eid in taken:  # two events told in one sentence
        n += 1
        eid = _hid("evt-", cl["type"], evidence[0].document, evidence[0].start, n)

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
    date_clash = any(not dates_compatible(a, b) for i, a in enumerate(values) for b in values[i + 1:])
    if date_clash:
        best = max(dates, key=lambda d: (len({e.document for e in d.evidence}), len(d.value))).value
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
            and {e.document for e in a.evidence} != {e.document for e in b.evidence}
            and not ({e.document for e in a.evidence} & {e.document for e in b.evidence})
        ]
        if clash:
            involved = {id(x) for pair in clash for x in pair}
            vals = tuple(ValueWithEvidence(value=v.value[0] if v.value[1] is None else f"{v.value[1]} {v.value[0]}",
                                           evidence=v.evidence) for v in grouped if id(v) in involved)
            conflicts.append(Conflict(id=_hid("con-", eid, fld), about=eid, field=fld, values=vals))
    subtypes = [c.subtype for c, _ in claims if c.subtype]
    subject = cl["subject"]
    event = Event(
        id=eid, type=cl["type"], subtype=Counter(subtypes).most_common(1)[0][0] if subtypes else None,
        date=best, evidence=evidence, locations=ids("locations"), perpetrators=ids("perpetrators"),
        claimed_by=ids("claimed_by"), subject=subject,
        killed=fields["killed"], wounded=fields["wounded"], dates=dates,
        **{f: _fillers(claims, f) for f in ROLE_FIELDS},
    )
    return event, conflicts


def _fillers(claims: list[tuple[EventClaim, dict]], field: str) -> tuple[Filler, ...]:
    """An event's fillers of one role over all its accounts: one per entity or wording, every source's evidence."""
    return merge_fillers(replace(f, entity=m.get(f.entity) if f.entity else None)
                         for c, m in claims for f in getattr(c, field))


def reconcile(analyses: list[DocumentAnalysis], resolution: Resolution, entity_names: dict[str, str],
              published: dict[str, str] | None = None) -> Reconciled:
    """Relations, events and conflicts from every document's claims, with their evidence.
    ``published`` (document id -> publication date) keeps accounts that give no date of their own
    from joining, by a shared town alone, an incident reported at another time."""
    rel_claims = []
    ev_claims = []
    by_doc: dict[str, dict[str, str]] = defaultdict(dict)
    for (doc, local), global_id in resolution.of.items():
        by_doc[doc][local] = global_id
    for a in analyses:
        m = by_doc[a.document]
        for c in a.relations:
            s = m.get(c.subject)
            o = m.get(c.object) if c.object else None
            if s is None or (c.object and o is None) or s == o:
                continue
            rel_claims.append((c, s, o))
        for e in a.events:
            ev_claims.append((e, m))
    relations, rel_conflicts = _relations(rel_claims)
    relations = _close_predecessors(relations)
    events, ev_conflicts = _events(ev_claims, entity_names, published or {})
    return Reconciled(relations=relations, events=events, conflicts=rel_conflicts + ev_conflicts)
