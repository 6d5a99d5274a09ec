"""Score a knowledge-base export against a reference key (rules: corpus/KEY-FORMAT.md)."""
from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

import yaml

from .errors import KeyFormatError
from .names import fold

SYMMETRIC = frozenset({"allied_with"})
NUMERIC_FIELDS = frozenset({"killed", "wounded"})
EVENT_FIELDS = ("perpetrators", "claimed_by", "killed", "wounded")
SCORED_TYPES = ("organization", "person", "location")
_TYPE_ALIASES = {"gpe": "location", "place": "location", "loc": "location",
                 "org": "organization", "organisation": "organization", "per": "person"}
# Years of a decade that an "early" / "mid" / "late" label covers.
_DECADE_PARTS = {None: range(0, 10), "early": range(0, 4), "mid": range(4, 7), "late": range(7, 10)}

# ---------------------------------------------------------------- names, dates, values


def norm_type(kind: Any) -> str:
    """Normalize an entity type (``gpe``/``place`` count as ``location``)."""
    t = str(kind or "").strip().casefold()
    return _TYPE_ALIASES.get(t, t)


def short_name(origin: Any) -> str:
    """Short document name: the file name before its first ``_`` (else the stem)."""
    base = PurePosixPath(str(origin).replace("\\", "/")).name
    return base.split("_", 1)[0] if "_" in base else PurePosixPath(base).stem


def norm_value(value: Any) -> str:
    """A key or KB value as a stripped string (YAML dates become ISO strings)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


@dataclass(frozen=True)
class PartialDate:
    """A parsed partial date: any of year/month/day, or a decade with an optional part."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    decade: int | None = None
    part: str | None = None


_FULL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_YEARLESS = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^--(\d{1,2})$")
_DECADE = re.compile(r"^(?:(early|mid|late)[\s-]+)?(\d{3})0'?s$", re.IGNORECASE)


