"""Score Tessera on WikiEvents (Li, Ji, Han 2021): document-level attack role fillers.

Usage: python -m benchmarks.wikievents --split dev [--data DIR] [--out FILE] [--limit N]

Gold: the arguments of the ``Conflict.Attack.*``, ``Life.Die.*`` and ``Life.Injure.*`` events of each
document, merged over the document and grouped as

    perpetrator  Attacker, Killer, Injurer
    target       Target
    victim       Victim
    place        Place
    instrument   Instrument, ExplosiveDevice

A gold entity is a coreference cluster from ``coref/<split>.jsonlines`` (an argument outside every
cluster is its own entity) and its mention strings are the texts of the cluster's entity mentions.
The file gives no name/nominal distinction (every ``mention_type`` is ``UNK``), so perpetrators and
places are kept only when some mention of the cluster is a proper name by capitalisation: one of its
tokens (a leading a/an/the aside) starts with an upper-case letter, is not a pronoun or determiner,
and either is not the first token of its sentence, or is sentence-initial but never occurs in lower
case elsewhere in the document. "Sentence-initial" also covers a token after sentence-final
punctuation, a colon, an opening quote or bracket, or a dash, since the file's sentence splitter
misses some boundaries.

Predictions: each document is built in its own knowledge base through ``KnowledgeBase.build`` and
read back only from the JSONL export records (``export_records``). Groups: perpetrator from an
event's ``perpetrators``, ``claimed_by`` and ``attackers``; place from ``locations``; victim from a
death event's ``subject`` and from ``victims``; target from ``targets``; instrument from ``weapons``.
A field item is an entity id (its strings are the entity's ``name`` and ``aliases``), a plain string
(the value itself) or a dict ``{"value", "entity", "evidence"}`` (the value plus the entity's names
when ``entity`` is set). Items are merged over the document: one prediction per distinct entity id,
or per distinct lower-cased value when there is no entity.

The dataset's ``text`` field glues the sentences together with no separator ("...in SyriaThe desert
..."); the text given to Tessera is the sentence texts joined by a space, or by a line break after a
sentence that does not end in sentence-final punctuation (headlines, datelines, section headings).

Scoring is ``benchmarks.scoring.role_group_score``. The last three lines printed are ``P``, ``R`` and
``F1``: micro over the five groups, in percent.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

try:
    from .harness import build_and_export, entity_names
    from .scoring import CORE_GROUPS, WIKI_GROUPS, role_group_score
except ImportError:  # run as a plain script: python benchmarks/wikievents.py
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import build_and_export, entity_names
    from scoring import CORE_GROUPS, WIKI_GROUPS, role_group_score

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "wikievents"
if not DEFAULT_DATA.is_dir():
    DEFAULT_DATA = Path("/work/shared/eval/wikievents")

EVENT_PREFIXES = ("Conflict.Attack.", "Life.Die.", "Life.Injure.")
ROLE_GROUP = {"Attacker": "perpetrator", "Killer": "perpetrator", "Injurer": "perpetrator",
              "Target": "target", "Victim": "victim", "Place": "place",
              "Instrument": "instrument", "ExplosiveDevice": "instrument"}
NAME_GROUPS = ("perpetrator", "place")  # kept only when some mention is a proper name
_ARTICLES = {"a", "an", "the"}
# closed-class words that start sentences: never proper names, even in a document too short to show
# them in lower case elsewhere ("They killed 23 Afghan soldiers")
_CLOSED = _ARTICLES | {
    "i", "he", "she", "it", "we", "you", "they", "him", "her", "us", "them", "his", "its", "our", "your",
    "their", "this", "that", "these", "those", "who", "whom", "whose", "which", "what", "some", "all",
    "both", "each", "many", "most", "several", "none", "one", "another", "other", "others", "any"}
_FINAL = tuple('.!?"\'”’)')


# ---- gold ---------------------------------------------------------------------------------------

def load_split(data: Path, split: str) -> tuple[list[dict], dict[str, list[list[str]]]]:
    """The documents of ``<split>.jsonl`` and the coreference clusters per document."""
    if split == "test":
        raise SystemExit("the test split is held out: tune and report on dev")
    docs = [json.loads(line) for line in (data / f"{split}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    clusters: dict[str, list[list[str]]] = {}
    coref = data / "coref" / f"{split}.jsonlines"
    if coref.is_file():
        for line in coref.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                clusters[rec["doc_key"]] = rec["clusters"]
    return docs, clusters


_OPENERS = {".", "!", "?", ":", ";", "\"", "“", "‘", "'", "(", "—", "–", "-", "--", "==", "•"}


def _sentence_starts(doc: dict) -> set[int]:
    """Token positions where a capital letter is expected: the first token of each of the file's
    sentences, and any token after sentence-final punctuation, a colon, an opening quote or
    bracket, or a dash (the file's sentence splitter misses some boundaries)."""
    starts, i = set(), 0
    for sent in doc["sentences"]:
        starts.add(i)
        i += len(sent[0])
    tokens = doc["tokens"]
    starts.update(j for j in range(1, len(tokens)) if tokens[j - 1] in _OPENERS)
    return starts


def is_proper_name(doc: dict, mention: dict, starts: set[int] | None = None,
                   lower_words: set[str] | None = None) -> bool:
    """Whether an entity mention is a proper name, judged by capitalisation (see the module docstring)."""
    tokens = doc["tokens"]
    starts = _sentence_starts(doc) if starts is None else starts
    if lower_words is None:
        lower_words = {t for t in tokens if t[:1].islower()}
    idx = list(range(mention["start"], mention["end"]))
    if idx and tokens[idx[0]].lower() in _ARTICLES:
        idx = idx[1:]
    for i in idx:
        tok = tokens[i]
        if not tok[:1].isupper() or tok.lower() in _CLOSED:
            continue
        if i not in starts or tok.lower() not in lower_words:
            return True
    return False


def gold_groups(doc: dict, clusters: list[list[str]] | None) -> dict[str, list[list[str]]]:
    """``{group: [entity mention strings, ...]}`` for one document (see the module docstring)."""
    mentions = {m["id"]: m for m in doc["entity_mentions"]}
    cluster_of: dict[str, int] = {}
    members: list[list[str]] = []
    for cl in clusters or []:
        for mid in cl:
            cluster_of.setdefault(mid, len(members))
        members.append(list(cl))

    def cluster(mid: str) -> int:
        if mid not in cluster_of:
            cluster_of[mid] = len(members)
            members.append([mid])
        return cluster_of[mid]

    found: dict[str, list[int]] = {g: [] for g in WIKI_GROUPS}
    for ev in doc["event_mentions"]:
        if not ev["event_type"].startswith(EVENT_PREFIXES):
            continue
        for arg in ev["arguments"]:
            group = ROLE_GROUP.get(arg["role"])
            if group is None:
                continue
            c = cluster(arg["entity_id"])
            if c not in found[group]:
                found[group].append(c)

    starts = _sentence_starts(doc)
    lower_words = {t for t in doc["tokens"] if t[:1].islower()}
    out: dict[str, list[list[str]]] = {}
    for group, cids in found.items():
        ents = []
        for c in cids:
            ms = [mentions[mid] for mid in members[c] if mid in mentions]
            if group in NAME_GROUPS and not any(is_proper_name(doc, m, starts, lower_words) for m in ms):
                continue
            strings = list(dict.fromkeys(m["text"] for m in ms))
            if strings:
                ents.append(strings)
        out[group] = ents
    return out


def document_text(doc: dict) -> str:
    """The sentence texts, joined by a space or, after an unpunctuated line, by a line break."""
    parts: list[str] = []
    for sent in doc["sentences"]:
        s = sent[1].strip()
        if not s:
            continue
        if parts:
            parts.append(" " if parts[-1].endswith(_FINAL) else "\n")
        parts.append(s)
    return "".join(parts)


# ---- predictions --------------------------------------------------------------------------------

def predictions_from_records(records: list[dict]) -> dict[str, list[list[str]]]:
    """``{group: [prediction strings, ...]}`` from one document's JSONL export records."""
    names = entity_names(records)

    out: dict[str, dict[str, list[str]]] = {g: {} for g in WIKI_GROUPS}

    def add(group: str, item) -> None:
        if item is None:
            return
        if isinstance(item, dict):
            value, entity = item.get("value"), item.get("entity")
            strings = ([value] if value else []) + (names.get(entity, []) if entity else [])
            key = f"id:{entity}" if entity else f"v:{' '.join(str(value or '').lower().split())}"
        elif item in names:
            strings, key = names[item], f"id:{item}"
        else:
            strings, key = [str(item)], f"v:{' '.join(str(item).lower().split())}"
        strings = [s for s in strings if s and s.strip()]
        if not strings:
            return
        bucket = out[group].setdefault(key, [])
        for s in strings:
            if s.lower() not in {b.lower() for b in bucket}:
                bucket.append(s)

    fields = {"perpetrator": ("perpetrators", "claimed_by", "attackers"), "place": ("locations",),
              "victim": ("victims",), "target": ("targets",), "instrument": ("weapons",)}
    for r in records:
        if r.get("kind") != "event":
            continue
        for group, keys in fields.items():
            for k in keys:
                for item in r.get(k) or []:
                    add(group, item)
        if r.get("type") == "death":
            add("victim", r.get("subject"))
    return {g: list(preds.values()) for g, preds in out.items()}


def predict(doc: dict, tmp: Path) -> tuple[dict[str, list[list[str]]], list[dict]]:
    """Build one document in its own knowledge base and read the groups back from its export."""
    records = build_and_export(document_text(doc), doc["doc_id"], tmp)
    return predictions_from_records(records), records


# ---- main ---------------------------------------------------------------------------------------

def _line(name: str, s: dict) -> str:
    return (f"{name:<12} P {100 * s['p']:5.1f}  R {100 * s['r']:5.1f}  F1 {100 * s['f1']:5.1f}"
            f"   ({s['matched']} matched, {s['pred']} predicted, {s['gold']} gold)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, help="write the gold and predicted groups per document as JSON")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    args = ap.parse_args(argv)

    docs, clusters = load_split(args.data, args.split)
    if args.limit:
        docs = docs[: args.limit]
    from tessera.analyze import load_pipeline

    t0 = time.perf_counter()
    load_pipeline()  # once for the whole run: the analysis caches it per process
    t1 = time.perf_counter()
    gold, pred = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            gold[doc["doc_id"]] = gold_groups(doc, clusters.get(doc["doc_id"]))
            pred[doc["doc_id"]], _ = predict(doc, Path(tmp))
    t2 = time.perf_counter()

    score = role_group_score(gold, pred, WIKI_GROUPS)
    if args.out:
        args.out.write_text(json.dumps({d: {"gold": gold[d], "pred": pred[d]} for d in gold},
                                       ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"WikiEvents {args.split}: {len(docs)} documents, model load {t1 - t0:.1f} s, "
          f"build {t2 - t1:.1f} s ({(t2 - t1) / max(len(docs), 1):.1f} s/doc)")
    for g in WIKI_GROUPS:
        print(_line(g, score["groups"][g]))
    print(_line("+".join(CORE_GROUPS), score["core"]))
    print(_line("micro", score["micro"]))
    m = score["micro"]
    print(f"P {100 * m['p']:.1f}")
    print(f"R {100 * m['r']:.1f}")
    print(f"F1 {100 * m['f1']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
