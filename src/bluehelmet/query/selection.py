"""What a user asked for by name, resolved: countries and groups."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Selection"]


@dataclass(frozen=True)
class Selection:
    """Countries asked for: explicit ISO3 codes plus groups (membership is per month)."""

    countries: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # what the user typed, for messages

    def __bool__(self) -> bool:
        return bool(self.countries or self.groups)