def parse_date(value: Any) -> PartialDate | None:
    """Parse YYYY[-MM[-DD]], [--]MM-DD, --MM or '[early|mid|late] 1990s'; None if not a date."""
    s = norm_value(value)
    if m := _FULL.match(s):
        y, mo, d = m.groups()
        return PartialDate(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _YEARLESS.match(s):
        return PartialDate(None, int(m.group(1)), int(m.group(2)))
    if m := _MONTH.match(s):
        return PartialDate(None, int(m.group(1)))
    if m := _DECADE.match(s):
        part = m.group(1).lower() if m.group(1) else None
        return PartialDate(decade=int(m.group(2)) * 10, part=part)
    return None


def date_agrees(key: Any, kb: Any) -> bool:
    """True when the KB date, truncated to the key's precision, equals the key date."""
    k, b = parse_date(key), parse_date(kb)
    if k is None or b is None:
        return k is None and b is None and fold(norm_value(key)) == fold(norm_value(kb))
    if k.decade is not None:
        if b.year is not None:
            return b.year - k.decade in _DECADE_PARTS[k.part]
        return b.decade == k.decade and (k.part is None or b.part == k.part)
    if k.year is not None and b.year != k.year:
        return False
    if k.month is not None and b.month != k.month:
        return False
    return k.day is None or b.day == k.day


def as_int(value: Any) -> int | None:
    """An integer from an int or a string such as '39' or 'at least 39'; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    m = re.search(r"\d+", str(value).replace(",", ""))
    return int(m.group()) if m else None


def value_agrees(key: Any, kb: Any, field_name: str | None = None) -> bool:
    """Compare a key value with a KB value: numbers equal, dates at key precision, else folded text."""
    if field_name in NUMERIC_FIELDS:
        return as_int(key) is not None and as_int(key) == as_int(kb)
    if parse_date(key) is not None:
        return date_agrees(key, kb)
    return fold(norm_value(key)) == fold(norm_value(kb))


def values_compatible(a: Any, b: Any, field_name: str | None = None) -> bool:
    """Two values that differ at most in precision (either agrees with the other)."""
    return value_agrees(a, b, field_name) or value_agrees(b, a, field_name)


def as_list(value: Any) -> list:
    """None -> [], scalar -> [scalar], list -> list."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _item_value(item: Any) -> Any:
    return item.get("value") if isinstance(item, dict) else item


# ---------------------------------------------------------------- key loading


def load_key(path: str | Path) -> dict:
    """Read a YAML key and check its structure; KeyFormatError names the file and the problem."""
    path = Path(path)
    try:
        key = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyFormatError(f"{path}: cannot read key ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise KeyFormatError(f"{path}: not valid YAML ({exc})") from exc
    validate_key(key, str(path))
    return key


def _require(ok: bool, where: str, problem: str) -> None:
    if not ok:
        raise KeyFormatError(f"{where}: {problem}")


def _check_sources(item: dict, where: str) -> None:
    for src in as_list(item.get("sources")):
        _require(isinstance(src, str), where, f"source {src!r} must be a quoted string such as \"003\"")


def validate_key(key: Any, where: str = "key") -> None:
    """Raise KeyFormatError when the key does not follow KEY-FORMAT.md."""
    _require(isinstance(key, dict), where, "a key must be a YAML mapping of sections")
    for section in ("entities", "relations", "events", "conflicts", "not_conflicts", "noise"):
        items = key.get(section) or []
        _require(isinstance(items, list), where, f"'{section}' must be a list")
        for i, item in enumerate(items):
            _require(isinstance(item, dict), where, f"{section}[{i}] must be a mapping, got {item!r}")
    _require(isinstance(key.get("documents") or {}, dict), where, "'documents' must be a mapping")
    for i, ent in enumerate(key.get("entities") or []):
        at = f"{where}: entities[{i}]"
        _require(isinstance(ent.get("name"), str) and ent.get("type"), at, "needs a 'name' and a 'type'")
        _require(isinstance(ent.get("aliases") or [], list), at, "'aliases' must be a list")
    for i, rel in enumerate(key.get("relations") or []):
        at = f"{where}: relations[{i}]"
        _require(bool(rel.get("subject")) and bool(rel.get("predicate")), at, "needs 'subject' and 'predicate'")
        _require(("object" in rel) != ("value" in rel), at, "needs exactly one of 'object' or 'value'")
        _require(isinstance(rel.get("also") or {}, dict), at, "'also' must map a source to a value")
        _check_sources(rel, at)
    ids = set()
    for i, ev in enumerate(key.get("events") or []):
        at = f"{where}: events[{i}]"
        _require(bool(ev.get("id")) and bool(ev.get("type")), at, "needs an 'id' and a 'type'")
        _require(ev["id"] not in ids, at, f"duplicate event id {ev['id']!r}")
        ids.add(ev["id"])
        _check_sources(ev, at)
    for section in ("conflicts", "not_conflicts"):
        for i, c in enumerate(key.get(section) or []):
            at = f"{where}: {section}[{i}]"
            about = c.get("about")
            _require(isinstance(about, str) and (about in ids or len(about.split()) >= 2), at,
                     "'about' must be an event id or \"SUBJECT PREDICATE\"")
            _require(isinstance(c.get("values"), list) and c["values"], at, "needs a non-empty 'values' list")
            _require(section == "not_conflicts" or bool(c.get("field")), at, "needs a 'field'")
            _check_sources(c, at)
    for i, n in enumerate(key.get("noise") or []):
        at = f"{where}: noise[{i}]"
        _require(isinstance(n.get("doc"), str) and isinstance(n.get("text"), str) and n["text"].strip(), at,
                 "needs a quoted 'doc' (e.g. \"000\") and a non-empty 'text'")


# ---------------------------------------------------------------- the report


@dataclass
class SectionScore:
    """Precision/recall of one key section with the items behind the numbers."""

    key_total: int = 0
    key_found: int = 0
    kb_total: int = 0
    kb_correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float | None:
        return self.kb_correct / self.kb_total if self.kb_total else None

    @property
    def recall(self) -> float | None:
        return self.key_found / self.key_total if self.key_total else None

    def to_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "key_total": self.key_total,
                "key_found": self.key_found, "kb_total": self.kb_total, "kb_correct": self.kb_correct,
                "missed": list(self.missed), "spurious": list(self.spurious),
                **{k: list(v) for k, v in self.extra.items()}}


@dataclass
class EvalReport:
    """Everything evaluate() found: one SectionScore per section plus violation lists."""

    entities: SectionScore
    relations: SectionScore
    events: SectionScore
    event_fields: dict[str, SectionScore]
    conflicts: SectionScore
    false_conflicts: list[str] = field(default_factory=list)
    noise_violations: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "entities": self.entities.to_dict(),
            "relations": self.relations.to_dict(),
            "events": {**self.events.to_dict(),
                       "fields": {k: v.to_dict() for k, v in self.event_fields.items()}},
            "conflicts": self.conflicts.to_dict(),
            "not_conflicts": {"false_positives": len(self.false_conflicts), "items": list(self.false_conflicts)},
            "noise": {"violations": len(self.noise_violations), "items": list(self.noise_violations)},
            "missing_documents": list(self.missing_documents),
        }


