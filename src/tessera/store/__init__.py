"""The knowledge-base store: the only code in Tessera that runs SQL."""
from __future__ import annotations

from tessera.store.sqlite import SearchHit, Store

__all__ = ["SearchHit", "Store"]
