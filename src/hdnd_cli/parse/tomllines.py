"""Line numbers for TOML: the standard parser gives values, not where they were written.

`key_lines(text)` maps each table and key path to the line it was written on, e.g.
`("rules", 2, "deadline") -> 41` for the `deadline =` line of the third `[[rules]]` table, so that
every problem in a rule pack or hdnd.toml can say `file:line`.
"""
from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*([A-Za-z0-9_\-]+|"[^"]*")\s*=')


def key_lines(text: str) -> dict[tuple, int]:
    lines: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    table: tuple = ()
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
            if not in_string:
                continue
        if in_string:
            continue
        header = _HEADER.match(line)
        if header:
            name = tuple(part.strip().strip("\"'") for part in header[2].split("."))
            if header[1] == "[[":
                counters[name] = counters.get(name, -1) + 1
                table = name + (counters[name],)
            else:  # a sub-table of the latest item of an array of tables (`[rules.deadline]`), or a table
                array = max((k for k in counters if name[:len(k)] == k), key=len, default=None)
                table = array + (counters[array],) + name[len(array):] if array else name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + (key[1].strip('"'),), number)
    return lines


def line_of(lines: dict[tuple, int], *path) -> int:
    """The line of the most specific known prefix of `path` (1 when nothing is known)."""
    for length in range(len(path), 0, -1):
        if path[:length] in lines:
            return lines[path[:length]]
    return 1


def decode_error_line(error: Exception) -> int:
    """The line a `tomllib.TOMLDecodeError` points at."""
    found = re.search(r"line (\d+)", str(error))
    return int(found[1]) if found else 1


def reason(error: Exception) -> str:
    """What stopped the TOML reader, in a few words."""
    return "nested too deeply" if isinstance(error, RecursionError) else str(error)[:200]
