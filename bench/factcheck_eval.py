"""Score bluehelmet's `factcheck` against the independent labels of the evaluation set.

    python bench/factcheck_eval.py [--db /tmp/bh.duckdb] [--half dev|held1|held|held2|held3|held4|held5|held6|held7|held8|held9|held10|tuned|held11|all]

(``tuned`` is dev, held1, held, held2, held3, held4, held5, held6, held7, held8, held9 and held10 together: the sentences the rules were tuned on;
the held sets were each scored once before they were opened, see README.md.)
                                   [--format table|json] [--misses] [--no-context]

For each sentence of bench/factcheck_eval/sentences_*.yaml: run factcheck on its text (with
its `context` in front, judging only the sentences of the text itself) as of its published
month, combine the verdicts of its parts (any false -> false; every part checked and true ->
true; else not checked), and compare with the label from bench/factcheck_eval/label.py
(which imports nothing from bluehelmet).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "factcheck_eval"))
SRC = HERE.parent / "src"
if SRC.exists():
    sys.path.insert(0, str(SRC))

import label as labeller  # noqa: E402  (the independent labeller)

CHECKABLE = ("true", "false")
CLASSES = ("true", "false", "outside", "none", "nodata")


# ---------------------------------------------------------------------------------------
# combining bluehelmet's output
# ---------------------------------------------------------------------------------------
def _verdict_word(v):
    """'true'/'false'/'unknown' from a Verdict object or a plain string."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    return getattr(v, "verdict", None)


def _parts(item):
    """(verdict word, claim text, bluehelmet's figure) for each claim of one factcheck item.

    Handles the shapes factcheck has had: `Sentence(claim, verdict)` with `.verdict.verdict`,
    and a sentence carrying a list (`.checks` or `.claims`) of objects with `.claim` and
    `.verdict`."""
    for attr in ("checks", "claims"):
        lst = getattr(item, attr, None)
        if isinstance(lst, (list, tuple)):
            out = []
            for c in lst:
                v = getattr(c, "verdict", None)
                out.append((_verdict_word(v), getattr(c, "claim", None), getattr(v, "left", None)))
            return out
    v = getattr(item, "verdict", None)
    if v is None or (isinstance(v, str) and v == "not checked"):
        return []
    return [(_verdict_word(v), getattr(item, "claim", None), getattr(v, "left", None))]


def combine(items):
    """One verdict for a sentence from the factcheck items its text became:
    any false -> false; all checked and true -> true; else 'not checked'."""
    parts = [p for it in items for p in _parts(it)]
    words = [p[0] for p in parts]
    if "false" in words:
        v = "false"
    elif words and all(w == "true" for w in words):
        v = "true"
    else:
        v = "not checked"
    reasons = [getattr(it, "reason", None) for it in items if getattr(it, "reason", None)]
    return v, parts, reasons


def run_factcheck(db, entry, factcheck, use_context=True):
    text = " ".join(str(entry["text"]).split())
    ctx = " ".join(str(entry.get("context") or "").split()) if use_context else ""
    full = (ctx + " " + text) if ctx else text
    items = factcheck(db, full, entry["published"])
    if ctx:
        cut = len(ctx) + 1
        if all(hasattr(it, "end") and isinstance(getattr(it, "end"), int) and getattr(it, "end") for it in items):
            items = [it for it in items if it.end > cut]
        else:   # no offsets: judge the text alone
            items = factcheck(db, text, entry["published"])
    return items


# ---------------------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------------------
def _ratio(a, b):
    return None if not b else a / b


def score(rows):
    """rows: dicts with label, verdict, shapes. Returns the metrics dict."""
    n = len(rows)
    out = {"n": n, "by_label": {}, "by_shape": {}}
    for cls in CLASSES:
        sub = [r for r in rows if r["label"] == cls]
        out["by_label"][cls] = {"n": len(sub), "verdicts": dict(Counter(r["verdict"] for r in sub))}
    for v in CHECKABLE:
        called = [r for r in rows if r["verdict"] == v]
        right = [r for r in called if r["label"] == v]
        out["precision_" + v] = _ratio(len(right), len(called))
        out["recall_" + v] = _ratio(len(right), sum(1 for r in rows if r["label"] == v))
        out["called_" + v] = len(called)
    chk = [r for r in rows if r["label"] in CHECKABLE]
    out["checkable"] = len(chk)
    out["accuracy_checkable"] = _ratio(sum(1 for r in chk if r["verdict"] == r["label"]), len(chk))
    out["checkable_not_checked"] = sum(1 for r in chk if r["verdict"] not in CHECKABLE)
    unc = [r for r in rows if r["label"] not in CHECKABLE]
    out["uncheckable_called"] = sum(1 for r in unc if r["verdict"] in CHECKABLE)   # must be 0
    out["uncheckable_called_by_label"] = dict(Counter(r["label"] for r in unc if r["verdict"] in CHECKABLE))
    shapes = sorted({s for r in rows for s in r["shapes"]})
    for s in shapes:
        sub = [r for r in rows if s in r["shapes"]]
        ch = [r for r in sub if r["label"] in CHECKABLE]
        out["by_shape"][s] = {
            "n": len(sub), "labels": dict(Counter(r["label"] for r in sub)),
            "checkable": len(ch),
            "accuracy": _ratio(sum(1 for r in ch if r["verdict"] == r["label"]), len(ch)),
            "called_on_uncheckable": sum(1 for r in sub if r["label"] not in CHECKABLE and r["verdict"] in CHECKABLE),
        }
    return out


