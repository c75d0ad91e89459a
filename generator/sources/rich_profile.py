"""Parser for rich profile pages: a person's name, metrics, then paper cards.

Layout, as copied from a profile site (blank lines are optional)::

    Arthur Mensch            name line
    CL                       primary category
    h-index10                metrics glued to their labels, either order
    18,536citations
    12 Papers                how many cards follow
    70.8CVApr 29, 2022Code   card head: score, category, date, optional Code
    Flamingo: a Visual …     title
    A, B, C et al. · mit     authors, optional affiliation after the dot
    Building models that …   abstract, possibly hard-wrapped

Every line must fit this layout; anything else is an error at its line.
"""

from __future__ import annotations

import re
from datetime import date

from generator.errors import Problem, fail_if_any
from generator.model import Entry, Location, Metric, SourceDoc
from generator.text.dates import month_number
from generator.text.normalize import clean_text, needs_cleaning, slugify, strip_ellipsis

FORMAT = "rich-profile"
CATEGORY = r"(?:[A-Z]{2}|[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?)"
CARD_HEAD = re.compile(
    r"^\s*(?P<score>\d+(?:\.\d+)?)?\s*(?P<category>" + CATEGORY + r")\s*"
    r"(?:(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})"
    r"|(?P<day_first>\d{1,2})\s+(?P<month_first>[A-Z][a-z]{2,8})\.?,?\s+(?P<year_first>\d{4})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2}))\s*(?P<code>Code)?\s*$"
)
# Something glued like a card head (a number, letters, a month or year) that the strict pattern rejects.
LOOSE_HEAD = re.compile(
    r"^\s*(?:\d+(?:\.\d+)?[A-Za-z][\w.\-]*?(?:[A-Z][a-z]{2,8}\.?\s*\d|\d{4})"
    r"|\S+?[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s*\d{4}\s*(?:Code)?\s*$)"
)
CATEGORY_LINE = re.compile(r"^\s*(" + CATEGORY + r")\s*$")
PAPER_COUNT = re.compile(r"^\s*(?:(\d[\d,]*)\s+Papers?|Papers?\s*\(\s*(\d[\d,]*)\s*\))\s*$")
NUMBER = r"\d[\d,]*(?:\.\d+)?\s*[kKmM]?"
LABEL = r"[A-Za-z][A-Za-z .\-]*?"
METRIC_LABEL_FIRST = re.compile(rf"^\s*(?P<label>{LABEL})\s*:?\s*(?P<value>{NUMBER})\s*(?P<percent>%)?\s*$")
METRIC_VALUE_FIRST = re.compile(rf"^\s*(?P<value>{NUMBER})\s*(?P<percent>%)?\s*(?P<label>{LABEL})\s*$")
METRIC_LABELS = {
    "h_index": "h-index",
    "papers": "Papers listed",
    "citations": "Citations",
    "novelty": "Novelty",
    "ai_score": "AI score",
}
AFFILIATION_SEPARATOR = re.compile(r"\s+[·•]\s+|\s*[·•]\s*$")
MAX_NAME_LENGTH = 120
METRIC_SEPARATOR = re.compile(r"\s*[·|•;]\s*|\s{2,}|\t")
MAX_AFFILIATION_LINES = 2
ET_AL = re.compile(r",?\s*et\s+al\.?\s*$", re.IGNORECASE)
AUTHOR_SEPARATOR = re.compile(r",\s*|\s+and\s+")


def is_card_head(line: str) -> bool:
    """True for a card head line such as ``54.8CLOct 10, 2023Code``."""
    match = CARD_HEAD.match(line)
    if match is None:
        return False
    month = match.group("month") or match.group("month_first")
    return month is None or month_number(month) is not None


def parse(lines: list[str], path: str) -> SourceDoc:
    """Parse a rich profile page into a :class:`SourceDoc`."""
    doc = SourceDoc(path=path, format=FORMAT)
    problems: list[Problem] = []
    numbered = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    first_card = next((i for i, (_, line) in enumerate(numbered) if is_card_head(line)), len(numbered))
    stated_count = _parse_header(numbered[:first_card], doc, problems)
    for card in _split_cards(numbered[first_card:], path, problems):
        entry = _parse_card(card, path, problems)
        if entry is not None:
            doc.entries.append(entry)
    fail_if_any(problems)
    _check_count(stated_count, doc)
    return doc


