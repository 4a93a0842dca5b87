"""Sentence breaks: blingfire's compiled sentence breaker, called without its Python wrapper.

blingfire (Microsoft's finite-state tokenizer, shipped as a shared library in its wheel)
breaks 1 MB of English into sentences in about a quarter of a second. Its Python module
imports numpy at the top for functions we do not use, which cost 0.13 s of the 1 s a
1,000-word article may take in the CLI (docs/benchmarks.md). So the library the wheel
ships is loaded here with ctypes and its one function, ``TextToSentencesWithOffsets``,
called as blingfire's own wrapper calls it; tests/test_prose_reading.py checks the breaks
against that wrapper's on real text.
"""

from __future__ import annotations

import ctypes
import importlib.util
import platform
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["sentence_spans"]

_LIBRARY = {"Windows": "blingfiretokdll.dll", "Darwin": "libblingfiretokdll.dylib"}


@lru_cache(maxsize=1)
def _library() -> Any:
    spec = importlib.util.find_spec("blingfire")  # where the wheel is, without running its __init__
    if spec is None or not spec.submodule_search_locations:
        from ...errors import BluehelmetError

        raise BluehelmetError("the blingfire package is not installed: pip install blingfire")
    folder = Path(next(iter(spec.submodule_search_locations)))
    lib = ctypes.cdll.LoadLibrary(str(folder / _LIBRARY.get(platform.system(), "libblingfiretokdll.so")))
    fn = lib.TextToSentencesWithOffsets
    fn.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int32),
                   ctypes.POINTER(ctypes.c_int32), ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``, as blingfire breaks it
    (``end`` exclusive)."""
    if not text:
        return []
    data = text.encode("utf-8")
    size = 2 * len(data)  # as blingfire's wrapper: the broken text is at most twice as long
    out = ctypes.create_string_buffer(size)
    starts, ends = (ctypes.c_int32 * size)(), (ctypes.c_int32 * size)()
    n = _library()(data, len(data), out, starts, ends, size)
    if n == -1 or n > size:
        return [(0, len(text))]
    count = out.value.count(b"\n") + 1
    # blingfire's offsets are UTF-8 bytes, each end the sentence's last byte
    if len(data) == len(text):  # ASCII: bytes are characters
        return [(starts[i], ends[i] + 1) for i in range(count)]
    char_at = [0] * (len(data) + 1)
    c = -1
    for i, byte in enumerate(data):
        if byte & 0xC0 != 0x80:  # the first byte of a character
            c += 1
        char_at[i] = c
    char_at[len(data)] = c + 1
    return [(char_at[starts[i]], char_at[ends[i]] + 1) for i in range(count)]
