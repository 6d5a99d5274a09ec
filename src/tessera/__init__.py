"""Tessera: evidence-backed knowledge bases from news and reports about armed conflict."""
from .errors import TesseraError
from .kb import KnowledgeBase, Profile, open_kb
from .models import Conflict, Document, Entity, Event, Evidence, Relation

open = open_kb  # tessera.open("kb.db"), the notebook entry point

__all__ = ["open", "open_kb", "KnowledgeBase", "Profile", "TesseraError",
           "Document", "Entity", "Relation", "Event", "Conflict", "Evidence"]
__version__ = "0.1.0"
