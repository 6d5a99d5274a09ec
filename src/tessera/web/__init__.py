"""The analyst's workbench: ``tessera serve KB`` (pages with JSON twins over a read-only knowledge base)."""
from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
