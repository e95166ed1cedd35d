"""The ledger: YAML, JSON or JSON Lines text -> (entries, problems). Pure; the loader reads files.

Every entry keeps its file and line. Reading is strict: a problem anywhere is reported with its
`file:line`, all at once, and the engine never runs on a ledger with problems.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple

from ..dates.counting import parse_date
from ..model import ACTS, Entry, Problem, Subject
from .schema import COMMON, EVENTS, KINDS, names

# Known kinds: the fields they must have, and for reserved kinds every field they may have.
REQUIRED = {kind: tuple(k.name for k in keys if k.required) for kind, keys in {**EVENTS, **KINDS}.items()}
CHOICES = {(kind, k.name): k.choices for kind, keys in EVENTS.items() for k in keys if k.type == "choice"}
CHOICE_WORDS = {  # the same values as Vietnamese registers write them, folded (no case, no diacritics)
    ("session", "type"): {"thuong le": "regular", "chuyen de": "thematic", "dot xuat": "extraordinary",
                          "bat thuong": "extraordinary"},
    ("voter-contact", "phase"): {"truoc": "before", "truoc ky hop": "before", "sau": "after",
                                 "sau ky hop": "after"},
}


def choice_value(kind: str, name: str, value: Any) -> Any:
    """A closed choice's value from a register's Vietnamese word ("thường lệ" -> "regular")."""
    from ..messages import fold

    words = CHOICE_WORDS.get((kind, name))
    return words.get(fold(value).strip(), value) if words and isinstance(value, str) else value
ALLOWED = {kind: names(COMMON + keys) for kind, keys in KINDS.items()}  # the reserved kinds' keys, and only these
CORRECTIONS = ("set", "void")
RESERVED = (*ACTS, "obligation", *CORRECTIONS)
TEXT_FIELDS = {"id", "of", "obligation", "title", "title_en", "obligor", "recipient", "reason", "ref", "by",
               "basis", "source", "quote", "file", "sha256"}
FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates outside this are typing mistakes, not records
DATE_FIELDS = ("ends", "until", "due", "forwarded")
# The tags the readers put on each entry's mapping (its line, its keys' lines, the keys written twice):
# objects, not text, so that no key a ledger holds ("__line__" in a JSON file) can be taken for one.
LINE, _KEY_LINES, _TWICE = object(), object(), object()


def parse_ledger(text: str, file: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of one ledger file, by its extension (`.yaml`/`.yml`, `.json`, `.jsonl`)."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write
    try:
        if file.endswith(".jsonl"):
            raw = list(_jsonl_items(text))
        elif file.endswith(".json"):
            raw = _json_items(text)
        else:
            raw = _yaml_items(text)
    except _SyntaxProblem as error:
        return [], [Problem(file, error.line, *_hint(error.message, text, error.line))]
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        first = text.lstrip().partition("\n")[0]
        table = isinstance(raw, str) and ":" not in first and any(first.count(c) >= 2 for c in ",;\t")
        return [], [Problem(file, 1, "ledger-csv" if table else "ledger-not-list")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    pool: dict[Any, Any] = {}
    halves = _SURROGATE_ESCAPE.search(text) is not None  # only a JSON escape can make half a character
    for item in raw:
        if halves and holds_text(item, half_character):
            problems.append(Problem(file, item.get(LINE, 1) if isinstance(item, dict) else 1, "lone-surrogate", {}))
            continue
        entry = read_entry(item, file, problems, pool)
        if entry:
            entries.append(entry)
    return entries, problems


def _one(value: Any, pool: dict[Any, Any]) -> Any:
    """One shared object for equal dates and short texts (kinds, keys, bodies): entries of a big
    ledger then hold a few thousand of these, not millions, and the cache stores each once."""
    if isinstance(value, date) or (isinstance(value, str) and len(value) <= 24):
        return pool.setdefault(value, value)
    return value


class _Stray(NamedTuple):
    """A list item that is not a mapping, and the line it stands on."""

    value: Any
    line: int


def read_entry(item: Any, file: str, problems: list[Problem], pool: dict[Any, Any] | None = None) -> Entry | None:
    """One validated entry, or None with its problems appended."""
    if not isinstance(item, dict):
        value, line = item if isinstance(item, _Stray) else (item, 1)
        problems.append(Problem(file, line, "entry-empty", {}) if value is None
                        else Problem(file, line, "entry-not-mapping", {"value": value}))
        return None
    line, key_lines, twice = item.pop(LINE, 1), item.pop(_KEY_LINES, {}), item.pop(_TWICE, ())
    if not twice:
        entry = well_formed(item, file, line, {} if pool is None else pool)
        if entry is not None:
            return entry
    before = len(problems)
    entry_id = item.get("id")
    bad_id = entry_id is not None and (not isinstance(entry_id, (str, int)) or not str(entry_id).strip()
                                       or "/" in str(entry_id))
    subject = Subject("entry", str(entry_id), line) if entry_id is not None and not bad_id else None

    def problem(key: str, **params: Any) -> None:
        problems.append(Problem(file, key_lines.get(params.get("name"), line), key, params, subject))

    for name, first, second in twice:  # `- ` forgotten between two entries merges them: nothing is lost silently
        problems.append(Problem(file, second, "duplicate-key", {"name": name, "other": f"{file}:{first}"}, subject))
    odd = [key for key in item if not isinstance(key, str)]
    if odd:  # `1: x` or `2024-01-01: x` as a field name
        problem("bad-field-name", value=odd[0])
        return None
    kind = item.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        problem("missing-kind")
        return None
    day = _date(item.get("date"))
    if item.get("date") is None:
        problem("missing-field", name="date", kind=kind)
    elif day is None:
        problem("bad-date", name="date", value=item.get("date"))
    for name in REQUIRED.get(kind, ()):
        if item.get(name) in (None, ""):
            problem("missing-field", name=name, kind=kind)
    if kind not in REQUIRED:
        near = difflib.get_close_matches(kind, REQUIRED, n=1, cutoff=0.8)
        if near:
            problem("kind-typo", kind=kind, suggestion=near[0])
    for name in TEXT_FIELDS.intersection(item):
        if not isinstance(item[name], (str, int)) or isinstance(item[name], bool):
            problem("not-text", name=name)
    for name in sorted(item.keys() - ALLOWED.get(kind, item.keys())):
        allowed = sorted(ALLOWED[kind] - {"recorded"})
        problem("unknown-field", name=name, kind=kind, allowed=", ".join(allowed),
                near=difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.75))
    fields = {k: v for k, v in item.items() if k not in ("kind", "date")}
    for name in DATE_FIELDS:
        if fields.get(name) is not None:
            parsed = _date(fields[name])
            if parsed is None:
                problem("bad-date", name=name, value=fields[name])
            fields[name] = parsed
    for (choice_kind, name), choices in CHOICES.items():
        if kind == choice_kind and item.get(name) not in (None, *choices):
            problem("bad-choice", name=name, value=item.get(name), choices=", ".join(choices))
    if kind == "session" and day and fields.get("ends") and fields["ends"] < day:
        problem("ends-before-date", ends=fields["ends"], date=day)
    if bad_id:
        problem("bad-id", name="id", value=entry_id)
    recorded_at = _recorded_at(item.get("recorded"), problem)
    if day is None or len(problems) > before:  # a missing or bad date is one of them
        return None
    if pool is not None:
        kind, day = _one(kind, pool), _one(day, pool)
        fields = {_one(k, pool): _one(v, pool) for k, v in fields.items()}
    return Entry(kind, day, str(entry_id) if entry_id is not None else None, fields, file, line, recorded_at)


# Per known kind: the fields it requires, the fields it may have (None: any), its closed choices.
_PLANS = {kind: (REQUIRED[kind], ALLOWED.get(kind), {name: choices for (k, name), choices in CHOICES.items() if k == kind})
          for kind in REQUIRED}


def well_formed(item: dict[Any, Any], file: str, line: int, pool: dict[Any, Any]) -> Entry | None:
    """The entry a mapping written as hdnd writes one gives (a known kind, ISO dates, text where text
    belongs, only fields its kind may have), made without the checks' bookkeeping: at 100,000 entries
    the checked path costs a second. None for anything else, which `read_entry` then reads with every
    check; tests/test_ledger.py holds the two paths to one answer on random mappings."""
    kind = item.get("kind")
    plan = _PLANS.get(kind) if kind.__class__ is str else None
    day = _iso_date(item.get("date"))
    if plan is None or day is None:
        return None
    required, allowed, choices = plan
    entry_id = item.get("id")
    if entry_id is not None and (entry_id.__class__ is not str or not entry_id.strip() or "/" in entry_id):
        return None
    keep: Callable[[Any, Any], Any] = pool.setdefault
    fields: dict[str, Any] = {}
    recorded_at = None
    for name, value in item.items():
        if name.__class__ is not str or (allowed is not None and name not in allowed):
            return None
        if name == "kind" or name == "date":
            continue
        if name in TEXT_FIELDS and value.__class__ is not str:
            return None
        if name in DATE_FIELDS and value is not None:
            value = _iso_date(value)
            if value is None:
                return None
        elif name in choices and value is not None and value not in choices[name]:
            return None
        elif name == "recorded":
            said: list[str] = []
            recorded_at = _recorded_at(value, said.append)
            if said:
                return None
        if value.__class__ is date or (value.__class__ is str and len(value) <= 24):
            value = keep(value, value)
        fields[keep(name, name)] = value
    for name in required:
        if fields.get(name) in (None, ""):
            return None
    if kind == "session" and fields.get("ends") and fields["ends"] < day:
        return None
    return Entry(keep(kind, kind), keep(day, day), entry_id, fields, file, line, recorded_at)


def _iso_date(value: Any) -> date | None:
    """A date as hdnd writes it (`2024-11-30`, or a YAML date) within the years a record may have; else None."""
    if value.__class__ is str and len(value) == 10 and value.isascii() and value[4] == "-" == value[7]:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return None
    return value if value.__class__ is date and FIRST_YEAR <= value.year <= LAST_YEAR else None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            return None
    if isinstance(value, date) and FIRST_YEAR <= value.year <= LAST_YEAR:
        return value
    return None


def _recorded_at(value: Any, problem: Callable[..., None]) -> datetime | None:
    if value is None:
        return None
    at = value.get("at") if isinstance(value, dict) else None
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            at = None
    elif isinstance(at, date) and not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day)
    if not isinstance(at, datetime) or not FIRST_YEAR <= at.year <= LAST_YEAR:
        problem("bad-recorded")
        return None
    try:
        at.utcoffset()
    except ValueError:
        problem("bad-recorded")
        return None
    return at


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def holds_text(value: Any, test: Callable[[str], bool]) -> bool:
    """Whether any text in `value` (its keys and values, however nested) passes `test`."""
    if isinstance(value, str):
        return test(value)
    if isinstance(value, dict):
        return any(holds_text(k, test) or holds_text(v, test) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_text(item, test) for item in value)
    return False


def half_character(text: str) -> bool:
    """Whether `text` holds half of a UTF-16 surrogate pair, which no UTF-8 file or output can carry."""
    return any("\ud800" <= c <= "\udfff" for c in text)


# --- syntax: each format yields plain values, mappings tagged with their line ------------------

class _SyntaxProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


_HINTS = (  # the YAML and JSON readers' words for the mistakes offices make, and the message for each
    ("tab character", "yaml-tab"),
    ("expected '-' indicator", "yaml-indent"), ("block sequence entries are not allowed", "yaml-indent"),
    ("expected <block end>", "yaml-indent"), ("did not find expected key", "yaml-indent"),
    ("unexpected end of stream", "yaml-end"), ("expected node content", "yaml-value"),
    ("expected ',' or '}'", "unclosed"), ("expected ',' or ']'", "unclosed"),
    ("Expecting property name enclosed in double quotes", "json-quotes"), ("Expecting ',' delimiter", "json-comma"),
    ("Unterminated string", "json-comma"), ("Expecting value", "json-value"), ("extra data after", "json-extra"),
)


def _hint(message: str, text: str, line: int) -> tuple[str, dict[str, Any]]:
    """The problem a reader's syntax error is (its key and parameters), read with the line it names."""
    rows = text.split("\n")
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    if "\t" in row[:len(row) - len(row.lstrip())]:
        return "yaml-tab", {}
    if message.startswith("mapping values are not allowed"):
        name, _, value = row.strip().removeprefix("- ").partition(": ")
        return ("yaml-colon", {"name": name, "value": value.strip()}) if ": " in value else ("yaml-indent", {})
    for words, key in _HINTS:
        if words in message:
            return key, {"mark": message[-2]} if key == "unclosed" else {}
    return "syntax", {"error": message}


