"""A fuzz target: generated and mangled ledgers, rule packs and settings never end in "internal error"
(exit 70) or a traceback; every bad input is a problem with exit 2.

CI runs a fixed number of examples; run longer by hand with, e.g.,
`HDND_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py`.
"""
import contextlib
import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CACHE_DIR
from hdnd_cli.cli import main as cli

EXAMPLES = int(os.environ.get("HDND_FUZZ_EXAMPLES", "120"))
KINDS = ["session", "voter-contact", "complaint", "denunciation", "election", "done", "extend", "waive",
         "obligation", "fact", "voter-contact-request", "citizen-reception", "x-y"]
FIELDS = ["id", "date", "ends", "type", "phase", "forwarded", "obligation", "until", "reason", "due", "title",
          "obligor", "round", "complex", "remote", "handler", "competent", "forwarded_by", "of", "recorded",
          "first_of_term", "outside_constituency", "delegate", "ref", "file", "note"]
SPECIAL = ["", " ", "-", ":", "#", "&a", "*a", "[", "]", "{", "}", ",", "'", '"', "\n", "\t", "\u2028", "\x00",
           "\ufeff", "\\", "!!python/object:os.system", "2024-02-30", "30/02/2024", "9" * 5000, "Đ", "\udc80"]

scalars = st.one_of(
    st.text(max_size=12), st.integers(min_value=-10**6, max_value=10**6), st.booleans(), st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.sampled_from(SPECIAL[:-1]),
    st.datetimes().map(lambda d: d.isoformat()),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                          max_size=3), max_leaves=6)
READER_TAGS = ["__line__", "__lines__", "__twice__"]  # names the readers once used for their own tags (item 7)
entries = st.lists(st.fixed_dictionaries(
    {"kind": st.one_of(st.sampled_from(KINDS), scalars)},
    optional=dict.fromkeys(FIELDS + READER_TAGS, values)), max_size=6)


@st.composite
def mangled(draw, text: str) -> str:
    """`text` with a few cuts and insertions of characters YAML, JSON and TOML care about."""
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        text = text[:where] + draw(st.sampled_from(SPECIAL)) + text[where + cut:]
    return text


def ledger_text(items: list, fmt: str) -> str:
    if fmt == "yaml":
        return yaml.safe_dump(items, allow_unicode=True, sort_keys=False)
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, default=str)
    return "\n".join(json.dumps(item, ensure_ascii=False, default=str) for item in items)


RULE = """[source]
id = "fuzz"
title = "Thử"
level = {level}
in_force = {{ from = {start} }}

[[rules]]
id = {rule_id}
title = "Quy tắc"
obligor = {obligor}
trigger = {{ event = {event}, where = {{ {where_key} = {where_value} }} }}
deadline = {{ after = {amount}, cases = [{{ where = {{ complex = true }}, after = {amount} }}] }}
extensions = {{ max = {max}, each = {amount} }}
examples = [{{ trigger = {start}, due = {start} }}]

[[rules]]
id = "chain"
title = "Nối"
obligor = {{ field = {field}, default = "ubnd" }}
trigger = {{ done = {rule_id} }}
deadline = {{ before = {amount} }}
"""

toml_strings = st.one_of(st.sampled_from(['"a"', '"complaint"', '"ubnd"', '"any"', '"commune"', "1", "true",
                                          '"30d"', '"5wd"', '"1m"', '"99999999999999999999d"', "2024-01-01",
                                          "0001-01-01", "9999-12-31", "[]", "{}", '"chain"', '"fuzz"']),
                         st.text(max_size=6).map(json.dumps))


@st.composite
def rule_packs(draw) -> str:
    names = ("level", "start", "rule_id", "obligor", "event", "where_key", "where_value", "amount", "max", "field")
    text = RULE.format(**{name: draw(toml_strings) for name in names}).replace("where = { \"", "where = { \"")
    return draw(mangled(text))


def hdnd(root: Path, *args: str) -> tuple[int, str]:
    """The command in this process (a subprocess per example would take minutes): exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.run(args, {**os.environ, "HDND_CACHE_DIR": CACHE_DIR, "HDND_NOW": "2026-11-25T08:00",
                                  "HDND_LANG": "vi"})
    finally:
        os.chdir(old)
    return code, out.getvalue() + err.getvalue()


def workspace(folder: Path) -> Path:
    (folder / "rules").mkdir()
    (folder / "data").mkdir()
    (folder / "hdnd.toml").write_text('[office]\nname = "Thử"\nlevel = "commune"\n\n[[bodies]]\nid = "ubnd"\n'
                                      'name = "UBND"\n', encoding="utf-8")
    return folder


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(items=entries, fmt=st.sampled_from(["yaml", "json", "jsonl"]), data=st.data())
def test_no_ledger_ends_in_an_internal_error(items, fmt, data):
    text = data.draw(mangled(ledger_text(items, fmt)))
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder))
        (root / "rules" / "fuzz.toml").write_text(RULE.format(
            level='"any"', start="2024-01-01", rule_id='"answer"', obligor='"ubnd"', event='"complaint"',
            where_key="round", where_value="1", amount='"10d"', max="1", field='"handler"'), encoding="utf-8")
        (root / "data" / f"fuzz.{fmt}").write_text(text, encoding="utf-8", errors="surrogatepass")
        for args in (["check"], ["due", "--all", "-f", "json"]):
            code, output = hdnd(root, *args)
            assert code in (0, 1, 2) and "Traceback" not in output, (code, output, text)


@SETTINGS
@given(pack=rule_packs(), config=st.one_of(st.none(), toml_strings.map(lambda v: f"\n[office]\nsince = {v}\n")))
def test_no_rule_pack_or_setting_ends_in_an_internal_error(pack, config):
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder))
        (root / "rules" / "fuzz.toml").write_text(pack, encoding="utf-8", errors="surrogatepass")
        (root / "data" / "a.yaml").write_text("- {id: k1, kind: complaint, date: 2024-02-01, complex: true}\n"
                                              "- {kind: done, obligation: answer/k1, date: 2024-02-05}\n",
                                              encoding="utf-8")
        if config:
            text = (root / "hdnd.toml").read_text(encoding="utf-8").replace("[office]\n", "", 1)
            (root / "hdnd.toml").write_text(config + text, encoding="utf-8")
        for args in (["check"], ["due", "--all"], ["rules", "show", "chain"]):
            code, output = hdnd(root, *args)
            assert code in (0, 1, 2) and "Traceback" not in output, (code, output, pack)


@SETTINGS
@given(body=st.fixed_dictionaries({}, optional=dict.fromkeys(["id", "name", "name_en", "email"], st.one_of(
    toml_strings, st.lists(toml_strings, max_size=2).map(lambda v: f"[{', '.join(v)}]")))))
def test_no_body_setting_ends_in_an_internal_error(body):
    """[[bodies]] with any value for any key (a name_en of 1 once stopped every command)."""
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder))
        with open(root / "hdnd.toml", "a", encoding="utf-8", errors="surrogatepass") as config:
            config.write("\n[[bodies]]\n" + "".join(f"{key} = {value}\n" for key, value in body.items()))
        (root / "data" / "a.yaml").write_text("- {id: k1, kind: complaint, date: 2024-02-01}\n", encoding="utf-8")
        for args in (["check"], ["due", "--all"], ["notify", "--dry-run"], ["ics"]):
            code, output = hdnd(root, *args)
            assert code in (0, 1, 2, 5) and "Traceback" not in output, (code, output, body)
