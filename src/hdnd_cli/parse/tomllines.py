"""Line numbers for TOML: the standard parser gives values, not where they were written.

`key_lines(text)` maps each table and key path to the line it was written on, e.g.
`("rules", 2, "deadline") -> 41` for the `deadline =` line of the third `[[rules]]` table, so that
every problem in a rule pack or hdnd.toml can say `file:line`. Dotted keys (`deadline.after = ...`)
place every table they name; the items of a multi-line array are placed by their index
(`("rules", 0, "examples", 1)`), and nothing inside an array is taken for a key.
"""
from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_PART = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")
_STRING = re.compile(r"""\"(?:[^"\\]|\\.)*\"|'[^']*'""")
_TRIPLE = ('"' * 3, "'" * 3)

KeyPath = tuple[str | int, ...]  # ("rules", 2, "deadline"): a key, an item's index, a key
Lines = dict[KeyPath, int]


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_PART, dotted))


class _Array:
    """A multi-line array being read: its key path, how deep its brackets are, and its items so far."""

    def __init__(self, path: KeyPath, after_bracket: str, lines: Lines, number: int):
        self.path, self.depth, self.items = path, 1, 0
        self.read(after_bracket, lines, number)

    def read(self, text: str, lines: Lines, number: int) -> None:
        for char in text:
            if self.depth == 1 and not char.isspace() and char not in ",]":
                lines.setdefault(self.path + (self.items,), number)
            if char in "[{":
                self.depth += 1
            elif char in "]}":
                self.depth -= 1
            elif char == "," and self.depth == 1:
                self.items += 1


def key_lines(text: str) -> Lines:
    lines: Lines = {}
    counters: dict[tuple[str, ...], int] = {}
    table: KeyPath = ()
    in_string = False
    array: _Array | None = None
    for number, line in enumerate(text.splitlines(), 1):
        toggles = line.count(_TRIPLE[0]) % 2 or line.count(_TRIPLE[1]) % 2
        if in_string:  # inside a multi-line string until the line that closes it
            in_string = not toggles
            continue
        in_string = bool(toggles)  # a line that opens one still holds its key
        bare = _STRING.sub('""', line).split("#", 1)[0]
        if array is not None:  # inside a multi-line array: its items, never keys
            array.read(bare, lines, number)
            if array.depth <= 0:
                array = None
            continue
        header = _HEADER.match(line)
        if header:
            name = _parts(header[2])
            if header[1] == "[[":
                counters[name] = counters.get(name, -1) + 1
                table = name + (counters[name],)
            else:  # a sub-table of the latest item of an array of tables (`[rules.deadline]`), or a table
                owner = max((k for k in counters if name[:len(k)] == k), key=len, default=None)
                table = owner + (counters[owner],) + name[len(owner):] if owner else name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = table + _parts(key[1])
            for length in range(len(table) + 1, len(path) + 1):  # `deadline.after =` also places `deadline`
                lines.setdefault(path[:length], number)
            value = bare[key.end():].strip()
            if value.startswith("["):
                opened = _Array(path, value[1:], lines, number)
                if opened.depth > 0:
                    array = opened
    return lines


def line_of(lines: Lines, *path: str | int) -> int:
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
