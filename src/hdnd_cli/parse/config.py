"""hdnd.toml: text -> the office's settings (frozen), and every problem at the line of its key.
Pure: storage reads the file."""
from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeGuard

from ..dates.counting import parse_amount
from ..model import Body, Problem, Settings
from .schema import CONFIG, LANGS, LEVELS, SECURITY, names
from .tomllines import KeyPath, decode_error_line, key_lines, line_of, reason

CONFIG_KEYS = {k.name: names(k.keys) for k in CONFIG}
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")  # line breaks of every kind, and control characters


class Report(Protocol):
    """Records a problem at the line of a key path."""

    def __call__(self, path: KeyPath, key: str, /, **params: Any) -> None: ...


def parse_config(text: str, config_file: Path, where: str) -> tuple[Settings, list[Problem]]:
    """The settings in `text`, read from `config_file` (shown to the user as `where`), and the problems
    found in them; a setting with a problem keeps its default."""
    problems: list[Problem] = []
    default = Settings(config_file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return default, [Problem(where, decode_error_line(error), "toml-syntax", {"error": error})]
    except (ValueError, RecursionError) as error:  # a number of 5,000 digits, arrays nested 3,000 deep
        return default, [Problem(where, 1, "toml-syntax", {"error": reason(error)})]
    lines = key_lines(text)

    def problem(path: KeyPath, key: str, /, **params: Any) -> None:
        problems.append(Problem(where, line_of(lines, *path), key, params))

    for name in data.keys() - CONFIG_KEYS.keys():
        problem((name,), "unknown-key", name=name, allowed=", ".join(sorted(CONFIG_KEYS)))
    for name, allowed in CONFIG_KEYS.items():
        tables = data.get(name, [] if name == "bodies" else {})
        for index, table in enumerate(tables if isinstance(tables, list) else [tables]):
            path = (name, index) if name == "bodies" else (name,)
            if not isinstance(table, dict):
                problem(path, "not-a-table", name=name)
                continue
            for key in table.keys() - allowed:
                problem(path + (key,), "unknown-key", name=key, allowed=", ".join(sorted(allowed)))

    office = data.get("office", {}) if isinstance(data.get("office"), dict) else {}
    level = _choice(office, "level", LEVELS, ("office",), problem)
    lang = _choice(office, "lang", LANGS, ("office",), problem)
    for key in ("name", "timezone", "email", "uid", "parent", "issuer", "abbreviation", "place", "signer"):
        if key in office and (not isinstance(office[key], str) or _CONTROL.search(office[key])):
            problem(("office", key), "not-text", name=key)
    if "signer_title" in office and not isinstance(office["signer_title"], str):
        problem(("office", "signer_title"), "not-text", name="signer_title")
    recipients = office.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(r, str) and not _CONTROL.search(r) for r in recipients):
        problem(("office", "recipients"), "not-text", name="recipients")
    since = office.get("since")
    if since is not None and not (_is_day(since) and 1900 <= since.year <= 2200):  # 9999-12-31 has no next week
        problem(("office", "since"), "bad-config-date", value=since)

    paths = data.get("paths", {}) if isinstance(data.get("paths"), dict) else {}
    root = config_file.parent
    rule_paths = tuple(root / p for p in _paths(paths, "rules", ["rules"], problem))
    ledger_paths = tuple(root / p for p in _paths(paths, "ledger", ["data"], problem))
    write_to = (_paths(paths, "write_to", [default.write_to], problem) or [default.write_to])[0]
    if not _only_year(write_to):
        problem(("paths", "write_to"), "bad-write-to", value=write_to)
        write_to = default.write_to

    database = None
    store = data.get("store")
    if isinstance(store, dict):
        before = len(problems)
        for key in ("url", "office"):
            if not isinstance(store.get(key), str) or not store[key].strip():
                problem(("store",) + ((key,) if key in store else ()), "missing-key" if key not in store else "not-text",
                        name=key)
        url, office_id = store.get("url"), store.get("office")
        if isinstance(url, str) and re.search(r"://[^/@]*:[^/@]*@|\bpassword=", url):
            problem(("store", "url"), "password-in-config")  # and the url is not used: no connection is tried
        elif isinstance(url, str) and not url.startswith(("postgresql://", "postgres://")):
            problem(("store", "url"), "bad-store-url", value=url)
        if isinstance(office_id, str) and not re.fullmatch(r"[\w.-]+", office_id):
            problem(("store", "office"), "bad-id", value=office_id)
        if len(problems) == before:
            database = {"url": str(url), "office": str(office_id)}

    horizon = default.horizon
    due = data.get("due", {}) if isinstance(data.get("due"), dict) else {}
    if "horizon" in due:
        try:
            amount = parse_amount(due["horizon"])
            assert amount.unit == "d"
            horizon = amount.number
        except (ValueError, AssertionError):
            problem(("due", "horizon"), "bad-amount", name="horizon", value=due["horizon"], units="d")

    bodies: dict[str, Body] = {}
    listed = data.get("bodies", [])
    for index, body in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(body, dict):
            continue
        path = ("bodies", index)
        for key in ("id", "name"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                problem(path, "missing-key", name=key)
        for key in ("id", "name", "name_en", "email"):
            if isinstance(body.get(key), str) and _CONTROL.search(body[key]):
                problem(path + (key,), "control-characters", name=key)
        if "name_en" in body and not isinstance(body["name_en"], str):
            problem(path + ("name_en",), "not-text", name="name_en")
        email = body.get("email")
        addresses = [email] if isinstance(email, str) else email if isinstance(email, list) else [email]
        if email is not None and not (addresses and all(isinstance(a, str) and _EMAIL.match(a) and not _CONTROL.search(a) for a in addresses)):
            problem(path + ("email",), "bad-email", value=email)
            email = None
        elif email is not None:
            email = ", ".join(map(str, addresses))  # one To header for all of them
        if isinstance(body.get("id"), str):
            if body["id"] in bodies:
                problem(path + ("id",), "duplicate-body", id=body["id"])
            name_en = body.get("name_en") if isinstance(body.get("name_en"), str) else None
            bodies[body["id"]] = Body(body["id"], str(body.get("name", body["id"])), name_en, email)

    calendar = data.get("calendar", {}) if isinstance(data.get("calendar"), dict) else {}
    days_off = _days(calendar.get("days_off", []), ("calendar", "days_off"), problem, "Nghỉ (văn phòng)")
    work_days = _days(calendar.get("work_days", []), ("calendar", "work_days"), problem, "Làm bù (văn phòng)")
    notify = data.get("notify", {}) if isinstance(data.get("notify"), dict) else {}
    _check_notify(notify, problem)
    kinds = data.get("kinds", {}) if isinstance(data.get("kinds"), dict) else {}
    planned = kinds.get("planned", [])
    if not isinstance(planned, list) or not all(isinstance(k, str) and k for k in planned):
        problem(("kinds", "planned"), "not-text", name="planned")
        planned = []
    law = data.get("law", {}) if isinstance(data.get("law"), dict) else {}
    keys = law.get("trusted_keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) and _KEY.match(k) for k in keys):
        problem(("law", "trusted_keys"), "bad-law-key")
        keys = []
    if "email" in office and isinstance(office["email"], str) and not _EMAIL.match(office["email"]):
        problem(("office", "email"), "bad-email", value=office["email"])
    settings = Settings(
        config_file, office=MappingProxyType(office), level=level, lang=lang,
        timezone=str(office.get("timezone", default.timezone)),
        since=since if _is_day(since) and 1900 <= since.year <= 2200 else None,
        horizon=horizon, rule_paths=rule_paths, ledger_paths=ledger_paths, write_to=write_to,
        bodies=MappingProxyType(bodies), days_off=days_off, work_days=work_days, notify=MappingProxyType(notify),
        database=database and MappingProxyType(database), trusted_keys=tuple(keys), planned=tuple(planned))
    return settings, problems


_KEY = re.compile(r"^[A-Za-z0-9+/]{43}=$")  # an Ed25519 public key: 32 bytes in base64


def _check_notify(notify: dict[str, Any], problem: Report) -> None:
    """Mail settings are a closed choice: a typo must never mean a password sent in clear."""
    where = ("notify",)
    _choice(notify, "security", SECURITY, where, problem)
    for key, low, high in (("port", 1, 65535), ("timeout", 1, 300), ("deadline", 1, 3600)):
        value = notify.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            problem(where + (key,), "bad-integer", name=key, value=value, low=low, high=high)
    for key in ("host", "user", "subject_prefix"):
        if key in notify and (not isinstance(notify[key], str) or not notify[key].strip() or _CONTROL.search(notify[key])):
            problem(where + (key,), "not-text", name=key)
    sender = notify.get("sender")
    if sender is not None and (not isinstance(sender, str) or not _EMAIL.match(sender)):
        problem(where + ("sender",), "bad-email", value=sender)
    if not isinstance(notify.get("plain_login", False), bool):
        problem(where + ("plain_login",), "bad-choice", name="plain_login", value=notify["plain_login"],
                choices="true, false")
    if notify.get("security") == "none" and notify.get("user") and notify.get("plain_login") is not True:
        problem(where + ("user",), "plain-login")


def _is_day(value: Any) -> TypeGuard[date]:
    """A TOML date, not a date and time (`2026-09-01`, not `2026-09-01T08:00:00`)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _only_year(pattern: str) -> bool:
    """`write_to` may name `{year}` and nothing else (no `{0}`, no `{year.__class__}`)."""
    import string

    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(pattern)
                  if name is not None]
    except ValueError:
        return False
    return all(field == ("year", "", None) for field in fields)


def _choice(table: dict[str, Any], name: str, choices: tuple[str, ...], path: KeyPath, problem: Report) -> str | None:
    value = table.get(name)
    if value is not None and value not in choices:
        problem(path + (name,), "bad-choice", name=name, value=value, choices=", ".join(choices))
        return None
    return value


def _paths(table: dict[str, Any], key: str, default: list[str], problem: Report) -> list[str]:
    """A path or a list of paths; anything else is a problem."""
    value = table.get(key, default)
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problem(("paths", key), "bad-paths", name=key)
        return []
    return value


def _days(values: Any, path: KeyPath, problem: Report, default_name: str) -> tuple[tuple[date, str], ...]:
    """`[2026-09-01]` or `[{ date = 2026-09-01, name = "..." }]` -> ((date, name), ...)."""
    days = []
    for value in values if isinstance(values, list) else [values]:
        day, name = (value.get("date"), value.get("name", default_name)) if isinstance(value, dict) else (value, default_name)
        if _is_day(day):
            days.append((day, str(name)))
        else:
            problem(path, "bad-config-date", value=day)
    return tuple(days)
