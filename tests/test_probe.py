"""The adversarial probe (bench/probe.py), short variant: every kind of hostile input at
every edge (names, months, claims, prose, URLs, headers, methods, slow clients, memory,
mutated source files) gives a correct answer or a clear refusal: never a traceback, never
a 5xx, bounded in time and memory, nothing lost. The server runs on the loopback
interface only; the mutated files are SYNTHETIC (tests/synthetic.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "probe.py"


@pytest.fixture(scope="module")
def probe():
    spec = importlib.util.spec_from_file_location("bluehelmet_probe", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bluehelmet_probe"] = module
    spec.loader.exec_module(module)
    return module


def test_every_hostile_input_gets_an_answer_or_a_clear_refusal(probe, built_db):
    tally = probe.run(built_db, short=True)
    failures = "\n".join(f"[{f.category}] {f.case}: {f.detail}" for f in tally.failures)
    assert not tally.failures, f"{len(tally.failures)} of {len(tally.outcomes)} cases failed:\n{failures}"
    categories = tally.by_category()
    assert set(categories) >= {"names", "months", "claims", "prose", "files", "urls", "methods", "headers",
                               "slow", "memory", "server"}
    assert len(tally.outcomes) >= 300


def test_the_probe_catches_what_it_looks_for(probe):
    # the judges themselves: a traceback, a many-line error and a 5xx are failures
    assert not probe.cli_ok(1, "", "Traceback (most recent call last):\n  ...\nValueError: x\n")[0]
    assert not probe.cli_ok(1, "", "error: one\nerror: two\n")[0]
    assert probe.cli_ok(1, "", "error: unknown country 'Atlantis'\n")[0]
    assert probe.cli_ok(2, "", "error: unexpected '>' at column 1\n       >\n       ^\n")[0]  # a claim's caret
    assert not probe.cli_ok(2, "", "error: x\n" + "  y\n" * 5)[0]
    assert not probe.http_ok(500, {}, b'{"ok": false, "error": "x"}', "/api/x")[0]
    assert not probe.http_ok(404, {"content-type": "text/plain"}, b"Not Found", "/api/x")[0]
    assert probe.http_ok(404, {"content-type": "application/json"}, b'{"ok": false, "error": "x"}', "/api/x")[0]
