"""Load and validate ``site.yaml``: every problem at its line, all at once.

The file is parsed with PyYAML's safe loader into nodes, so each value keeps
its line; unknown keys get a "did you mean" suggestion, wrong types say what
was expected, and duplicate slugs name both places.  Without a ``site.yaml``
the defaults apply and every source becomes its own profile.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.errors import BuildError, Problem, fail_if_any
from generator.normalize import slugify

SITE_KEYS = {"title": str, "base_url": str, "site_url": str, "profiles": list}
PROFILE_KEYS = {"name": str, "slug": str, "affiliations": list, "sources": list}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPE_NAMES = {str: "a string", list: "a list", dict: "a mapping"}
DEFAULT_TITLE = "Research profiles"
INVALID = object()  # a value already reported as unsupported
MAP_TAG, SEQUENCE_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


@dataclass
class ProfileConfig:
    """One person declared in site.yaml."""

    name: str
    slug: str
    sources: list[str]
    affiliations: list[str] | None = None
    line: int = 0
    source_lines: list[int] = field(default_factory=list)


@dataclass
class SiteConfig:
    """The validated site configuration."""

    title: str = DEFAULT_TITLE
    base_url: str = "/"
    site_url: str = ""
    profiles: list[ProfileConfig] = field(default_factory=list)
    path: str = ""
    declared: bool = False


@dataclass
class _Located:
    """A plain Python value with the line it stands on."""

    value: Any
    line: int


def load_config(path: Path | None, shown_path: str) -> SiteConfig:
    """Read ``path`` (None: no site.yaml, defaults apply) and validate it."""
    if path is None:
        return SiteConfig()
    problems: list[Problem] = []
    document = _parse_yaml(path, shown_path, problems)
    config = _site(document, shown_path, problems)
    fail_if_any(problems)
    return config


def _parse_yaml(path: Path, shown_path: str, problems: list[Problem]) -> _Located:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise BuildError([Problem(shown_path, 1, f"cannot read config: {error}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise BuildError(
            [
                Problem(
                    shown_path,
                    line,
                    f"invalid YAML: {error.problem}",
                    "check the indentation and quoting on this line or the one above",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise BuildError([Problem(shown_path, 1, f"invalid YAML: {error}")]) from None
    if node is None:
        return _Located({}, 1)
    return _to_python(node, shown_path, problems)


def _to_python(node: yaml.Node, shown_path: str, problems: list[Problem]) -> _Located:
    """Turn a YAML node tree into plain values that remember their lines."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.CollectionNode) and node.tag not in (MAP_TAG, SEQUENCE_TAG):
        problems.append(
            Problem(
                shown_path,
                line,
                f"unsupported YAML value: tag {node.tag}",
                "site.yaml holds plain strings, lists and mappings only",
            )
        )
        return _Located(INVALID, line)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, _Located] = {}
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
            mapping[key] = _to_python(value_node, shown_path, problems)
            mapping[key].line = key_node.start_mark.line + 1
        return _Located(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return _Located([_to_python(item, shown_path, problems) for item in node.value], line)
    try:
        return _Located(yaml.SafeLoader("").construct_object(node), line)
    except yaml.YAMLError as error:
        problems.append(
            Problem(
                shown_path,
                line,
                f"unsupported YAML value: {getattr(error, 'problem', error)}",
                "site.yaml holds plain strings, lists and mappings only",
            )
        )
        return _Located(INVALID, line)


def _site(document: _Located, path: str, problems: list[Problem]) -> SiteConfig:
    config = SiteConfig(path=path, declared=True)
    if not isinstance(document.value, dict):
        problems.append(
            Problem(
                path,
                document.line,
                "site.yaml must be a mapping of settings",
                "start with keys such as 'title:' and 'profiles:'",
            )
        )
        return config
    fields = _check_keys(document.value, SITE_KEYS, path, problems)
    config.title = fields.get("title", config.title)
    config.site_url = _site_url(document.value.get("site_url"), path, problems)
    config.base_url = _base_url(document.value.get("base_url"), config.site_url, path, problems)
    config.profiles = _profiles(document.value.get("profiles"), path, problems)
    return config


def _check_keys(
    mapping: dict[str, _Located], expected: dict[str, type], path: str, problems: list[Problem]
) -> dict[str, Any]:
    """Report unknown keys and wrong types; return the well-typed values."""
    good: dict[str, Any] = {}
    for key, located in mapping.items():
        if located.value is INVALID:
            continue
        if key not in expected:
            problems.append(Problem(path, located.line, f"unknown key '{key}'", _suggest(key, expected)))
        elif not isinstance(located.value, expected[key]) or located.value in ("", []):
            problems.append(
                Problem(
                    path, located.line, f"'{key}' must be {TYPE_NAMES[expected[key]]}, not {_describe(located.value)}"
                )
            )
        else:
            good[key] = located.value
    return good


def _suggest(key: str, expected: dict[str, type]) -> str:
    close = difflib.get_close_matches(key, list(expected), n=1, cutoff=0.6)
    known = ", ".join(sorted(expected))
    return f"did you mean '{close[0]}'? (known keys: {known})" if close else f"known keys: {known}"


def _describe(value: Any) -> str:
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


def normalize_base_url(value: str) -> str | None:
    """``/lab`` → ``/lab/``; None when ``value`` is not a path starting with '/'."""
    if not value.startswith("/") or any(char in value for char in " ?#\\"):
        return None
    return value.rstrip("/") + "/"


def normalize_site_url(value: str) -> str | None:
    """``https://x.org/lab`` → ``https://x.org/lab/``; None when not an absolute http(s) URL."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or " " in value:
        return None
    return value.rstrip("/") + "/"


def _site_url(located: _Located | None, path: str, problems: list[Problem]) -> str:
    if located is None:
        return ""
    site_url = normalize_site_url(located.value) if isinstance(located.value, str) else None
    if site_url is None:
        problems.append(
            Problem(
                path,
                located.line,
                "'site_url' must be an absolute http(s) URL",
                "the address the site is published at, e.g. 'https://user.github.io/profiles/'",
            )
        )
        return ""
    return site_url


def _base_url(located: _Located | None, site_url: str, path: str, problems: list[Problem]) -> str:
    """The path prefix: as given, else the path of ``site_url``, else '/'."""
    site_path = urlsplit(site_url).path or "/" if site_url else ""
    if located is None:
        return site_path or "/"
    base_url = normalize_base_url(located.value) if isinstance(located.value, str) else None
    if base_url is None:
        problems.append(
            Problem(
                path,
                located.line,
                "'base_url' must be a path starting with '/'",
                "use '/' for a user site or '/repository-name/' for a GitHub project site",
            )
        )
        return "/"
    if site_path and site_path != base_url:
        problems.append(
            Problem(
                path,
                located.line,
                f"'base_url' {base_url} does not match the path of 'site_url' ({site_path})",
                "drop 'base_url': it is taken from 'site_url'",
            )
        )
    return base_url


def apply_overrides(config: SiteConfig, base_url: str | None, site_url: str | None) -> SiteConfig:
    """Command-line ``--site-url`` / ``--base-url`` win over site.yaml (both already normalised)."""
    if site_url is not None:
        config.site_url = site_url
        config.base_url = urlsplit(site_url).path or "/"
    if base_url is not None:
        config.base_url = base_url
    return config


def _profiles(located: _Located | None, path: str, problems: list[Problem]) -> list[ProfileConfig]:
    if located is None or not isinstance(located.value, list):
        return []
    profiles = [profile for item in located.value if (profile := _profile(item, path, problems)) is not None]
    first_line: dict[str, int] = {}
    for profile in profiles:
        if profile.slug in first_line:
            problems.append(
                Problem(
                    path,
                    profile.line,
                    f"duplicate slug '{profile.slug}'",
                    (
                        f"the profile at line {first_line[profile.slug]} has the same slug; give one of them "
                        "an explicit 'slug:'"
                    ),
                )
            )
        first_line.setdefault(profile.slug, profile.line)
    return profiles


def _profile(item: _Located, path: str, problems: list[Problem]) -> ProfileConfig | None:
    if not isinstance(item.value, dict):
        problems.append(
            Problem(path, item.line, "each profile must be a mapping", "write '- name: …' followed by 'sources: [...]'")
        )
        return None
    fields = _check_keys(item.value, PROFILE_KEYS, path, problems)
    for required in ("name", "sources"):
        if required not in item.value:
            problems.append(
                Problem(
                    path,
                    item.line,
                    f"profile is missing '{required}'",
                    "every profile needs a 'name' and the 'sources' globs of its files",
                )
            )
    if "name" not in fields or "sources" not in fields:
        return None
    slug = fields.get("slug") or slugify(fields["name"])
    if not SLUG.match(slug):
        problems.append(
            Problem(
                path,
                item.value.get("slug", item).line,
                f"invalid slug '{slug}'",
                "use lowercase ASCII letters, digits and single hyphens, e.g. 'arthur-mensch'",
            )
        )
    sources = _strings(item.value["sources"], path, problems)
    affiliations = _strings(item.value["affiliations"], path, problems) if "affiliations" in fields else None
    return ProfileConfig(
        name=fields["name"],
        slug=slug,
        line=item.line,
        sources=[source.value for source in sources],
        source_lines=[source.line for source in sources],
        affiliations=[affiliation.value for affiliation in affiliations] if affiliations is not None else None,
    )


def _strings(located: _Located, path: str, problems: list[Problem]) -> list[_Located]:
    values = []
    for element in located.value:
        if isinstance(element.value, str) and element.value.strip():
            values.append(_Located(element.value.strip(), element.line))
        else:
            problems.append(Problem(path, element.line, f"expected a string, not {_describe(element.value)}"))
    return values
