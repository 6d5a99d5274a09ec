"""Scoring functions for the public benchmarks (MUC-4 and WikiEvents). Pure functions, no Tessera imports.

Written from the metric descriptions in ../shared/eval/muc4/SOURCE.md and the brief for the
WikiEvents role-group metric; no scorer code was copied.

Every score is a dict ``{"p", "r", "f1"}`` of fractions in [0, 1] plus the counts it was computed
from (``"matched_p"``, ``"matched_r"``, ``"pred"``, ``"gold"``; for one-to-one metrics the two matched
counts are equal and also given as ``"matched"``).

- ``normalize``: MUC-4 string normalisation.
- ``ceaf_ree``: GRIT's CEAF-REE with phi_strict (role-filler entities, no templates).
- ``gtt_template_metric``: GTT's template metric (best injective template mapping per document).
- ``role_group_score``: the WikiEvents role-group metric (coref clusters, exact or head-word match).
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["normalize", "head_word", "prf", "ceaf_ree", "gtt_template_metric", "role_group_score",
           "MUC_ROLES", "WIKI_GROUPS", "CORE_GROUPS", "GTT_MAX_MAPPINGS"]

MUC_ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
WIKI_GROUPS = ("perpetrator", "target", "victim", "place", "instrument")
CORE_GROUPS = ("perpetrator", "place", "victim")

_PUNCT = re.compile("[" + re.escape(string.punctuation) + "]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b|(?<=s)['\u2019](?=\s|$)")


def normalize(s: str) -> str:
    """Lower-case, drop ASCII punctuation, drop the words a/an/the, collapse whitespace."""
    s = _PUNCT.sub("", s.lower())
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def head_word(s: str) -> str:
    """The last token after lower-casing and removing possessives, punctuation and a leading article."""
    s = _POSSESSIVE.sub("", s.lower())
    tokens = _PUNCT.sub("", s).split()
    if tokens and tokens[0] in ("a", "an", "the"):
        tokens = tokens[1:]
    return tokens[-1] if tokens else ""


def prf(matched_p: int, pred: int, matched_r: int, gold: int) -> dict:
    """P = matched_p / pred, R = matched_r / gold, F1 their harmonic mean (0 when undefined)."""
    p = matched_p / pred if pred else 0.0
    r = matched_r / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    out = {"p": p, "r": r, "f1": f1, "matched_p": matched_p, "matched_r": matched_r, "pred": pred, "gold": gold}
    if matched_p == matched_r:
        out["matched"] = matched_p
    return out


# ---- assignment --------------------------------------------------------------------------------

try:  # scipy is in the project venv; the fallback keeps these functions dependency-free
    from scipy.optimize import linear_sum_assignment as _lsa
except ImportError:  # pragma: no cover
    _lsa = None


def _max_assignment(weights: Sequence[Sequence[float]]) -> float:
    """Total weight of a maximum-weight one-to-one assignment of rows to columns."""
    if not weights or not weights[0]:
        return 0.0
    if _lsa is not None:
        rows, cols = _lsa(weights, maximize=True)
        return float(sum(weights[i][j] for i, j in zip(rows, cols)))
    return _max_assignment_exact(weights)


def _max_assignment_exact(weights: Sequence[Sequence[float]]) -> float:
    """Exact maximum-weight assignment by memoised search over column subsets (small matrices only)."""
    n_rows, n_cols = len(weights), len(weights[0])
    if n_rows > n_cols:  # iterate over the shorter side
        weights = [list(col) for col in zip(*weights)]
        n_rows, n_cols = n_cols, n_rows
    memo: dict[tuple[int, int], float] = {}

    def best(i: int, used: int) -> float:
        if i == n_rows:
            return 0.0
        key = (i, used)
        if key not in memo:
            value = best(i + 1, used)  # row i left unassigned
            for j in range(n_cols):
                if not used >> j & 1 and weights[i][j] > 0:
                    value = max(value, weights[i][j] + best(i + 1, used | 1 << j))
            memo[key] = value
        return memo[key]

    return best(0, 0)


# ---- entity shapes -----------------------------------------------------------------------------

def _mentions(entity) -> list[str]:
    """The mention strings of one entity: a string, a list of strings, or GRIT's [[mention, offset], ...]."""
    if isinstance(entity, str):
        return [entity]
    out = []
    for m in entity:
        if isinstance(m, str):
            out.append(m)
        elif isinstance(m, (list, tuple)) and m and isinstance(m[0], str):
            out.append(m[0])
        else:
            raise ValueError(f"cannot read a mention from {m!r}")
    return out


