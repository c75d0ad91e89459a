"""BibTeX files (``*.bib``): every entry a paper, every field the user wrote put to use.

The syntax is read by :mod:`.bibtex_syntax` (every entry kept, repeated fields and keys as
warnings, one unreadable entry never costing the others).  Each entry becomes an
:class:`~generator.model.Entry`: its text cleaned like every other source's (LaTeX accents,
braces, ties, entities), names written ``Last, First`` turned around, the date from
``year``/``month``/``day`` or ``date``, the venue from ``journal``/``booktitle`` (and ``school``,
``institution``, ``howpublished`` where those say where it appeared), arXiv ids from ``eprint``,
arXiv DOIs, arxiv.org URLs, Google Scholar's ``journal={arXiv preprint arXiv:…}`` or al-folio's
``arxiv``; the links al-folio and Hugo Blox sites keep (``pdf``, ``code``, ``html``, ``slides``,
``poster``, ``video``…, ``url_pdf``, ``url_code``…), ``note``, ``volume``, ``number``,
``pages``, ``publisher``, ``series``, ``keywords`` (tags), ``selected`` and ``abbr``; and the
entry itself as written, for Cite (see docs/sources.md).
"""

from __future__ import annotations

import re

from generator.errors import Problem
from generator.model import Citation, Entry, Location, SourceDoc
from generator.sources.bibtex_syntax import BibEntry, read_bibtex
from generator.text.dates import calendar_date, month_number
from generator.text.identifiers import arxiv_from_doi, arxiv_in_text, normalize_arxiv, normalize_category, normalize_doi
from generator.text.normalize import clean_text, strip_ellipsis, without_controls

FORMAT = "bibtex"
ARXIV_VENUES = re.compile(r"^(?:arxiv\b.*|corr|computing research repository)$", re.IGNORECASE)
DBLP_HOMONYM_NUMBER = re.compile(r"\s+0\d{3}(?=\s*(?:,|$))")  # dblp's "Wei Wang 0001": its homonyms told apart
TOP_LEVEL_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
WEB_ADDRESS = re.compile(r"^https?://\S+$")
FILE_NAME = re.compile(r"^[\w][\w ./+-]*\.\w{1,5}$")  # a relative file name with an extension
BIBLATEX_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:$|/|T)")
ESCAPED_SYMBOL = re.compile(r"\\([_%&#$~])")  # dblp writes 10.1007/978-3-319-91485-5\_27
TIE = re.compile(r"(?<!\\)~")  # BibTeX's unbreakable space (not \~, the accent)
LINK_FIELDS = {  # field → the kind of link it gives (al-folio's names, then Hugo Blox's)
    "pdf": "pdf",
    "code": "code",
    "html": "website",
    "website": "website",
    "slides": "slides",
    "poster": "poster",
    "video": "video",
    "blog": "blog",
    "supp": "supplement",
    "url_pdf": "pdf",
    "url_code": "code",
    "url_slides": "slides",
    "url_poster": "poster",
    "url_video": "video",
    "url_project": "website",
    "url_dataset": "dataset",
    "url_source": "source",
}
SITE_ONLY_FIELDS = {  # what a site keeps in its .bib for itself: never in a citation
    *LINK_FIELDS,
    "selected",
    "abbr",
    "bibtex_show",
    "preview",
    "altmetric",
    "dimensions",
    "google_scholar_id",
    "inspirehep_id",
    "award",
    "award_name",
    "additional_info",
    "arxiv",
    "file",  # a reference manager's path to a file on the user's own disk
    "abstract",  # shown on the card already; the Cite box stays short
    "crossref",  # the volume it names is not in the file the entry is cited from (its fields are)
}
PRIVATE_FIELDS = {  # what a reference manager keeps for its user: never published
    "annote",  # notes (Mendeley, Zotero, BibDesk)
    "annotation",
    "comment",  # JabRef's comments
    "owner",  # JabRef: who added the entry, when, to which groups, how it was rated…
    "timestamp",
    "groups",
    "readstatus",
    "ranking",
    "relevance",
    "priority",
    "qualityassured",
    "printed",
    "date-added",  # BibDesk
    "date-modified",
    "read",
    "rating",
    "local-url",
}
PRIVATE_PREFIXES = ("mendeley-", "bdsk-")  # mendeley-groups, mendeley-tags; bdsk-file-1, bdsk-url-1
TRUE_VALUES = ("true", "yes", "1")
ARXIV_NOTE = re.compile(r"^arxiv:\s*(\S+?)(?:\s*\[[\w.-]+\])?$", re.IGNORECASE)
VENUE_FIELDS = {  # entry type → the fields naming where it appeared, when it has no journal or booktitle
    "phdthesis": ("school",),
    "mastersthesis": ("school",),
    "thesis": ("school", "institution"),  # biblatex's @thesis names the institution
    "techreport": ("institution",),
    "report": ("institution",),  # biblatex's @report
    "online": ("organization",),
    "manual": ("organization",),
}


