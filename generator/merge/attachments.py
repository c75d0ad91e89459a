"""Files the papers' link fields name (al-folio's ``pdf={paper.pdf}``): found in the seeds folder,
copied into the site under ``files/``, and linked from the cards.

A name is looked for beside the ``.bib`` file that gives it, at the top of the seeds folder, and
where al-folio and Hugo Blox sites keep such files (``assets/pdf/``, ``assets/<kind>/``,
``assets/``, ``static/``, ``files/``).  Only regular files inside the seeds folder are taken;
a name found nowhere is a warning at its line, and no link is shown for it.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from generator.errors import Problem
from generator.files import real_path
from generator.model import Paper, Site

FILES_FOLDER = "files"
LINK_ATTRIBUTE = {"pdf": "pdf", "code": "code_url"}  # the kinds a paper keeps in their own fields


def attach_files(site: Site, seeds_dir: Path) -> list[Problem]:
    """Link every paper's named files that the seeds folder holds (``site.files`` lists what to
    copy); the warnings about the names found nowhere."""
    root = real_path(seeds_dir)
    warnings = []
    for paper in site.papers + site.hidden:
        for kind, name, location in paper.attachments:
            if _has_link(paper, kind):
                continue  # another source gives the same kind of link as a web address
            found = _find(root, PurePosixPath(location.file).parent, kind, name)
            if found is None:
                warnings.append(_not_found(name, kind, location.file, location.line))
                continue
            output = f"{FILES_FOLDER}/{found.relative_to(root).as_posix()}"
            site.files[output] = found
            _link(paper, kind, output)
    return warnings


def _has_link(paper: Paper, kind: str) -> bool:
    """Does a source give this kind of link as a web address?  (A file linked here before, by the
    dev server's last build of the same paper, does not count.)"""
    if kind in LINK_ATTRIBUTE:
        return _web(getattr(paper, LINK_ATTRIBUTE[kind]))
    return any(own == kind and _web(address) for own, address in paper.links)


def _web(address: str) -> bool:
    return "://" in address


def _link(paper: Paper, kind: str, output: str) -> None:
    if kind in LINK_ATTRIBUTE:
        setattr(paper, LINK_ATTRIBUTE[kind], output)
    elif (kind, output) not in paper.links:
        paper.links.append((kind, output))


def _find(root: Path, bib_folder: PurePosixPath, kind: str, name: str) -> Path | None:
    """The first regular file inside the seeds folder that ``name`` may mean."""
    places = [Path(bib_folder.as_posix()), Path(), Path("assets") / kind, Path("assets"), Path("static"), Path("files")]
    if kind != "pdf":
        places.insert(3, Path("assets") / "pdf")
    for place in places:
        candidate = real_path(root / place / name)
        if candidate.is_relative_to(root) and os.path.isfile(candidate):
            return candidate
    return None


def _not_found(name: str, kind: str, file: str, line: int) -> Problem:
    return Problem(
        file,
        line,
        f"'{name}' ({kind}) is not a web address, and no such file is in the seeds folder: no link is shown for it",
        "copy the file into the seeds folder (beside the .bib file, or under assets/pdf/), or give its https:// address",
    )
