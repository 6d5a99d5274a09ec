"""Place knowledge for later stages (reconciliation needs to know what is a country)."""
from .analyze.gazetteer import is_country, is_place

__all__ = ["is_country", "is_place"]
