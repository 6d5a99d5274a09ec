"""Place knowledge for later stages (reconciliation needs to know what is a country; exports, where a place lies)."""
from .analyze.gazetteer import Place, compatible, contains, country_of, is_country, is_place, resolve, within

__all__ = ["is_country", "is_place", "country_of", "within", "Place", "resolve", "contains", "compatible"]
