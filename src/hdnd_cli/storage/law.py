"""The law in use: the national rule packs and the working calendar, one dated set (SPEC §2a).

hdnd carries a law of its own (`data/law/law.toml`: its version is its date). A newer one is
installed from a signed bundle into the law folder of the machine's account (`HDND_LAW_DIR`, else
the user's data folder), as the tz database is installed apart from the programs that read it:

    LAW_DIR/state.json       which version is in use, and every change, with its time (for --known-on)
    LAW_DIR/2027.01.15/      one installed version: manifest.json, manifest.sig, rules/, calendar/

The law in use is the newer of the program's own and the installed one. An install writes the new
version's folder whole (a staging folder, renamed), then the state file in one step: a run killed
half-way leaves the old law in use.

A bundle is a zip of `manifest.json` (format, version, date, every file and its SHA-256), its
Ed25519 signature `manifest.sig` (base64), and the files: `rules/*.toml`, `calendar/vn.toml`, and
`bodies.toml` (the bodies the law's rules name, so that a new one reaches offices with its name). It is
checked against the project's keys (`data/law/keys.toml`) and the office's `[law] trusted_keys`.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from ..model import Problem, UserError
from .bundled import bundled, rules_folder
from .files import read_bytes, write_atomically

FORMAT = 1
STATE = "state.json"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
_VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}$")
_MEMBER = re.compile(r"^(rules/[A-Za-z0-9][A-Za-z0-9_.\-]*\.toml|calendar/vn\.toml|bodies\.toml)$")
MAX_MEMBER, MAX_BUNDLE = 4 << 20, 32 << 20  # bytes: a law is a few hundred kilobytes
STALE_DAYS = 180  # a law older than this may have been followed by a newer one (check warns)


class Law(NamedTuple):
    """One version of the law: where its files are, and whether it came with hdnd or was installed."""

    version: str  # "2026.12.03"
    packs: tuple[Path, ...]
    calendar: Path
    origin: str  # "bundled" | "installed"
    folder: Path
    bodies: Path  # the bodies its rules name, with their names at each level

    @property
    def date(self) -> date:
        return date(*map(int, self.version.split(".")))

    def pack_ids(self) -> set[str]:
        return {path.stem for path in self.packs}


def own_law() -> Law:
    """The law that came with this hdnd."""
    meta = tomllib.loads(read_bytes(bundled("data") / "law" / "law.toml").decode("utf-8"))
    packs = tuple(rules_folder() / f"{name}.toml" for name in meta["packs"])
    return Law(meta["version"], packs, bundled("data") / "calendar" / meta["calendar"], "bundled",
               bundled("data") / "law", bundled("data") / "bodies.toml")


def in_use(folder: Path | None, on: datetime | None = None) -> Law:
    """The law in use: the newer of hdnd's own and the one installed in `folder` (at `on`, the one
    that was installed then; of hdnd's own only the present one is known)."""
    own = own_law()
    version = _state(folder).version_at(on) if folder is not None else None
    if folder is None or version is None or version <= own.version:
        return own
    installed = _installed(folder, version)
    return installed if installed is not None else own


def _installed(folder: Path, version: str) -> Law | None:
    where = folder / version
    if not (where / MANIFEST).is_file():
        return None
    files = json.loads(read_bytes(where / MANIFEST))["files"]
    packs = tuple(where / name for name in sorted(files) if name.startswith("rules/"))
    return Law(version, packs, where / "calendar" / "vn.toml", "installed", where, where / "bodies.toml")


class State(NamedTuple):
    """What was installed when: `log` holds (time, version in use after it, action) in order."""

    log: tuple[tuple[str, str | None, str], ...] = ()

    @property
    def current(self) -> str | None:
        return self.log[-1][1] if self.log else None

    def version_at(self, moment: datetime | None) -> str | None:
        found = None
        for at, version, _ in self.log:
            if moment is None or datetime.fromisoformat(at) <= moment:
                found = version
        return found

    def previous(self) -> str | None:
        """The version in use before the current one became it (None: hdnd's own)."""
        current = self.current
        for _, version, _ in reversed(self.log[:-1]):
            if version != current:
                return version
        return None

    def then(self, moment: datetime, version: str | None, action: str) -> State:
        return State((*self.log, (moment.isoformat(), version, action)))


