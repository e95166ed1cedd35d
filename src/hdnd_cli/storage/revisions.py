"""The rule packs as they were: at a git revision of the workspace, or in a folder (`hdnd rules diff`)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from ..model import UserError, Workspace
from .files import read_bytes
from .filestore import absolute, show_path


def packs_then(workspace: Workspace, rev: str) -> list[tuple[str, str]]:
    """(name, text) of every rule pack in the folder `rev`, or under the workspace's rule paths at the
    git revision `rev`; each name says where it came from ("REV:rules/x.toml")."""
    folder = Path(rev)
    if folder.is_dir():
        return [(show_path(path), read_bytes(path).decode("utf-8")) for path in sorted(folder.glob("*.toml"))]
    top = Path(_git(workspace.root, rev, "rev-parse", "--show-toplevel").strip())
    _git(workspace.root, rev, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    packs = []
    for path in workspace.settings.rule_paths:
        relative = absolute(path).relative_to(top.resolve()).as_posix()
        listed = _git(top, rev, "ls-tree", "-r", "--name-only", rev, "--", relative).splitlines()
        for name in sorted(n for n in listed if n.endswith(".toml")):
            packs.append((f"{rev}:{name}", _git(top, rev, "show", f"{rev}:{name}")))
    return packs


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
