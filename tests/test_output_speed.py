"""Machine output at encoder speed: the JSON orjson writes is byte for byte the standard library's, and
CSV is written row by row. (Speed itself is measured by bench/run.py, never asserted here.)"""
import io
import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from hdnd_cli.render.text import dumps, write_document

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
LEAF = st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63 - 1) | \
    st.floats(allow_nan=False, allow_infinity=False) | TEXT | st.integers(min_value=2**64, max_value=2**70)
DOCUMENT = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                        max_leaves=30)
FIELDS = st.dictionaries(TEXT, st.recursive(LEAF.filter(lambda leaf: not isinstance(leaf, float)),  # as items hold
                                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                                            max_leaves=10), max_size=4)


@settings(max_examples=300, deadline=None)
@given(DOCUMENT)
def test_json_is_byte_for_byte_what_the_standard_library_writes(document):
    assert dumps(document) == json.dumps(document, ensure_ascii=False, indent=2)


@settings(max_examples=300, deadline=None)
@given(FIELDS.map(lambda head: {k: v for k, v in head.items() if k != "items"}), st.lists(FIELDS, max_size=7),
       st.integers(1, 4))
def test_a_list_written_a_chunk_at_a_time_is_the_document_written_whole(head, items, chunk):
    out = io.StringIO()
    write_document(out, head, iter(items), chunk)
    assert out.getvalue() == json.dumps({**head, "items": items}, ensure_ascii=False, indent=2) + "\n"


def test_the_commands_json_and_csv_are_the_same_with_and_without_orjson(tmp_path):
    for args in (["due", "--all", "--example", "-f", "json"], ["audit", "--by", "obligor", "--example", "-f", "json"],
                 ["due", "--all", "--example", "-f", "csv"]):
        outputs = []
        for hide in ("", "sys.modules['orjson'] = None; "):
            code = (f"import os, sys; {hide}from hdnd_cli.cli.main import run; "  # the test run's cache folder
                    f"sys.exit(run({args + ['--as-of', '2026-11-23']!r}, {{**os.environ, 'HDND_NOW': '2026-11-23'}}))")
            done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=60)
            assert done.returncode == 0, done.stderr
            outputs.append(done.stdout)
        assert outputs[0] == outputs[1] and len(outputs[0]) > 200, args


def test_the_items_hold_no_floats_so_their_json_needs_no_exponent_check():
    from datetime import date

    from hdnd_cli.engine.evaluate import evaluate
    from hdnd_cli.render.text import item, write_json
    from hdnd_cli.storage.bundled import example_config
    from hdnd_cli.storage.workspace import load

    workspace = load(example_config())
    obligations, _, _ = evaluate(workspace, date(2026, 11, 23))

    def leaves(value):
        if isinstance(value, dict):
            return [leaf for v in value.values() for leaf in leaves(v)]
        return [value]

    values = [leaf for o in obligations for leaf in leaves(item(o))]
    assert values and not any(isinstance(v, float) for v in values)
    out = io.StringIO()
    write_json(out, date(2026, 11, 23), obligations)
    assert out.getvalue() == json.dumps(json.loads(out.getvalue()), ensure_ascii=False, indent=2) + "\n"
