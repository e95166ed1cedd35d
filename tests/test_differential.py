"""One answer, whatever the path: a differential test of the kept obligations against a full read.

Random workspaces go through random sequences of what offices do to their files: appends by `hdnd
add` and by hand in every shape an editor or `cat >>` makes (other indentation, flow items, CRLF, a
byte-order mark, a second YAML document, `...`, a directive, anchors and aliases, an item indented
under the last entry's empty key, a block scalar at the end, a last line without its line break,
JSON Lines and JSON lists edited by hand), edits in the middle, deletions, touches, a setting changed,
and days moving on. After each step `due` and `overdue` from the warm cache must say, byte for byte,
what they say with no cache, and fail exactly when `check` fails; `audit` likewise.

CI runs a fixed seed (HDND_DIFF_EXAMPLES, 25 by default); `HDND_DIFF_EXAMPLES=2000` runs it longer
(docs/performance.md, "One answer").
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from conftest import NOW, run
from hdnd_cli.storage.filestore import append
from test_kept import event

DAY = date(2026, 6, 15)
EXAMPLES = int(os.environ.get("HDND_DIFF_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("diff") / "ws"
    assert run("init", str(root), "--level", "province", env={"HDND_NOW": NOW}).returncode == 0
    config = root / "hdnd.toml"
    config.write_text("\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("since")) + "\n", encoding="utf-8")
    (root / "data" / "ledger.yaml").unlink()
    return root


def _item(entry: dict, indent: str = "  ", eol: str = "\n") -> str:
    lines = [f"- {k}: {_yaml(v)}" if n == 0 else f"{indent}{k}: {_yaml(v)}" for n, (k, v) in enumerate(entry.items())]
    return eol.join(lines) + eol


def _yaml(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).lower() if isinstance(value, bool) else str(value)


def _flow(entry: dict) -> str:
    return "- {" + ", ".join(f"{k}: {_yaml(v)}" for k, v in entry.items()) + "}\n"


# What an office's hand does to a YAML file (the text appended, given an entry).
YAML_HANDS = {
    "block": lambda e: _item(e),
    "indented four": lambda e: _item(e, "    "),
    "flow": _flow,
    "crlf": lambda e: _item(e, eol="\r\n"),
    "comment and blank line": lambda e: "\n# thêm bằng tay\n" + _item(e),
    "byte-order mark": lambda e: "\ufeff" + _item(e),
    "second document": lambda e: "---\n" + _item(e),
    "document end": lambda e: "...\n" + _item(e),
    "directive": lambda e: "%YAML 1.1\n---\n" + _item(e),
    "anchor and alias": lambda e: _item(e).replace(f"kind: {e['kind']}", f"kind: &k {e['kind']}", 1)
    + _flow({"id": f"{e.get('id', 'x')}-b", "kind": "*k", "date": e["date"]}).replace("kind: '*k'", "kind: *k"),
    "no final line break": lambda e: _item(e).rstrip("\n"),
    "under an empty key": lambda e: "".join(f"    {k}: {_yaml(v)}\n" if n else f"  - {k}: {_yaml(v)}\n"
                                            for n, (k, v) in enumerate(e.items())),
    "block scalar at the end": lambda e: _item(e) + "  note: |+\n    dòng một\n\n",
    "tab": lambda e: _item(e).replace("\n  ", "\n\t", 1),
}


def _hand_yaml(root: Path, name: str, text: str) -> None:
    path = root / name
    with path.open("ab") as out:
        out.write(text.encode("utf-8"))


def _hand_jsonl(root: Path, entry: dict, shape: str) -> None:
    line = json.dumps(entry, ensure_ascii=False, default=str)
    text = {"plain": line + "\n", "no final line break": line, "byte-order mark": "\ufeff" + line + "\n"}[shape]
    with (root / "data" / "extra.jsonl").open("ab") as out:
        out.write(text.encode("utf-8"))


def _hand_json(root: Path, entry: dict, shape: str) -> None:
    path = root / "data" / "2026.json"
    if not path.exists():
        path.write_text("[]\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    close = text.rfind("]")
    item = json.dumps(entry, ensure_ascii=False, default=str)
    before = text[:close].rstrip()
    joint = "" if before.endswith("[") else ","
    text = {"tidy": f"{before}{joint}\n  {item}\n]\n", "one line": f"{before}{joint} {item}]",
            "trailing comma": f"{before}{joint}\n  {item},\n]\n"}[shape]
    path.write_text(text, encoding="utf-8")


def _edit(root: Path, how: str) -> None:
    files = sorted((root / "data").glob("*.*"))
    if not files:
        return
    path = files[0]
    data = path.read_bytes()
    if how == "touch":
        path.write_bytes(data)
    elif how == "delete last line":
        path.write_bytes(b"\n".join(data.rstrip(b"\n").split(b"\n")[:-1]) + b"\n")
    elif how == "date in the middle":
        path.write_bytes(data.replace(b"2026-06", b"2026-05", 1))
    elif how == "crlf":
        path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    elif how == "horizon":
        config = root / "hdnd.toml"
        config.write_text(config.read_text(encoding="utf-8").replace('horizon = "14d"', 'horizon = "21d"'),
                          encoding="utf-8")


def _agree(root: Path, cache: str, on: date) -> None:
    """Warm and cold say the same; both fail exactly when `check` fails."""
    when = ["--as-of", on.isoformat()]
    checked = run("check", *when, cwd=root, env={"HDND_NO_CACHE": "1"})
    for args in (["due", "--all", "-f", "json"], ["overdue", "-f", "json"],
                 ["audit", "--by", "obligor", "-f", "json"]):
        warm = run(*args, *when, cwd=root, env={"HDND_CACHE_DIR": cache})
        cold = run(*args, *when, cwd=root, env={"HDND_NO_CACHE": "1"})
        assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr), (
            args, (root / "data").iterdir and {p.name: p.read_bytes()[-300:] for p in (root / "data").iterdir()})
        assert (cold.returncode == 2) == (checked.returncode == 2), (args, cold.stderr, checked.stderr)


@seed(20261203)
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_warm_and_cold_and_check_agree_after_any_hand_edit(template, data):
    root = Path(tempfile.mkdtemp(prefix="hdnd-diff-")) / "ws"
    cache = tempfile.mkdtemp(prefix="hdnd-diff-cache-")
    try:
        shutil.copytree(template, root)
        first = [data.draw(event(n, DAY)) for n in range(data.draw(st.integers(1, 6), label="events"))]
        (root / "data" / "2026.yaml").write_text(append(None, first, ".yaml"), encoding="utf-8")
        on = DAY
        _agree(root, cache, on)
        for step in range(data.draw(st.integers(1, 4), label="steps")):
            entry = data.draw(event(50 + step, on))
            way = data.draw(st.sampled_from(["hdnd add"] * 3 + ["yaml by hand"] * 6 + ["jsonl by hand"] * 2
                                            + ["json by hand"] * 2 + ["edit", "day"]), label="way")
            if way == "hdnd add":
                path = root / data.draw(st.sampled_from(["data/2026.yaml", "data/extra.jsonl", "data/2026.json"]))
                old = path.read_text(encoding="utf-8") if path.exists() else None
                try:
                    path.write_text(append(old, [entry], path.suffix), encoding="utf-8")
                except UnicodeDecodeError:
                    pass
            elif way == "yaml by hand":
                hand = data.draw(st.sampled_from(sorted(YAML_HANDS)), label="hand")
                _hand_yaml(root, "data/2026.yaml", YAML_HANDS[hand](entry))
            elif way == "jsonl by hand":
                _hand_jsonl(root, entry, data.draw(st.sampled_from(["plain", "no final line break", "byte-order mark"])))
            elif way == "json by hand":
                _hand_json(root, entry, data.draw(st.sampled_from(["tidy", "one line", "trailing comma"])))
            elif way == "edit":
                _edit(root, data.draw(st.sampled_from(["touch", "delete last line", "date in the middle", "crlf",
                                                       "horizon"])))
            on += timedelta(days=data.draw(st.sampled_from((0, 0, 1, 3, 10, -2)), label="days later"))
            _agree(root, cache, on)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


@pytest.mark.parametrize("hand", sorted(YAML_HANDS))
def test_each_hand_edit_of_a_yaml_ledger_gives_the_full_answer(template, tmp_path, hand):
    """Each shape on its own, after a warm run, and then `hdnd add` after it: warm equals cold."""
    root, cache = tmp_path / "ws", str(tmp_path / "cache")
    shutil.copytree(template, root)
    (root / "data" / "2026.yaml").write_text(  # as typed: the last entry ends with an empty key
        "- id: kn-1\n  kind: complaint\n  date: 2026-06-01\n- id: tc-1\n  kind: denunciation\n  date: 2026-06-03\n"
        "  handler:\n", encoding="utf-8")
    on = date(2026, 6, 12)
    _agree(root, cache, on)
    _hand_yaml(root, "data/2026.yaml", YAML_HANDS[hand]({"id": "kn-2", "kind": "complaint", "date": date(2026, 6, 8)}))
    _agree(root, cache, on)
    path = root / "data" / "2026.yaml"
    path.write_text(append(path.read_text(encoding="utf-8"), [{"id": "kn-3", "kind": "complaint",
                                                               "date": date(2026, 6, 9)}], ".yaml"), encoding="utf-8")
    _agree(root, cache, on)


@pytest.mark.parametrize("shape", ["no final line break", "byte-order mark"])
def test_each_hand_edit_of_a_json_lines_ledger_gives_the_full_answer(template, tmp_path, shape):
    root, cache = tmp_path / "ws", str(tmp_path / "cache")
    shutil.copytree(template, root)
    (root / "data" / "extra.jsonl").write_text('{"id": "kn-1", "kind": "complaint", "date": "2026-06-01"}\n',
                                                encoding="utf-8")
    on = date(2026, 6, 12)
    _agree(root, cache, on)
    _hand_jsonl(root, {"id": "kn-2", "kind": "complaint", "date": "2026-06-08"}, shape)
    _agree(root, cache, on)
    _hand_jsonl(root, {"id": "kn-3", "kind": "complaint", "date": "2026-06-09"}, "plain")
    _agree(root, cache, on)


def test_two_ledger_folders_order_acts_as_a_full_read_does(template, tmp_path):
    """Two extensions decided on the same day, one in `data/`, one in `data-2/`: a full read takes the
    files in path order (`data` before `data-2`), so the later one is data-2's; the kept path must too
    (as strings, `data-2/` sorts first)."""
    root, cache = tmp_path / "ws", str(tmp_path / "cache")
    shutil.copytree(template, root)
    config = root / "hdnd.toml"
    text = config.read_text(encoding="utf-8")
    assert 'ledger = [\n    "data",\n]' in text
    config.write_text(text.replace('ledger = [\n    "data",\n]', 'ledger = ["data", "data-2"]'), encoding="utf-8")
    (root / "rules" / "own.toml").write_text(
        '[source]\nid = "own"\ntitle = "Quy chế"\n\n[[rules]]\nid = "reply"\ntitle = "Trả lời"\nobligor = "ubnd"\n'
        'trigger = { event = "petition" }\ndeadline = { after = "10d" }\nextensions = { max = 3, each = "60d" }\n',
        encoding="utf-8")
    (root / "data-2").mkdir()
    (root / "data" / "2026.yaml").write_text(append(None, [{"id": "p1", "kind": "petition", "date": date(2026, 6, 1)}],
                                                    ".yaml"), encoding="utf-8")
    (root / "data-2" / "2026.yaml").write_text(append(None, [{"id": "p2", "kind": "petition", "date": date(2026, 6, 2)}],
                                                      ".yaml"), encoding="utf-8")
    on = date(2026, 6, 10)
    _agree(root, cache, on)
    for folder, until in (("data", date(2026, 7, 1)), ("data-2", date(2026, 7, 6))):
        path = root / folder / "2026.yaml"
        path.write_text(append(path.read_text(encoding="utf-8"), [{"kind": "extend", "obligation": "reply/p1",
                                                                   "date": date(2026, 6, 5), "until": until,
                                                                   "reason": "chờ"}], ".yaml"), encoding="utf-8")
    _agree(root, cache, on)
    items = json.loads(run("due", "--all", "-f", "json", "--as-of", on.isoformat(), cwd=root,
                           env={"HDND_CACHE_DIR": cache}).stdout)["items"]
    assert next(i for i in items if i["id"] == "reply/p1")["due"] == "2026-07-06"
