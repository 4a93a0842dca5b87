"""What a user asked for by name, resolved: countries and groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Selection"]


@dataclass(frozen=True)
class Selection:
    """Countries asked for: explicit ISO3 codes plus groups (membership is per month)."""

    countries: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # what the user typed, for messages
    # (what was typed, "country" | "group", code, name): what each name resolved to
    resolved: tuple[tuple[str, str, str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.countries or self.groups)

    def echo(self) -> list[dict[str, Any]]:
        """What each name asked resolved to, for an answer's ``query["resolved"]``.

        >>> Selection(("FRA",), (), ("france",), (("france", "country", "FRA", "France"),)).echo()
        [{'input': 'france', 'kind': 'country', 'code': 'FRA', 'name': 'France'}]
        """
        return [{"input": i, "kind": k, "code": c, "name": n} for i, k, c, n in self.resolved]