# ---------------------------------------------------------------- the knowledge base side


class _KB:
    """Export records indexed by kind and id, with entity matching against the key."""

    def __init__(self, records: Iterable[dict], key: dict) -> None:
        self.by_kind: dict[str, list[dict]] = defaultdict(list)
        for rec in records:
            self.by_kind[str(rec.get("kind", ""))].append(rec)
        self.docs = {d.get("id"): short_name(d.get("origin") or d.get("id")) for d in self.by_kind["document"]}
        # a near-duplicate counts as the earliest copy of its story: copies are one independent source
        self.source_of = {d.get("id"): d.get("duplicate_of") or d.get("id") for d in self.by_kind["document"]}
        self.ents = {e.get("id"): e for e in self.by_kind["entity"]}
        self.rels = {r.get("id"): r for r in self.by_kind["relation"]}
        self.events = {e.get("id"): e for e in self.by_kind["event"]}
        self.kb_names = {i: {fold(n) for n in [e.get("name"), *as_list(e.get("aliases"))] if n}
                         for i, e in self.ents.items()}
        self.key_ents = [(e["name"], norm_type(e["type"]), {fold(n) for n in [e["name"], *(e.get("aliases") or [])]})
                         for e in key.get("entities") or []]
        self.key_by_name: dict[str, list[int]] = defaultdict(list)
        for idx, (_, _, names) in enumerate(self.key_ents):
            for n in names:
                self.key_by_name[n].append(idx)
        self.kb_to_key: dict[Any, set[int]] = defaultdict(set)
        self.key_to_kb: dict[int, set] = defaultdict(set)
        for eid, ent in self.ents.items():
            for idx, (_, ktype, names) in enumerate(self.key_ents):
                if norm_type(ent.get("type")) == ktype and self.kb_names[eid] & names:
                    self.kb_to_key[eid].add(idx)
                    self.key_to_kb[idx].add(eid)

    def matches(self, kb_id: Any, ref: Any) -> bool:
        """Does KB entity ``kb_id`` match the key's entity named ``ref`` (name or alias)?"""
        idxs = self.key_by_name.get(fold(ref))
        if idxs:
            return any(kb_id in self.key_to_kb[i] for i in idxs)
        return fold(ref) in self.kb_names.get(kb_id, ())  # a name the key's entity list lacks

    def name(self, kb_id: Any) -> str:
        ent = self.ents.get(kb_id)
        return str(ent.get("name")) if ent else str(kb_id)

    def doc(self, ev: dict) -> str:
        """Short name of the document an evidence item cites."""
        return self.docs.get(ev.get("document"), short_name(ev.get("document", "")))

    def cited(self, evidence: Iterable[dict], include_comments: bool = False) -> set[str]:
        """Short names of the documents an evidence list cites."""
        return {self.doc(ev) for ev in evidence or [] if include_comments or not ev.get("comment")}

    def copies_only(self, values: Iterable[dict]) -> bool:
        """True when the values of a conflict come from several documents that are all copies of one story."""
        docs = {ev.get("document") for v in values for ev in (v.get("evidence") or [])}
        return len(docs) > 1 and len({self.source_of.get(d, d) for d in docs}) == 1

    def render_relation(self, rel: dict) -> str:
        obj = self.name(rel["object"]) if rel.get("object") else repr(rel.get("value"))
        date = f" [{rel['date']}]" if rel.get("date") else ""
        return f"{self.name(rel.get('subject'))} {rel.get('predicate')} {obj}{date}"

    def render_event(self, ev: dict) -> str:
        kind = "/".join(str(x) for x in (ev.get("type"), ev.get("subtype")) if x)
        locs = ", ".join(self.name(x) for x in as_list(ev.get("locations")))
        subj = f" of {self.name(ev['subject'])}" if ev.get("subject") else ""
        return f"{kind}{subj} {ev.get('date') or 'undated'}" + (f" at {locs}" if locs else "") + f" ({ev.get('id')})"

    def render_about(self, about: Any) -> str:
        if about in self.rels:
            return self.render_relation(self.rels[about])
        return self.render_event(self.events[about]) if about in self.events else str(about)


