"""Command line: each command parses its arguments, makes one library call, formats the result."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, is_dataclass

from .errors import TesseraError
from .kb import CONFLICTS_LIMIT, PROFILE_LIMIT, TIMELINE_LIMIT, KnowledgeBase
from .models import support_label

PERSON_SECTIONS = [
    ("Roles", ("led_by", "spokesperson_of", "founded_by", "succeeded")),
    ("Affiliations", ("member_of",)),
]
PROFILE_SECTIONS = [
    ("Founded", ("founded_on", "founded_by")),
    ("Leaders", ("led_by",)),
    ("Spokespeople", ("spokesperson_of",)),
    ("Members", ("member_of",)),
    ("Succession", ("succeeded",)),
    ("Allies", ("allied_with",)),
    ("Allegiances", ("pledged_allegiance_to",)),
    ("Bases", ("based_in",)),
    ("Aims", ("aims_to_overthrow",)),
    ("Designations", ("designated_terrorist_by",)),
]


def _json(obj) -> str:
    def default(o):
        if is_dataclass(o):
            return asdict(o)
        if isinstance(o, (set, tuple)):
            return list(o)
        return str(o)

    return json.dumps(obj, default=default, ensure_ascii=False, indent=2)


def _support(evidence) -> str:
    """ "[2 docs]", or "[3 documents, 1 independent source]" where some are copies of one story."""
    docs = {e.document for e in evidence}
    sources = {e.independent_source for e in evidence}
    if len(sources) == len(docs):
        return f"[{len(docs)} doc{'s' if len(docs) != 1 else ''}]"
    return f"[{support_label(len(docs), len(sources))}]"


def _quotes(evidence, show: bool, origins: dict[str, str]) -> list[str]:
    if not show:
        return []
    out = []
    for e in evidence:
        src = origins.get(e.document, e.document[:12])
        extra = "".join(f" ({k}: {v})" for k, v in (("according to", e.attributed_to), ("hedge", e.hedge)) if v)
        out.append(f"      \u201c{e.quote}\u201d \u2014 {src}{extra}")
    return out


# How a relation reads from its subject's side and from its object's side.
_READINGS = {
    "founded_by": ("founded by", "founded"),
    "founded_on": ("founded", "founded"),
    "led_by": ("led by", "leader of"),
    "spokesperson_of": ("spokesperson of", "spokesperson"),
    "member_of": ("member of", "member"),
    "succeeded": ("succeeded", "succeeded by"),
    "allied_with": ("allied with", "allied with"),
    "pledged_allegiance_to": ("pledged allegiance to", "allegiance pledged by"),
    "based_in": ("based in", "base of"),
    "aims_to_overthrow": ("aims to overthrow", "target of"),
    "designated_terrorist_by": ("designated terrorist by", "designated as terrorist"),
}


def _relation_line(r, names, focus: str) -> str:
    forward = r.subject == focus or r.value is not None
    other = r.value if r.value is not None else names.get(r.object if forward else r.subject, "?")
    label = _READINGS.get(r.predicate, (r.predicate, r.predicate + " (of)"))[0 if forward else 1]
    when = f" ({r.date})" if r.date else ""
    ended = " (former)" if r.ended else ""
    return f"{label}: {other}{when}{ended} {_support(r.evidence)}"


def _event_line(ev, names, reported: dict[str, str] | None = None) -> str:
    if ev.date:
        when = ev.date
    else:
        when = "date unknown" + (f" (first reported {reported[ev.id]})" if ev.id in (reported or {}) else "")
    parts = [when, ev.type + (f"/{ev.subtype}" if ev.subtype else "")]
    if ev.subject:
        parts.append(names.get(ev.subject, "?"))
    if ev.locations:
        parts.append("at " + ", ".join(names.get(x, "?") for x in ev.locations))
    elif ev.reported_from:  # the dateline's place: where the report was filed, said as such
        parts.append("place not given, reported from " + ", ".join(
            dict.fromkeys(names.get(f.entity, f.value) if f.entity else f.value for f in ev.reported_from)))
    if ev.perpetrators:
        parts.append("by " + ", ".join(names.get(x, "?") for x in ev.perpetrators))
    if ev.claimed_by:
        parts.append("claimed by " + ", ".join(names.get(x, "?") for x in ev.claimed_by))
    for field, label in (("attackers", "attackers"), ("targets", "targets"), ("victims", "victims"),
                         ("weapons", "weapons")):
        fillers = getattr(ev, field, ())
        if fillers:
            parts.append(f"{label}: " + "; ".join(f.value for f in fillers))
    if ev.killed:
        parts.append("killed " + " / ".join(str(v.value) for v in ev.killed))
    if ev.wounded:
        parts.append("wounded " + " / ".join(str(v.value) for v in ev.wounded))
    return " \u2014 ".join(parts) + " " + _support(ev.evidence)


def cmd_build(kb: KnowledgeBase, args) -> int:
    from .analyze import load_pipeline

    if args.engine == "local" or (args.engine == "process" and args.workers == 1):
        load_pipeline()  # a missing model is reported before any file is read (workers report it as they start)
    bar = None
    if sys.stderr.isatty() and not args.json:
        try:
            from tqdm import tqdm

            bar = tqdm(unit="doc", desc="analysing", leave=False)
        except ImportError:
            bar = None
    from .engines import make_engine

    engine = make_engine(args.engine, workers=args.workers, address=args.ray_address)
    report = kb.build(args.inputs, progress=(lambda _o: bar.update(1)) if bar else None,
                      max_bytes=args.max_bytes, engine=engine)
    if bar:
        bar.close()
    for origin, reason in report.failed:
        print(f"skipped {origin}: {reason}", file=sys.stderr)
    stats = kb.store.stats()
    if args.json:
        print(_json({"added": report.added, "unchanged": report.unchanged, "failed": report.failed, "stats": stats}))
    else:
        print(f"{len(report.added)} added, {len(report.unchanged)} unchanged, {len(report.failed)} failed; "
              f"knowledge base: {stats.get('entities', 0)} entities, {stats.get('relations', 0)} relations, "
              f"{stats.get('events', 0)} events, {stats.get('conflicts', 0)} conflicts")
    if args.strict and report.failed:
        return 1
    return 0 if report.ok else 1


def cmd_remove(kb: KnowledgeBase, args) -> int:
    report = kb.remove(args.documents)
    for item in report.unknown:
        print(f"tessera: no document with id or origin {item!r} in {args.kb} (`tessera export {args.kb}` lists "
              "documents); the others were removed", file=sys.stderr)
    stats = kb.store.stats()
    if args.json:
        print(_json({"removed": report.removed, "unknown": report.unknown, "stats": stats}))
    else:
        print(f"{len(report.removed)} removed; knowledge base: {stats.get('entities', 0)} entities, "
              f"{stats.get('relations', 0)} relations, {stats.get('events', 0)} events, "
              f"{stats.get('conflicts', 0)} conflicts")
    return 1 if report.unknown else 0


def cmd_entities(kb, args) -> int:
    ents = kb.entities(args.type)
    if args.json:
        print(_json(ents))
        return 0
    for e in ents:
        aka = f" (also: {', '.join(e.aliases)})" if e.aliases else ""
        print(f"{e.type:<12} {e.name}{aka} [{e.documents} docs, {e.mentions} mentions]")
    return 0


def _origins(kb, evidence) -> dict[str, str]:
    """Document id -> origin for these evidence items (looked up, not every document read)."""
    return {d: origin for d, (origin, _title) in kb.store.document_refs(e.document for e in evidence).items()}


def _limit(args, default: int) -> int | None:
    """The page size a read command asked for: ``--limit N``, every one with ``--all``, else the library's default."""
    if args.all:
        return None
    return default if args.limit is None else max(1, args.limit)


