"""The parse cache of big ledgers: same results, a changed file re-read, line numbers kept."""
import json
import os
import subprocess
import sys

import pytest

from conftest import NOW
from hdnd_cli.storage.cache import MIN_SIZE

BIG = "".join(f"- id: e-{n}\n  kind: press-conference\n  date: 2026-03-15\n  note: \"{'x' * 60}\"\n" for n in range(3000))


def test_a_cached_ledger_gives_the_same_answers_and_a_changed_one_is_reread(ws, tmp_path):
    ws.ledger(BIG, "big.yaml")
    ws.now = NOW  # a day after the entries' 15/03/2026
    cache = tmp_path / "cache"
    env = {"HDND_CACHE_DIR": str(cache)}
    assert len(BIG) > MIN_SIZE
    cold = ws.run("check", env=env)
    pickles = 2  # the ledger file's and the rule packs'
    assert cold.returncode == 0 and "3000" in cold.stderr and len(list(cache.glob("*.pickle"))) == pickles
    warm = ws.run("check", env=env)
    uncached = ws.run("check", env={"HDND_NO_CACHE": "1"})
    assert warm.stderr == cold.stderr == uncached.stderr
    # A change anywhere in the file: re-read, and the problem keeps its line.
    (ws.root / "data" / "big.yaml").write_text(BIG + "- kind: press-conference\n  date: 30/02/2026\n")
    changed = ws.run("check", env=env)
    assert changed.returncode == 2 and "data/big.yaml:12002:" in changed.stderr
    assert len(list(cache.glob("*.pickle"))) == pickles  # the old version was dropped
    again = ws.run("check", env=env)
    assert again.stderr == changed.stderr


def test_an_unwritable_or_broken_cache_is_only_slower(ws, tmp_path):
    """A cache that cannot be written, or whose pickles are garbage, gives the uncached answer: here 3000
    obligations (one per press conference), not an empty list that any two runs would agree on."""
    ws.rules("""
        [[rules]]
        id = "press-report"
        title = "Báo cáo họp báo"
        obligor = "ubnd"
        trigger = { event = "press-conference" }
        deadline = { after = "5wd" }
        """)
    ws.ledger(BIG, "big.yaml")
    ws.now = NOW
    plain = ws.run("due", "--all", "-f", "json", env={"HDND_NO_CACHE": "1"})
    assert sum(i["rule"] == "press-report" for i in json.loads(plain.stdout)["items"]) == 3000
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert ws.run("due", "--all", "-f", "json", env={"HDND_CACHE_DIR": str(blocked)}).stdout == plain.stdout
    cache = tmp_path / "cache"
    ws.run("check", env={"HDND_CACHE_DIR": str(cache)})
    pickles = sorted(cache.glob("*.pickle"))
    assert len(pickles) == 2
    for pickled in pickles:
        pickled.write_bytes(b"not a pickle")
    result = ws.run("due", "--all", "-f", "json", env={"HDND_CACHE_DIR": str(cache)})
    assert result.returncode == 0 and result.stdout == plain.stdout
    for pickled in sorted(cache.glob("*.pickle")):  # a FIFO in a cache file's place is not waited on
        pickled.unlink()
        os.mkfifo(pickled)
    result = ws.run("due", "--all", "-f", "json", env={"HDND_CACHE_DIR": str(cache)})
    assert result.returncode == 0 and result.stdout == plain.stdout


