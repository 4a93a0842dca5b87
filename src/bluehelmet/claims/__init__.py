"""Claims: a small language for checkable statements, and their evaluation (docs/claims.md)."""

from .evaluate import DEFAULT_TOLERANCE, Step, Verdict, check
from .grammar import ClaimSyntaxError, parse

__all__ = ["check", "parse", "Verdict", "Step", "ClaimSyntaxError", "DEFAULT_TOLERANCE", "check_file"]


def check_file(store, path):  # type: ignore[no-untyped-def]
    """Evaluate a YAML batch: a list of entries with ``claim`` (the expression), optional
    ``sentence`` (as written) and ``history`` ("FROM..TO"). Returns (entry, Verdict) pairs.

    A malformed entry is an unknown verdict naming the entry, not a crash.
    """
    import yaml

    from ..errors import SourceReadError

    try:
        with open(path, encoding="utf-8") as fh:
            entries = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise SourceReadError(f"{path}: not a readable YAML claims file: {exc}".splitlines()[0]) from None
    if not isinstance(entries, list):
        raise SourceReadError(f"{path}: expected a list of claims")
    out = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, str):
            entry = {"claim": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("claim"), str):
            out.append(({"entry": i}, Verdict(str(entry), "unknown", reason=f"entry {i}: no 'claim' text")))
            continue
        span = tuple(str(entry["history"]).split("..")) if entry.get("history") else None
        try:
            verdict = check(store, entry["claim"], span if span and len(span) == 2 else None)  # type: ignore[arg-type]
        except ClaimSyntaxError as exc:
            verdict = Verdict(entry["claim"], "unknown", reason=f"entry {i}: {exc}")
        out.append((entry, verdict))
    return out