def _kb_dates(rec: dict) -> list:
    return [d for d in [rec.get("date"), *map(_item_value, as_list(rec.get("dates")))] if d is not None]


def _render_key_relation(rel: dict) -> str:
    target = rel.get("object") if "object" in rel else repr(norm_value(rel.get("value")))
    date = f" [{', '.join(map(norm_value, as_list(rel['date'])))}]" if rel.get("date") else ""
    return f"{rel['subject']} {rel['predicate']} {target}{date} (sources {', '.join(as_list(rel.get('sources')))})"


# ---------------------------------------------------------------- sections


def _score_entities(kb: _KB) -> SectionScore:
    """Entity recall/precision with split (one key, many KB) and merged (one KB, many key) lists."""
    score = SectionScore(key_total=len(kb.key_ents), extra={"split": [], "merged": []})
    for idx, (name, ktype, _) in enumerate(kb.key_ents):
        found = kb.key_to_kb[idx]
        if found:
            score.key_found += 1
        else:
            score.missed.append(f"{name} ({ktype})")
        if len(found) > 1:
            score.extra["split"].append(f"{name}: " + " | ".join(sorted(kb.name(i) for i in found)))
    for eid, ent in kb.ents.items():
        if norm_type(ent.get("type")) not in SCORED_TYPES:
            continue
        score.kb_total += 1
        hits = kb.kb_to_key[eid]
        if hits:
            score.kb_correct += 1
        else:
            score.spurious.append(f"{kb.name(eid)} ({norm_type(ent.get('type'))})")
        if len(hits) > 1:
            score.extra["merged"].append(f"{kb.name(eid)}: " + " | ".join(sorted(kb.key_ents[i][0] for i in hits)))
    return score


def _relation_matches(kb: _KB, rel: dict, key_rel: dict) -> bool:
    """Predicate, subject/object (either way if symmetric), date, value and a cited source agree."""
    if rel.get("predicate") != key_rel["predicate"]:
        return False
    pairs = [(rel.get("subject"), rel.get("object"))]
    if key_rel["predicate"] in SYMMETRIC:
        pairs.append((rel.get("object"), rel.get("subject")))
    has_obj = "object" in key_rel
    if not any(kb.matches(s, key_rel["subject"]) and (not has_obj or kb.matches(o, key_rel["object"]))
               for s, o in pairs):
        return False
    if key_rel.get("date") is not None and not any(
            date_agrees(k, d) for k in as_list(key_rel["date"]) for d in _kb_dates(rel)):
        return False
    if "value" in key_rel:
        wanted = [key_rel["value"], *(v for x in (key_rel.get("also") or {}).values() for v in as_list(x))]
        if rel.get("value") is None or not any(value_agrees(w, rel["value"], "value") for w in wanted):
            return False
    sources = set(as_list(key_rel.get("sources")))
    return not sources or bool(sources & kb.cited(rel.get("evidence")))


