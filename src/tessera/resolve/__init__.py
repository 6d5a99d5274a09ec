"""Resolution: the local entities of many documents -> one set of entities, every merge logged."""
from .resolver import Resolution, resolve_entities

__all__ = ["Resolution", "resolve_entities"]
