"""The Jinja environment: autoescaping, ``StrictUndefined``, every template compiled when the
renderer starts (so a broken template fails the build before any page is written), and template
mistakes turned into located build errors.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup

from generator.errors import BuildError, Problem
from generator.render.escaping import escape_as_text

ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def scores_text(scores: dict[str, float]) -> str:
    """``{"abstract": 97.5, "prefix": 100.0}`` → ``abstract 97.5, prefix 100.0`` (a report row's
    similarities, as one text: the report page has tens of thousands of rows)."""
    return ", ".join(f"{name} {value}" for name, value in scores.items())


def evidence_text(evidence: dict[str, dict[str, Any]]) -> str:
    """``{"title": {"points": 10.0, "found": "same (100)"}, …}`` → ``title +10 same (100); …`` (each
    field's points in a report row)."""
    return "; ".join(f"{name} {item['points']:+g} {item['found']}" for name, item in evidence.items())


FILTERS = {"scores_text": scores_text, "evidence_text": evidence_text}


def sorted_json(data: Any, **_options: Any) -> str:
    """Compact JSON with sorted keys: what the ``tojson`` filter writes (JSON-LD), which then makes
    it safe inside a ``<script>``.  orjson, not the standard library's encoder: a fifth of the
    time, for a few hundred kilobytes of JSON-LD per hundred profile pages."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")


class Renderer:
    """A Jinja environment with every template compiled up front."""

    def __init__(self, templates_dir: Path, bytecode_cache: jinja2.BytecodeCache | None = None) -> None:
        self.templates_dir = templates_dir
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            bytecode_cache=bytecode_cache,  # compiled templates kept between builds (the incremental layer's)
            **ENVIRONMENT_OPTIONS,
        )
        self.environment.filters.update(FILTERS)
        self.environment.policies["json.dumps_function"] = sorted_json
        names = self.environment.list_templates(extensions=["html", "xml"])
        with template_errors(templates_dir):
            self.templates = {name: escape_as_text(self.environment.get_template(name)) for name in names}
        sources = b"".join(name.encode() + (templates_dir / name).read_bytes() for name in names)
        self.fingerprint = hashlib.sha256(sources).hexdigest()

    def __reduce__(self) -> tuple[type, tuple[Path]]:
        """Pickled as its templates folder: an executor on another machine compiles them again."""
        return Renderer, (self.templates_dir,)

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render one template with ``context``; template mistakes become located build errors."""
        with template_errors(self.templates_dir):
            return self.templates[name].render(context)

    def macro_calls(self, name: str, macro: str, items: Iterable[Any]) -> list[Markup]:
        """A macro of a template called on each item in turn (a page's repeated block)."""
        with template_errors(self.templates_dir):
            function = getattr(self.templates[name].module, macro)
            return [function(item) for item in items]


@contextmanager
def template_errors(templates_dir: Path) -> Iterator[None]:
    """Turn Jinja exceptions into a :class:`BuildError` at ``templates/NAME:LINE``."""
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(
            [Problem(f"templates/{error.name}", error.lineno, f"template error: {error.message}")]
        ) from None
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        name, line = _template_frame(error, templates_dir)
        raise BuildError([Problem(name, line, f"template error: {error}")]) from None


def _template_frame(error: BaseException, templates_dir: Path) -> tuple[str, int]:
    """The innermost template line in a rendering traceback."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".html", ".xml") and templates_dir in path.parents:
            return f"templates/{path.relative_to(templates_dir).as_posix()}", frame.lineno or 1
    return "templates", 1


PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the generator package


def asset_dir(name: str) -> Path:
    """``templates`` or ``static``: inside the installed package, else at the project root."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the generator's {name}/ folder is missing (looked beside {PACKAGE_DIR})")