def _match_section(key_items: list, kb_items: dict, match, show_key, show_kb) -> SectionScore:
    """Recall over key items and precision over KB items for a predicate match(kb_item, key_item)."""
    score = SectionScore(key_total=len(key_items), kb_total=len(kb_items))
    correct: set = set()
    for item in key_items:
        hits = {i for i, rec in kb_items.items() if match(rec, item)}
        correct |= hits
        score.key_found += bool(hits)
        if not hits:
            score.missed.append(show_key(item))
    score.kb_correct = len(correct)
    score.spurious = [show_kb(rec) for i, rec in kb_items.items() if i not in correct]
    return score


def _field_overlap(kb: _KB, role: str, key_vals: list, kb_vals: list) -> tuple[int, int, int, int]:
    """(key values found, key values, KB values in the key, KB values) for one event field."""
    if role in NUMERIC_FIELDS:
        want = {as_int(v) for v in key_vals}
        have = {v for v in (as_int(_item_value(x)) for x in kb_vals) if v is not None}
        return len(want & have), len(want), len(have & want), len(have)
    found = sum(any(kb.matches(i, r) for i in kb_vals) for r in key_vals)
    correct = sum(any(kb.matches(i, r) for r in key_vals) for i in kb_vals)
    return found, len(key_vals), correct, len(kb_vals)


def _event_score(kb: _KB, ev: dict, key_ev: dict) -> int | None:
    """None when the KB event does not match the key event, else how many key fields agree."""
    if fold(ev.get("type", "")) != fold(key_ev["type"]):
        return None
    if key_ev.get("date") is not None and not any(
            date_agrees(k, d) for k in as_list(key_ev["date"]) for d in _kb_dates(ev)):
        return None
    locs = as_list(key_ev.get("location", key_ev.get("locations")))
    loc_found = _field_overlap(kb, "locations", locs, as_list(ev.get("locations")))[0]
    if locs and not loc_found:
        return None
    if key_ev.get("subject") and not kb.matches(ev.get("subject"), key_ev["subject"]):
        return None
    score = loc_found + bool(key_ev.get("date")) + bool(key_ev.get("subject"))
    for role in EVENT_FIELDS:
        score += _field_overlap(kb, role, as_list(key_ev.get(role)), as_list(ev.get(role)))[0]
    return score + bool(set(as_list(key_ev.get("sources"))) & kb.cited(ev.get("evidence")))


def _assign_events(kb: _KB, key_evs: list) -> tuple[dict[int, Any], dict[str, set]]:
    """One-to-one key->KB event assignment (best score first) and every matching KB event per key id."""
    candidates: dict[str, set] = {k["id"]: set() for k in key_evs}
    pairs = []
    for ki, key_ev in enumerate(key_evs):
        for order, (eid, ev) in enumerate(kb.events.items()):
            s = _event_score(kb, ev, key_ev)
            if s is not None:
                candidates[key_ev["id"]].add(eid)
                pairs.append((-s, ki, order, eid))
    assigned: dict[int, Any] = {}
    for _, ki, _, eid in sorted(pairs, key=lambda p: p[:3]):
        if ki not in assigned and eid not in assigned.values():
            assigned[ki] = eid
    return assigned, candidates


