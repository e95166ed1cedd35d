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
from hypothesis import HealthCheck, Phase, given, seed, settings, target
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st

from conftest import NOW, run
from hdnd_cli.storage.filestore import append
from test_kept import KINDS, day, event, ids_now, ledger_files, write

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


# How each way of editing by hand is done (`_by_hand`).
SHAPES = {"yaml": sorted(YAML_HANDS), "jsonl": ["plain", "no final line break", "byte-order mark"],
          "json": ["tidy", "one line", "trailing comma"],
          "edit": ["touch", "delete last line", "date in the middle", "crlf", "horizon"]}


def _by_hand(root: Path, entry: dict, way: str, shape: str) -> None:
    """One thing an office does to its files by hand: `entry` appended to a YAML, JSON Lines or JSON
    file in a `shape` of SHAPES[way], or (`way` "edit") a file or the settings edited."""
    if way == "yaml":
        _hand_yaml(root, "data/2026.yaml", YAML_HANDS[shape](entry))
    elif way == "jsonl":
        _hand_jsonl(root, entry, shape)
    elif way == "json":
        _hand_json(root, entry, shape)
    else:
        _edit(root, shape)


def _agree(root: Path, cache: str, on: date) -> None:
    """Warm and cold say the same; both fail exactly when `check` fails."""
    when = ["--as-of", on.isoformat()]
    checked = run("check", *when, cwd=root, env={"HDND_NO_CACHE": "1"})
    for args in (["due", "--all", "-f", "json"], ["overdue", "-f", "json"],
                 ["audit", "--by", "obligor", "-f", "json"], ["history", "-f", "json"]):
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
            way = data.draw(st.sampled_from(["hdnd add"] * 3 + ["yaml"] * 6 + ["jsonl"] * 2 + ["json"] * 2
                                            + ["edit", "day"]), label="way")
            if way == "hdnd add":
                path = root / data.draw(st.sampled_from(["data/2026.yaml", "data/extra.jsonl", "data/2026.json"]))
                old = path.read_text(encoding="utf-8") if path.exists() else None
                try:
                    path.write_text(append(old, [entry], path.suffix), encoding="utf-8")
                except UnicodeDecodeError:
                    pass
            elif way != "day":
                _by_hand(root, entry, way, data.draw(st.sampled_from(SHAPES[way]), label="shape"))
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


# --- writes: built and checked from the kept answer, or from the whole ledger, to one answer ----------

@st.composite
def write_command(draw, ids: list[str], names: list[str], on: date) -> list[str]:
    """A write as a secretary types it: mostly a new event or an act on an open obligation; sometimes
    an id already taken, a closed or unknown obligation, a name in other case, a correction, a dry run."""
    what = draw(st.sampled_from(("add",) * 4 + ("done",) * 4 + ("extend", "waive", "set", "void")))
    when = (on + timedelta(days=draw(st.integers(-30, 2)))).isoformat()
    named = draw(st.sampled_from(ids))
    named = draw(st.sampled_from((named, named, named, named.upper(), named.rpartition("/")[2])))
    if what == "add":
        kind = draw(st.sampled_from((*KINDS, "done")))
        args = ["add", kind, "--date", when]
        if draw(st.booleans()):
            args += ["--id", draw(st.sampled_from([*names[-3:], "e-moi", "E0", "a/b"]))]
        if kind == "session" and draw(st.integers(0, 4)):
            args += ["--set", f"ends={when}", "--set", draw(st.sampled_from(("type=regular", "type=thường lệ")))]
        if kind in ("complaint", "denunciation") and draw(st.booleans()):
            args += ["--set", draw(st.sampled_from(("complex=true", "handler=ubnd", "round=2", "competent=false")))]
    elif what == "done":
        args = ["done", named, "--ref", "12/BC", *(["--date", when] if draw(st.booleans()) else [])]
    elif what == "extend":
        until = on + timedelta(days=draw(st.integers(-5, 60)))
        args = ["extend", named, "--until", until.isoformat(), "--reason", "phức tạp"]
    elif what == "waive":
        args = ["waive", named, "--reason", "không còn"]
    else:
        entry = draw(st.sampled_from(names or ["e0"]))
        args = ["set", entry, "complex=true", "--reason", "sửa"] if what == "set" else ["void", entry, "--reason", "nhầm"]
    return [*args, *(["--dry-run"] if draw(st.integers(0, 5)) == 0 else [])]


@settings(max_examples=25, deadline=None, phases=[p for p in Phase if p != Phase.explain],  # each run is seconds
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_writes_from_the_kept_answer_are_what_reading_the_whole_ledger_gives(template, data):
    """Two copies of a workspace take the same writes and the same edits by hand (every way the test
    above makes them): one with the kept answer (a write then reads no ledger where it can), one with
    no cache. Every write says, exits and writes the same, byte for byte; and the kept answer serves
    many of them (the search seeks them out)."""
    base = Path(tempfile.mkdtemp(prefix="hdnd-kept-writes-"))
    kept_root, plain_root, cache = base / "kept", base / "plain", str(base / "cache")
    try:
        for root in (kept_root, plain_root):
            shutil.copytree(template, root)
        events = [data.draw(event(n)) for n in range(data.draw(st.integers(1, 12), label="events"))]
        names = [e["id"] for e in events if "id" in e]
        on = day(data.draw(st.integers(-10, 10), label="day"))
        for root in (kept_root, plain_root):
            write(root, "data/2026.json", events)
        served = 0
        for number in range(data.draw(st.integers(2, 8), label="writes")):
            env = {"HDND_NOW": f"{on.isoformat()}T09:00", "HDND_USER": "lan"}
            if data.draw(st.booleans()):
                run("due", cwd=kept_root, env={**env, "HDND_CACHE_DIR": cache})  # the morning list keeps its answer
            if data.draw(st.integers(0, 3)) == 0:  # the files edited by hand, in any of the ways offices do
                typed, way = data.draw(event(200 + number, on)), data.draw(st.sampled_from(sorted(SHAPES)), label="way")
                shape = data.draw(st.sampled_from(SHAPES[way]), label="shape")
                for root in (kept_root, plain_root):
                    _by_hand(root, typed, way, shape)
            args = data.draw(write_command(ids_now(plain_root, on), names, on), label="write")
            kept = run(*args, cwd=kept_root, env={**env, "HDND_CACHE_DIR": cache, "HDND_DEBUG": "1"})
            plain = run(*args, cwd=plain_root, env={**env, "HDND_NO_CACHE": "1"})
            told, _, stderr = kept.stderr.partition("\n") if kept.stderr.startswith("hdnd: written") else (
                "", "", kept.stderr)
            served += told.endswith("kept")
            hypothesis_event(f"written from the {told.rpartition(' ')[2]}" if told else "refused")
            assert (kept.returncode, kept.stdout, stderr) == (plain.returncode, plain.stdout, plain.stderr), args
            assert ledger_files(kept_root) == ledger_files(plain_root), args
            if args[0] == "add" and plain.returncode == 0:
                names.append(plain.stdout.strip().rpartition(": ")[2])  # the id it was given
            on += timedelta(days=data.draw(st.sampled_from((0, 0, 1, 3)), label="days later"))
        target(float(served), label="writes from the kept answer")  # seek them out
    finally:
        shutil.rmtree(base, ignore_errors=True)
