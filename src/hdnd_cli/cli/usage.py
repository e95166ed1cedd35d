"""The command line as typed: options placed before their command, and usage errors in the user's
language with the `--help` that explains them.

typer (click) parses the command line and says what is wrong in English; this module reads the same
command tree to say it from the message catalog instead.
"""
from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..messages import say

FORMAT = ("-f", "--format")  # a command's option the README lets come before the command too


class Typed(NamedTuple):
    """What a command line names: its command path, and the first word that names no command."""

    path: list[str]
    node: Any  # the command (typer's click Command) the path ends at
    unknown: str | None


def arrange(tree: Any, args: Sequence[str]) -> list[str]:
    """`args` with each option where it is read: `--format X` (`-f X`) given before the command moved
    after it (`hdnd -f json overdue` is `hdnd overdue -f json`), and an option of hdnd's own given after
    a command that does not take it moved before it (`hdnd done ID --example` is `hdnd --example done
    ID`, which the command then accepts or refuses by name)."""
    front: list[str] = []
    kept: list[str] = []
    back: list[str] = []
    node = tree
    words = iter(args)
    for word in words:
        if word == "--":
            kept += [word, *words]
            break
        name = word.partition("=")[0]
        groups = getattr(node, "commands", None)
        if groups is not None and (name in FORMAT or word.startswith("-f")):  # -fjson too
            back += [word, *itertools.islice(words, 1 if word in FORMAT else 0)]
            continue
        if word.startswith("-") and node is not tree and _option(node, name) is None and _option(tree, name):
            front += [word, *itertools.islice(words, 1 if _takes_value(tree, word) else 0)]
            continue
        kept.append(word)
        if word.startswith("-"):
            kept += itertools.islice(words, 1 if _takes_value(node, word) else 0)
        elif groups is not None and word in groups:
            node = groups[word]
        elif groups is not None:
            kept += words
            break
    at = kept.index("--") if "--" in kept else len(kept)
    return front + kept[:at] + back + kept[at:]


def typed(tree: Any, args: Sequence[str]) -> Typed:
    """The command path `args` name (options and their values skipped)."""
    node, path = tree, ["hdnd"]
    words = iter(args)
    for word in words:
        if word == "--":
            break
        if word.startswith("-"):
            if _takes_value(node, word):
                next(words, None)
            continue
        groups = getattr(node, "commands", None)
        if groups is None:
            break
        if word not in groups:
            return Typed(path, node, word)
        node, path = groups[word], [*path, word]
    return Typed(path, node, None)


def usage_message(error: Any, tree: Any, args: Sequence[str], lang: str) -> str:
    """A click usage error said from the catalog, with the `--help` of the command it is about."""
    from typer._click.exceptions import (  # typer is pinned below 0.29
        BadOptionUsage,
        BadParameter,
        MissingParameter,
        NoSuchOption,
    )

    line = typed(tree, args)
    if isinstance(error, NoSuchOption):
        text = say("usage-no-option", lang, name=error.option_name, like=_like(error.possibilities or [], lang))
    elif isinstance(error, MissingParameter) and error.param is not None:
        text = say("usage-missing", lang, name=_name(error.param))
    elif isinstance(error, BadParameter) and error.param is not None:
        value = _value(error.param, args)
        choices = getattr(error.param.type, "choices", None)
        text = (say("usage-bad-choice", lang, name=_name(error.param), value=value, choices=", ".join(map(str, choices)))
                if choices else say("usage-bad-value", lang, name=_name(error.param), value=value))
    elif isinstance(error, BadOptionUsage):
        key = "usage-takes-no-value" if "=" in _given(error.option_name, args) else "usage-needs-value"
        text = say(key, lang, name=error.option_name)
    elif line.unknown is not None:
        text = say("usage-no-command", lang, name=line.unknown,
                   like=_like(difflib.get_close_matches(line.unknown, list(line.node.commands), n=3), lang))
    elif getattr(line.node, "commands", None) is not None:
        text = say("usage-missing-command", lang)
    elif error.message.startswith("Got unexpected extra argument"):
        text = say("usage-extra", lang, words=error.message.removeprefix("Got unexpected extra argument(s) (")[:-1])
    else:
        text = error.format_message()
    return say("usage", lang, error=text[:1].upper() + text[1:] + ".", command=" ".join(line.path))


def _option(node: Any, name: str) -> Any:
    """The option of `node` called `name`, if it has one."""
    return next((p for p in getattr(node, "params", []) if p.param_type_name == "option" and name in p.opts), None)


def _takes_value(node: Any, word: str) -> bool:
    """Whether the option `word` (of `node`) takes the next word as its value."""
    name, equals, _ = word.partition("=")
    option = _option(node, name)
    return option is not None and not option.is_flag and not equals


def _name(param: Any) -> str:
    """A parameter as the user types it: `--format`, or an argument's name (`ID`)."""
    return " / ".join(param.opts) if param.param_type_name == "option" else str(param.human_readable_name)


def _given(option: str, args: Sequence[str]) -> str:
    return next((a for a in args if a == option or a.startswith(option + "=")), option)


def _value(param: Any, args: Sequence[str]) -> str:
    """The value given to `param` on the command line (the last, as click keeps the last)."""
    value = ""
    for index, word in enumerate(args):
        name, equals, rest = word.partition("=")
        if name in param.opts:
            value = rest if equals else (args[index + 1] if index + 1 < len(args) else "")
        elif any(len(o) == 2 and word.startswith(o) and len(word) > 2 for o in param.opts):
            value = word[2:]  # -fxml
    return value


def _like(names: Sequence[str], lang: str) -> str:
    return say("usage-like", lang, names=", ".join(f"'{n}'" for n in names)) if names else ""