def test_holidays_of_unannounced_years_come_from_the_cache_without_the_package(ws, tmp_path):
    """Deadlines in 2028 need the `holidays` package (2028 is not announced); its days are kept, so a
    second run gives the same dates without importing it (about 110 ms of every such run)."""
    ws.rules("""
        [[rules]]
        id = "answer"
        title = "Trả lời"
        obligor = "ubnd"
        trigger = { event = "request" }
        deadline = { after = "5wd" }
        """)
    # Fri 21/01/2028 + 5 working days: Tết Mậu Thân 2028 is Wed 26/01 (mùng 1), the package's days
    # off run 24/01-28/01 (29 Tết - mùng 3 Tết), so the count resumes on Mon 31/01 -> Fri 04/02/2028.
    ws.ledger("""
        - id: r1
          kind: request
          date: 2028-01-21
        """)
    env = {**os.environ, "HDND_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    probe = ("import os, sys; end = os._exit; "  # the command ends its process with os._exit: say it there
             "os._exit = lambda code: (print('holidays' in sys.modules, file=sys.stderr), end(code)); "
             "sys.argv = ['hdnd', 'due', '--all', '-f', 'json', '--as-of', '2028-01-21']; "
             "from hdnd_cli import main; main()")
    cold = subprocess.run([sys.executable, "-c", probe], cwd=ws.root, env=env, capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", probe], cwd=ws.root, env=env, capture_output=True, text=True)
    assert json.loads(cold.stdout)["items"][0]["due"] == "2028-02-04"
    assert cold.stderr.strip() == "True" and warm.stderr.strip() == "False"
    assert warm.stdout == cold.stdout


def test_a_ledger_with_problems_is_cached_with_them(ws, tmp_path):
    """Problems (even those without parameters) survive the cache: the warm run says the same."""
    ws.ledger("kind: election\n", "not-a-list.yaml")
    ws.now = NOW  # an unannounced year would add a third pickle, its days off
    env = {"HDND_CACHE_DIR": str(tmp_path / "cache")}
    cold, warm = ws.run("check", env=env), ws.run("check", env=env)
    assert cold.returncode == warm.returncode == 2
    assert "data/not-a-list.yaml:1:" in cold.stderr + cold.stdout
    assert (warm.stdout, warm.stderr) == (cold.stdout, cold.stderr)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2  # the ledger file's and the rule packs'


RULE = """
[[rules]]
id = "answer"
title = "Trả lời"
obligor = "ubnd"
trigger = { event = "petition" }
deadline = { after = "%s" }
"""


def answer(result) -> dict:
    """The office's own obligation among the law's."""
    return next(i for i in json.loads(result.stdout)["items"] if i["id"] == "answer/p1")


def test_cached_rule_packs_give_the_same_answers_and_a_changed_pack_is_reread(ws, tmp_path):
    ws.rules(RULE % "30d").ledger("- {id: p1, kind: petition, date: 2026-03-02}\n")
    env = {"HDND_CACHE_DIR": str(tmp_path / "cache")}
    due = ["due", "--all", "-f", "json", "--as-of", "2026-03-03"]
    cold, warm = ws.run(*due, env=env), ws.run(*due, env=env)
    assert answer(cold)["due"] == "2026-04-01" and warm.stdout == cold.stdout
    ws.rules(RULE % "10d")
    assert answer(ws.run(*due, env=env))["due"] == "2026-03-12"
    ws.rules(RULE % "10x")
    broken = ws.run("check", env=env)
    assert broken.returncode == 2 and "rules/test.toml:" in broken.stderr and "10x" in broken.stderr


def test_a_kept_file_of_another_shape_is_made_again(ws, tmp_path):
    """Tagged by this user's key (so read), but holding something else than what the code keeps there:
    made again, never an internal error."""
    import pickle

    from hdnd_cli.storage.cache import _secret, _tag

    ws.ledger(BIG, "big.yaml")
    ws.now = NOW
    cache = tmp_path / "cache"
    env = {"HDND_CACHE_DIR": str(cache)}
    plain = ws.run("due", "--all", "-f", "json", env={"HDND_NO_CACHE": "1"})
    assert ws.run("due", "--all", "-f", "json", env=env).stdout == plain.stdout
    secret = _secret(cache)
    kept = sorted(cache.glob("*.pickle"))
    assert secret is not None and len(kept) >= 2
    for path in kept:
        body = pickle.dumps(["of", "another", "shape"])
        path.write_bytes(_tag(secret, body) + body)
    for command in (["due", "--all", "-f", "json"], ["check"]):
        result = ws.run(*command, env=env)
        assert result.returncode == 0 and "lỗi nội bộ" not in result.stderr, result.stderr
    assert ws.run("due", "--all", "-f", "json", env=env).stdout == plain.stdout


def test_a_cache_others_may_read_is_not_used_and_the_run_says_so(ws, tmp_path):
    ws.ledger("- {id: kn-1, kind: complaint, date: 2026-11-02}\n")
    ws.now = NOW
    cache = tmp_path / "cache"
    env = {"HDND_CACHE_DIR": str(cache)}
    quiet = ws.run("due", "--all", env=env)
    assert quiet.returncode == 0 and quiet.stderr == ""
    from hdnd_cli.storage.cache import _secret

    for mode, what in ((0o640, "group-readable"), (0o600, "empty")):
        (cache / "key").chmod(mode)
        if what == "empty":
            (cache / "key").write_bytes(b"")
        _secret.cache_clear()  # read once a process: the commands here run in this one
        told = ws.run("due", "--all", env=env)
        assert told.returncode == 0 and told.stdout == quiet.stdout, what
        assert told.stderr.count("không được dùng") == 1 and "chmod 600" in told.stderr, (what, told.stderr)


def test_entries_kept_as_columns_read_back_as_the_entries_parsed(ws, tmp_path, monkeypatch):
    """The parse cache keeps a ledger file's entries as columns (storage/filestore.py:parsed); read
    back from it they are the entries the file parses to, field for field (kind, date, id, fields,
    file, line, recording stamp), with the same problems, in each format."""
    from hdnd_cli import api
    from hdnd_cli.storage import filestore
    from hdnd_cli.storage.cache import OFF, Cache

    stamped = "".join(f"- {{id: kn-{n}, kind: complaint, date: 2026-03-{n % 28 + 1:02d}, title: \"Đơn số {n}\", "
                      f"recorded: {{by: thu-ky, at: \"2026-03-{n % 28 + 1:02d}T08:0{n % 10}:00+07:00\"}}}}\n" for n in range(1500))
    ws.ledger(stamped + "- {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-03-05}\n"
              "- {kind: complaint, date: 31/02/2026}\n", "a.yaml")
    ws.ledger("[\n" + ",\n".join(json.dumps({"kind": "petition", "date": "2026-04-01", "id": f"p-{n}",
                                            "content": "x" * 40}) for n in range(1500)) + "\n]\n", "b.json")
    ws.ledger("".join(json.dumps({"kind": "done", "obligation": f"answer/p-{n}", "date": "2026-04-20"}) + "\n"
                      for n in range(1500)) + "{\"kind\": \"done\"}\n", "c.jsonl")
    cache = Cache(tmp_path / "cache")
    plain = api.load(ws.root, cache=OFF, stop=False).store.read()
    cold = api.load(ws.root, cache=cache, stop=False).store.read()
    assert len(list((tmp_path / "cache").glob("*.pickle"))) >= 3  # each ledger file's
    monkeypatch.setattr(filestore, "parse_ledger_file", lambda *_: pytest.fail("parsed, not read from the cache"))
    warm = api.load(ws.root, cache=cache, stop=False).store.read()
    assert len(plain.entries) == 4501 and [p.key for p in plain.problems] == ['bad-date', 'missing-field', 'missing-field']
    assert any(e.recorded_at is not None for e in plain.entries)
    for read in (cold, warm):
        assert read.entries == plain.entries and read.problems == plain.problems and read.places == plain.places
        assert [type(e) for e in read.entries] == [type(e) for e in plain.entries]
