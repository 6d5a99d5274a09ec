"""Lexicons and patterns kept as data; this module only reads them."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent


def cues() -> dict:
    """Word lists (cues.json): titles, hedges, anaphors, heads of names ..."""
    return word_lists("cues")


@lru_cache(maxsize=None)
def word_lists(name: str) -> dict:
    """The word lists of ``<name>.json`` (dates.json: words that make a weekday a name ...)."""
    return json.loads((_HERE / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def records(name: str) -> tuple[dict, ...]:
    """The rows of ``<name>.jsonl``."""
    lines = (_HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())