YAML_CHUNK = 2000  # top-level items read at a time from a big YAML ledger
MAX_ALIASES = 1000  # uses of YAML anchors a ledger file may make
_ITEM_START = re.compile(r"^-(?:[ \t]|$)", re.MULTILINE)


def _yaml_items(text: str) -> Any:
    """The YAML document; a plain top-level list is read `YAML_CHUNK` items at a time, so memory
    holds one chunk's node tree rather than the whole file's (at 200,000 entries, a gigabyte)."""
    import yaml

    loader = _line_loader(yaml)
    laid_out = _hdnd_layout(text, loader(""))
    if laid_out is not None:
        return laid_out
    chunks = _yaml_chunks(text)
    if chunks is not None:
        try:
            items: list[Any] = []
            for offset, chunk in chunks:
                items.extend(_load_yaml(yaml, loader, chunk, offset) or ())
            return items
        except _SyntaxProblem:
            pass  # e.g. an alias to an anchor in another chunk: the whole document decides
    return _load_yaml(yaml, loader, text, 0)


# One line of the layout hdnd writes: an entry's first key after `- `, a further key after two spaces,
# a stamp's key after four; then `: ` and a value, or nothing (a mapping follows, or null).
_LAID_OUT = re.compile(r"(- |  |    )(\w[\w-]*):(?: (\S(?:.*\S)?))?")
# What the layout never holds, so that what libyaml would refuse or read across lines is left to it:
# tabs, control characters, YAML's other line breaks, a byte-order mark, halves and non-characters.
_UNLAID = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain value starting with one is not plain text
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


