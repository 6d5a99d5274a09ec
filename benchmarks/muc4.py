"""MUC-4 role fillers, measured the way researchers measure them.

    python -m benchmarks.muc4 --split dev [--data DIR] [--out FILE] [--limit N] [--workers N]

Each document of ``<data>/grit_processed/<split>.jsonl`` (or ``gtt_processed``, whichever is
there) is built in a knowledge base of its own with Tessera's own code path (``tessera build``
then the JSONL export, as a user would), and the export's attack events are mapped onto
MUC-4's roles: PerpInd from ``attackers`` and the persons among ``perpetrators``, PerpOrg from
the other ``perpetrators`` and ``claimed_by``,
Target from ``targets``, Victim from ``victims`` (and a death's ``subject``), Weapon from
``weapons``. A filler is predicted by its value (the words as written), an entity id by the
entity's name; fillers naming one entity are one prediction. Predictions are
written in GRIT's format ``{docid: {role: [[mention], ...]}}`` (``--out``) and scored with
CEAF-REE (GRIT's metric, document level) and with GTT's template metric (one template per
attack event; its incident type from the event's subtype). The last lines are CEAF-REE's
``P``, ``R`` and ``F1``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

try:
    from .harness import build_and_export, entity_names
    from .scoring import MUC_ROLES, ceaf_ree, gtt_template_metric, normalize
except ImportError:  # run as a plain script: python benchmarks/muc4.py
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import build_and_export, entity_names
    from scoring import MUC_ROLES, ceaf_ree, gtt_template_metric, normalize

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "muc4"
ROLE_FIELDS = {"PerpInd": ("attackers", "perpetrators"), "PerpOrg": ("perpetrators", "claimed_by"), "Target": ("targets",),
               "Victim": ("victims",), "Weapon": ("weapons",)}
# a person held responsible is MUC-4's individual perpetrator; a group, its organization
PERSON_ONLY = {("PerpInd", "perpetrators"): True, ("PerpOrg", "perpetrators"): False, ("PerpOrg", "claimed_by"): False}
# Tessera's attack subtypes as MUC-4 incident types; anything else is an "attack".
INCIDENT_TYPES = {"bombing": "bombing", "suicide bombing": "bombing", "mine/IED": "bombing", "kidnapping": "kidnapping",
                  "hostage-taking": "kidnapping", "arson": "arson", "robbery": "robbery",
                  "forced work stoppage": "forced work stoppage"}


def read_split(data: Path, split: str) -> list[dict]:
    """Documents with their gold: ``docid``, ``doctext``, ``extracts`` (GRIT) and ``templates`` (GTT)."""
    docs: dict[str, dict] = {}
    for folder, key in (("grit_processed", "extracts"), ("gtt_processed", "templates")):
        path = data / folder / f"{split}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                docs.setdefault(d["docid"], {"docid": d["docid"], "doctext": d["doctext"]})[key] = d[key]
    if not docs:
        raise SystemExit(f"no {split}.jsonl under {data}/grit_processed or {data}/gtt_processed")
    return list(docs.values())


def templates_from_records(records: list[dict]) -> list[dict]:
    """One MUC-4 template per attack event of the export: ``{incident_type, role: [[mention], ...]}``."""
    names = entity_names(records)
    people = {r["id"] for r in records if r.get("kind") == "entity" and r.get("type") == "person"}
    out = []
    for r in records:
        if r.get("kind") != "event" or r.get("type") != "attack":
            continue
        t: dict = {"incident_type": INCIDENT_TYPES.get(r.get("subtype") or "", "attack")}
        for role, fields in ROLE_FIELDS.items():
            seen: dict[str, list[str]] = {}
            for f in fields:
                for item in r.get(f) or []:
                    entity = item.get("entity") if isinstance(item, dict) else item
                    if (role, f) in PERSON_ONLY and PERSON_ONLY[role, f] != (entity in people):
                        continue
                    if role == "Victim" and not entity and _described(item["value"]):
                        continue  # MUC-4's Victim is a named person (HUM TGT: NAME); "five guards" has no role
                    mention = _mention(item, names)
                    key = f"id:{entity}" if entity else normalize(mention or "")
                    if not (mention and normalize(mention)) or [mention] in seen.values():
                        continue
                    if key not in seen or len(normalize(mention)) > len(normalize(seen[key][0])):
                        seen[key] = [mention]  # an entity by its fullest wording: "julio torres" over "torres"
            t[role] = list(seen.values())
        out.append(t)
    deaths = [r for r in records if r.get("kind") == "event" and r.get("type") == "death" and r.get("subject")]
    victims = {item.get("entity") for r in records if r.get("kind") == "event" and r.get("type") == "attack"
               for item in r.get("victims") or [] if isinstance(item, dict)}
    for r in deaths:  # a named person's death without an attack event is a victim of the document's attack
        name = (names.get(r["subject"]) or [None])[0]
        if name and out and r["subject"] not in victims and not any(
                normalize(name) in {normalize(m[0]) for m in t["Victim"]} for t in out):
            out[0]["Victim"].append([name])
    return out


def _mention(item, names: dict[str, list[str]]) -> str | None:
    """The string a field item is predicted by: a filler's words as written, less the titles before a
    named person ("senator X" -> "X", the titles from Tessera's lexicon); an entity id's name."""
    if not isinstance(item, dict):
        return (names.get(item) or [None])[0]
    value = item["value"]
    if item.get("entity"):
        words = value.split()
        while len(words) > 2 and normalize(words[0]) in _titles():
            words = words[1:]
        value = " ".join(words)
    return value


def _described(value: str) -> bool:
    """A victim told by description, not by name: it opens with a count, an article or a quantifier
    ("five prison guards", "a policeman", "the driver", "many civilians")."""
    first = (value.lower().split() or [""])[0].strip(".,;:'\"")
    return first[:1].isdigit() or first in _opening_words()


@lru_cache(maxsize=1)
def _opening_words() -> frozenset[str]:
    from tessera.analyze.lexicons import cues

    return frozenset(cues()["number_words"]) | {"a", "an", "the", "many", "several", "some", "all", "other", "others",
                                                "no", "its", "their", "his", "her"}


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    from tessera.analyze.lexicons import cues

    return frozenset(normalize(t) for t in cues()["person_titles"])


def extracts_of(templates: list[dict]) -> dict[str, list[list[str]]]:
    """GRIT's document-level view: each role's fillers over all templates, one entity per wording."""
    out = {}
    for role in MUC_ROLES:
        seen: dict[str, list[str]] = {}
        for t in templates:
            for entity in t[role]:
                seen.setdefault(normalize(entity[0]), entity)
        out[role] = list(seen.values())
    return out


def gold_extracts(templates: list[dict]) -> dict[str, list[list[str]]]:
    """GRIT's gold from GTT's templates alone: each role's entities over the templates, once each."""
    out = {}
    for role in MUC_ROLES:
        seen: dict[tuple, list[str]] = {}
        for t in templates:
            for entity in t.get(role, []):
                mentions = [m[0] if isinstance(m, list) else m for m in entity]
                seen.setdefault(tuple(sorted(normalize(m) for m in mentions)), mentions)
        out[role] = list(seen.values())
    return out


def predict(doc: dict) -> tuple[str, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        records = build_and_export(doc["doctext"], doc["docid"], Path(tmp))
    return doc["docid"], templates_from_records(records)


def _row(name: str, s: dict) -> str:
    return (f"{name:<14} P {100 * s['p']:5.1f}  R {100 * s['r']:5.1f}  F1 {100 * s['f1']:5.1f}"
            f"   ({s['matched_p']}/{s['pred']} predicted, {s['matched_r']}/{s['gold']} gold)")


def run(docs: list[dict], workers: int = 1) -> dict[str, list[dict]]:
    """docid -> predicted templates, documents in parallel when ``workers`` > 1."""
    if workers > 1:
        import multiprocessing

        from tessera.engines import init_worker

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=init_worker) as pool:
            return dict(pool.map(predict, docs, chunksize=4))
    import tessera.analyze as analysis

    analysis.load_pipeline()  # models load once, before the clock matters
    getattr(analysis, "load_role_tagger", lambda: None)()  # (absent in versions before the tagger)
    return dict(map(predict, docs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.muc4", description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder laid out like shared/eval/muc4")
    ap.add_argument("--out", type=Path, help="write the predictions in GRIT's format")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--workers", type=int, default=1)
    a = ap.parse_args(argv)
    docs = read_split(a.data, a.split)[: a.limit]
    t0 = time.perf_counter()
    templates = run(docs, a.workers)
    seconds = time.perf_counter() - t0
    pred = {d: extracts_of(ts) for d, ts in templates.items()}
    if a.out:
        a.out.write_text(json.dumps(pred, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"MUC-4 {a.split}: {len(docs)} documents in {seconds:.1f} s ({len(docs) / seconds:.2f} docs/s)")
    if all("templates" in d for d in docs):
        gtt = gtt_template_metric({d["docid"]: d["templates"] for d in docs}, templates)
        print(_row("GTT templates", gtt["micro"]))
    ree = ceaf_ree({d["docid"]: d["extracts"] if "extracts" in d else gold_extracts(d["templates"]) for d in docs},
                   pred)
    for role in MUC_ROLES:
        print(_row(role, ree["roles"][role]))
    print(_row("CEAF-REE", ree["micro"]))
    m = ree["micro"]
    print(f"P {100 * m['p']:.2f}")
    print(f"R {100 * m['r']:.2f}")
    print(f"F1 {100 * m['f1']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