def _pct(x):
    return "  -  " if x is None else "%5.1f%%" % (100 * x)


def print_table(name, m):
    print("== %s: %d sentences (%d checkable)" % (name, m["n"], m["checkable"]))
    print("  label      n   verdicts")
    for cls in CLASSES:
        b = m["by_label"][cls]
        print("  %-8s %4d   %s" % (cls, b["n"], ", ".join("%s %d" % kv for kv in sorted(b["verdicts"].items()))))
    print("  verdict true : precision %s  recall %s  (called %d)" % (
        _pct(m["precision_true"]), _pct(m["recall_true"]), m["called_true"]))
    print("  verdict false: precision %s  recall %s  (called %d)" % (
        _pct(m["precision_false"]), _pct(m["recall_false"]), m["called_false"]))
    print("  accuracy on checkable (label true/false): %s; not checked: %d" % (
        _pct(m["accuracy_checkable"]), m["checkable_not_checked"]))
    flag = "" if m["uncheckable_called"] == 0 else "   <-- must be 0"
    print("  outside/none/nodata called true or false: %d %s%s" % (
        m["uncheckable_called"], m["uncheckable_called_by_label"] or "", flag))
    print("  per claim shape:")
    for s, b in m["by_shape"].items():
        print("    %-17s n %3d  checkable %3d  accuracy %s  called-on-uncheckable %d  labels %s" % (
            s, b["n"], b["checkable"], _pct(b["accuracy"]), b["called_on_uncheckable"], b["labels"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/bh.duckdb")
    ap.add_argument("--half", default="dev", choices=["dev", "held1", "held", "held2", "held3", "held4", "held5", "held6", "held7", "held8", "held9", "held10", "tuned", "held11", "all"])
    ap.add_argument("--format", default="table", choices=["table", "json"])
    ap.add_argument("--misses", action="store_true", help="list each wrong sentence")
    ap.add_argument("--no-context", action="store_true", help="check the text alone, without its context")
    ap.add_argument("--sentences", nargs="*", help="sentence files (default: factcheck_eval/sentences_*.yaml)")
    a = ap.parse_args(argv)

    from bluehelmet.claims.prose import factcheck
    from bluehelmet.db import Database

    sents = labeller.load_sentences(a.sentences or None)
    tuned = {"dev", "held1", "held", "held2", "held3", "held4", "held5", "held6", "held7", "held8", "held9", "held10"}
    wanted = {"tuned": tuned, "all": tuned | {"held11"}}.get(a.half, {a.half})
    sents = [e for e in sents if e["half"] in wanted]
    rows = []
    t0 = time.time()
    with Database(Path(a.db)) as db:
        for e in sents:
            lab = labeller.label(e)
            try:
                items = run_factcheck(db, e, factcheck, use_context=not a.no_context)
                verdict, parts, reasons = combine(items)
                err = None
            except Exception as ex:  # a crash is a miss, not the end of the run
                verdict, parts, reasons, err = "error", [], [], "%s: %s" % (type(ex).__name__, ex)
            rows.append({
                "id": e["id"], "half": e["half"], "text": e["text"], "published": e["published"],
                "label": lab["label"], "verdict": verdict,
                "shapes": sorted({c.get("shape") for c in e.get("claims") or []}),
                "label_claims": [dict(c, **{"shape": s.get("shape")}) for s, c in
                                 zip(e.get("claims") or [], lab["claims"])],
                "claims": [dict(zip(("verdict", "claim", "figure"), p)) for p in parts],
                "reasons": reasons, "error": err,
            })
    halves = {"all": ["dev", "held1", "held", "held2", "held3", "held4", "held5", "held6", "held7", "held8", "held9", "held10", "held11"], "tuned": ["tuned"]}.get(a.half, [a.half])
    metrics = {h: score([r for r in rows if r["half"] in (tuned if h == "tuned" else {h})]) for h in halves}
    if a.half == "all":
        metrics["all"] = score(rows)
    if a.format == "json":
        out = {"metrics": metrics, "seconds": round(time.time() - t0, 1)}
        if a.misses:
            out["misses"] = [r for r in rows if _missed(r)]
        print(json.dumps(out, indent=1, default=str))
        return
    for h, m in metrics.items():
        print_table(h, m)
    if a.misses:
        print("\n== misses")
        for r in rows:
            if not _missed(r):
                continue
            print("- %s [%s] label %s, verdict %s: %s" % (r["id"], r["published"], r["label"], r["verdict"], r["text"]))
            for lc in r["label_claims"]:
                print("    label %-7s %-14s figure %s @%s: %s" % (
                    lc["label"], lc["shape"], labeller._fmt(lc["figure"]) if lc["figure"] is not None else "-",
                    lc["month"], lc["why"]))
            for c in r["claims"]:
                print("    bluehelmet %-7s figure %s: %s" % (c["verdict"], c["figure"], c["claim"]))
            for x in r["reasons"]:
                print("    bluehelmet reason: %s" % x)
            if r["error"]:
                print("    error: %s" % r["error"])
    print("(%.0f s)" % (time.time() - t0))


def _missed(r):
    if r["label"] in CHECKABLE:
        return r["verdict"] != r["label"]
    return r["verdict"] in CHECKABLE


if __name__ == "__main__":
    main()
