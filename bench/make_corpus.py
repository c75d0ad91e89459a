"""Generate a deterministic synthetic corpus in our source formats, with its ground truth.

Usage: python bench/make_corpus.py OUT_DIR --profiles 100 --papers 50 [--seed 7]

Each profile gets a rich profile page (paper cards with title, authors, score, date) and
an abstract list holding edited copies of about 30% of its papers (reworded words, LaTeX
instead of plain typography, truncation with "…", a sentence dropped), about 20% of a
profile's papers are shared with another profile, and some papers are written from one
template ("We introduce Model-7B…" / "Model-13B…") but are distinct. ``truth.json`` maps
every entry (``file:line``) to the paper it really is.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "pa",
    "da",
    "fe",
    "gi",
    "hu",
    "ja",
    "ko",
    "li",
    "mo",
    "nu",
    "pe",
    "ri",
    "so",
    "tu",
    "va",
    "bel",
    "dor",
    "fin",
    "gar",
    "hel",
    "mar",
    "nor",
    "ter",
]
CONNECTORS = ["the", "of", "and", "we", "a", "to", "in", "for", "with", "that", "on", "by", "is", "our", "this"]
CATEGORIES = ["CL", "CV", "LG", "AI", "SD", "stat.ML", "math.OC", "RO", "IR", "CR"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Paper:
    id: str
    title: str
    sentences: list[str]
    category: str
    date: tuple[int, int, int]
    authors: list[str]
    score: float
    copies: list[str] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words = sorted(
            {"".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))) for _ in range(6000)}
        )
        self.rng.shuffle(words)
        self.words = words
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(words))))
        self.names = [f"{self.word().capitalize()} {self.word().capitalize()}" for _ in range(4000)]
        self.titles: set[str] = set()

    def unique_title(self, make) -> str:
        """Distinct papers get distinct titles, as they nearly always do in real sources."""
        title = make()
        while title.casefold() in self.titles:
            title = make()
        self.titles.add(title.casefold())
        return title

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cumulative)[0]

    def sentence(self, length: int) -> str:
        words = [self.rng.choice(CONNECTORS) if self.rng.random() < 0.3 else self.word() for _ in range(length)]
        return " ".join(words).capitalize() + "."

    def paper(self, index: int, person: str) -> Paper:
        authors = self.rng.sample(self.names, self.rng.randint(2, 10))
        authors.insert(self.rng.randint(0, len(authors)), person)
        return Paper(
            id=f"p{index}",
            title=self.unique_title(lambda: " ".join(self.word().capitalize() for _ in range(self.rng.randint(4, 9)))),
            sentences=[f"We present {self.word().capitalize()}, a method for {self.word()} {self.word()}."]
            + [self.sentence(self.rng.randint(10, 24)) for _ in range(self.rng.randint(5, 9))],
            category=self.rng.choice(CATEGORIES),
            date=(self.rng.randint(2012, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)),
            authors=authors,
            score=round(self.rng.uniform(1, 95), 1),
        )

    def family(self, index: int, person: str, size: int) -> list[Paper]:
        """Distinct papers written from one template, differing only in the model size."""
        base = self.paper(index, person)
        name = self.unique_title(lambda: self.word().capitalize() + self.word())
        papers = []
        for offset, billions in enumerate(self.rng.sample([1, 3, 7, 8, 13, 34, 70], size)):
            paper = self.paper(index + offset, person)
            paper.sentences = [f"We introduce {name}-{billions}B, a {billions}-billion-parameter language model."]
            paper.sentences += [sentence.replace("Method", f"{name}-{billions}B") for sentence in base.sentences[1:]]
            paper.title = f"{name} {billions}B"
            papers.append(paper)
        return papers

    def edited(self, paper: Paper) -> str:
        """A scraped copy: reworded, re-typeset, shortened or truncated."""
        sentences = list(paper.sentences)
        kind = self.rng.random()
        if kind < 0.3 and len(sentences) > 4:
            del sentences[self.rng.randint(2, len(sentences) - 1)]
        text = " ".join(sentences)
        words = text.split()
        for _ in range(self.rng.randint(0, 4)):
            position = self.rng.randrange(3, len(words))
            words[position] = self.word()
        text = " ".join(words)
        if self.rng.random() < 0.4:
            text = text.replace(" and ", r" \& ", 2).replace(", a ", r", a $2\times$ ", 1)
        if self.rng.random() < 0.35:
            cut = int(len(text) * self.rng.uniform(0.35, 0.8))
            text = text[:cut].rsplit(" ", 1)[0] + "…"
        return text


def card(paper: Paper) -> str:
    year, month, day = paper.date
    shown = paper.authors[:3]
    return (
        f"{paper.score}{paper.category}{MONTHS[month - 1]} {day}, {year}\n{paper.title}\n\n"
        f"{', '.join(shown)}{' et al.' if len(paper.authors) > 3 else ''}\n\n{' '.join(paper.sentences)}\n"
    )


def make_corpus(out: Path, profiles: int, papers_per_profile: int, seed: int = 7) -> dict[str, str]:
    """Write the corpus and site.yaml into ``out``; return the ground truth (entry → paper id)."""
    out.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    people = [f"{generator.word().capitalize()} {generator.word().capitalize()}-{index}" for index in range(profiles)]
    owned: list[list[Paper]] = []
    counter = 0
    for person in people:
        papers: list[Paper] = []
        while len(papers) < papers_per_profile:
            if generator.rng.random() < 0.04 and papers_per_profile - len(papers) >= 3:
                family = generator.family(counter, person, 3)
                papers += family
                counter += len(family)
            else:
                papers.append(generator.paper(counter, person))
                counter += 1
        owned.append(papers)
    for index, papers in enumerate(owned):  # ~20% shared with another profile
        if profiles > 1:
            for position in range(0, len(papers), 5):
                other = owned[(index + 1 + generator.rng.randrange(profiles - 1)) % profiles]
                papers[position] = generator.rng.choice(other[1:])
    truth: dict[str, str] = {}
    site = ["title: Benchmark corpus", "profiles:"]
    for index, (person, papers) in enumerate(zip(people, owned, strict=True)):
        unique = list({paper.id: paper for paper in papers}.values())
        page_name, list_name = f"p{index:05}_page.txt", f"p{index:05}_list.txt"
        lines = [person, "", "CL", f"h-index{generator.rng.randint(1, 80)}", "", f"{len(unique)} Papers", ""]
        for paper in unique:
            truth[f"{page_name}:{len(lines) + 1}"] = paper.id
            lines += card(paper).split("\n")
        (out / page_name).write_text("\n".join(lines), encoding="utf-8")
        copies = [paper for paper in unique if generator.rng.random() < 0.3]
        listing = []
        for line_number, paper in enumerate(copies, 1):
            truth[f"{list_name}:{line_number}"] = paper.id
            listing.append("Abstract: " + generator.edited(paper))
        if listing:
            (out / list_name).write_text("\n".join(listing) + "\n", encoding="utf-8")
        site += [f"  - name: {person}", f"    slug: person-{index:05}", f"    sources: [p{index:05}_*.txt]"]
    (out / "site.yaml").write_text("\n".join(site) + "\n", encoding="utf-8")
    (out.parent / f"{out.name}.truth.json").write_text(json.dumps(truth, sort_keys=True), encoding="utf-8")
    return truth


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("out", type=Path)
    options.add_argument("--profiles", type=int, default=100)
    options.add_argument("--papers", type=int, default=50)
    options.add_argument("--seed", type=int, default=7)
    arguments = options.parse_args()
    truth = make_corpus(arguments.out, arguments.profiles, arguments.papers, arguments.seed)
    print(f"{len(truth)} entries of {len(set(truth.values()))} papers in {arguments.out}")


if __name__ == "__main__":
    main()
