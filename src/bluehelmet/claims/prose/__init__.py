"""Fact-checking prose: read each sentence's figures with their units and roles, form the
claims they make, and check each (docs/claims.md, "Prose")."""

from __future__ import annotations

from .legacy import MAX_PROSE_CHARS, factcheck
from .model import Check, Number, Sentence

__all__ = ["Check", "MAX_PROSE_CHARS", "Number", "Sentence", "factcheck"]
