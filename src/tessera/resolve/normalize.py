"""Pure key functions for names: what makes two spellings the same name."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from ..models import Filler
from ..names import name_key
from ..analyze.lexicons import cues

__all__ = ["name_key", "skeleton", "initials", "person_tokens", "display_name", "is_acronym", "filler_key",
           "same_filler", "merge_fillers", "without_article"]

_LEAD_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def without_article(value: str) -> str:
    """The words after a leading "the", "a" or "an"."""
    return _LEAD_ARTICLE.sub("", value)


def filler_key(value: str) -> str:
    """When two role fillers are one wording: "The car bomb" / "car bomb" (case, leading article, spaces)."""
    return " ".join(without_article(value.strip()).lower().split())


def filler_words(value: str) -> frozenset[str]:
    """The words of a wording, articles aside and counts as digits ("Fourteen soldiers" = "14 soldiers")."""
    numbers = cues()["number_words"]
    return frozenset(str(numbers.get(w, w)) for w in re.findall(r"[^\W_]+", value.lower()) if w not in ("a", "an", "the"))


def same_filler(a: str, b: str) -> bool:
    """Two wordings of one filler: one's words hold the other's ("six Jesuits" / "the Jesuits",
    "the police station" / "station"); "a bus station" and "a police station" are two."""
    x, y = filler_words(a), filler_words(b)
    return bool(x and y) and (x <= y or y <= x)


def merge_fillers(fillers: Iterable[Filler]) -> tuple[Filler, ...]:
    """One filler per entity, or per thing however worded ("six Jesuits", "the Jesuits"): the fullest
    wording (most words, titles and articles aside; the first on a tie: "Gonzalo Rodriguez Gacha"
    over "Rodriguez Gacha"), with the evidence of every mention."""
    out: list[Filler] = []
    for f in fillers:
        i = next((i for i, o in enumerate(out) if (f.entity and f.entity == o.entity)
                  or (not (f.entity and o.entity) and same_filler(f.value, o.value))), None)
        if i is None:
            out.append(f)
        else:
            value = f.value if fullness(f.value) > fullness(out[i].value) else out[i].value
            out[i] = replace(out[i], value=value, entity=out[i].entity or f.entity,
                             evidence=tuple(dict.fromkeys(out[i].evidence + f.evidence)))
    return tuple(out)


def fullness(value: str) -> int:
    """How many words a wording says, leading titles and articles aside."""
    return len([w for w in person_tokens(value) if w.lower() not in ("a", "an", "the")])

_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("ph", "f"), ("dh", "d"), ("sh", "s"), ("ch", "c"), ("q", "k"), ("ck", "k"))


@lru_cache(maxsize=1 << 16)  # (names recur: in every document naming one thing, in each resolution of it)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key: Yusuf / Youssef / Yousef -> 'sf'; Haruna / Harouna -> 'rn'."""
    w = name_key(word).replace(" ", "")
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    w = re.sub(r"[aeiouyhw']", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


@lru_cache(maxsize=1)
def _name_titles() -> frozenset[str]:
    """The words a person's name may begin with that are not the name: titles and prefixes but "Abu", "bin"..."""
    return frozenset(cues()["person_titles"]) | frozenset(cues()["person_name_prefixes"]) - {"abu", "bin", "ibn", "umm", "abou"}


@lru_cache(maxsize=1 << 16)
def person_tokens(name: str) -> tuple[str, ...]:
    """A person's name without titles, as tokens."""
    titles = _name_titles()
    toks = name.split()
    while len(toks) > 1 and toks[0].lower().rstrip(".") in titles:
        toks = toks[1:]
    return tuple(toks)


NOT_OFFICES = frozenset({"former", "late", "self-proclaimed"})  # titles that say no office ("the late X")


@lru_cache(maxsize=1)
def _job_titles() -> frozenset[str]:
    """Cues' ``person_titles`` that are no part of a name (not its ``person_name_prefixes``: "Abu", "Mullah")."""
    c = cues()
    return frozenset(c["person_titles"]) - frozenset(c["person_name_prefixes"])


@lru_cache(maxsize=1)
def _office_titles() -> frozenset[str]:
    """The job titles that name an office ("former", "late" say none)."""
    return _job_titles() - NOT_OFFICES


def titles_of(name: str) -> list[str]:
    """The titles a person's name begins with, lowercased ("Spanish Jesuit Ignacio Ellacuria" has none
    before "Spanish"; "Jesuit Ignacio Ellacuria": ["jesuit"]; "Gen. Ali Omar": ["gen"])."""
    titles = _office_titles()
    out = []
    for tok in name.split()[:-1]:
        word = tok.lower().rstrip(".")
        if word not in titles:
            break
        out.append(word)
    return out


def initials(name: str) -> str:
    """'Gourma Liberation Army' -> 'GLA', 'Front pour le salut du Gourma' -> 'FSG' (function words skipped)."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ("of", "the", "and", "for", "in", "al", "el")]
    return "".join(w[0] for w in words).upper()


def is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(letters) <= 8 and " " not in name and sum(c.isupper() for c in letters) >= 2


def display_name(name: str) -> str:
    """A person's name without job titles ("President", "Gen.") but with the honorifics
    that are part of how they are known ("Mullah Omar", "Abu Bakr al-Baghdadi")."""
    titles = _job_titles()
    toks = name.split()
    while len(toks) > 2 and toks[0].lower().rstrip(".") in titles:
        toks = toks[1:]
    if len(toks) == 2 and toks[0].lower().rstrip(".") in titles:
        toks = toks[1:]
    return " ".join(toks)
