"""Live preview: build, serve the output with livereload, rebuild when a source changes.

``python -m generator serve`` builds once, serves the output folder on
127.0.0.1 and watches the seeds, the config, the templates and the static
files.  On a change it rebuilds (re-parsing only the sources that changed and
re-rendering only the pages whose content changed) and livereload reloads
every open page.  A failed rebuild keeps the last good site on disk; the
browser is shown an error page naming the problems until the files are fixed.
The live-reload script is injected into served responses only, never written.
"""

from __future__ import annotations

import html
import ipaddress
import mimetypes
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from stat import S_ISREG
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.httputil import HTTPServerRequest
from tornado.routing import Matcher, Rule
from tornado.web import RequestHandler

from generator.errors import BuildError, Problem
from generator.files import real_path
from generator.incremental.cache_folder import default_cache_dir
from generator.incremental.stages import IncrementalStages
from generator.output.checks import files_below
from generator.pipeline import BuildOptions, build
from generator.render.environment import asset_dir

MAX_PATH_BYTES = 2048  # a longer request path is refused (414) before it reaches the file system
CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class DevSession:
    """The builds of one ``serve`` run: the cache, the last problems, what the watched files looked like."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.stages = IncrementalStages(default_cache_dir(), dev_server=True)
        self.problems: list[Problem] = []
        self.snapshot: dict[str, tuple[int, int]] = {}

    def watched_paths(self) -> list[Path]:
        """The folders and files whose changes trigger a rebuild."""
        paths = [self.options.seeds_dir, asset_dir("templates"), asset_dir("static")]
        config = self.options.config_path
        if config is not None and real_path(self.options.seeds_dir) not in real_path(config).parents:
            paths.append(config)
        return paths

    def take_snapshot(self) -> dict[str, tuple[int, int]]:
        """``path → (mtime, size)`` of every watched file."""
        snapshot = {}
        for path in self.watched_paths():
            for file in _watched_files(path):
                try:
                    stat = os.stat(file)
                except OSError:  # a broken link, or a file gone meanwhile
                    continue
                if S_ISREG(stat.st_mode):
                    snapshot[file] = (stat.st_mtime_ns, stat.st_size)
        return snapshot

    def changed_files(self) -> list[str]:
        """Watched files added, changed or removed since the last build."""
        current = self.take_snapshot()
        changed = sorted(
            name for name in current.keys() | self.snapshot.keys() if current.get(name) != self.snapshot.get(name)
        )
        self.snapshot = current
        return changed

    def rebuild(self, changed: Iterable[str] = ()) -> tuple[str, str]:
        """Build now; return the problems (if any) and the one line the terminal shows for it."""
        started = time.perf_counter()
        changed = list(changed)
        what = describe_changes(changed, self.options.seeds_dir)
        try:
            summary = build(self.options, self.stages)
        except Exception as error:  # a bug in a rebuild is shown like a problem, never a traceback
            error = error if isinstance(error, BuildError) else BuildError([internal_problem(error)])
            self.problems = error.problems
            details = "\n".join(problem.format() for problem in error.problems)
            return details, f"build failed ({what}): {len(error.problems)} problem(s); serving the last good site"
        self.problems = []
        seconds = time.perf_counter() - started
        verb = "rebuilt" if changed else "built"
        return "", (
            f"{verb} in {seconds:.2f}s ({what}): re-parsed {len(summary.parsed)} of {summary.sources} sources, "
            f"re-rendered {len(summary.rendered)} pages; {summary.papers} papers, {len(summary.warnings)} warnings"
        )

    def close(self) -> None:
        """Remove the copy of the previous output the rebuilds kept (any later build would remove it)."""
        self.stages.close()

    def on_change(self) -> None:
        """Watcher callback: rebuild when something really changed (one line per rebuild)."""
        changed = self.changed_files()
        if changed:
            report(*self.rebuild(changed))


def internal_problem(error: Exception) -> Problem:
    """A rebuild that failed on a bug of the generator's, as a problem for the error page."""
    return Problem(
        "internal error",
        0,
        f"{type(error).__name__}: {error}",
        "this is a bug in the generator, not in your sources; please report it (the last good site is kept)",
    )


def report(problems: str, line: str) -> None:
    """Print a build's problems (to stderr) and its one timestamped line."""
    if problems:
        print(problems, file=sys.stderr, flush=True)
    print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)


def _watched_files(path: Path) -> list[str]:
    """A watched file, or every file below a watched folder (none when it is gone), sorted."""
    if path.is_dir():
        return sorted(files_below(str(path), f"{path}/"))
    return [str(path)] if path.exists() else []


def describe_changes(changed: list[str], seeds_dir: Path | None = None) -> str:
    """``changed: content/publication/x/cite.bib`` (a source by its path in the seeds folder, any
    other file by its folder and name), three at most."""
    if not changed:
        return "first build"
    names = [_shown_path(Path(name), seeds_dir) for name in changed]
    return "changed: " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _shown_path(path: Path, seeds_dir: Path | None) -> str:
    if seeds_dir is not None and path.is_relative_to(seeds_dir):
        return path.relative_to(seeds_dir).as_posix()
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


