"""Exports that analysts' tools read: the one list of formats, and where each one writes.

Every format but ``jsonl`` is built from the JSON Lines records (``KnowledgeBase.export_records()``)
indexed once in a ``Snapshot``; ``jsonl`` streams the records themselves.
"""
from __future__ import annotations

from dataclasses import dataclass

from .snapshot import Snapshot

__all__ = ["ExportFormat", "FORMATS", "Snapshot", "write"]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    summary: str  # one line for --help and the README
    binary: bool = False  # writes bytes (XML) rather than text
    folder: bool = False  # writes several files: needs a path (a folder, or a file ending in .zip)
    encoding: str = "utf-8"  # of a file written at a path (a byte-order mark for spreadsheets' CSV)


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("jsonl", "one JSON object per line: documents, entities, relations, events, conflicts"),
    ExportFormat("stix", "a STIX 2.1 bundle (OpenCTI, MISP), every object traceable to its documents"),
    ExportFormat("graphml", "entities and events as nodes, relations and roles as edges (Gephi, yEd, networkx)",
                 binary=True),
    ExportFormat("gexf", "the same graph as GEXF (Gephi)", binary=True),
    ExportFormat("csv", "one CSV file per table, in a folder or a .zip", folder=True),
    ExportFormat("gtd", "one CSV row per attack with the Global Terrorism Database's columns",
                 encoding="utf-8-sig"),
)}


def write(format: str, snap: Snapshot, out) -> dict[str, int]:
    """Write ``snap`` in ``format`` to ``out`` (a text or binary stream, or for csv a path); return counts."""
    if format == "stix":
        from . import stix

        return stix.write(snap, out)
    if format == "graphml":
        from .graph import write_graphml

        return write_graphml(snap, out)
    if format == "gexf":
        from .graph import write_gexf

        return write_gexf(snap, out)
    if format == "csv":
        from . import tabular

        return tabular.write(snap, out)
    if format == "gtd":
        from . import gtd

        return gtd.write(snap, out)
    raise ValueError(f"no Snapshot writer for {format!r}")