def _norm_entities(entities: Iterable | None) -> list[list[str]]:
    return [[normalize(m) for m in _mentions(e)] for e in (entities or [])]


def _sum_counts(scores: Iterable[dict]) -> dict:
    mp = mr = np_ = ng = 0
    for s in scores:
        mp += s["matched_p"]
        mr += s["matched_r"]
        np_ += s["pred"]
        ng += s["gold"]
    return prf(mp, np_, mr, ng)


# ---- CEAF-REE (GRIT) ---------------------------------------------------------------------------

def _phi_strict(gold_mentions: set[str], pred_mentions: list[str]) -> float:
    return 1.0 if pred_mentions and all(m in gold_mentions for m in pred_mentions) else 0.0


def ceaf_ree(gold: Mapping[str, Mapping[str, list]], pred: Mapping[str, Mapping[str, list]],
             roles: Sequence[str] = MUC_ROLES) -> dict:
    """GRIT's CEAF-REE with phi_strict.

    ``gold`` and ``pred``: ``{docid: {role: [entity, ...]}}``, an entity being a list of mention strings
    (or GRIT's ``[[mention, offset], ...]``). Strings are compared after ``normalize``. Per document and
    role, gold and predicted entities are aligned one-to-one to maximise the number of pairs where every
    predicted mention is one of the gold entity's mentions; the matched count is the numerator of P
    (over predicted entities) and R (over gold entities). Counts are summed over documents per role and
    over roles for the micro average. Documents present on one side only count on that side.

    Returns ``{"roles": {role: score}, "micro": score}``.
    """
    counts = {role: [0, 0, 0] for role in roles}  # matched, pred, gold
    for docid in set(gold) | set(pred):
        g_doc, p_doc = gold.get(docid) or {}, pred.get(docid) or {}
        for role in roles:
            g_ents = [set(e) for e in _norm_entities(g_doc.get(role))]
            p_ents = _norm_entities(p_doc.get(role))
            c = counts[role]
            c[1] += len(p_ents)
            c[2] += len(g_ents)
            if g_ents and p_ents:
                w = [[_phi_strict(g, p) for g in g_ents] for p in p_ents]
                c[0] += int(round(_max_assignment(w)))
    per_role = {role: prf(m, p, m, g) for role, (m, p, g) in counts.items()}
    return {"roles": per_role, "micro": _sum_counts(per_role.values())}


# ---- GTT template metric -----------------------------------------------------------------------

GTT_MAX_MAPPINGS = 100_000  # mappings tried per document before falling back to an assignment


def _canonical_template(t: Mapping, roles: Sequence[str]) -> tuple:
    return (normalize(t.get("incident_type", "") or ""),
            tuple(tuple(sorted(tuple(sorted(set(e))) for e in _norm_entities(t.get(r)))) for r in roles))


def _pair_counts(pt: dict, gt: dict, roles: Sequence[str]) -> list[tuple[int, int]] | None:
    """Per slot (incident_type, then roles), the (P numerator, R numerator) of a mapped pair;
    None when the predicted type is not a substring of the gold type (the pair then scores nothing)."""
    if pt["type"] not in gt["type"]:
        return None
    out = [(1, 1)]
    for r in roles:
        g_ents = [set(e) for e in gt["roles"][r]]
        p_ents = pt["roles"][r]
        ok = [[bool(p) and all(m in g for m in p) for g in g_ents] for p in p_ents]
        n_p = sum(1 for row in ok if any(row))
        n_r = sum(1 for j in range(len(g_ents)) if any(row[j] for row in ok))
        out.append((n_p, n_r))
    return out


def _f1_of(num_p: int, den_p: int, num_r: int, den_r: int) -> float:
    return prf(num_p, den_p, num_r, den_r)["f1"]


