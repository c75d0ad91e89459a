"""Profile links (homepage, Google Scholar, ORCID, GitHub, X, Mastodon): validated, canonical URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

LINK_KINDS = {
    "homepage": "Homepage",
    "scholar": "Google Scholar",
    "orcid": "ORCID",
    "github": "GitHub",
    "x": "X",
    "mastodon": "Mastodon",
}
ORCID_ID = re.compile(r"^(?:https?://(?:www\.)?orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?$")
HOSTS = {
    "scholar": re.compile(r"^scholar\.google\.[a-z.]+$"),
    "github": re.compile(r"^(?:www\.)?github\.com$"),
    "x": re.compile(r"^(?:www\.)?(?:x|twitter)\.com$"),
}
HINTS = {
    "homepage": "an http(s) address, e.g. https://example.org",
    "scholar": "a Google Scholar profile address, e.g. https://scholar.google.com/citations?user=…",
    "orcid": "an ORCID iD like 0000-0002-1825-0097 or its https://orcid.org/ address",
    "github": "a GitHub address, e.g. https://github.com/user",
    "x": "an X address, e.g. https://x.com/user",
    "mastodon": "a Mastodon profile address, e.g. https://mastodon.social/@user",
}


def normalize_link(kind: str, value: str) -> str | None:
    """The canonical URL for a profile link, or None when ``value`` is not a valid one of ``kind``."""
    value = value.strip()
    if kind == "orcid":
        match = ORCID_ID.match(value)
        return f"https://orcid.org/{match.group(1)}" if match else None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        return None
    host = parts.hostname or ""
    if kind in HOSTS and not HOSTS[kind].match(host):
        return None
    if kind == "mastodon" and not parts.path.startswith("/@"):
        return None
    return value


def link_hint(kind: str) -> str:
    return HINTS[kind]