def cmd_profile(kb, args) -> int:
    p = kb.profile(args.name, limit=_limit(args, PROFILE_LIMIT))
    if args.json:
        print(_json(p))
        return 0
    origins = _origins(kb, [x for f in (*p.relations, *p.events) for x in f.evidence]) if args.quotes else {}
    e = p.entity
    print(f"{e.name} ({e.type})")
    if e.aliases:
        print(f"  also known as: {', '.join(e.aliases)}")
    if p.sources and p.sources != e.documents:
        print(f"  in {support_label(e.documents, p.sources)}; {e.mentions} mentions")
    else:
        print(f"  in {e.documents} documents, {e.mentions} mentions")
    if len(p.relations) < p.relation_count or len(p.events) < p.event_count:
        print(f"  (the {len(p.relations)} best-supported of its {p.relation_count} relations and the latest "
              f"{len(p.events)} of its {p.event_count} events; --limit N or --all for more)")
    used = set()
    for title, preds in (PERSON_SECTIONS if e.type == "person" else PROFILE_SECTIONS):
        rows = [r for r in p.relations if r.predicate in preds]
        if not rows:
            continue
        print(f"\n{title}:")
        for r in sorted(rows, key=lambda r: (r.predicate, r.date or "")):
            used.add(r.id)
            print("  - " + _relation_line(r, p.names, e.id))
            for q in _quotes(r.evidence, args.quotes, origins):
                print(q)
    rest = [r for r in p.relations if r.id not in used]
    if rest:
        print("\nOther relations:")
        for r in rest:
            print("  - " + _relation_line(r, p.names, e.id))
            for q in _quotes(r.evidence, args.quotes, origins):
                print(q)
    if p.events:
        print("\nEvents:")
        reported = kb.first_reported(ev.id for ev in p.events if not ev.date)
        for ev in sorted(p.events, key=lambda ev: ev.date or "9999"):
            print("  - " + _event_line(ev, p.names, reported))
            for q in _quotes(ev.evidence, args.quotes, origins):
                print(q)
    if p.conflicts:
        print("\nSources disagree:")
        for c in p.conflicts:
            print(f"  - {c.field}: " + " vs ".join(f"{v.value} {_support(v.evidence)}" for v in c.values))
    return 0


