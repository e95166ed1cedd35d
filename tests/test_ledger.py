"""The ledger reader: YAML, JSON and JSON Lines, strict validation, a line for every problem."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdnd_cli.model import Entry
from hdnd_cli.parse.ledger import check_entries, parse_ledger

GOOD = """\
# comment
- id: kh-2024-07
  kind: session
  date: 2024-07-10
  ends: 2024-07-12
  type: regular
- id: txct-2024-07-sau
  kind: voter-contact
  date: 25/07/2024
  phase: after
  forwarded: 2024-08-02
  petitions: 144
- kind: done
  obligation: voter-answer-after/txct-2024-07-sau
  date: 2024-08-30
  ref: 45/BC-UBND
  recorded: {by: lan, at: 2024-08-30T09:15:00+07:00}
"""


def test_yaml_entries_keep_their_line_and_fields():
    entries, problems = parse_ledger(GOOD, "data/2024.yaml")
    assert problems == []
    assert [(e.kind, e.line) for e in entries] == [("session", 2), ("voter-contact", 7), ("done", 13)]
    assert entries[1].date == date(2024, 7, 25) and entries[1].get("forwarded") == date(2024, 8, 2)
    assert entries[2].recorded_at.isoformat() == "2024-08-30T09:15:00+07:00"


BIG_YAML = "".join(f"""\
# round {n}
- id: txct-{n}
  kind: voter-contact
  date: 2024-07-{n % 28 + 1:02d}
  phase: after
  note: |
    dòng một
    - not an item: indented
