"""A profile's picture (``photo:`` in site.yaml): a PNG, JPEG, WebP, GIF or SVG file inside the
seeds folder, copied into the site beside the profile's page and shown in its header at a fixed
size (the file itself is not resized).  A missing, outside, unknown or oversized file is an error
at its site.yaml line.
"""

from __future__ import annotations

from pathlib import Path

from generator.config.site import SiteConfig
from generator.errors import Problem
from generator.files import real_path
from generator.model import Site

PHOTO_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg")
PHOTO_MAX_BYTES = 2_000_000


def attach_photos(site: Site, config: SiteConfig, seeds_dir: Path) -> list[Problem]:
    """Give each profile whose config names a photo its output path (``site.files`` lists what to
    copy); the problems with the names."""
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
        output = f"{person.slug}/photo{found.suffix.lower()}"
        site.files[output] = found
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
    return found