def gtt_template_metric(gold_templates: Mapping[str, list], pred_templates: Mapping[str, list],
                        roles: Sequence[str] = MUC_ROLES, max_mappings: int = GTT_MAX_MAPPINGS) -> dict:
    """GTT's template metric.

    ``gold_templates`` and ``pred_templates``: ``{docid: [template, ...]}``, a template being
    ``{"incident_type": str, role: [entity, ...]}``. Gold templates are deduplicated per document. Every
    predicted template's type and entities count in the P denominators and every gold template's in the
    R denominators, whatever the mapping. Each injective mapping of predicted templates to gold templates
    (or to nothing) is tried and the one with the best document micro-F1 kept. A mapped pair scores only
    when the normalised predicted type is a substring of the gold type ("bombing" in "attack / bombing");
    its type then counts 1 for P and R, and a predicted entity is correct when all its mentions are in
    some gold entity of the role (not one-to-one); a gold entity is recalled when some predicted entity
    is correct against it. Micro average over incident_type and the roles.

    Guard: only type-compatible pairs are enumerated (others score nothing, like leaving both templates
    unmapped). When a document would need more than ``max_mappings`` mappings, its mapping is instead a
    maximum-weight one-to-one assignment with pair weight P_num/P_den + R_num/R_den (the document's
    P + R, which is linear in the pairs); ``"approximated_docs"`` lists those documents.

    Returns ``{"slots": {"incident_type"|role: score}, "micro": score, "approximated_docs": [...]}``.
    """
    slots = ["incident_type", *roles]
    totals = {s: [0, 0, 0, 0] for s in slots}  # matched_p, pred, matched_r, gold
    approximated: list[str] = []

    for docid in set(gold_templates) | set(pred_templates):
        gold_unique: dict[tuple, Mapping] = {}
        for t in gold_templates.get(docid) or []:
            gold_unique.setdefault(_canonical_template(t, roles), t)
        golds = [{"type": normalize(t.get("incident_type", "") or ""),
                  "roles": {r: _norm_entities(t.get(r)) for r in roles}} for t in gold_unique.values()]
        preds = [{"type": normalize(t.get("incident_type", "") or ""),
                  "roles": {r: _norm_entities(t.get(r)) for r in roles}} for t in pred_templates.get(docid) or []]

        den_p = [len(preds)] + [sum(len(t["roles"][r]) for t in preds) for r in roles]
        den_r = [len(golds)] + [sum(len(t["roles"][r]) for t in golds) for r in roles]
        pair = {(i, j): c for i, pt in enumerate(preds) for j, gt in enumerate(golds)
                if (c := _pair_counts(pt, gt, roles)) is not None}
        options = [[j for j in range(len(golds)) if (i, j) in pair] for i in range(len(preds))]

        best_f1, best_num = -1.0, None
        tried = 0

        def search(i: int, used: set[int], num: list[list[int]]) -> None:
            nonlocal best_f1, best_num, tried
            if i == len(preds):
                tried += 1
                if tried > max_mappings:
                    raise OverflowError
                f1 = _f1_of(sum(n[0] for n in num), sum(den_p), sum(n[1] for n in num), sum(den_r))
                if f1 > best_f1:
                    best_f1, best_num = f1, [list(n) for n in num]
                return
            search(i + 1, used, num)  # predicted template i left unmapped
            for j in options[i]:
                if j in used:
                    continue
                c = pair[(i, j)]
                for k, (a, b) in enumerate(c):
                    num[k][0] += a
                    num[k][1] += b
                used.add(j)
                search(i + 1, used, num)
                used.discard(j)
                for k, (a, b) in enumerate(c):
                    num[k][0] -= a
                    num[k][1] -= b

        try:
            search(0, set(), [[0, 0] for _ in slots])
        except OverflowError:
            approximated.append(docid)
            sp, sr = sum(den_p) or 1, sum(den_r) or 1
            w = [[(sum(a for a, _ in pair[(i, j)]) / sp + sum(b for _, b in pair[(i, j)]) / sr)
                  if (i, j) in pair else 0.0 for j in range(len(golds))] for i in range(len(preds))]
            best_num = [[0, 0] for _ in slots]
            if _lsa is not None:
                rows, cols = _lsa(w, maximize=True)
                chosen = [(i, j) for i, j in zip(rows, cols) if (i, j) in pair]
            else:  # pragma: no cover - greedy when neither scipy nor a small matrix is available
                chosen, used_j = [], set()
                for _, i, j in sorted(((-w[i][j], i, j) for (i, j) in pair)):
                    if i not in {a for a, _ in chosen} and j not in used_j:
                        chosen.append((i, j))
                        used_j.add(j)
            for i, j in chosen:
                for k, (a, b) in enumerate(pair[(i, j)]):
                    best_num[k][0] += a
                    best_num[k][1] += b

        for k, s in enumerate(slots):
            totals[s][0] += best_num[k][0]
            totals[s][1] += den_p[k]
            totals[s][2] += best_num[k][1]
            totals[s][3] += den_r[k]

    per_slot = {s: prf(mp, p, mr, g) for s, (mp, p, mr, g) in totals.items()}
    return {"slots": per_slot, "micro": _sum_counts(per_slot.values()), "approximated_docs": sorted(approximated)}