def _names(kb, ids) -> dict[str, str]:
    """Entity id -> name for these ids (looked up, not every entity read)."""
    return {i: name for i, (name, _type) in kb.store.entity_refs(i for i in ids if i).items()}


def _named(ev) -> list:
    return [ev.subject, *ev.locations, *ev.perpetrators, *ev.claimed_by,
            *(f.entity for field in ("reported_from",) for f in getattr(ev, field))]


def cmd_timeline(kb, args) -> int:
    rows = kb.timeline(args.name, limit=_limit(args, TIMELINE_LIMIT))
    names = _names(kb, [x for _d, kind, item in rows
                        for x in (_named(item) if kind == "event" else (item.subject, item.object))])
    if args.json:
        print(_json([{"date": d, "kind": k, "item": item} for d, k, item in rows]))
        return 0
    if rows.more:
        print(f"(the latest {rows.limit} dated relations and {rows.limit} dated events of {rows.relation_count} "
              f"relations and {rows.event_count} events; --limit N or --all for more)")
    for date, kind, item in rows:
        if kind == "event":
            print(f"{date:<12} {_event_line(item, names)}")
        else:
            focus = item.subject
            print(f"{date:<12} {names.get(item.subject, '?')} {_relation_line(item, names, focus)}")
    return 0


def cmd_conflicts(kb, args) -> int:
    conflicts = kb.conflicts(limit=_limit(args, CONFLICTS_LIMIT))
    if args.json:
        print(_json(conflicts))
        return 0
    if not conflicts:
        print("no conflicts between sources")
    elif conflicts.more:
        print(f"(the first {len(conflicts)} of {conflicts.total} conflicts; --limit N or --all for more)")
    about = [c.about for c in conflicts]
    events = {ev.id: ev for ev in kb.store.events(ids=about)}  # with their evidence: the line counts it
    rels = {r.id: r for r in kb.store.relations(ids=about, quotes=0)}
    names = _names(kb, [x for ev in events.values() for x in _named(ev)] + [r.subject for r in rels.values()])
    origins = _origins(kb, [e for c in conflicts for v in c.values for e in v.evidence])
    for c in conflicts:
        about = events.get(c.about)
        label = _event_line(about, names) if about else ""
        if c.about in rels:
            r = rels[c.about]
            label = f"{names.get(r.subject, '?')} {r.predicate}"
        print(f"{c.field} of {label}")
        for v in c.values:
            srcs = ", ".join(sorted({origins.get(e.document, e.document[:12]) for e in v.evidence}))
            copies = len({e.document for e in v.evidence}) != len({e.independent_source for e in v.evidence})
            print(f"  {v.value}: {srcs}" + (f" {_support(v.evidence)}" if copies else ""))
            for q in _quotes(v.evidence, args.quotes, origins):
                print(q)
    return 0


