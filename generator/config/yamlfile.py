"""Read YAML files safely with the line of every value, and validate their shape.

Shared by ``site.yaml`` and ``papers.yaml``: the file is composed into nodes
with PyYAML's safe loader, turned into plain values that remember their line
(:class:`Located`), and checked key by key so that every problem is reported
at its line, with "did you mean" suggestions for unknown keys.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.errors import BuildError, Problem
from generator.files import read_user_file

TYPE_NAMES = {
    str: "a string",
    list: "a list",
    dict: "a mapping",
    bool: "true or false",
    int: "a number",
    object: "a value",
}
TYPE_EXAMPLES = {
    str: "text, in quotes if it holds a colon: 'like: this'",
    list: "[one, two], or one '- item' per line below the key",
    dict: "'name: value' lines indented below the key",
    bool: "true or false",
    int: "a whole number, like 50",
    object: "a value",
}
MAX_YAML_BYTES = 2_000_000
MAX_DEPTH = 32  # lists and mappings inside each other; site.yaml and papers.yaml need three or four
INVALID = object()  # a value already reported as unsupported
MAP_TAG, SEQUENCE_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it: 10x faster


@dataclass
class Located:
    """A plain Python value with the line it stands on."""

    value: Any
    line: int


def parse_yaml(path: Path, shown_path: str, problems: list[Problem]) -> Located:
    """Compose ``path`` safely (size-limited, no aliases) into located plain values."""

    def too_large(_size: int) -> Problem:
        return Problem(
            shown_path,
            1,
            f"file is larger than {MAX_YAML_BYTES // 1_000_000} MB",
            "a site configuration is a few kilobytes; check that this is the right file",
        )

    data = read_user_file(path, shown_path, MAX_YAML_BYTES, too_large)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(shown_path, 1, f"cannot read file: {error}", "save it as UTF-8 text")]) from None
    try:
        _check_depth(text, shown_path)
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise BuildError(
            [
                Problem(
                    shown_path,
                    line,
                    f"invalid YAML at column {column}: {error.problem}",
                    "check the indentation and quoting on this line or the one above",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise BuildError([Problem(shown_path, 1, f"invalid YAML: {error}")]) from None
    if node is None:
        return Located({}, 1)
    return to_python(node, shown_path, problems, set())


def _check_depth(text: str, shown_path: str) -> None:
    """Refuse a document nested deeper than any configuration needs, before composing it: composing
    recurses once per level, and a few hundred thousand brackets would overflow the stack."""
    depth = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):  # a flat stream of events: no recursion
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise BuildError(
                    [
                        Problem(
                            shown_path,
                            event.start_mark.line + 1,
                            f"nested more than {MAX_DEPTH} lists or mappings deep",
                            "a configuration needs a few levels; check the brackets and the indentation",
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def to_python(node: yaml.Node, shown_path: str, problems: list[Problem], seen: set[int]) -> Located:
    """Turn a YAML node tree into plain values that remember their lines.

    A node met twice is an alias (``*name``): refused, so that a few lines of
    nested aliases ("billion laughs") cannot expand into an enormous structure.
    """
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append(
            Problem(
                shown_path,
                line,
                "YAML aliases (*name) are not supported",
                "write the value out instead of referring to an anchor",
            )
        )
        return Located(INVALID, line)
    seen.add(id(node))
    if isinstance(node, yaml.CollectionNode) and node.tag not in (MAP_TAG, SEQUENCE_TAG):
        problems.append(
            Problem(
                shown_path,
                line,
                f"unsupported YAML value: tag {node.tag}",
                "only plain strings, numbers, true/false, lists and mappings are allowed",
            )
        )
        return Located(INVALID, line)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in mapping:
                problems.append(
                    Problem(
                        shown_path,
                        key_node.start_mark.line + 1,
                        f"duplicate key '{key}'",
                        f"'{key}' is already set at line {mapping[key].line}",
                    )
                )
            mapping[key] = to_python(value_node, shown_path, problems, seen)
            mapping[key].line = key_node.start_mark.line + 1
        return Located(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([to_python(item, shown_path, problems, seen) for item in node.value], line)
    try:
        return Located(SafeConstructor().construct_object(node), line)  # not a whole loader: cyclic, slower
    except ValueError:  # looked like a timestamp but is not a real date (2022-13-01): keep the text
        return Located(str(node.value), line)
    except yaml.YAMLError as error:
        problems.append(
            Problem(
                shown_path,
                line,
                f"unsupported YAML value: {getattr(error, 'problem', error)}",
                "only plain strings, numbers, true/false, lists and mappings are allowed",
            )
        )
        return Located(INVALID, line)


def check_keys(
    mapping: dict[str, Located], expected: dict[str, type], path: str, problems: list[Problem]
) -> dict[str, Any]:
    """Report unknown keys and wrong types; return the well-typed values."""
    good: dict[str, Any] = {}
    for key, located in mapping.items():
        if located.value is INVALID:
            continue
        if key not in expected:
            problems.append(Problem(path, located.line, f"unknown key '{key}'", suggest(key, expected)))
        elif not isinstance(located.value, expected[key]) or located.value in ("", []):
            problems.append(
                Problem(
                    path,
                    located.line,
                    f"'{key}' must be {TYPE_NAMES[expected[key]]}, not {describe(located.value)}",
                    f"write it as {TYPE_EXAMPLES[expected[key]]}",
                )
            )
        else:
            good[key] = located.value
    return good


def suggest(key: str, expected: dict[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(expected), n=1, cutoff=0.6)
    known = ", ".join(sorted(expected))
    return f"did you mean '{close[0]}'? (known keys: {known})" if close else f"known keys: {known}"


def describe(value: Any) -> str:
    if value in ("", [], None):
        return "empty"
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def strings(located: Located, path: str, problems: list[Problem]) -> list[Located]:
    values = []
    for element in located.value:
        if isinstance(element.value, str) and element.value.strip():
            values.append(Located(element.value.strip(), element.line))
        else:
            problems.append(Problem(path, element.line, f"expected a string, not {describe(element.value)}"))
    return values
