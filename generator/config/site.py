"""Load and validate ``site.yaml``: every problem at its line, all at once.

The file is parsed with PyYAML's safe loader into nodes, so each value keeps
its line; unknown keys get a "did you mean" suggestion, wrong types say what
was expected, and duplicate slugs name both places.  Without a ``site.yaml``
the defaults apply and every source becomes its own profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.config.links import LINK_KINDS, link_hint, normalize_link
from generator.config.yamlfile import Located, check_keys, parse_yaml, strings
from generator.errors import Problem, fail_if_any
from generator.text.normalize import slugify

SITE_KEYS = {
    "title": str,
    "base_url": str,
    "site_url": str,
    "profiles": list,
    "max_source_mb": int,
    "follow_links_outside": bool,
    "description": str,
    "footer": str,
    "report": bool,
}
PROFILE_KEYS = {
    "name": str,
    "slug": str,
    "aliases": list,
    "affiliations": list,
    "sources": list,
    "bio": str,
    "links": dict,
    "photo": str,
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_TITLE = "Research profiles"
RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$")


@dataclass
class ProfileConfig:
    """One person declared in site.yaml."""

    name: str
    slug: str
    sources: list[str]
    affiliations: list[str] | None = None
    line: int = 0
    source_lines: list[int] = field(default_factory=list)
    bio: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    photo: str = ""  # a picture of the person, in the seeds folder
    photo_line: int = 0


@dataclass
class SiteConfig:
    """The validated site configuration."""

    title: str = DEFAULT_TITLE
    base_url: str = "/"
    site_url: str = ""
    max_source_mb: int = 50
    follow_links_outside: bool = False  # read sources that are links to files outside the seeds folder
    description: str = ""  # the home page's meta description
    footer: str = ""  # the footer's text
    report: bool = True  # link the build report from the footer
    profiles: list[ProfileConfig] = field(default_factory=list)
    path: str = ""
    declared: bool = False


def load_config(path: Path | None, shown_path: str) -> SiteConfig:
    """Read ``path`` (None: no site.yaml, defaults apply) and validate it."""
    if path is None:
        return SiteConfig()
    problems: list[Problem] = []
    document = parse_yaml(path, shown_path, problems)
    config = _site(document, shown_path, problems)
    fail_if_any(problems)
    return config


def _site(document: Located, path: str, problems: list[Problem]) -> SiteConfig:
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
    fields = check_keys(document.value, SITE_KEYS, path, problems)
    config.title = fields.get("title", config.title)
    config.follow_links_outside = fields.get("follow_links_outside", False)
    config.description = fields.get("description", "").strip()
    config.footer = fields.get("footer", "").strip()
    config.report = fields.get("report", True)
    if "max_source_mb" in fields:
        if isinstance(fields["max_source_mb"], bool) or not 1 <= fields["max_source_mb"] <= 10_000:
            problems.append(
                Problem(
                    path, document.value["max_source_mb"].line, "'max_source_mb' must be a whole number from 1 to 10000"
                )
            )
        else:
            config.max_source_mb = fields["max_source_mb"]
    config.site_url = _site_url(document.value.get("site_url"), path, problems)
    config.base_url = _base_url(document.value.get("base_url"), config.site_url, path, problems)
    config.profiles = _profiles(document.value.get("profiles"), path, problems)
    return config


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


def _site_url(located: Located | None, path: str, problems: list[Problem]) -> str:
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


def _base_url(located: Located | None, site_url: str, path: str, problems: list[Problem]) -> str:
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


def _profiles(located: Located | None, path: str, problems: list[Problem]) -> list[ProfileConfig]:
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


def _profile(item: Located, path: str, problems: list[Problem]) -> ProfileConfig | None:
    if not isinstance(item.value, dict):
        problems.append(
            Problem(path, item.line, "each profile must be a mapping", "write '- name: …' followed by 'sources: [...]'")
        )
        return None
    fields = check_keys(item.value, PROFILE_KEYS, path, problems)
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
    if RESERVED.match(slug):
        problems.append(
            Problem(
                path,
                item.value.get("slug", item).line,
                f"slug '{slug}' is a reserved file name on Windows",
                "give the profile an explicit 'slug:' such as 'con-lab'",
            )
        )
    elif not SLUG.match(slug):
        problems.append(
            Problem(
                path,
                item.value.get("slug", item).line,
                f"invalid slug '{slug}'",
                "use lowercase ASCII letters, digits and single hyphens, e.g. 'arthur-mensch'",
            )
        )
    sources = strings(item.value["sources"], path, problems)
    affiliations = strings(item.value["affiliations"], path, problems) if "affiliations" in fields else None
    return ProfileConfig(
        name=fields["name"],
        slug=slug,
        line=item.line,
        sources=[source.value for source in sources],
        source_lines=[source.line for source in sources],
        affiliations=[affiliation.value for affiliation in affiliations] if affiliations is not None else None,
        bio=fields.get("bio", ""),
        photo=fields.get("photo", "").strip(),
        photo_line=item.value["photo"].line if "photo" in fields else 0,
        links=_links(item.value["links"], path, problems) if "links" in fields else [],
        aliases=[alias.value for alias in strings(item.value["aliases"], path, problems)]
        if "aliases" in fields
        else [],
    )


def _links(located: Located, path: str, problems: list[Problem]) -> list[tuple[str, str]]:
    """``links:`` mapping → ``[(kind, url)]`` in the fixed order of LINK_KINDS; every bad one reported."""
    check_keys(located.value, dict.fromkeys(LINK_KINDS, str), path, problems)
    links = []
    for kind in LINK_KINDS:
        value = located.value.get(kind)
        if value is None or not isinstance(value.value, str):
            continue
        url = normalize_link(kind, value.value)
        if url is None:
            problems.append(
                Problem(path, value.line, f"invalid {LINK_KINDS[kind]} link {value.value!r}", link_hint(kind))
            )
        else:
            links.append((kind, url))
    return links