def _parse_header(header: list[tuple[int, str]], doc: SourceDoc, problems: list[Problem]) -> tuple[int, int] | None:
    """Fill name, category and metrics; return ``(line, N)`` of an ``N Papers`` line."""
    stated_count = None
    for index, (number, line) in enumerate(header):
        location = Location(doc.path, number)
        if looks_like_broken_head(line):
            problems.append(unreadable_head(doc.path, number, line))
        elif (count := PAPER_COUNT.match(line)) is not None:
            stated_count = (number, int((count.group(1) or count.group(2)).replace(",", "")))
        elif not doc.primary_category and (category := CATEGORY_LINE.match(line)) is not None:
            doc.primary_category = category.group(1)
        elif metrics := _parse_metrics(line, location):
            doc.metrics += metrics
        elif index == 0 and len(line) <= MAX_NAME_LENGTH:
            doc.person_name = clean_text(line).text
        elif _is_affiliation_line(index, line, doc):
            doc.affiliations += [part.strip() for part in re.split(r"[,·•;]", clean_text(line).text) if part.strip()]
        else:
            problems.append(
                Problem(
                    doc.path,
                    number,
                    f"unexpected line in the profile header: {line[:60]!r}",
                    (
                        "a profile header holds the name, the primary category, metrics like "
                        "'h-index10' and an 'N Papers' line"
                    ),
                )
            )
    return stated_count


def _is_affiliation_line(index: int, line: str, doc: SourceDoc) -> bool:
    """One or two short lines right after the name (before category and metrics) name affiliations."""
    return (
        bool(doc.person_name)
        and index <= MAX_AFFILIATION_LINES
        and not doc.primary_category
        and not doc.metrics
        and len(line) <= MAX_NAME_LENGTH
        and not line.endswith(".")
    )


def looks_like_broken_head(line: str) -> bool:
    """Glued like a card head (number, letters, date) but not readable as one."""
    return LOOSE_HEAD.match(line) is not None and len(line) < 60 and not is_card_head(line)


def unreadable_head(path: str, number: int, line: str) -> Problem:
    return Problem(
        path,
        number,
        f"unreadable card head {line!r}",
        "a card head glues score, category and date, e.g. '70.8CVApr 29, 2022' or '54CL2023-10-10Code'",
    )


def _parse_metrics(line: str, location: Location) -> list[Metric]:
    """One metric (``h-index10``) or several on one line (``h-index10 · 12papers | Novelty62%``)."""
    metric = _parse_metric(line, location)
    if metric is not None:
        return [metric]
    parts = [part for part in METRIC_SEPARATOR.split(line) if part.strip()]
    found = [_parse_metric(part, location) for part in parts] if len(parts) > 1 else []
    return found if found and all(found) else []  # type: ignore[return-value]


def _parse_metric(line: str, location: Location) -> Metric | None:
    match = METRIC_LABEL_FIRST.match(line) or METRIC_VALUE_FIRST.match(line)
    if match is None:
        return None
    label = match.group("label").strip()
    key = slugify(label).replace("-", "_")
    if key.endswith("s") and key[:-1] in METRIC_LABELS:
        key = key[:-1]
    return Metric(
        key=key, label=METRIC_LABELS.get(key, label), value=_number(match.group("value")), text=line, location=location
    )


def _number(text: str) -> float:
    """``18,536`` → 18536; ``1.2k`` → 1200."""
    text = text.replace(",", "").replace(" ", "")
    factor = {"k": 1e3, "m": 1e6}.get(text[-1].lower(), 1)
    value = float(text.rstrip("kKmM")) * factor
    return int(value) if value.is_integer() else value


def _split_cards(lines: list[tuple[int, str]], path: str, problems: list[Problem]) -> list[list[tuple[int, str]]]:
    """Group lines into cards; a line glued like a card head but unreadable is an error, not abstract text."""
    cards: list[list[tuple[int, str]]] = []
    for number, line in lines:
        if is_card_head(line):
            cards.append([])
        elif looks_like_broken_head(line):
            problems.append(unreadable_head(path, number, line))
            continue
        cards[-1].append((number, line))
    return cards