# ---- WikiEvents role groups --------------------------------------------------------------------

def _lower(s: str) -> str:
    return " ".join(s.lower().split())


def _strings_match(pred_strings: list[str], gold_mentions: list[str]) -> bool:
    """Any predicted string equals (lower-cased) or shares the head word of any gold mention."""
    gold_low = {_lower(m) for m in gold_mentions}
    gold_heads = {h for m in gold_mentions if (h := head_word(m))}
    for s in pred_strings:
        if _lower(s) in gold_low:
            return True
        h = head_word(s)
        if h and h in gold_heads:
            return True
    return False


def role_group_score(gold: Mapping[str, Mapping[str, list]], pred: Mapping[str, Mapping[str, list]],
                     groups: Sequence[str] = WIKI_GROUPS, core: Sequence[str] = CORE_GROUPS) -> dict:
    """The WikiEvents role-group metric.

    ``gold``: ``{docid: {group: [entity, ...]}}``, a gold entity being a coreference cluster given as its
    mention strings; ``pred`` the same, a predicted entity being all the strings of one prediction. A
    prediction matches a gold entity of the same group when some predicted string and some gold mention
    are equal once lower-cased, or have the same head word (``head_word``). Predictions and gold
    entities are matched one-to-one (maximum matching) per document and group.

    Returns ``{"groups": {group: score}, "micro": score (all groups), "core": score (the ``core``
    groups among ``groups``)}``.
    """
    counts = {g: [0, 0, 0] for g in groups}  # matched, pred, gold
    for docid in set(gold) | set(pred):
        g_doc, p_doc = gold.get(docid) or {}, pred.get(docid) or {}
        for group in groups:
            g_ents = [_mentions(e) for e in (g_doc.get(group) or [])]
            p_ents = [_mentions(e) for e in (p_doc.get(group) or [])]
            c = counts[group]
            c[1] += len(p_ents)
            c[2] += len(g_ents)
            if g_ents and p_ents:
                w = [[1.0 if _strings_match(p, g) else 0.0 for g in g_ents] for p in p_ents]
                c[0] += int(round(_max_assignment(w)))
    per_group = {g: prf(m, p, m, n) for g, (m, p, n) in counts.items()}
    return {"groups": per_group, "micro": _sum_counts(per_group.values()),
            "core": _sum_counts(per_group[g] for g in groups if g in core)}


# ---- self-check on the MUC-4 dev gold: python -m benchmarks.scoring [MUC4_DIR] -------------------

def _self_check(muc4_dir: str) -> None:  # pragma: no cover - reads the shared data
    import json
    from pathlib import Path

    root = Path(muc4_dir)
    grit = [json.loads(line) for line in (root / "grit_processed" / "dev.jsonl").open(encoding="utf-8")]
    gold = {d["docid"]: d["extracts"] for d in grit}
    first_perporg = {k: {"PerpOrg": [[e[0][0]] for e in v.get("PerpOrg", [])]} for k, v in gold.items()}
    gtt = {json.loads(line)["docid"]: json.loads(line)["templates"]
           for line in (root / "gtt_processed" / "dev.jsonl").open(encoding="utf-8")}
    for name, s in [("CEAF-REE, GRIT dev gold vs itself", ceaf_ree(gold, gold)),
                    ("CEAF-REE, first mention of each gold PerpOrg only", ceaf_ree(gold, first_perporg)),
                    ("GTT metric, GTT dev gold vs itself", gtt_template_metric(gtt, gtt))]:
        m = s["micro"]
        print(f"{name}: P {100 * m['p']:.2f} R {100 * m['r']:.2f} F1 {100 * m['f1']:.2f} "
              f"({m['matched_p']}/{m['pred']} predicted, {m['matched_r']}/{m['gold']} gold)")


if __name__ == "__main__":  # pragma: no cover
    import sys

    _self_check(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/eval/muc4")