class _Unusual(Exception):
    """Text outside hdnd's layout: the YAML parser reads the file."""


def _hdnd_layout(text: str, loader: Any) -> list[dict[Any, Any]] | None:
    """The entries of a ledger in the layout hdnd writes (`- key: value`, each further key on its own
    line two spaces in, a `recorded` stamp's keys four; comments and blank lines anywhere; Windows line
    ends), read line by line and tagged as the YAML loader tags them, each value resolved and built by
    `loader`'s own resolver and constructors (`yes`, `1:30` and `2024-02-30` are what YAML makes of
    them). None for anything else (quotes with escapes, flow mappings, anchors, a value over several
    lines, other indents, tabs), which the YAML parser reads. Several times faster than building YAML's
    node tree; tests/test_ledger.py holds the two readers to one answer on random hand-edited ledgers."""
    text = text.replace("\r\n", "\n")
    if _UNLAID.search(text):
        return None
    items: list[dict[Any, Any]] = []
    entry: dict[Any, Any] = {}
    stamp: dict[Any, Any] | None = None  # the mapping under the key that ended with `:`, being read
    opened: list[tuple[dict[Any, Any], Any, dict[Any, Any]]] = []  # each such entry, key and mapping
    known: dict[str, Any] = {}  # kinds, dates, names: a few hundred texts, each resolved once

    def scalar(text: str) -> Any:
        found = known.get(text, known)
        if found is known:
            found = known[text] = _scalar(text, loader)
        return found

    try:
        for number, row in enumerate(text.split("\n"), 1):
            found = _LAID_OUT.fullmatch(row)
            if found is None:
                if row.strip(" ") and not row.lstrip(" ").startswith("#"):  # YAML's blank is spaces, not any
                    return None
                continue
            indent, name, value = found.groups()
            key = scalar(name)
            if key.__class__ is not str:
                return None
            if indent == "    ":
                if stamp is None:
                    return None
                stamp[key] = None if value is None else scalar(value)
                continue
            if indent == "- ":
                entry = {LINE: number, _KEY_LINES: {}}
                items.append(entry)
            elif not items:
                return None
            lines = entry[_KEY_LINES]
            if key in lines:
                entry.setdefault(_TWICE, []).append((key, lines[key], number))
            lines.setdefault(key, number)
            if value is None:
                stamp = entry[key] = {}
                opened.append((entry, key, stamp))
            else:
                stamp, entry[key] = None, scalar(value)
    except _Unusual:
        return None
    for holder, key, mapping in opened:
        if not mapping and holder[key] is mapping:  # a key with nothing after it and nothing below: null
            holder[key] = None
    return items or None