def _score_events(kb: _KB, key: dict) -> tuple[SectionScore, dict[str, SectionScore], dict[str, set]]:
    """Event recall/precision, per-field scores of assigned pairs, and matching KB events per key id."""
    key_evs = key.get("events") or []
    score = SectionScore(key_total=len(key_evs), kb_total=len(kb.events))
    assigned, candidates = _assign_events(kb, key_evs)
    fields = {f: SectionScore() for f in EVENT_FIELDS}
    for ki, key_ev in enumerate(key_evs):
        if ki not in assigned:
            score.missed.append(f"{key_ev['id']} ({key_ev['type']} {', '.join(map(norm_value, as_list(key_ev.get('date'))))})")
            continue
        score.key_found += 1
        ev = kb.events[assigned[ki]]
        for role, fs in fields.items():
            if role not in key_ev:
                continue  # the key says nothing about this field: not scored
            key_vals, kb_vals = as_list(key_ev[role]), as_list(ev.get(role))
            found, key_n, correct, kb_n = _field_overlap(kb, role, key_vals, kb_vals)
            fs.key_found, fs.key_total = fs.key_found + found, fs.key_total + key_n
            fs.kb_correct, fs.kb_total = fs.kb_correct + correct, fs.kb_total + kb_n
            if found < key_n or correct < kb_n:
                shown = [_item_value(v) if role in NUMERIC_FIELDS else kb.name(v) for v in kb_vals]
                fs.missed.append(f"{key_ev['id']}: key {key_vals}, KB {shown}")
    matching = set().union(*candidates.values())
    score.kb_correct = len(matching)
    score.spurious = [kb.render_event(ev) for eid, ev in kb.events.items() if eid not in matching]
    return score, fields, candidates


def _about_targets(kb: _KB, about: str, candidates: dict[str, set]) -> set:
    """KB relation/event ids a key 'about' names: an event id or "SUBJECT PREDICATE"."""
    if about in candidates:
        return candidates[about]
    subject, predicate = about.rsplit(None, 1)
    ends = ("subject", "object") if predicate in SYMMETRIC else ("subject",)
    return {rid for rid, r in kb.rels.items()
            if r.get("predicate") == predicate and any(kb.matches(r.get(e), subject) for e in ends)}


def _conflict_found(kb: _KB, c: dict, key_c: dict, targets: set) -> bool:
    """Same target and field, every key value present with evidence, key sources all cited."""
    fname = str(key_c["field"])
    if c.get("about") not in targets or str(c.get("field")) != fname:
        return False
    values = [v for v in as_list(c.get("values")) if isinstance(v, dict) and v.get("evidence")]
    if kb.copies_only(values):
        return False  # copies of one story never disagree: they are one source
    if not all(any(value_agrees(k, v.get("value"), fname) for v in values) for k in key_c["values"]):
        return False
    cited = set().union(*(kb.cited(v["evidence"], include_comments=True) for v in values)) if values else set()
    return set(as_list(key_c.get("sources"))) <= cited


def _render_conflict(kb: _KB, c: dict) -> str:
    vals = ", ".join(repr(_item_value(v)) for v in as_list(c.get("values")))
    return f"{kb.render_about(c.get('about'))} . {c.get('field')}: {vals}"


def _render_key_conflict(key_c: dict) -> str:
    return f"{key_c['about']} . {key_c['field']}: {', '.join(map(norm_value, key_c['values']))}"


def _false_conflicts(kb: _KB, key: dict, candidates: dict[str, set]) -> list[str]:
    """KB conflicts whose values differ only in precision from a not_conflicts item, and KB conflicts
    between copies of one story (one independent source cannot disagree with itself)."""
    out = [_render_conflict(kb, c) + " (copies of one story)" for c in kb.by_kind["conflict"]
           if kb.copies_only(v for v in as_list(c.get("values")) if isinstance(v, dict))]
    for item in key.get("not_conflicts") or []:
        targets = _about_targets(kb, item["about"], candidates)
        for c in kb.by_kind["conflict"]:
            if c.get("about") not in targets or (item.get("field") and c.get("field") != item["field"]):
                continue
            fname = str(c.get("field"))
            vals = [_item_value(v) for v in as_list(c.get("values"))]
            listed = all(any(values_compatible(v, w, fname) for w in item["values"]) for v in vals)
            # values that disagree among themselves (1997 vs 1998) are a real conflict, not precision
            pairwise = all(values_compatible(a, b, fname) for a in vals for b in vals)
            if vals and listed and pairwise:
                out.append(_render_conflict(kb, c))
    return out