def _parse_card(card: list[tuple[int, str]], path: str, problems: list[Problem]) -> Entry | None:
    (number, head), body = card[0], [line for _, line in card[1:]]
    match = CARD_HEAD.match(head)
    assert match is not None
    entry = Entry(
        location=Location(path, number),
        category=match.group("category"),
        code=match.group("code") is not None,
        date=_card_date(match, path, number, problems),
    )
    if match.group("score"):
        entry.score = _number(match.group("score"))
    if not body:
        problems.append(
            Problem(
                path,
                number,
                "paper card without a title",
                "a card head line is followed by the title, the authors and the abstract",
            )
        )
        return None
    if body[0] == "Code":
        entry.code, body = True, body[1:]
    if not body:
        problems.append(
            Problem(path, number, "paper card without a title", "a card head line is followed by the title")
        )
        return None
    entry.title = clean_text(body[0]).text
    if len(body) > 1 and looks_like_authors(body[1]):
        _fill_authors(entry, body[1])
        body = body[1:]
    if len(body) < 2:
        problems.append(
            Problem(
                path,
                number,
                f"paper card '{entry.title[:60]}' has no abstract",
                "after the title (and the authors line) comes the abstract",
            )
        )
        return None
    cleaned = clean_text(" ".join(body[1:]))
    entry.abstract, entry.truncated = strip_ellipsis(cleaned.text)
    entry.latex_residue = cleaned.latex_residue
    return entry


def _card_date(match: re.Match[str], path: str, number: int, problems: list[Problem]) -> str | None:
    try:
        if match.group("iso_year"):
            return date(*(int(match.group(f"iso_{part}")) for part in ("year", "month", "day"))).isoformat()
        month_text = match.group("month") or match.group("month_first")
        month = month_number(month_text)
        if month is None:
            raise KeyError(month_text)
        year, day = match.group("year") or match.group("year_first"), match.group("day") or match.group("day_first")
        return date(int(year), month, int(day)).isoformat()
    except (KeyError, ValueError):
        problems.append(
            Problem(
                path, number, f"invalid date in card head {match.group(0).strip()!r}", "dates look like 'Apr 29, 2022'"
            )
        )
        return None


def looks_like_authors(line: str) -> bool:
    """True for ``A, B, C et al. · affiliation`` and plain name lists."""
    if AFFILIATION_SEPARATOR.search(line) or ET_AL.search(line):
        return True
    names = [name.strip() for name in line.split(",")]
    return len(line) < 1000 and not line.endswith(".") and all(_looks_like_name(name) for name in names)


def _looks_like_name(name: str) -> bool:
    words = name.replace(" and ", " ").split()
    return 1 <= len(words) <= 6 and words[0][:1].isupper() and words[-1][:1].isupper()


def _fill_authors(entry: Entry, line: str) -> None:
    parts = AFFILIATION_SEPARATOR.split(line, maxsplit=1)
    names, affiliation = parts[0], (parts[1] if len(parts) > 1 else "")
    entry.authors_truncated = ET_AL.search(names) is not None
    names = ET_AL.sub("", names)
    split = AUTHOR_SEPARATOR.split(names)
    if needs_cleaning(names):
        entry.authors = [clean_text(name).text for name in split if name.strip()]
    else:  # a clean line's names are clean but for spaces at their ends (checking each costs a third of a card)
        entry.authors = [stripped for name in split if (stripped := name.strip())]
    entry.affiliation = clean_text(affiliation).text


def _check_count(stated_count: tuple[int, int] | None, doc: SourceDoc) -> None:
    """A page that says '12 Papers' but holds fewer cards was cut while copying: keep a note."""
    if stated_count is not None and stated_count[1] != len(doc.entries):
        line, count = stated_count
        doc.notes.append(
            Problem(
                doc.path,
                line,
                f"the page says {count} papers but holds {len(doc.entries)} cards",
                "the copy may have been cut short; copy the whole page",
            )
        )
