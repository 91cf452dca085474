"""JSON as clubtool writes it: the outline indented, each entry on one line.

The top object's keys each start a line; a list or object under one of them has one
entry per line (a club, an indicator, a file's result); anything deeper is written on
that entry's line. Easy to read and to diff (one club = one line), and encoded by
Python's C encoder at any size — `json.dumps(…, indent=2)` runs the pure-Python encoder,
~0.1 s for a province's 1,000 clubs and ~10 s for the nation's 20,000.

`json.loads` gives back exactly the object written (same keys, order and values).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_BATCH = 1024  # lines joined before a write


def _encode(value: Any) -> str:
    return _LINE.encode(value)


def _key(key: Any) -> str:
    """A key as `json` writes it (a non-string key becomes a string the same way)."""
    return _encode(key) if isinstance(key, str) else _encode({key: 0})[1:-4]  # {"k": 0}


def _lines(obj: Any) -> Iterator[str]:
    if not isinstance(obj, dict) or not obj:
        yield _encode(obj)
        return
    yield "{"
    last = len(obj) - 1
    for i, (key, value) in enumerate(obj.items()):
        comma = "," if i < last else ""
        head = f"  {_key(key)}: "
        if isinstance(value, dict | list | tuple) and value:
            if isinstance(value, dict):
                opening, closing = "{", "}"
                entries = ((f"{_key(k)}: ", v) for k, v in value.items())
            else:
                opening, closing = "[", "]"
                entries = (("", v) for v in value)
            yield head + opening
            inner = len(value) - 1
            for j, (label, v) in enumerate(entries):
                yield f"    {label}{_encode(v)}" + ("," if j < inner else "")
            yield "  " + closing + comma
        else:
            yield head + _encode(value) + comma
    yield "}"


def dumps(obj: Any) -> str:
    """`obj` as JSON text, ending with a newline."""
    return "\n".join(_lines(obj)) + "\n"


def write(obj: Any, out: IO[str]) -> None:
    """`dumps(obj)` written to a text stream as it is encoded (no second copy in memory)."""
    batch: list[str] = []
    for line in _lines(obj):
        batch.append(line)
        if len(batch) >= _BATCH:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    out.write("\n".join(batch) + "\n")