def _scalar(text: str, loader: Any) -> Any:
    """A value as YAML reads it from one line, when that is certain without its parser; else _Unusual."""
    first = text[0]
    if first == '"' or first == "'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1] or "\\" in text:
            raise _Unusual
        return text[1:-1]
    if first in _INDICATORS or ": " in text or " #" in text or text[-1] == ":":
        raise _Unusual
    if first not in loader.yaml_implicit_resolvers:  # never a number, a date, yes or no, null: text
        return text
    from yaml import ScalarNode

    tag = loader.resolve(ScalarNode, text, (True, False))
    if tag not in _PLAIN_TAGS:
        raise _Unusual
    try:
        return loader.yaml_constructors[tag](loader, ScalarNode(tag, text))
    except Exception:  # a number of 5,000 digits: the YAML parser says where
        raise _Unusual from None


def _yaml_chunks(text: str) -> list[tuple[int, str]] | None:
    """(first line, text) of runs of top-level items, or None unless every line at column 0 starts
    an item or is blank or a comment (no directives, document markers or column-0 continuations)."""
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if len(starts) <= YAML_CHUNK:
        return None
    for row in text.splitlines():
        if row and not row[0].isspace() and not _ITEM_START.match(row) and not row.startswith("#"):
            return None
    cuts = [0] + starts[YAML_CHUNK::YAML_CHUNK] + [len(text)]
    chunks, line = [], 0
    for a, b in zip(cuts, cuts[1:]):
        chunks.append((line, text[a:b]))
        line += text.count("\n", a, b)
    return chunks


