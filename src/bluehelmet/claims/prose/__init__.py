"""Fact-checking prose: read each sentence's figures with their units and roles, the names
with theirs, and its dates; form the claims they make; check each (docs/claims.md, "Prose").

Modules: ``quantities`` (figures, units, wording), ``entities`` (names and roles),
``dates`` (a sentence's dates), ``shapes`` (claims from them), ``reader`` (the text,
sentence by sentence, and the as-of window), ``model`` (what comes back).
"""

from __future__ import annotations

from .model import Check, Number, Sentence, tally
from .reader import MAX_PROSE_CHARS, as_of_month, dateline, factcheck

__all__ = ["Check", "MAX_PROSE_CHARS", "Number", "Sentence", "as_of_month", "dateline", "factcheck", "tally"]