def _state(folder: Path) -> State:
    path = folder / STATE
    if not path.is_file():
        return State()
    try:
        data = json.loads(read_bytes(path, follow=False))
        return State(tuple((str(at), version, str(action)) for at, version, action in data["log"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UserError("law-state-unreadable", path=str(path), error=error) from None


def staleness(law: Law, cal: Any, today: date) -> list[Problem]:
    """Warnings that the law in use may be behind: older than 180 days; or, from 1 December, without
    next year's announced days off (its Tết)."""
    where = str(law.folder / ("law.toml" if law.origin == "bundled" else MANIFEST))
    found = []
    age = (today - law.date).days
    if age > STALE_DAYS:
        found.append(Problem(where, 1, "law-old", {"version": law.version, "age": age}))
    coming = today.year + 1
    if today.month == 12 and not (cal.is_announced(coming) or coming in cal.partly):
        found.append(Problem(where, 1, "law-no-tet", {"version": law.version, "year": coming}))
    return found


# --- a bundle ------------------------------------------------------------------------------------------

class Bundle(NamedTuple):
    version: str
    files: dict[str, bytes]  # name in the bundle -> bytes, every one checked against the manifest
    manifest: bytes
    signature: bytes


def open_bundle(path: Path, keys: list[str]) -> Bundle:
    """A bundle read and checked whole: its members, its signature by one of `keys`, every file's hash.
    Anything else is one line saying what is wrong, and nothing has changed."""
    import zipfile

    try:
        data = read_bytes(path, text=False)
    except OSError as error:
        raise UserError("law-bundle-unreadable", path=str(path), error=error) from None
    if len(data) > MAX_BUNDLE:
        raise UserError("law-bundle-bad", path=str(path), why="> 32 MiB")
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _members(archive, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise UserError("law-bundle-bad", path=str(path), why=error) from None
    manifest, signature = members.pop(MANIFEST, None), members.pop(SIGNATURE, None)
    if manifest is None or signature is None:
        raise UserError("law-bundle-unsigned", path=str(path))
    _verify(manifest, signature, keys, path)
    try:
        meta = json.loads(manifest)
        version, listed = meta["version"], meta["files"]
        ok = meta.get("format") == FORMAT and isinstance(version, str) and _VERSION.match(version)
        ok = ok and isinstance(listed, dict) and all(isinstance(v, str) for v in listed.values())
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise UserError("law-bundle-bad", path=str(path), why=MANIFEST)
    if set(listed) != set(members) or not {"calendar/vn.toml", "bodies.toml"} <= set(listed):
        raise UserError("law-bundle-bad", path=str(path), why=", ".join(sorted(set(listed) ^ set(members))) or MANIFEST)
    for name, digest in listed.items():
        if hashlib.sha256(members[name]).hexdigest() != digest:
            raise UserError("law-bundle-bad", path=str(path), why=name)
    return Bundle(version, members, manifest, signature)


def _members(archive: Any, path: Path) -> dict[str, bytes]:
    """Every member's bytes; a name that is not a law file (a path out of the folder, a link, twice)
    or a member too large is refused before anything is written."""
    members: dict[str, bytes] = {}
    for info in archive.infolist():
        name = info.filename
        if name in (MANIFEST, SIGNATURE) or _MEMBER.match(name):
            if name in members or info.file_size > MAX_MEMBER or (info.external_attr >> 28) == 0o12:
                raise UserError("law-bundle-bad", path=str(path), why=name)
            members[name] = archive.read(info)
        elif not info.is_dir():
            raise UserError("law-bundle-bad", path=str(path), why=name)
    return members


def _verify(manifest: bytes, signature: bytes, keys: list[str], path: Path) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except ValueError:
        raise UserError("law-bundle-unsigned", path=str(path)) from None
    for key in keys:
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(key, validate=True)).verify(raw, manifest)
            return
        except (InvalidSignature, ValueError):
            continue
    raise UserError("law-bundle-untrusted", path=str(path))


def project_keys() -> list[str]:
    return list(tomllib.loads(read_bytes(bundled("data") / "law" / "keys.toml").decode("utf-8"))["keys"])


def bundle_law(bundle: Bundle, folder: Path) -> Law:
    """The law a bundle holds, as it will be once installed in `folder` (to compare before installing)."""
    packs = tuple(folder / name for name in sorted(bundle.files) if name.startswith("rules/"))
    return Law(bundle.version, packs, folder / "calendar" / "vn.toml", "installed", folder, folder / "bodies.toml")


def stage(bundle: Bundle, folder: Path) -> Path:
    """The bundle's files written into a staging folder of `folder` (left behind by a crash: removed by
    the next install)."""
    import shutil
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(".staging-*"):
        shutil.rmtree(old, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    for name, data in {**bundle.files, MANIFEST: bundle.manifest, SIGNATURE: bundle.signature}.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(staging / name, data)
    return staging


def install(staging: Path, version: str, folder: Path, now: datetime) -> None:
    """Put a staged version in place, then make it the one in use, in one step (the state file)."""
    import shutil

    target = folder / version
    if target.exists():
        shutil.rmtree(target)  # an earlier install of it, no longer in use (checked by the caller)
    os.replace(staging, target)
    _write_state(folder, _state(folder).then(now, version, "install"))


def rollback(folder: Path, now: datetime) -> str | None:
    """Return to the version in use before the current one; the version now in use (None: hdnd's own)."""
    state = _state(folder)
    if state.current is None:
        raise UserError("law-no-rollback")
    previous = state.previous()
    _write_state(folder, state.then(now, previous, "rollback"))
    return previous


def _write_state(folder: Path, state: State) -> None:
    write_atomically(folder / STATE, json.dumps({"log": [list(entry) for entry in state.log]}, indent=1))


def history(folder: Path | None) -> list[tuple[str, str | None, str]]:
    return list(_state(folder).log) if folder is not None else []