""" for n in range(10))
NOTE = "  note: |\n    dòng một\n    - not an item: indented\n"


@pytest.mark.parametrize("text, why", [
    (BIG_YAML, "plain top-level items: read three at a time"),
    (BIG_YAML.replace("  phase: after\n", "  phase: &p after\n", 1).replace("phase: after", "phase: *p"),
     "an alias to an anchor in another chunk: the whole document is read instead"),
    (BIG_YAML.replace(NOTE, '  note: "dòng một\nb"\n', 1), "a column-0 continuation"),
    (BIG_YAML.replace(NOTE, '  note: "dòng một\n- b"\n', 5),
     "a quoted text whose column-0 continuation looks like an item: the chunk fails, the whole is read"),
])
def test_big_yaml_read_in_chunks_gives_the_same_entries_and_lines(monkeypatch, text, why):
    import hdnd_cli.parse.ledger as ledger

    monkeypatch.setattr(ledger, "YAML_CHUNK", 10**9)
    whole = parse_ledger(text, "data/big.yaml")
    monkeypatch.setattr(ledger, "YAML_CHUNK", 3)
    assert parse_ledger(text, "data/big.yaml") == whole, why
    entries, problems = whole
    starts = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("- id:")]
    assert problems == [] and [e.line for e in entries] == starts and entries[9].get("phase") == "after"


def test_a_syntax_error_in_a_later_chunk_keeps_its_line(monkeypatch):
    import hdnd_cli.parse.ledger as ledger

    monkeypatch.setattr(ledger, "YAML_CHUNK", 3)
    broken = BIG_YAML + "- id: bad\n  kind: [election\n"
    _, problems = parse_ledger(broken, "data/big.yaml")
    monkeypatch.setattr(ledger, "YAML_CHUNK", 10**9)
    _, whole = parse_ledger(broken, "data/big.yaml")
    assert [(p.line, p.key) for p in problems] == [(p.line, p.key) for p in whole]
    assert problems[0].line >= BIG_YAML.count("\n") + 2


def test_json_and_jsonl_give_the_same_entries_with_lines():
    items = [{"id": "a", "kind": "election", "date": "2026-03-15"},
             {"kind": "waive", "obligation": "x/a", "date": "2026-03-16", "reason": "r"}]
    entries, problems = parse_ledger("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]\n", "d.json")
    assert problems == [] and [e.line for e in entries] == [2, 3]
    entries, problems = parse_ledger("\n".join(json.dumps(i) for i in items) + "\n", "d.jsonl")
    assert problems == [] and [e.line for e in entries] == [1, 2]


@pytest.mark.parametrize("text, line, key", [
    ("- kind: session\n  date: 2024-07-10\n  type: regular\n", 1, "missing-field"),            # no ends
    ("- kind: session\n  date: 2024-07-10\n  ends: 2024-07-09\n  type: regular\n", 1, "ends-before-date"),
    ("- kind: session\n  date: 2024-07-10\n  ends: 2024-07-12\n  type: special\n", 4, "bad-choice"),
    ("- kind: voter-contact\n  date: 2024-07-10\n", 1, "missing-field"),                      # no phase
    ("- kind: election\n  date: 2024-02-30\n", 2, "bad-date"),
    ("- kind: election\n  date: 30/02/2024\n", 2, "bad-date"),
    ("- kind: election\n", 1, "missing-field"),
    ("- date: 2024-01-01\n", 1, "missing-kind"),
    ("- kind: done\n  date: 2024-01-01\n  obligation: a/b\n  refs: 1/BC\n", 4, "unknown-field"),
    ("- kind: extend\n  date: 2024-01-01\n  obligation: a/b\n  until: 2024-02-01\n", 1, "missing-field"),
    ("- kind: obligation\n  id: x\n  date: 2024-01-01\n  due: soon\n  title: T\n  obligor: u\n", 4, "bad-date"),
    ("- kind: election\n  id: a/b\n  date: 2024-01-01\n", 2, "bad-id"),
    ("- kind: [unclosed\n", 2, "unclosed"),
    ("- kind: election\n  date: !!binary AA\n", 2, "syntax"),                               # what no hint covers
    ("kind: election\n", 1, "ledger-not-list"),
    ("- just text\n", 1, "entry-not-mapping"),
    ("[{\"kind\": \"election\", \"date\": \"2024-01-01\"}\n {\"kind\": 1}]", 2, "unclosed"),
    ("- kind: sesion\n  date: 2024-07-10\n", 1, "kind-typo"),                                # a typo of a known kind
    ("- kind: obligation\n  id: x\n  date: 2024-01-01\n  due: 2024-02-01\n  title: [a]\n  obligor: u\n", 5, "not-text"),
    ("- kind: election\n  date: 9999-12-31\n", 2, "bad-date"),                               # out of any real range
])
def test_every_problem_has_a_line(text, line, key):
    name = "data/x.json" if text.startswith("[") else "data/x.yaml"
    entries, problems = parse_ledger(text, name)
    assert entries == []
    assert (problems[0].file, problems[0].line, problems[0].key) == (name, line, key)


def test_other_kinds_and_nested_values_are_kept_as_written():
    entries, problems = parse_ledger("- kind: report\n  date: 2024-01-01\n  meta: {a: 1, b: [2]}\n", "x.yaml")
    assert problems == [] and entries[0].kind == "report" and entries[0].get("meta") == {"a": 1, "b": [2]}


def test_all_problems_are_reported_at_once():
    text = "- kind: election\n  date: 2024-02-30\n- kind: session\n  date: 2024-01-01\n- date: 2024-01-01\n"
    _, problems = parse_ledger(text, "x.yaml")
    assert [(p.line, p.key) for p in problems] == [(2, "bad-date"), (3, "missing-field"), (3, "missing-field"),
                                                   (5, "missing-kind")]


def test_duplicate_ids_across_files():
    a, _ = parse_ledger("- {id: kh-1, kind: election, date: 2024-01-01}\n", "data/a.yaml")
    b, _ = parse_ledger("\n- {id: kh-1, kind: election, date: 2024-01-02}\n", "data/b.yaml")
    (problem,) = check_entries(a + b)
    assert (problem.file, problem.line, problem.params["other"]) == ("data/b.yaml", 2, "data/a.yaml:1")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["complaint", "done", "election"]),
                          st.sampled_from([None, "kn-1", "kn-2", "kn-3"])), max_size=12))
def test_an_id_used_twice_is_found_wherever_it_is_and_nothing_else(rows):
    """`check_entries` answers a ledger whose ids are all different at once, by one set: on random
    ledgers, with ids shared or not across files and acts (which take no id), it says exactly what a
    walk through every id says, the later use of each at its line, the first named."""
    entries = [Entry(kind, date(2024, 1, 1), id_, {}, f"data/{file}.yaml", line, None)
               for line, (file, kind, id_) in enumerate(rows, 1)]
    first: dict[str, str] = {}
    expected = []
    for entry in entries:
        if entry.id is not None and entry.kind != "done":
            where = f"{entry.file}:{entry.line}"
            if first.setdefault(entry.id, where) != where:
                expected.append((entry.file, entry.line, "duplicate-id", {"id": entry.id, "other": first[entry.id]}))
    assert [(p.file, p.line, p.key, p.params) for p in check_entries(entries)] == expected


def test_empty_files_are_empty_ledgers():
    for name, text in (("a.yaml", ""), ("a.yaml", "# nothing yet\n"), ("a.yaml", "[]\n"), ("a.json", "[]"),
                       ("a.json", "  \n"), ("a.jsonl", "")):
        assert parse_ledger(text, name) == ([], [])


# --- hypothesis: random and mangled input never raises -------------------------------------------

yaml_text = st.text(alphabet=st.sampled_from(list("- :{}[]\"'#\n\t,&*!|>%@`abcdkindte0123456789Ýđ/")), max_size=200)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_text, st.sampled_from(["x.yaml", "x.json", "x.jsonl"]))
def test_random_text_never_raises(text, name):
    entries, problems = parse_ledger(text, name)
    assert all(p.line >= 1 and p.file == name for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.integers(1, 20), st.text(max_size=5))
def test_mangled_ledgers_never_raise(start, length, insert):
    mangled = GOOD[:start] + insert + GOOD[start + length:]
    entries, problems = parse_ledger(mangled, "x.yaml")
    assert all(p.line >= 1 for p in problems)
    as_json = json.dumps([{"kind": "session", "date": "2024-07-10", "ends": "2024-07-12", "type": "regular"}])
    parse_ledger(as_json[:start % len(as_json)] + insert + as_json[start % len(as_json) + length:], "x.json")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                               st.sampled_from(["kind", "date", "id", "ends", "type", "phase", "obligation",
                                                "until", "due", "recorded", "x"]), inner, max_size=6),
                           max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_structurally_random_json_never_raises(items):
    parse_ledger(json.dumps(items), "x.json")
    parse_ledger("\n".join(json.dumps(i) for i in items), "x.jsonl")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(BIG_YAML) - 1), st.integers(0, 12), yaml_text)
def test_big_yaml_read_in_chunks_or_whole_says_the_same_of_any_mangling(start, length, insert):
    """Whatever is cut or inserted, reading 3 items at a time gives what reading the whole gives."""
    import hdnd_cli.parse.ledger as ledger

    mangled = BIG_YAML[:start] + insert + BIG_YAML[start + length:]
    chunk = ledger.YAML_CHUNK
    try:
        ledger.YAML_CHUNK = 10**9
        whole = parse_ledger(mangled, "x.yaml")
        ledger.YAML_CHUNK = 3
        assert parse_ledger(mangled, "x.yaml") == whole
    finally:
        ledger.YAML_CHUNK = chunk


# --- the mistakes offices make, said in their words ----------------------------------------------

READER_ENGLISH = ("found a", "did not find", "mapping values", "end of stream", "Expecting", "block sequence",
                  "codec", "binary file")
MISTAKES = {  # a ledger as an office mistypes it -> the line, and words of the message in each language
    "a tab": ("- kind: complaint\n  id: kn-1\n\tdate: 2026-11-02\n", 3, "Tab", "Tab"),
    "a colon in a value": ("- kind: complaint\n  id: kn-1\n  title: Đơn: về đất đai\n", 3,
                           'title: "Đơn: về đất đai"', 'title: "Đơn: về đất đai"'),
    "no dash": ("- kind: complaint\n  id: kn-1\nkind: complaint\n  id: kn-2\n", 3, "'- '", "'- '"),
    "a field out of line": ("- kind: complaint\n  id: kn-1\n   date: 2026-11-02\n", 3, "lệch lề", "out of line"),
    "an open quote": ('- kind: complaint\n  ref: "12/BC\n', 3, "ngoặc kép", "quote"),
    "an open brace": ("- {kind: complaint, id: kn-1\n", 2, "'}'", "'}'"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_a_yaml_mistake_is_said_in_the_offices_words_at_its_line(name):
    from hdnd_cli.messages import say

    text, line, vi, en = MISTAKES[name]
    _, problems = parse_ledger(text, "so.yaml")
    assert [p.line for p in problems] == [line], problems
    said = {lang: say(problems[0].key, lang, **problems[0].params) for lang in ("vi", "en")}
    assert vi in said["vi"] and en in said["en"], said
    assert not any(words in said["vi"] + said["en"] for words in READER_ENGLISH), said


@pytest.mark.parametrize("text, key", [
    ('[{"kind": "complaint", "id": "kn-1",}]', "json-quotes"), ("[{'kind': 'complaint'}]", "json-quotes"),
    ('[{"kind": "complaint" "id": "kn-1"}]', "json-comma"), ('[{"kind": complaint}]', "json-value"),
    ('[{"kind": "complaint"}] thêm', "json-extra"),
])
def test_a_json_mistake_is_said_in_the_offices_words(text, key):
    assert [p.key for p in parse_ledger(text, "so.json")[1]] == [key]


def test_files_excel_saved_are_named_for_what_they_are(ws):
    """A register saved by Excel as CSV or as Unicode text, and a file in an old encoding, put where the
    ledger is: each gets its line and what to do, in the office's language."""
    data = ws.root / "data"
    (data / "csv.yaml").write_text("kind,id,date\ncomplaint,kn-1,2026-11-02\n", encoding="utf-8")
    (data / "utf16.yaml").write_bytes("- kind: complaint\n  id: kn-2\n".encode("utf-16"))
    (data / "cu.yaml").write_bytes(b"- kind: complaint\n  id: kn-3\n  title: \xd0\xf5n\n")
    for lang, words in (("vi", ("hdnd import", "UTF-16", "UTF-8")), ("en", ("hdnd import", "UTF-16", "UTF-8"))):
        result = ws.run("check", env={"HDND_LANG": lang})
        assert result.returncode == 2, result.stderr
        lines = sorted(line for line in result.stderr.splitlines() if line.startswith("data/"))
        assert [line.split(": ")[0] for line in lines] == ["data/csv.yaml:1", "data/cu.yaml:3", "data/utf16.yaml:1"]
        assert all(word in result.stderr for word in words)
        assert not any(english in result.stderr for english in READER_ENGLISH), result.stderr


