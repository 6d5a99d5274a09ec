"""Ingest: files, folders, globs and JSON lines -> ``Document``s with title, date and regions."""
from __future__ import annotations

from .clean import split_regions
from .documents import make_document
from .sources import iter_inputs

__all__ = ["iter_inputs", "make_document", "split_regions"]