def parse(lines: list[str], path: str) -> SourceDoc:
    """Parse a BibTeX file into a :class:`SourceDoc`; the entries that cannot be read are left in
    ``doc.errors`` (whether that fails the file is the caller's to say)."""
    bib = read_bibtex("\n".join(lines), path)
    doc = SourceDoc(path=path, format=FORMAT, notes=bib.warnings, errors=bib.errors)
    for raw in bib.entries:
        entry = _entry(raw, path, doc.notes)
        if entry is not None:
            doc.entries.append(entry)
    return doc


def _entry(raw: BibEntry, path: str, notes: list[Problem]) -> Entry | None:
    abstract = clean_text(_tied(raw, "abstract"))
    text, truncated = strip_ellipsis(abstract.text)
    title = _text(raw, "title")
    if not title and not text:
        notes.append(Problem(path, raw.line, f"entry '{raw.key}' has neither a title nor an abstract: skipped"))
        return None
    authors, cut = parse_authors(_tied(raw, "author") or _tied(raw, "editor"))
    links, attachments = _links(raw, path, notes)
    entry = Entry(
        location=Location(path, raw.line),
        title=title,
        abstract=text,
        truncated=truncated,
        latex_residue=abstract.latex_residue,
        authors=authors,
        authors_truncated=cut,
        date=_checked_date(raw, path, notes),
        category=normalize_category(raw.value("primaryclass") or raw.value("eprintclass")),  # BibTeX's, biblatex's
        doi=normalize_doi(_verbatim(raw, "doi")) or "",
        url=_url(_verbatim(raw, "url")),
        venue=_venue(raw),
        pdf=links.pop("pdf", ""),
        code_url=links.pop("code", ""),
        links=tuple(links.items()),
        note=_text(raw, "note"),
        volume=_text(raw, "volume"),
        number=_text(raw, "number") or _text(raw, "issue"),
        pages=_text(raw, "pages"),
        publisher=_text(raw, "publisher"),
        series=_text(raw, "series"),
        tags=_keywords(raw.value("keywords")),
        selected=raw.value("selected").strip().lower() in TRUE_VALUES,
        venue_short=_text(raw, "abbr"),
        citation=citation_of(raw),
        attachments=attachments,
    )
    entry.arxiv = _arxiv(raw, entry.doi)
    if (restated := ARXIV_NOTE.match(entry.note)) and normalize_arxiv(restated.group(1)) == entry.arxiv:
        entry.note = ""  # Zotero's "arXiv:2312.01234 [cs]": the id, which the card links already
    return entry


def citation_of(raw: BibEntry) -> Citation:
    """The entry as its source wrote it, without the fields a site keeps for itself or a reference
    manager for its user (notes, groups, ratings, paths on the user's disk)."""
    kept = tuple((name, without_controls(found.written)) for name, found in raw.fields.items() if is_published(name))
    return Citation(raw.type, raw.key, kept)


def is_published(field_name: str) -> bool:
    """Whether a field of the user's entry goes into the citation the site shows."""
    return not (
        field_name in SITE_ONLY_FIELDS or field_name in PRIVATE_FIELDS or field_name.startswith(PRIVATE_PREFIXES)
    )


def _text(raw: BibEntry, name: str) -> str:
    return clean_text(_tied(raw, name)).text


def _tied(raw: BibEntry, name: str) -> str:
    """A field's value, its ties (``Le~Goues``) as spaces."""
    return TIE.sub(" ", raw.value(name))


def _verbatim(raw: BibEntry, name: str) -> str:
    """An address or identifier field, LaTeX's escapes of ``_ % & # $ ~`` undone."""
    return ESCAPED_SYMBOL.sub(r"\1", raw.value(name))


def _keywords(value: str) -> tuple[str, ...]:
    words = (clean_text(TIE.sub(" ", word)).text for word in re.split(r"[,;]", value))
    return tuple(dict.fromkeys(word for word in words if word))


