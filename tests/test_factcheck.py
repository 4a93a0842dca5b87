"""Fact-checking prose over synthetic articles (tests/articles): precision and recall."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from bluehelmet.claims.prose import factcheck
from bluehelmet.cli import cli

ARTICLES = Path(__file__).with_name("articles")


def _labels(name: str) -> dict[str, str]:
    return {k: str(v).lower() for k, v in yaml.safe_load((ARTICLES / f"{name}.yaml").read_text()).items()}


def _score(store) -> tuple[int, int, int, list[str]]:
    """(checkable sentences, sentences checked, checked with the right verdict, misses)."""
    checkable = checked = right = 0
    misses = []
    for path in sorted(ARTICLES.glob("*.txt")):
        labels = _labels(path.stem)
        for s in factcheck(store, path.read_text(encoding="utf-8"), "2014-01"):
            label = next((v for k, v in labels.items() if s.text.startswith(k)), None)
            checkable += label is not None
            if s.verdict in ("true", "false"):
                checked += 1
                if label == s.verdict:
                    right += 1
                else:
                    misses.append(f"{path.stem}: {s.text!r} -> {s.claim} = {s.verdict}, label {label}")
            elif label is not None:
                misses.append(f"{path.stem}: {s.text!r} not checked ({s.reason or [c.verdict.reason for c in s.checks]})")
    return checkable, checked, right, misses


def test_precision_and_recall_over_the_articles(store):
    checkable, checked, right, misses = _score(store)
    precision = right / checked
    recall = right / checkable
    print(f"\nfactcheck: {checkable} checkable sentences, {checked} checked, {right} right: "
          f"precision {precision:.2f}, recall {recall:.2f}")
    assert checkable >= 15
    assert precision >= 0.9, misses
    assert recall >= 0.9, misses


def test_sentences_without_figures_are_listed_with_a_reason(store):
    out = factcheck(store, "The rainy season made patrols harder. Ghana had many peacekeepers.", "2014-01")
    assert [s.claim for s in out] == [None, None]
    assert all(s.reason for s in out)


def test_relative_dates_resolve_against_as_of(store):
    (s,) = factcheck(store, "In January, China had more than 2,000 peacekeepers.", "2014-03")
    assert s.claim == "personnel(CHN, 2014-01) > 2000"
    (t,) = factcheck(store, "In November, China had more than 2,000 peacekeepers.", "2014-03")
    assert "2013-11" in t.claim  # the latest November at or before the as-of month


def test_cli_reads_stdin(built_db):
    text = (ARTICLES / "p5.txt").read_text(encoding="utf-8")
    r = CliRunner().invoke(cli, ["factcheck", "-", "--as-of", "2014-01", "--db", str(built_db), "--format", "json"],
                           input=text)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"]["true"] >= 4 and data["summary"]["not checked"] >= 2
