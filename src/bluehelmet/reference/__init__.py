"""Reference data: countries, their aliases and history, and country groups."""

from .countries import Country, CountryIndex, country_index, name_key
from .attribution import Attribution, Attributions, attributions
from .groups import Group, GroupIndex, Membership, group_index

__all__ = ["Country", "CountryIndex", "country_index", "name_key",
           "Group", "GroupIndex", "Membership", "group_index",
           "Attribution", "Attributions", "attributions"]
