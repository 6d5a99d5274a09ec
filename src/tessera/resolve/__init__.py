"""Resolution: the local entities of many documents -> one set of entities, every merge logged."""
from .resolver import Named, Resolution, joins_by, name_keys, partner, resolve_entities, resolve_locals

__all__ = ["Named", "Resolution", "joins_by", "name_keys", "partner", "resolve_entities", "resolve_locals"]