class SiteApp:
    """WSGI app serving the output folder, or the error page while the last build failed."""

    def __init__(self, session: DevSession) -> None:
        self.session = session

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return respond(start_response, "405 Method Not Allowed", b"GET only\n", "text/plain")
        path = environ.get("PATH_INFO", "/")
        if len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
            return respond(start_response, "414 URI Too Long", b"path too long\n", "text/plain")
        if self.session.problems and _is_page(path):
            return respond(start_response, "500 Build Failed", error_page(self.session.problems), "text/html")
        try:
            return self.file(path, start_response)
        except OSError:  # a name too long for the file system, a file gone meanwhile…
            return self.not_found(start_response)

    def file(self, path: str, start_response: StartResponse) -> list[bytes]:
        """The output file ``path`` names."""
        target = resolve_request(self.session.options.out_dir, path)
        if target is None:
            return respond(start_response, "403 Forbidden", b"outside the site\n", "text/plain")
        if not target.is_file():
            return self.not_found(start_response)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if content_type == "text/html":
            body = CSP_META.sub(b"", body)  # served pages only: livereload injects an inline script
        return respond(start_response, "200 OK", body, content_type)

    def not_found(self, start_response: StartResponse) -> list[bytes]:
        page = self.session.options.out_dir / "404.html"
        try:
            body = CSP_META.sub(b"", page.read_bytes())
        except OSError:
            body = b"<!doctype html><title>Not found</title></head><p>Not found"
        return respond(start_response, "404 Not Found", body, "text/html")


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
ALL_INTERFACES = ("0.0.0.0", "::", "")


def host_check(host: str, port: int) -> Callable[[str], bool]:
    """Which ``Host`` headers a server listening on ``host:port`` answers: its own address (the
    loopback names too when it listens on loopback); on every interface, any address written as
    numbers, or ``localhost``, but never a domain name (a name is what DNS rebinding needs)."""

    def allowed(header: str) -> bool:
        parts = urlsplit(f"//{header}")
        try:
            name, given_port = (parts.hostname or "").lower(), parts.port or 80
        except ValueError:  # a port that is no number
            return False
        if given_port != port:
            return False
        if host in ALL_INTERFACES:
            return name == "localhost" or _is_address(name)
        if host in LOOPBACK_NAMES:
            return name in LOOPBACK_NAMES
        return name == host.lower()

    return allowed


class OwnHostServer(Server):
    """livereload's server, answering only requests addressed to itself (see :func:`host_check`):
    a page of another site whose name an attacker points at 127.0.0.1 ("DNS rebinding") cannot
    read the site through it.  Other requests get 403 before any handler sees them (a malformed
    ``Host`` included, which the WSGI bridge would otherwise fail on)."""

    def __init__(self, host_allowed: Callable[[str], bool], **options: Any) -> None:
        super().__init__(**options)
        self.host_allowed = host_allowed
        # livereload drops a reload that comes within its reload time (3 s) of the last one, so a
        # second save, or a file broken right after a good save, would be rebuilt but never shown;
        # each rebuild here is one change already, so every one reaches the open pages.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    def get_web_handlers(self, script: str) -> list[Any]:
        return [Rule(_HostMatches(self.host_allowed), super().get_web_handlers(script)), (r".*", _ForeignHost)]


class _HostMatches(Matcher):
    def __init__(self, host_allowed: Callable[[str], bool]) -> None:
        self.host_allowed = host_allowed

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return {} if self.host_allowed(request.host) else None


class _ForeignHost(RequestHandler):
    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("this server answers requests for its own address only\n")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_page(path: str) -> bool:
    return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


def resolve_request(root: Path, url_path: str) -> Path | None:
    """The file a URL path names inside ``root`` (``index.html`` for folders); None when it would leave ``root``."""
    parts = url_path.split("/")
    if any(part == ".." or "\\" in part or "\x00" in part for part in parts):
        return None
    base = real_path(root)
    target = real_path(base.joinpath(*[part for part in parts if part not in ("", ".")]))
    if target != base and base not in target.parents:
        return None
    return target / "index.html" if target.is_dir() else target


def respond(start_response: StartResponse, status: str, body: bytes, content_type: str) -> list[bytes]:
    charset = "; charset=utf-8" if content_type.startswith("text/") or content_type.endswith(("json", "xml")) else ""
    start_response(status, [("Content-Type", content_type + charset), ("Cache-Control", "no-store")])
    return [body]


def error_page(problems: list[Problem]) -> bytes:
    """A self-contained page naming every problem (the live-reload script is injected before ``</head>``)."""
    items = "\n".join(f"<li><pre>{html.escape(problem.format())}</pre></li>" for problem in problems)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "pre{white-space:pre-wrap;background:#fff3f3;border-left:4px solid #c0392b;padding:.75rem}"
        "li{list-style:none}</style></head>\n<body><h1>Build failed</h1>"
        "<p>Fix the files below; this page reloads by itself when the build succeeds again. "
        "The last good site is still on disk.</p>\n"
        f"<ul>{items}</ul></body></html>\n"
    ).encode()


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Build, then serve and watch until interrupted."""
    session = DevSession(options)
    session.snapshot = session.take_snapshot()
    report(*session.rebuild())
    server = OwnHostServer(host_check(host, port), app=SiteApp(session))
    for path in session.watched_paths():
        server.watch(str(path), session.on_change)
    print(f"Serving {options.out_dir}/ on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    signal.signal(signal.SIGTERM, _stop)  # stop as on Ctrl+C: tidy up on the way out
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=1 if open_browser else None)
    finally:
        session.close()


def _stop(*_: object) -> None:
    raise KeyboardInterrupt