@pytest.mark.parametrize("key", ["__line__", "__lines__", "__twice__"])
def test_a_key_named_like_the_readers_own_tags_is_an_ordinary_field(key):
    for text, name in ((f'[{{"kind": "complaint", "date": "2026-11-02", "{key}": 5}}]', "so.json"),
                       (f"- {{kind: complaint, date: 2026-11-02, {key}: 5}}\n", "so.yaml")):
        entries, problems = parse_ledger(text, name)
        assert problems == [] and entries[0].line == 1 and entries[0].get(key) == 5


def test_half_a_character_in_json_is_a_problem_at_its_entry_and_a_whole_one_is_read():
    for name in ("so.json", "so.jsonl"):
        half = '{"kind": "complaint", "id": "kn\\ud800x", "date": "2026-11-30"}'
        whole = '{"kind": "complaint", "id": "kn\\ud83d\\ude00", "date": "2026-11-30"}'
        text = f"[{half},\n{whole}]" if name.endswith(".json") else f"{half}\n{whole}\n"
        entries, problems = parse_ledger(text, name)
        assert [(p.line, p.key) for p in problems] == [(1, "lone-surrogate")], problems
        assert [e.id for e in entries] == ["kn\U0001F600"]


# --- the fast path for well-formed entries gives what the checked path gives ------------------------

