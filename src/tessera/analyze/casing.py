"""All-capitals and all-lowercase documents re-cased for the model, every offset unchanged.

spaCy's small English model finds names by their capitals: old wire copy set in capitals
("SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- THE FMLN ...") or text typed in lowercase
gives it none. ``prepare`` detects such a document from its letters and hands back a copy
in which only the case of letters differs: same length, same characters up to case, so
every offset the model returns is an offset into the stored document text, which is never
modified.

Detection (``casing_of``) counts words of three letters or more that have cased letters
("I", "A", "UN", "of" tell nothing), and returns

* ``"upper"`` when at least ``UPPER_SHARE`` (75%) of them are all-capitals: a normal
  article with acronyms (FMLN, UN, ELN) or an all-caps headline and dateline stays far
  below that (acronyms rarely pass 20% of long words);
* ``"lower"`` when at least ``LOWER_SHARE`` (98%) of them are all-lowercase: in ordinary
  prose every sentence start and every name is capitalised, so well over 2% of long words
  are (about one in eight in news text);
* ``"mixed"`` otherwise, and always when fewer than ``MIN_WORDS`` (3) words decide.

Re-casing (``truecase_text``) uses the statistics of the ``truecase`` package (unigram,
bigram and trigram counts of each casing of a word, from Brown, Reuters and other corpora),
with Tessera's own tokenisation (a regular expression; nltk's tokenizer needs punkt data),
and these changes (measured on CoNLL-2003 dev where it tells; ``python -m benchmarks.conll``):

* a word whose case is mixed in the input (``McDONALD`` in capitals, ``iPhone`` in lowercase)
  keeps it: its case is information;
* uppercase acronyms the statistics lack or get wrong are data (``lexicons/acronyms.txt``);
* a word the statistics never saw is capitalised (most are names: "Farabundo", "Muralitharan"),
  in capitals and in lowercase text alike: keeping it as it is, the package's "as-is" option,
  loses 6 F1 points in capitals and 10 in lowercase (first 40 dev documents, Tessera's spans);
* in capitals, a short unknown word without vowels stays in capitals ("FMLN", "PCN");
* a word the statistics saw at most ``RARE`` (2) times, only in lowercase, that the gazetteer knows as a
  place's own name is capitalised ("the port of Callao", "Cabanas Department": the statistics saw
  "callao" once);
* the first word of a sentence (after . ! ?, a blank line, or a short or finished line) is
  capitalised;
* not kept: dropping odd casings the statistics hold ("NAtional", "THe") as candidates cost
  0.2 F1 points; capitalising a word after a capitalised word when its capitalised form is
  common enough (10% / 25% of its uses: "National Liberation Front") cost 1.0 / 0.4 points.

Measured on the first 40 dev documents (F1 of Tessera's spans, capitals / lowercase): the raw
package's choices with this tokenisation 51.1 / 51.1; with the changes above 51.1 / 51.1 (the
acronym list changes nothing on 1996 Reuters sports and business news; it is for conflict
reporting: "fmln" in lowercase would otherwise read "Fmln"). Full dev, all four types (F1,
cased / capitals / lowercase): spaCy alone 64.7 / 26.4 / 52.4, Tessera 58.0 / 52.6 / 52.5.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import casing_stats, gazetteer
from .casing_stats import CasingStats

UPPER_SHARE = 0.75
LOWER_SHARE = 0.98
MIN_WORDS = 3
MIN_LETTERS = 3
RARE = 2  # a word the statistics saw this often or less, only in lowercase, that names a place is that place

_WORD = re.compile(r"[^\W\d_]+")
# tokens for the statistics' context: dotted initialisms (U.S.), letter runs, numbers, punctuation
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+|\d+(?:[.,]\d+)*|--|[^\w\s]")
_END = {".", "!", "?"}
_VOWELS = set("aeiouyAEIOUY")
_LEXICON = Path(__file__).parent / "lexicons" / "acronyms.txt"


def casing_of(text: str) -> str:
    """``"upper"``, ``"lower"`` or ``"mixed"``, from the words of three letters or more (see module doc)."""
    upper = lower = total = 0
    for m in _WORD.finditer(text):
        w = m.group()
        if len(w) < MIN_LETTERS or w.lower() == w.upper():
            continue  # short words and uncased scripts decide nothing
        total += 1
        if w.isupper():
            upper += 1
        elif w.islower():
            lower += 1
    if total < MIN_WORDS:
        return "mixed"
    if upper >= UPPER_SHARE * total:
        return "upper"
    if lower >= LOWER_SHARE * total:
        return "lower"
    return "mixed"


@lru_cache(maxsize=1)
def _caser() -> CasingStats:
    """The truecase package's statistics, loaded once per process (memory-mapped: see ``casing_stats``)."""
    return casing_stats.load()


def lowercase_share(word: str) -> float:
    """How often the statistics saw ``word`` in lowercase among all its casings (0 for a word they never
    saw): a common word ("union", "university", "bank") beside a name ("Mexico", "Columbus")."""
    caser = _caser()
    low = word.lower()
    forms = caser.forms.get(low) or ()
    if low not in forms:
        return 0.0
    counts = caser.count(["u" + f for f in forms])
    total = counts.sum()
    return float(counts[forms.index(low)] / total) if total else 0.0


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    """Uppercase acronyms kept in capitals whatever the statistics say (lexicons/acronyms.txt)."""
    lines = _LEXICON.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip())