def cmd_search(kb, args) -> int:
    hits = kb.search(args.query, limit=args.limit)
    if args.json:
        print(_json(hits))
        return 0
    if not hits:
        print(f"no sentence matches {args.query!r}")
    for h in hits:
        print(f"{h.origin}:{h.start}-{h.end}\n  {h.sentence}")
    return 0


def cmd_merges(kb, args) -> int:
    if args.events:
        return _event_merges(kb, args)
    entity = kb.entity(args.name) if args.name else None
    merges = kb.store.merges(entity.id if entity else None)
    names = kb.names()
    if args.json:
        print(_json(merges))
        return 0
    if not merges:
        print("no merges recorded" + (f" for {entity.name}" if entity else ""))
    for m in merges:
        print(f"{names.get(m.entity, m.entity)}: '{m.name}' joined '{m.into}' ({m.reason})")
    return 0


def _event_merges(kb, args) -> int:
    """The accounts taken for one incident: for each event, which document joined it and why."""
    entity = kb.entity(args.name) if args.name else None
    events = {e.id: e for e in kb.events(entity.id if entity else None)}
    merges = [m for m in kb.event_merges() if m.event in events]
    if args.json:
        print(_json(merges))
        return 0
    if not merges:
        print("no event merges recorded" + (f" for {entity.name}" if entity else ""))
        return 0
    names, origins = kb.names(), kb.origins()
    last = None
    for m in merges:
        if m.event != last:
            e = events[m.event]
            places = ", ".join(names.get(x, x) for x in e.locations) or "no place"
            first = origins.get(e.evidence[0].document, e.evidence[0].document)
            print(f"{e.id} {e.type}{'/' + e.subtype if e.subtype else ''} {e.date or 'undated'}, {places}: opened by {first}")
            last = m.event
        print(f"  + {origins.get(m.document, m.document)} (score {m.score:g}: {m.reason})")
    return 0


def cmd_export(kb, args) -> int:
    from .export import FORMATS

    fmt = FORMATS.get(args.format)
    if args.out is None:
        if fmt is not None and fmt.folder:
            raise TesseraError(f"--format {args.format} writes one file per table: "
                               "add --out FOLDER, or --out FILE.zip")
        kb.export(args.format, sys.stdout.buffer if fmt is not None and fmt.binary else sys.stdout)
        return 0
    counts = kb.export(args.format, args.out)
    if args.json:
        print(_json({"out": args.out, "format": args.format, "written": counts}))
        return 0
    print(f"{args.out}: " + ", ".join(f"{n} {what}" for what, n in counts.items() if n or "left out" not in what))
    return 0


def cmd_eval(kb, args) -> int:
    from .evaluate import format_report

    report = kb.evaluate(args.key)
    print(_json(report.to_dict()) if args.json else format_report(report))
    return 0


