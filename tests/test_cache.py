"""The parse cache of big ledgers: same results, a changed file re-read, line numbers kept."""
import json
from pathlib import Path

from conftest import run

BIG = "".join(f"- id: e-{n}\n  kind: election\n  date: 2026-03-15\n  note: \"{'x' * 60}\"\n" for n in range(3000))


def test_a_cached_ledger_gives_the_same_answers_and_a_changed_one_is_reread(ws, tmp_path):
    ws.ledger(BIG, "big.yaml")
    cache = tmp_path / "cache"
    env = {"HDND_CACHE_DIR": str(cache)}
    assert len(BIG) > 256 * 1024
    cold = ws.run("check", env=env)
    assert cold.returncode == 0 and "3000" in cold.stdout and len(list(cache.glob("*.pickle"))) == 1
    warm = ws.run("check", env=env)
    uncached = ws.run("check", env={"HDND_NO_CACHE": "1"})
    assert warm.stdout == cold.stdout == uncached.stdout
    # A change anywhere in the file: re-read, and the problem keeps its line.
    (ws.root / "data" / "big.yaml").write_text(BIG + "- kind: election\n  date: 30/02/2026\n")
    changed = ws.run("check", env=env)
    assert changed.returncode == 2 and "data/big.yaml:12002:" in changed.stdout
    assert len(list(cache.glob("*.pickle"))) == 1  # the old version was dropped
    again = ws.run("check", env=env)
    assert again.stdout == changed.stdout


def test_an_unwritable_or_broken_cache_is_only_slower(ws, tmp_path):
    ws.ledger(BIG, "big.yaml")
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert ws.run("check", env={"HDND_CACHE_DIR": str(blocked)}).returncode == 0
    cache = tmp_path / "cache"
    ws.run("check", env={"HDND_CACHE_DIR": str(cache)})
    for pickled in cache.glob("*.pickle"):
        pickled.write_bytes(b"not a pickle")
    result = ws.run("due", "--all", "-f", "json", env={"HDND_CACHE_DIR": str(cache)})
    assert result.returncode == 0 and json.loads(result.stdout)["items"] == []