from hdnd_cli.parse import ledger as ledger_module  # noqa: E402 - the module whose fast path is compared
from hdnd_cli.parse.ledger import LINE, TEXT_FIELDS, read_entry, well_formed  # noqa: E402

KINDS = [*ledger_module.REQUIRED, "complaint ", "sesion", "custom-kind", ""]
NAMES = sorted({*TEXT_FIELDS, *ledger_module.DATE_FIELDS, "type", "phase", "recorded", "complex", "note",
                "petitions", "warn", "x"})
VALUES = st.one_of(
    st.sampled_from(["2024-07-10", "2024-02-30", "10/07/2024", "1/1/26", "2024-7-1", "2024-07-10 ", "0999-01-01",
                     "2024-07-1x", "", " ", "a/b", "regular", "before", "trước", "ubnd", "kn-1", "x" * 30]),
    st.text(max_size=12), st.integers(-3, 3), st.booleans(), st.none(), st.dates(), st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.fixed_dictionaries({"at": st.sampled_from(["2024-08-30T09:15:00+07:00", "2024-08-30", "hôm qua", "2024-08-30T25:00"]),
                           "by": st.text(max_size=4)}),
)


DAYS = st.dates(date(1890, 1, 1), date(2210, 1, 1)) | st.dates(date(2024, 1, 1), date(2024, 12, 31)).map(str)
GOOD_VALUES = {"date": DAYS, **dict.fromkeys(ledger_module.DATE_FIELDS, DAYS), "type": st.sampled_from(["regular", "thematic"]),
               "phase": st.sampled_from(["before", "after"]), "recorded": VALUES.filter(lambda v: isinstance(v, dict)),
               **dict.fromkeys(TEXT_FIELDS, st.sampled_from(["ubnd", "kn-1", "12/BC", "Báo cáo", "lý do"]))}