def cmd_serve(kb, args) -> int:
    from .web import serve

    kb.close()  # the app opens the knowledge base read-only for each request
    serve(args.kb, host=args.host, port=args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tessera", description="Evidence-backed knowledge bases from conflict reporting.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, fn, help_, readonly=True):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("kb", help="knowledge base file (SQLite)")
        sp.add_argument("--json", action="store_true", help="print JSON instead of text")
        sp.set_defaults(fn=fn, readonly=readonly)
        return sp

    b = add("build", cmd_build, "add documents (folders, files, globs, .jsonl) to a knowledge base", readonly=False)
    b.add_argument("inputs", nargs="+")
    b.add_argument("--strict", action="store_true", help="exit non-zero if any input failed")
    b.add_argument("--max-bytes", type=int, default=20_000_000,
                   help="largest input file (or JSON line) read as one document (default 20 MB)")
    b.add_argument("--engine", default="process", choices=["local", "process", "ray"],
                   help="where the per-document analysis runs: worker processes on this machine (default; "
                        "one worker analyses in this process, as does 'local'), or Ray actors")
    b.add_argument("--workers", type=int, default=None,
                   help="worker processes (or Ray actors) analysing documents (default: all cores; for Ray, "
                        "every CPU of the cluster)")
    b.add_argument("--address", "--ray-address", dest="ray_address", default=None,
                   help="Ray cluster address for --engine ray, e.g. ray://head:10001 or auto "
                        "(default: start a local Ray)")
    r = add("remove", cmd_remove, "remove documents (by id or origin) with their evidence; the knowledge they "
            "touched is refreshed", readonly=False)
    r.add_argument("documents", nargs="+", metavar="DOC", help="a document id (or its first 8+ characters) or "
                   "origin (path or URL as built; every version)")
    e = add("entities", cmd_entities, "list entities")
    e.add_argument("--type", choices=["organization", "person", "location"])
    pr = add("profile", cmd_profile, "profile of an organization or person (any alias finds it)")
    pr.add_argument("name")
    pr.add_argument("--quotes", action="store_true", help="show the quoted evidence of every fact")
    pr.add_argument("--limit", type=int, default=None, metavar="N",
                    help=f"the N best-supported relations and the N latest events (default: {PROFILE_LIMIT})")
    pr.add_argument("--all", action="store_true", help="every relation and event (slow for an entity named in "
                    "thousands of documents)")
    t = add("timeline", cmd_timeline, "dated facts and events, oldest first")
    t.add_argument("name", nargs="?")
    t.add_argument("--limit", type=int, default=None, metavar="N",
                   help=f"the N latest dated relations and the N latest events (default: {TIMELINE_LIMIT})")
    t.add_argument("--all", action="store_true", help="every dated relation and event")
    c = add("conflicts", cmd_conflicts, "where sources disagree, with both sides")
    c.add_argument("--quotes", action="store_true")
    c.add_argument("--limit", type=int, default=None, metavar="N", help=f"the first N (default: {CONFLICTS_LIMIT})")
    c.add_argument("--all", action="store_true", help="every conflict")
    s = add("search", cmd_search, "full-text search over sentences")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=20)
    m = add("merges", cmd_merges, "which names were taken for one entity (--events: which accounts for one "
            "incident), and why (for review)")
    m.add_argument("name", nargs="?")
    m.add_argument("--events", action="store_true", help="accounts joined into events, and why")
    from .export import FORMATS

    x = add("export", cmd_export, f"export the knowledge base for other tools ({', '.join(FORMATS)})")
    x.formatter_class = argparse.RawDescriptionHelpFormatter
    x.epilog = "formats:\n" + "\n".join(f"  {f.name:<8} {f.summary}" for f in FORMATS.values())
    x.add_argument("--format", default="jsonl", choices=list(FORMATS), help="what to write (default: jsonl)")
    x.add_argument("--out", default=None, metavar="PATH",
                   help="file to write (default: standard output); a folder, or a file ending in .zip, "
                        "for a format that writes several files")
    w = add("serve", cmd_serve, "browse the knowledge base in a web browser: profiles, network, timeline, "
            "conflicts, documents and search, each page with a .json twin (read-only)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    w.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    v = add("eval", cmd_eval, "score the knowledge base against a reference key (KEY-FORMAT.md)")
    v.add_argument("key")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with KnowledgeBase.open(args.kb, readonly=args.readonly) as kb:
            return args.fn(kb, args)
    except TesseraError as exc:
        print("tessera: " + " ".join(str(exc).split()), file=sys.stderr)  # always one line
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
