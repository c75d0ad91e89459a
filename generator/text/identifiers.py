"""Paper identifiers and category codes in one canonical form.

arXiv ids lose their ``arXiv:`` prefix, URL and version (``2203.15556``);
DOIs lose their resolver prefix and are lowercased; arXiv's own DOIs
(``10.48550/arXiv.2203.15556``) become arXiv ids.  Categories drop the
``cs.`` prefix, the form profile pages use (``cs.CL`` → ``CL``).
"""

from __future__ import annotations

import re

NEW_ARXIV = r"\d{4}\.\d{4,5}"
OLD_ARXIV = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"^(?:arxiv:\s*)?({NEW_ARXIV}|{OLD_ARXIV})(?:v\d+)?$", re.IGNORECASE)
ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv[:\s]\s*)({NEW_ARXIV}|{OLD_ARXIV})(?:v\d+)?", re.IGNORECASE
)
DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.({NEW_ARXIV}|{OLD_ARXIV})$", re.IGNORECASE)
PREPRINT_DOI = re.compile(  # the DOI prefixes of preprint servers: such a DOI names the preprint
    r"^10\.(?:48550|21203|2139|31219|31223|31224|31234|31235|26434|20944|36227)/"  # arXiv, Research Square, SSRN,
    r"|^10\.1101/\d"  # OSF, EarthArXiv, engrXiv, PsyArXiv, SocArXiv, ChemRxiv, Preprints.org, TechRxiv; bioRxiv
)  # and medRxiv (10.1101/2020.05.01.123456; CSHL's journals' DOIs, 10.1101/gr.…, start with letters)
CATEGORY = re.compile(r"^(?:[A-Z]{2}|[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?)$")


def normalize_arxiv(value: str) -> str | None:
    """Canonical arXiv id, or None when ``value`` is not one."""
    value = value.strip()
    match = ARXIV_ID.match(value) or ARXIV_IN_TEXT.search(value)
    if match is None:
        return None
    identifier = match.group(1)
    return identifier if "/" not in identifier else identifier.lower()


def arxiv_in_text(text: str) -> str | None:
    """An arXiv id mentioned in free text (``arXiv preprint arXiv:2203.15556``, an arxiv.org URL)."""
    match = ARXIV_IN_TEXT.search(text)
    return match.group(1) if match else None


def normalize_doi(value: str) -> str | None:
    """Canonical DOI (lowercase, no resolver), or None when ``value`` is not one."""
    match = DOI.match(value.strip())
    return match.group(1).lower().rstrip(".") if match else None


def arxiv_from_doi(doi: str) -> str | None:
    """``10.48550/arxiv.2203.15556`` → ``2203.15556``."""
    match = ARXIV_DOI.match(doi)
    return match.group(1) if match else None


def is_preprint_doi(doi: str) -> bool:
    """Does ``doi`` (normalised) name a preprint on a preprint server rather than a publication?"""
    return PREPRINT_DOI.match(doi) is not None


def normalize_category(value: str) -> str:
    """``cs.CL`` → ``CL`` (``arXiv:cs.CL`` too); other codes unchanged (``arXiv:quant-ph`` → ``quant-ph``)."""
    value = value.strip().removeprefix("arXiv:").removeprefix("arxiv:").strip()
    return value[3:] if value.startswith("cs.") and len(value) == 5 else value


def is_category(value: str) -> bool:
    return CATEGORY.match(value) is not None


def arxiv_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


NEW_STYLE_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")


def arxiv_month(arxiv: str) -> str:
    """``2204.14198`` → ``2022-04`` (new-style ids only; empty otherwise)."""
    match = NEW_STYLE_ARXIV.match(arxiv) if arxiv else None
    return f"20{match.group(1)}-{match.group(2)}" if match else ""