@st.composite
def mapping(draw):
    """A ledger mapping as hdnd writes one (a known kind, the fields it requires and may have, each of
    its type), then changed in up to three ways: a value of any type, a field of any name, another kind."""
    kind = draw(st.sampled_from(sorted(ledger_module.REQUIRED)))
    allowed = sorted(ledger_module.ALLOWED.get(kind, set(NAMES)) - {"kind", "date"})
    names = [*ledger_module.REQUIRED[kind], *draw(st.lists(st.sampled_from(allowed), max_size=4, unique=True))]
    item = {"kind": kind, "date": draw(DAYS)}
    for name in names:
        item[name] = draw(GOOD_VALUES.get(name, VALUES))
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["value", "value", "field", "kind", "odd name"]))
        if change == "value":
            item[draw(st.sampled_from(sorted(item, key=str)))] = draw(VALUES)
        elif change == "field":
            item[draw(st.sampled_from(NAMES))] = draw(VALUES)
        elif change == "kind":
            item["kind"] = draw(st.sampled_from(KINDS) | st.integers())
        else:
            item[draw(st.integers())] = "a number for a name"
    return item


def read(item: dict, fast: bool, monkeypatch) -> tuple:
    problems: list = []
    with monkeypatch.context() as patched:
        if not fast:
            patched.setattr(ledger_module, "well_formed", lambda *_: None)
        entry = read_entry({**item, LINE: 7}, "data/2024.json", problems, {})
    return entry, entry and list(entry.fields.items()), problems


@settings(max_examples=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=mapping())
def test_the_fast_path_reads_every_mapping_as_the_checked_path_does(item, monkeypatch):
    assert read(item, True, monkeypatch) == read(item, False, monkeypatch)