def _load_yaml(yaml: Any, loader: Any, text: str, offset: int) -> Any:
    """`text` parsed, with every line reported `offset` lines further down."""
    try:
        return yaml.load(text, Loader=partial(loader, offset=offset))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise _SyntaxProblem(offset + (mark.line + 1 if mark else 1), f"{error.problem or error}") from None
    except yaml.YAMLError as error:
        raise _SyntaxProblem(offset + 1, str(error)) from None
    except (TypeError, ValueError) as error:  # e.g. an unhashable key, a number of 5,000 digits
        raise _SyntaxProblem(offset + 1, str(error)) from None
    except RecursionError:
        raise _SyntaxProblem(offset + 1, "nested too deeply") from None


def _line_loader(yaml: Any) -> Any:
    """A safe loader (the C one when built) that tags each ledger entry with its line and its keys'."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        entries: set[int] = set()  # ids of the nodes that are ledger entries

        def __init__(self, stream: str, offset: int = 0):
            super().__init__(stream)
            self.offset = offset

        def construct_document(self, node: Any) -> Any:
            if not isinstance(node, yaml.SequenceNode):
                return super().construct_document(node)
            self.entries = {id(item) for item in node.value}
            items = super().construct_document(node)
            return [item if isinstance(item, dict) else _Stray(item, self.offset + item_node.start_mark.line + 1)
                    for item, item_node in zip(items, node.value)]

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            # An alias is a node constructed before: a few are fine, a "billion laughs" is not.
            if node in self.constructed_objects:
                self.aliases = getattr(self, "aliases", 0) + 1
                if self.aliases > MAX_ALIASES:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"more than {MAX_ALIASES} aliases (*name): refused", node.start_mark)
            return super().construct_object(node, deep)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            mapping = super().construct_mapping(node, deep=True)
            if id(node) in self.entries:  # an entry: remember where it and each of its keys are
                mapping[LINE] = self.offset + node.start_mark.line + 1
                lines: dict[Any, int] = {}
                twice: list[tuple[Any, int, int]] = []
                for key, _ in node.value:
                    name, at = getattr(key, "value", None), self.offset + key.start_mark.line + 1
                    if name in lines:
                        twice.append((name, lines[name], at))
                    lines.setdefault(name, at)
                mapping[_KEY_LINES] = lines
                if twice:
                    mapping[_TWICE] = twice
            return mapping

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:  # 2024-02-30: kept as text, so validation names the entry and field
                return self.construct_scalar(node)

    LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
    LineLoader.add_constructor("tag:yaml.org,2002:timestamp", LineLoader.construct_yaml_timestamp)
    return LineLoader


def _pairs(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    """A JSON object; a key given twice is remembered (the line is the object's)."""
    found: dict[Any, Any] = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        twice = []
        for key, _ in pairs:
            if key in seen:
                twice.append((key, 0, 0))
            seen.add(key)
        found[_TWICE] = twice
    return found


def _json_items(text: str) -> Any:
    """A JSON list, each object tagged with the line it starts on (counted once, incrementally)."""
    scan = _scanner()
    index = _skip_space(text, 0)
    if index == len(text):
        return None
    if text[index] != "[":
        return _json_value(scan, text, index, text.count("\n", 0, index) + 1)[0]
    items: list[Any] = []
    line, counted = 1, 0
    index = _skip_space(text, index + 1)
    if text[index:index + 1] != "]":
        while True:
            line, counted = line + text.count("\n", counted, index), index
            value, index = _json_value(scan, text, index, line)
            items.append(value)
            comma = _COMMA.match(text, index)  # one search between two entries, not a call per space and sign
            if comma is None:
                break
            index = comma.end()
        index = _skip_space(text, index)
        if text[index:index + 1] != "]":
            raise _SyntaxProblem(line + text.count("\n", counted, index), "expected ',' or ']'")
    if _skip_space(text, index + 1) != len(text):
        raise _SyntaxProblem(line + text.count("\n", counted, index), "extra data after the list")
    return items


def _scanner() -> Callable[[str, int], tuple[Any, int]]:
    """The JSON decoder's own scanner (in C where built): `raw_decode` without its wrapper, called once an entry."""
    from json.scanner import make_scanner

    decoder = json.JSONDecoder(object_pairs_hook=_pairs)
    scan: Callable[[str, int], tuple[Any, int]] = make_scanner(decoder)  # type: ignore[arg-type] # typeshed: a class
    return scan


def _json_value(scan: Callable[[str, int], tuple[Any, int]], text: str, index: int, line: int) -> tuple[Any, int]:
    try:
        try:
            value, end = scan(text, index)
        except StopIteration as stop:  # as `raw_decode` says it
            raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    except json.JSONDecodeError as error:
        raise _SyntaxProblem(error.lineno, error.msg) from None
    except (ValueError, RecursionError) as error:  # a number of 5,000 digits, arrays nested 100,000 deep
        raise _SyntaxProblem(line, _bounded_error(error)) from None
    if isinstance(value, dict):
        value[LINE] = line
        if _TWICE in value:
            value[_TWICE] = [(k, line, line) for k, _, _ in value[_TWICE]]
        return value, end
    return _Stray(value, line), end


_SPACE, _COMMA = re.compile(r"\s*"), re.compile(r"\s*,\s*")


def _skip_space(text: str, index: int) -> int:
    if not text[index:index + 1].isspace():  # most often: a comma, a bracket, the next entry
        return index
    found = _SPACE.match(text, index)  # `\s*` matches everywhere
    return found.end() if found else index


def _jsonl_items(text: str) -> Iterator[Any]:
    scan = _scanner()
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may stand inside a text
        if line.strip():
            value, end = _json_value(scan, line, _skip_space(line, 0), number)
            if _skip_space(line, end) != len(line):
                raise _SyntaxProblem(number, "extra data after the entry")
            yield value


def _bounded_error(error: Exception) -> str:
    return "nested too deeply" if isinstance(error, RecursionError) else str(error)[:200]


def check_entries(entries: list[Entry], left_out: Sequence[Problem] = ()) -> list[Problem]:
    """Problems across files: an id used twice, counting the entries `left_out` for problems of their
    own (an id is taken whether or not the entry that took it is valid)."""
    stubs = [(p.file, s.line, s.id) for p in left_out if (s := p.subject) and s.kind == "entry"]
    ids = [e.id for e in entries if e.id is not None and e.kind not in ACTS]
    if not stubs and len(set(ids)) == len(ids):
        return []  # every id taken once, the common case: told by one set, not by walking them again
    taken = [(e.file, e.line, e.id) for e in entries if e.id is not None and e.kind not in ACTS]
    if stubs:  # rare: every id in the order of the files' lines, valid or not
        taken = sorted({(file, line): (file, line, id_) for file, line, id_ in (*taken, *stubs)}.values())
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for file, line, id_ in taken:
        first = seen.setdefault(id_, (file, line))
        if first != (file, line):
            problems.append(Problem(file, line, "duplicate-id", {"id": id_, "other": f"{first[0]}:{first[1]}"}))
    return problems
