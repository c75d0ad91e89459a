"""Formatting markup in a text, read as text: the JATS XML Crossref gives abstracts in
(``<jats:p>``, ``<jats:italic>``, ``<jats:sub>``…, as Zotero stores them after a DOI lookup), its
MathML, and the inline HTML publishers' pages put in titles and abstracts (``<i>E. coli</i>``,
``H<sub>2</sub>O``, ``<p>…</p>``).  It runs before entities are decoded: ``&lt;b&gt;`` is the
text ``<b>``, not markup.

Only formatting is read: a namespaced JATS or MathML tag, or an HTML tag of :data:`HTML_FORMATTING`
with nothing but quoted attributes.  Anything else that looks like a tag (``<script>``,
``<img …>``, ``a<b and c>d``) stays text, to be escaped on the page like any other.  Paragraphs and
sections become spaces, a section title is followed by a colon (a leading "Abstract" title is
dropped), sub- and superscripts become ``\textsubscript{…}`` and ``\textsuperscript{…}``, which
the LaTeX step writes in Unicode where it can (H₂O, x²): after Unicode normalisation, which would
undo them.
"""

from __future__ import annotations

import re

HTML_FORMATTING = "p|i|b|em|strong|u|sub|sup|span|div|br|small|tt|code|sc|h[1-6]"
QUOTED_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*"""
TAG = re.compile(  # a JATS or MathML tag with any attributes, or a formatting HTML tag with quoted ones
    rf"<(/?)((?:jats|mml):[A-Za-z][-\w.]*)(?:\s[^<>]*)?/?>|<(/?)((?:{HTML_FORMATTING})){QUOTED_ATTRIBUTES}\s*/?>",
    re.IGNORECASE,
)
BLOCK = re.compile(r"^(?:jats:)?(?:p|sec|div|br|list|list-item|abstract|caption|h[1-6])$|^jats:title$", re.IGNORECASE)
SCRIPTS = {"sub": ("\\textsubscript{", "}"), "sup": ("\\textsuperscript{", "}")}
TITLE_END = re.compile(r"^(?:jats:)?(?:title|h[1-6])$", re.IGNORECASE)
LEADING_ABSTRACT = re.compile(r"^\s*abstract\s*:\s*", re.IGNORECASE)


def formatting_to_text(text: str) -> str:
    """``text`` with its formatting markup read as text (the same text when it has none)."""
    if "<" not in text or not TAG.search(text):
        return text
    pieces: list[str] = []
    position = 0
    for tag in TAG.finditer(text):
        pieces.append(text[position : tag.start()])
        position = tag.end()
        closing, name = (tag.group(1) or tag.group(3)) == "/", (tag.group(2) or tag.group(4)).lower()
        kind = name.removeprefix("jats:")
        if kind in SCRIPTS:
            pieces.append(SCRIPTS[kind][closing])
        elif closing and TITLE_END.match(name):
            pieces.append(": ")
        elif BLOCK.match(name):
            pieces.append(" ")
    pieces.append(text[position:])
    return LEADING_ABSTRACT.sub("", " ".join("".join(pieces).split()))