def test_entries_as_hdnd_writes_them_take_the_fast_path(tmp_path):
    """Every kind as written by `hdnd add` (its fields, `recorded`) and as a generated ledger holds it."""
    written = [
        {"id": "kh-1", "kind": "session", "date": "2024-07-10", "ends": "2024-07-12", "type": "regular"},
        {"id": "kn-1", "kind": "complaint", "date": "2024-07-10", "complex": True, "obligor": "ubnd"},
        {"kind": "done", "obligation": "a/kn-1", "date": "2024-07-11", "ref": "1/BC", "by": "lan",
         "recorded": {"at": "2024-07-11T09:15:00+07:00", "by": "lan"}},
        {"kind": "extend", "obligation": "a/kn-1", "date": "2024-07-11", "until": "2024-08-01", "reason": "phức tạp"},
        {"id": "gs-1", "kind": "obligation", "date": "2024-01-01", "due": "2024-02-15", "obligor": "so-tai-chinh",
         "title": "Báo cáo"},
        {"kind": "fact", "of": "kn-1", "date": "2024-07-12", "complex": "có"},
    ]
    for item in written:
        assert well_formed(item, "data/2024.json", 1, {}) is not None, item
    entries, problems = parse_ledger(json.dumps(written), "data/2024.json")
    assert problems == [] and len(entries) == len(written)


# --- hdnd's own YAML layout, read line by line: what the YAML parser reads ------------------------------

TRICKY = ["yes", "No", "on", "OFF", "~", "null", "", "1:30", "0x1f", "0o17", "0b101", "1_000", "-1", "+1", ".5", "1e3",
          "1.5", ".inf", "2024-02-30", "2024-08-30T25:00", "2024-8-3", "2024-08-30 09:15:00", "12:30:00", "Đơn: x",
          "a #b", "a#b", "'q'", '"dq"', "'it''s'", '"a\\"b"', "[1]", "{k: v}", "&a x", "*a", "!tag x", "|", ">",
          "%x", "@x", "`x", "x:", "x :y", "=", "<<", "9" * 5000, "ghi\tchú", "a\x85b", "- c", "? x", "kn-1",
          "45/BC-UBND", "Nguyễn Văn A", "'", '"', "a'", 'b"', "http://x.vn/a", "08:00", "a\xa0b", "\xa0", "x\u3000"]
EDITS = ["comment", "comment", "blank", "spaces", "crlf", "dup key", "dup key", "dup key", "value", "value", "value",
         "value", "key nothing", "key nothing", "lone cr", "indent 3", "indent 1", "tab", "no dash", "document start",
         "trailing space", "nested deeper"]  # the first fourteen mostly keep the layout, the rest leave it to the parser


@st.composite
def laid_out_ledger(draw):
    """A ledger as `hdnd add` writes it (the YAML emitter), then edited by hand line by line."""
    from hdnd_cli.storage.filestore import yaml_block

    words = st.sampled_from(TRICKY) | st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=8) | st.text(max_size=4)
    entries = draw(st.lists(st.fixed_dictionaries(
        {"id": st.sampled_from(["kn-1", "kn-2", "kh-1"]), "kind": st.sampled_from(["complaint", "session", "done"]),
         "date": st.dates(date(2024, 1, 1), date(2026, 12, 31))},
        optional={"title": words, "obligation": words, "complex": st.booleans() | words,
                  "recorded": st.fixed_dictionaries({"by": words, "at": st.sampled_from(["2026-11-25T08:00:00+07:00"])})}),
        min_size=1, max_size=5))
    lines = yaml_block(entries).split("\n")
    for _ in range(draw(st.integers(0, 5))):
        edit, at = draw(st.sampled_from(EDITS)), draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        if edit == "comment":
            lines.insert(at, draw(st.sampled_from(["# ghi chú", "  # x", "    #", "#", "\xa0# x", "\u3000"])))  # not YAML's spaces
        elif edit in ("blank", "spaces"):
            lines.insert(at, "" if edit == "blank" else "   ")
        elif edit in ("crlf", "lone cr"):
            lines[at] = line + "\r"
            if edit == "crlf":
                lines = [row if row.endswith("\r") else row + "\r" for row in lines]
        elif edit == "dup key" and ": " in line:
            lines.insert(at + 1, "  " + line.lstrip("- ").lstrip())
        elif edit == "value" and ": " in line:
            lines[at] = line.split(": ", 1)[0] + ": " + draw(st.sampled_from(TRICKY))
        elif edit.startswith("indent") and line.startswith("  "):
            lines[at] = (" " if edit == "indent 1" else "   ") + line.lstrip(" ")
        elif edit == "tab":
            lines[at] = line.replace(" ", "\t", 1)
        elif edit == "no dash" and line.startswith("- "):
            lines[at] = "  " + line[2:]
        elif edit == "document start":
            lines.insert(0, "---")
        elif edit == "trailing space":
            lines[at] = line + " "
        elif edit == "key nothing" and ": " in line:
            lines[at] = line.split(": ", 1)[0] + ":"
        elif edit == "nested deeper" and line.startswith("    "):
            lines[at] = "  " + line
    return "\n".join(lines)