def _collapse(text: Any) -> str:
    return " ".join(str(text or "").split())


def _noise_violations(kb: _KB, key: dict) -> list[str]:
    """Relations and events whose evidence is all page furniture / uncommented reader text."""
    noise = [(n["doc"], _collapse(n["text"])) for n in key.get("noise") or []]

    def is_noise(ev: dict) -> bool:
        quote = _collapse(ev.get("quote"))
        return bool(quote) and not ev.get("comment") and any(
            kb.doc(ev) == d and (t in quote or quote in t) for d, t in noise)

    claims = [("relation " + kb.render_relation(r), r) for r in kb.rels.values()]
    claims += [("event " + kb.render_event(e), e) for e in kb.events.values()]
    return [label for label, rec in claims if noise and as_list(rec.get("evidence"))
            and all(map(is_noise, as_list(rec.get("evidence"))))]


# ---------------------------------------------------------------- entry points


def evaluate(records: Iterable[dict], key: dict) -> EvalReport:
    """Score export records (dicts with a ``kind``) against a parsed key."""
    validate_key(key)
    kb = _KB(list(records), key)
    events, fields, candidates = _score_events(kb, key)
    kb_docs = set(kb.docs.values())
    targets = {k["about"]: _about_targets(kb, k["about"], candidates) for k in key.get("conflicts") or []}
    return EvalReport(
        entities=_score_entities(kb),
        relations=_match_section(key.get("relations") or [], kb.rels, lambda r, k: _relation_matches(kb, r, k),
                                 _render_key_relation, kb.render_relation),
        events=events,
        event_fields=fields,
        conflicts=_match_section(key.get("conflicts") or [], dict(enumerate(kb.by_kind["conflict"])),
                                 lambda c, k: _conflict_found(kb, c, k, targets[k["about"]]),
                                 _render_key_conflict, lambda c: _render_conflict(kb, c)),
        false_conflicts=_false_conflicts(kb, key, candidates),
        noise_violations=_noise_violations(kb, key),
        missing_documents=sorted(d for d in (key.get("documents") or {}) if short_name(d) not in kb_docs),
    )


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _block(title: str, s: SectionScore, indent: str = "") -> list[str]:
    lines = [f"{indent}{title}: P={_fmt(s.precision)} R={_fmt(s.recall)}  "
             f"(key {s.key_found}/{s.key_total} found, KB {s.kb_correct}/{s.kb_total} correct)"]
    for label, items in [("missed", s.missed), ("spurious", s.spurious), *s.extra.items()]:
        if items:
            lines.append(f"{indent}  {label} ({len(items)}):")
            lines.extend(f"{indent}    - {item}" for item in items)
    return lines


def format_report(report: EvalReport) -> str:
    """Human-readable report: one block per section with P/R and the missed/spurious lists."""
    lines = _block("entities", report.entities) + _block("relations", report.relations)
    lines += _block("events", report.events)
    for name, fs in report.event_fields.items():
        lines += _block(name, fs, indent="  ")
    lines += _block("conflicts", report.conflicts)
    for title, items in [("not_conflicts false positives", report.false_conflicts),
                         ("noise violations", report.noise_violations),
                         ("key documents missing from the KB", report.missing_documents)]:
        lines.append(f"{title}: {len(items)}")
        lines.extend(f"    - {item}" for item in items)
    return "\n".join(lines)
