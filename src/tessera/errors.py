"""Tessera's error tree. Messages name the input, the reason and, where there is one, the fix."""
from __future__ import annotations


class TesseraError(Exception):
    """Base of every error Tessera raises on purpose; the CLI prints its message as one line."""


class IngestError(TesseraError):
    """An input could not be read as a document."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class StoreError(TesseraError):
    """The knowledge-base file cannot be opened or written (locked, corrupt, not a Tessera KB)."""


class NotFoundError(TesseraError):
    """A name or id that matches nothing in the knowledge base."""


class ModelError(TesseraError):
    """The NLP model is missing or lacks a component an extractor needs."""


class KeyFormatError(TesseraError):
    """A reference key does not follow KEY-FORMAT.md."""


class ExportError(TesseraError):
    """An export cannot be written: an unknown format, or an output path that cannot be used."""
