"""A profile's picture (``photo:`` in site.yaml): a PNG, JPEG, WebP, GIF or SVG file inside the
seeds folder, given its place beside the profile's page (``Site.photos``; the render stage sizes
it).  A missing, outside, unknown, oversized or unreadable file, or an SVG that could run code, is
an error at its site.yaml line.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.config.site import SiteConfig
from generator.errors import Problem
from generator.files import real_path
from generator.model import Site

PHOTO_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg")
PHOTO_MAX_BYTES = 2_000_000
PHOTO_MAX_PIXELS = 50_000_000  # a small file of huge dimensions would take gigabytes to decode
OUTPUT_SUFFIXES = {".jpeg": ".jpg", ".gif": ".png"}  # a GIF's first frame is written as a PNG


def attach_photos(site: Site, config: SiteConfig, seeds_dir: Path) -> list[Problem]:
    """Give each profile whose config names a photo its output path (``site.photos`` lists what to
    size and write); the problems with the names."""
    root = real_path(seeds_dir)
    problems = []
    profiles = {profile.slug: profile for profile in site.profiles}
    for person in config.profiles:
        if not person.photo or person.slug not in profiles:
            continue
        found = _photo_file(root, person.photo)
        if isinstance(found, str):
            problems.append(Problem(config.path, person.photo_line, f"photo '{person.photo}' {found}", PHOTO_HINT))
            continue
        suffix = found.suffix.lower()
        output = f"{person.slug}/photo{OUTPUT_SUFFIXES.get(suffix, suffix)}"
        site.photos[output] = found
        profiles[person.slug].photo = output
    return problems


PHOTO_HINT = "name a PNG, JPEG, WebP, GIF or SVG file of at most 2 MB inside the seeds folder, e.g. 'photo: me.jpg'"


def _photo_file(root: Path, name: str) -> Path | str:
    """The photo's file, or why it cannot be used."""
    if Path(name).suffix.lower() not in PHOTO_TYPES:
        return "is not a picture this site can show"
    found = real_path(root / name)
    if root not in found.parents:
        return "is outside the seeds folder"
    if not found.is_file():
        return "is not in the seeds folder"
    if found.stat().st_size > PHOTO_MAX_BYTES:
        return "is larger than 2 MB"
    return _picture_problem(found) or found


SVG_ACTIVE = re.compile(rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:|<!entity", re.IGNORECASE)


def _picture_problem(path: Path) -> str:
    """Why the picture at ``path`` cannot be shown: a raster picture that cannot be read whole, or
    an SVG that could run something (a script, an event handler, a ``javascript:`` link, embedded
    HTML or entity declarations: opened from the site, it would run with the site's rights)."""
    if path.suffix.lower() == ".svg":
        active = SVG_ACTIVE.search(path.read_bytes())
        return f"is an SVG that could run code ({active.group().decode(errors='replace').strip()}…)" if active else ""
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                return f"is {width}×{height} pixels, more than 50 million"
            if image.format not in ("PNG", "JPEG", "WEBP", "GIF"):
                return f"is a {image.format} picture, not the PNG, JPEG, WebP or GIF its name says"
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return "cannot be read as a picture (damaged, or not the format its name says)"
    return ""
