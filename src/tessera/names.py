"""One definition of how names are compared, used by every stage (KEY-FORMAT.md's folding)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘ʼʻ`´′"
_HYPHENS = "-‐‑‒–—−"
_FOLD_TABLE = {**{ord(c): None for c in _APOSTROPHES}, **{ord(c): " " for c in _HYPHENS}}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$", re.I)  # "SAN SALVADOR'S" too

__all__ = ["fold", "name_key"]


def fold(text: object) -> str:
    """Casefolded, accents and apostrophes removed, hyphens as spaces, whitespace collapsed."""
    if isinstance(text, str) and text.isascii():  # the same result, without the Unicode passes
        return " ".join(text.translate(_FOLD_TABLE).casefold().split())
    s = unicodedata.normalize("NFKD", str(text).translate(_FOLD_TABLE))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(_FOLD_TABLE)
    return " ".join(s.split())


@lru_cache(maxsize=1 << 16)  # names recur (in every document naming one thing, in each resolution of it)
def name_key(text: str) -> str:
    """The lookup key of a name: folded, no possessive, no leading article, no dots."""
    k = fold(_POSSESSIVE.sub("", text.strip()))
    k = re.sub(r"^the\s+", "", k).replace(".", "")
    return " ".join(k.split())
