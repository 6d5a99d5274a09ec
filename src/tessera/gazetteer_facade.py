"""Place knowledge for later stages (reconciliation needs to know what is a country)."""
from .analyze.gazetteer import country_of, is_country, is_place, within

__all__ = ["is_country", "is_place", "country_of", "within"]