def read_both_ways(text: str, monkeypatch) -> tuple[tuple, tuple]:
    """The items as read (each value, each entry's line and its keys' lines, the keys written twice),
    and the entries and problems they make: by the layout reader where it reads the text, and by the
    YAML parser alone."""
    def read() -> tuple:
        try:
            items = ledger_module._yaml_items(text)
        except ledger_module._SyntaxProblem as problem:
            items = (problem.line, problem.message)
        return items, parse_ledger(text, "data/2026.yaml")

    laid_out = read()
    with monkeypatch.context() as patched:  # undone before the next example
        patched.setattr(ledger_module, "_hdnd_layout", lambda *_: None)
        return laid_out, read()


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=laid_out_ledger())
def test_the_layout_reader_reads_every_ledger_as_the_yaml_parser_does(text, monkeypatch):
    laid_out, parsed = read_both_ways(text, monkeypatch)
    assert laid_out == parsed


@pytest.mark.parametrize("value", TRICKY, ids=[value[:24] for value in TRICKY])
def test_every_tricky_value_typed_by_hand_reads_as_the_yaml_parser_reads_it(value, monkeypatch):
    """Each value a clerk might type after `key: `, in an entry, in a stamp, and as a field's name."""
    for text in (f"- id: kn-1\n  title: {value}\n  date: 2026-01-02\n", f"- title: {value}\n  kind: fact\n",
                 f"- id: kn-1\n  recorded:\n    by: {value}\n  date: 2026-01-02\n", f"- id: kn-1\n  {value}: 1\n"):
        laid_out, parsed = read_both_ways(text, monkeypatch)
        assert laid_out == parsed, text


WRITTEN = ["Quyết định số 12/QĐ-UBND ngày 01/02/2026", "Nguyễn Văn A", "45/BC-UBND", "Báo cáo (lần 2)", "a, b", "100%",
           "it's", "C:\\docs", "http://x.vn/a", "08:00", "a#b", "yes", "No", "~", "", "1:30", "0x1f", "-1", ".5", "2024-02-30",
           "Đơn: x", "a #b", "[1]", "{k: v}", "&a x", "*a", "- c", "x:", '"dq"', " x", "x ", "9" * 30]


def test_what_hdnd_writes_takes_the_layout_reader():
    """What `hdnd add` and `import` write, texts that YAML would read as something else quoted by the
    emitter, on Unix and Windows line ends, with a clerk's comment: read without the YAML parser. (A
    text with a line break or starting with a quote is written in a form left to the parser.)"""
    import yaml

    from hdnd_cli.storage.filestore import yaml_block

    stamp = {"by": "lan", "at": datetime(2026, 11, 25, 8, 0, tzinfo=timezone(timedelta(hours=7)))}
    written = yaml_block([{"id": f"kn-{n}", "kind": "complaint", "date": date(2026, 1, 2), "title": word,
                           "complex": n % 2 == 0, "petitions": n, "recorded": stamp} for n, word in enumerate(WRITTEN)])
    for text in (written, "# Sổ\n" + written, written.replace("\n", "\r\n")):
        assert ledger_module._hdnd_layout(text, ledger_module._line_loader(yaml)("")) is not None
        entries, problems = parse_ledger(text, "data/2026.yaml")
        assert problems == [] and [e.get("title") for e in entries] == WRITTEN
        assert [e.line for e in entries] == [n for n, row in enumerate(text.split("\n"), 1) if row.startswith("- ")]
        assert {e.recorded_at for e in entries} == {stamp["at"]}
