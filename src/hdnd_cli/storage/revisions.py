"""The rule packs as they were: at a git revision of the workspace, or in a folder (`hdnd rules diff`)."""
from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from ..model import UserError, Workspace
from .files import read_bytes
from .filestore import absolute, show_path


def packs_then(workspace: Workspace, rev: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, text) of the rule packs as they were: under the workspace's rule paths at the git revision
    `rev` (each named "REV:rules/x.toml"); or, `rev` being a folder, the office's packs of today with
    those the folder has (by [source] id, else by file name) in its version; and the office's packs
    the folder replaced."""
    folder = Path(rev)
    if folder.is_dir():
        return _beside(workspace, folder)
    top = Path(_git(workspace.root, rev, "rev-parse", "--show-toplevel").strip())
    _git(workspace.root, rev, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    packs = []
    for path in workspace.settings.rule_paths:
        relative = absolute(path).relative_to(top.resolve()).as_posix()
        listed = _git(top, rev, "ls-tree", "-r", "--name-only", rev, "--", relative).splitlines()
        for name in sorted(n for n in listed if n.endswith(".toml")):
            packs.append((f"{rev}:{name}", _git(top, rev, "show", f"{rev}:{name}")))
    return packs, []


def _beside(workspace: Workspace, folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The office's packs, those `folder` has a version of replaced by it (a folder holding one pack
    compares that pack alone, not the others as deleted)."""
    from .workspace import office_pack_paths

    def pack(path: Path) -> tuple[str, str, str]:  # name, text, what it is known by
        text = read_bytes(path).decode("utf-8")
        try:
            known = str(tomllib.loads(text)["source"]["id"])
        except (tomllib.TOMLDecodeError, KeyError, TypeError):
            known = path.name
        return show_path(path), text, known

    theirs = [pack(path) for path in sorted(folder.glob("*.toml"))]
    replaced, packs = [], []
    for name, text, known in map(pack, office_pack_paths(workspace)):
        if any(known == other or Path(name).name == Path(other_name).name for other_name, _, other in theirs):
            replaced.append(name)
        else:
            packs.append((name, text))
    return packs + [(name, text) for name, text, _ in theirs], replaced


def commit_at(config_file: Path, moment: str) -> str | None:
    """The last commit at or before `moment` (ISO) of the git repository holding the workspace; None
    when it is not under git, or nothing was committed by then."""
    try:
        return _git(config_file.parent, "HEAD", "rev-list", "-1", f"--before={moment}", "HEAD").strip() or None
    except UserError:
        return None


def text_at(path: Path, commit: str) -> str:
    """A file of the workspace as it was in `commit`."""
    top = Path(_git(path.parent, commit, "rev-parse", "--show-toplevel").strip())
    return _git(top, commit, "show", f"{commit}:{absolute(path).relative_to(top.resolve()).as_posix()}")


def _git(folder: Path, rev: str, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=60)
    except OSError as error:  # git is not installed
        raise UserError("not-a-revision", rev=rev, error=error) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UserError("not-a-revision", rev=rev, error=said[-1] if said else f"git {args[0]}")
    return done.stdout.decode("utf-8")