def _links(raw: BibEntry, path: str, notes: list[Problem]) -> tuple[dict[str, str], tuple[tuple[str, str, int], ...]]:
    """Link kind → web address, from the link fields (the first of each kind); and the fields that
    name a file instead (al-folio keeps its PDFs under ``assets/pdf/``), to be found in the seeds
    folder later.  A value that is neither is left out, with a warning."""
    links: dict[str, str] = {}
    files: dict[str, tuple[str, str, int]] = {}
    for name, kind in LINK_FIELDS.items():
        found = raw.fields.get(name)
        if found is None or not found.value.strip() or kind in links:
            continue
        value = ESCAPED_SYMBOL.sub(r"\1", found.value).strip()
        if WEB_ADDRESS.match(value):
            links[kind] = value
            files.pop(kind, None)
        elif FILE_NAME.match(value) and ".." not in value.split("/"):
            files.setdefault(kind, (kind, value, found.line))
        else:
            notes.append(
                Problem(
                    path,
                    found.line,
                    f"'{name}' is neither a web address nor a file name ({value!r}): no link is shown for it",
                    "give the full https:// address, or the name of a file in the seeds folder",
                )
            )
    return links, tuple(files.values())


def parse_authors(value: str) -> tuple[list[str], bool]:
    """``Hoffmann, Jordan and M{\\"u}ller, K. and others`` → ``(["Jordan Hoffmann", "K. Müller"], True)``."""
    names, truncated = [], False
    for part in _split_top_level(value):
        name = clean_text(DBLP_HOMONYM_NUMBER.sub("", part)).text
        if name.lower() in ("others", "et al.", "et al"):
            truncated = True
        elif name:
            names.append(_first_last(name))
    return names, truncated


def _split_top_level(value: str) -> list[str]:
    """Split on ``and`` outside braces (``{Barnes and Noble}`` stays one name)."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(value):
        char = value[index]
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif depth == 0 and (match := TOP_LEVEL_AND.match(value, index)):
            parts.append(value[start:index])
            start = index = match.end()
            continue
        index += 1
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def _first_last(name: str) -> str:
    pieces = [piece.strip() for piece in name.split(",")]
    if len(pieces) == 2 and pieces[1]:
        return f"{pieces[1]} {pieces[0]}"
    if len(pieces) == 3:  # von Last, Jr, First
        return f"{pieces[2]} {pieces[0]}, {pieces[1]}"
    return name


def _checked_date(raw: BibEntry, path: str, notes: list[Problem]) -> str | None:
    """The entry's date, cut to what is on the calendar (a warning says what was left out)."""
    given = bib_date(raw)
    if given is None or (date := calendar_date(given)) == given:
        return given
    field = raw.fields.get("date") or raw.fields.get("day") or raw.fields.get("month")
    notes.append(
        Problem(
            path,
            field.line if field else raw.line,
            f"{given} is not a date on the calendar: {date} is used",
            "correct the month or day in the entry",
        )
    )
    return date


def bib_date(raw: BibEntry) -> str | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from year, month and day (or a ``date`` field)."""
    if found := BIBLATEX_DATE.match(raw.value("date").strip()):  # 2020-03-15, or a range from it
        return found.group(1)
    year = re.search(r"\d{4}", raw.value("year"))
    if year is None:
        return None
    month = _month(raw.value("month"))
    if month is None:
        return year.group(0)
    day = raw.value("day").strip()
    return f"{year.group(0)}-{month:02d}" + (f"-{int(day):02d}" if day.isdigit() and 1 <= int(day) <= 31 else "")


def _month(value: str) -> int | None:
    return month_number(value)


def _arxiv(raw: BibEntry, doi: str) -> str:
    prefix = (raw.value("archiveprefix") or raw.value("eprinttype")).lower()
    eprint = raw.value("eprint")
    if eprint and (prefix in ("", "arxiv")) and (found := normalize_arxiv(eprint)):
        return found
    for candidate in (
        normalize_arxiv(raw.value("arxiv")) if raw.value("arxiv") else None,
        arxiv_from_doi(doi) if doi else None,
        arxiv_in_text(raw.value("journal")),
        arxiv_in_text(raw.value("url")),
        arxiv_in_text(raw.value("volume")),
    ):
        if candidate:
            return candidate
    return ""


def _venue(raw: BibEntry) -> str:
    named = ("booktitle", "journal", "journaltitle", *VENUE_FIELDS.get(raw.type, ()))  # journaltitle: biblatex's
    given = next((value for name in named if (value := raw.value(name))), "")
    if not given and raw.type == "misc" and not WEB_ADDRESS.match(raw.value("howpublished").strip()):
        given = raw.value("howpublished")
    venue = clean_text(TIE.sub(" ", given)).text
    return "" if ARXIV_VENUES.match(venue) else venue


def _url(value: str) -> str:
    value = value.strip()
    return value if re.match(r"^https?://\S+$", value) else ""