def _choose(caser: CasingStats, prev: str | None, word: str, nxt: str | None, source: str) -> str:
    """The most likely casing of ``word`` (lowercase) between its neighbours."""
    low = word.lower()
    if low.upper() in acronyms():
        return low.upper()
    forms = caser.forms.get(low)
    if not forms:
        if 2 <= len(word) <= 5 and not (_VOWELS & set(word)):
            return low.upper()  # FMLN, PCN: an unknown capitalised word without vowels is an acronym
        return low.capitalize()  # a word the statistics never saw is most often a name
    if gazetteer.is_main_name(low) and all(f.islower() for f in forms) \
            and caser.count(["u" + f for f in forms]).sum() <= RARE:
        return low.capitalize()  # seen once or twice, in lowercase, and a place's name: "the port of Callao"
    if len(forms) == 1:
        return forms[0]
    return caser.best(prev, forms, nxt)


def _apply(original: str, target: str) -> str:
    """``target``'s case on ``original``'s characters; any character that cannot take it is kept."""
    if len(target) != len(original):
        return original
    out = []
    for o, t in zip(original, target):
        if o != t and (o.upper() == t or o.lower() == t) and len(t) == 1:
            out.append(t)
        else:
            out.append(o)
    return "".join(out)


def _sentence_starts(text: str, tokens: list[re.Match]) -> set[int]:
    """Indexes of tokens that open a sentence: after . ! ?, a blank line, or a short or finished line."""
    starts: set[int] = set()
    expect = True
    for i, m in enumerate(tokens):
        if i:
            gap = text[tokens[i - 1].end():m.start()]
            if "\n" in gap:
                line_start = text.rfind("\n", 0, tokens[i - 1].end()) + 1
                line = text[line_start:tokens[i - 1].end()]
                if gap.count("\n") >= 2 or len(line.strip()) < 40 or line.rstrip()[-1:] in '.!?:"':
                    expect = True
        tok = m.group()
        if expect and tok[:1].isalpha():
            starts.add(i)
            expect = False
        elif tok in _END:
            expect = True
        elif tok[:1].isalnum():
            expect = False
    return starts


def truecase_text(text: str, source: str | None = None) -> str:
    """``text`` with each word in its most likely case: same length, only letters' case changed.

    ``source`` is the document's casing ("upper" or "lower"; detected when not given): only words
    wholly in that case are re-cased."""
    source = source or casing_of(text)
    caser = _caser()
    tokens = list(_TOKEN.finditer(text))
    starts = _sentence_starts(text, tokens)
    out = list(text)
    prev: str | None = None
    for i, m in enumerate(tokens):
        tok = m.group()
        if not tok[:1].isalpha():
            prev = tok
            continue
        single = tok.isupper() if source == "upper" else tok.islower() if source == "lower" else (
            tok.isupper() or tok.islower())
        if not single:
            prev = tok  # its case is the writer's: kept
            continue
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else None
        target = _choose(caser, prev, tok, nxt, source)
        if i in starts:
            target = target[:1].upper() + target[1:]
        cased = _apply(tok, target)
        out[m.start():m.end()] = cased
        prev = cased
    _name_before_acronym(text, tokens, out, starts)
    result = "".join(out)
    assert len(result) == len(text)
    return result


_INNER = {"of", "for", "and", "the", "de", "del", "la", "el", "y"}  # words a name keeps in lower case


def _name_before_acronym(text: str, tokens: list[re.Match], out: list[str], starts: set[int]) -> None:
    """A name spelled out before its acronym in brackets is a name throughout: "Farabundo Marti National
    liberation front (FMLN)" -> "... Liberation Front (FMLN)". From the first capitalised word (not one
    capitalised only for opening a sentence) whose run up to the bracket has about as many words as
    the acronym has letters, the lower-case words are capitalised (short function words aside)."""
    def cased(k: int) -> str:
        m = tokens[k]
        return "".join(out[m.start():m.end()])

    for i in range(1, len(tokens) - 2):
        acronym = cased(i + 1)
        if tokens[i].group() != "(" or tokens[i + 2].group() != ")" or not (2 <= len(acronym) <= 8 and acronym.isupper()):
            continue
        run: list[int] = []  # the words before the bracket, nearest first
        j = i - 1
        while j >= 0 and cased(j).isalpha() and len(run) < len(acronym) + 4:
            run.append(j)
            j -= 1
        best = None
        words = 0
        for k in run:
            words += cased(k).lower() not in _INNER
            if words > len(acronym) + 2:
                break
            if cased(k)[:1].isupper() and k not in starts and words >= len(acronym) - 1:
                best = k
        if best is None:
            continue
        for k in range(best, i):
            w = cased(k)
            if w.islower() and w not in _INNER:
                out[tokens[k].start()] = out[tokens[k].start()].upper()


def prepare(text: str) -> str:
    """The text to give spaCy: ``text`` itself when its case is mixed, else re-cased (same offsets)."""
    kind = casing_of(text)
    return text if kind == "mixed" else truecase_text(text, kind)
