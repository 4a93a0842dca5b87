"""Time a command as a whole process over several runs, optionally paired with a second one.

    python bench/paired.py [-n RUNS] [--warmup W] [--timeout S] [--vs "OTHER COMMAND"] -- COMMAND ...

Each run starts a fresh process and takes its wall-clock time. With ``--vs``, the two
commands run in turn (A, B, A, B, ...), so a machine that gets busier or quieter moves both
alike, and the ratio A/B of each pair is printed beside the medians: on a shared, noisy
machine the median of the pairs' ratios holds better than either median alone.
Output: minimum, median and maximum of each command, and of the ratios.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time


def _run(cmd: list[str], timeout: float | None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, check=True)
    return time.perf_counter() - t0


def _line(name: str, xs: list[float], unit: str = "s") -> str:
    return f"{name:>6}: median {statistics.median(xs):.3f}{unit}  (min {min(xs):.3f}, max {max(xs):.3f}, n={len(xs)})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="runs of each command")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first")
    ap.add_argument("--timeout", type=float, default=None, help="seconds a run may take")
    ap.add_argument("--vs", default=None, help="a second command, run in turn with the first")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no command given (put it after --)")
    other = shlex.split(a.vs) if a.vs else None
    for _ in range(a.warmup):
        _run(cmd, a.timeout)
        if other:
            _run(other, a.timeout)
    times: list[float] = []
    vs: list[float] = []
    for _ in range(a.n):
        times.append(_run(cmd, a.timeout))
        if other:
            vs.append(_run(other, a.timeout))
    print(_line("A", times))
    if other:
        print(_line("B", vs))
        print(_line("A/B", [x / y for x, y in zip(times, vs, strict=True)], unit=""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
