"""Write the texts the fact-checker's speed is measured on (docs/benchmarks.md).

    python bench/factcheck_texts.py OUT_DIR

writes ``article-1000w.txt`` (real sentences of bench/factcheck_eval/, drawn at random
with a fixed seed until 1,000 words) and ``text-1mb.txt`` (the same, to 1,000,000
characters, in paragraphs of eight sentences). Every sentence states figures, so these
are denser in claims than a real article: a worst case for the checking, not for the
reading. Then time them, for instance:

    python bench/paired.py -n 5 -- .venv/bin/bluehelmet factcheck OUT_DIR/article-1000w.txt --as-of 2018-06 --db DB
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "factcheck_eval"


def sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(HERE.glob("sentences_*.yaml")):
        out += [" ".join(str(e["text"]).split()) for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return out


def main(out_dir: str) -> None:
    pool, rng = sentences(), random.Random(14)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    words: list[str] = []
    while sum(len(s.split()) for s in words) < 1000:
        words.append(rng.choice(pool))
    (out / "article-1000w.txt").write_text(" ".join(words) + "\n", encoding="utf-8")
    paragraphs, size = [], 0
    while size < 1_000_000:
        para = " ".join(rng.choice(pool) for _ in range(8))
        paragraphs.append(para)
        size += len(para) + 2
    (out / "text-1mb.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    print(f"{out / 'article-1000w.txt'}: {sum(len(s.split()) for s in words):,} words; "
          f"{out / 'text-1mb.txt'}: {size:,} characters")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/factcheck-texts")
