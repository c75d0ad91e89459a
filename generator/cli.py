"""Command line: ``python -m generator build|serve``.

Exit status: 0 on success, 1 when sources or config are bad (every problem
printed to stderr as ``path:line: message``), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.config.site import normalize_base_url, normalize_site_url
from generator.errors import BuildError
from generator.incremental.cache_folder import default_cache_dir
from generator.incremental.stages import IncrementalStages
from generator.pipeline import BuildOptions, BuildSummary, build, default_config_path

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_STATUS_HELP = (
    "exit status: 0 success; 1 bad sources or config, or a folder that cannot be written (every "
    "problem printed to stderr as 'path:line: message'); 2 usage error; 3 internal error (a bug); "
    "130 interrupted"
)
DEBUG_VARIABLE = "RESEARCH_PROFILES_DEBUG"


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a static research-profile site from scraped profile text.",
    )
    main_parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser(
        "build",
        help="build the site once",
        description="Read the sources, deduplicate papers and write the site. The previous output "
        "is replaced only when the whole build succeeds, and only if it holds nothing but files "
        "an earlier build wrote.",
        epilog=EXIT_STATUS_HELP,
    )
    add_build_options(build_parser)
    build_parser.add_argument(
        "--keep-going",
        action="store_true",
        help="skip source files with problems (reported as warnings) instead of failing",
    )
    build_parser.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once if another build is writing the output folder (default: wait for it)",
    )
    serve_parser = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on every change (live reload)",
        description="Build the site, serve it locally and watch the seeds, the config, the templates and "
        "the static files: on a change the site is rebuilt and open pages reload by themselves. A broken "
        "source shows an error page and keeps the last good site; fixing it recovers.",
    )
    add_build_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_parser.add_argument("--open", action="store_true", help="open the site in a web browser")
    return main_parser


def add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="folder of source files (default: seeds)"
    )
    command.add_argument(
        "--out",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="output folder, replaced atomically (default: output)",
    )
    command.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="site configuration (default: DIR/site.yaml when it exists; without one every source file becomes its own profile)",
    )
    command.add_argument(
        "--base-url",
        type=_url_option(normalize_base_url, "a path starting with '/'"),
        default=None,
        metavar="PATH",
        help="path prefix the site is served under, e.g. /profiles/ (overrides site.yaml)",
    )
    command.add_argument(
        "--site-url",
        type=_url_option(normalize_site_url, "an absolute http(s) URL"),
        default=None,
        metavar="URL",
        help="absolute address of the published site, for canonical links, sitemap.xml and robots.txt (overrides site.yaml)",
    )


def _url_option(normalize, expected: str):
    def parse(value: str) -> str:
        normalized = normalize(value)
        if normalized is None:
            raise argparse.ArgumentTypeError(f"{value!r} is not {expected}")
        return normalized

    return parse


def build_options(arguments: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        seeds_dir=arguments.seeds,
        out_dir=arguments.out,
        config_path=arguments.config or default_config_path(arguments.seeds),
        base_url=arguments.base_url,
        site_url=arguments.site_url,
        keep_going=getattr(arguments, "keep_going", False),
        wait=not getattr(arguments, "no_wait", False),
    )


def run() -> NoReturn:
    """The program (``python -m generator``, ``research-profiles``): :func:`main`, after which a
    build's process ends at once, its output flushed: the build's objects (millions at a thousand
    profiles) go back to the operating system with the process instead of being freed one by one,
    a quarter of a second for nothing.  (Every file the build wrote is closed by then.)"""
    kept: list[object] = []
    status = main(kept=kept)
    if not kept:
        sys.exit(status)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None, kept: list[object] | None = None) -> int:
    """Run the command line; return the exit status.  ``kept`` receives what a build made, for a
    caller that ends the process without freeing it (see :func:`run`)."""
    arguments = parser().parse_args(argv)
    if arguments.config is not None and not arguments.config.is_file():
        print(f"error: --config {arguments.config}: no such file", file=sys.stderr)
        return EXIT_USAGE
    if arguments.command == "serve":
        return run_serve(arguments)
    return run_build(build_options(arguments), kept)


def run_build(options: BuildOptions, kept: list[object] | None = None) -> int:
    started = time.perf_counter()
    stages = IncrementalStages(default_cache_dir())  # the disk cache, unless RESEARCH_PROFILES_NO_CACHE is set
    if kept is not None:
        kept.append(stages)
    try:
        summary = build(options, stages)
    except BuildError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        print(f"build failed: {len(error.problems)} problem(s); {options.out_dir}/ left as it was", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"interrupted; {options.out_dir}/ left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # a bug: one clear line instead of a traceback, unless asked for
        if os.environ.get(DEBUG_VARIABLE):
            raise
        print(internal_error(error, options.out_dir), file=sys.stderr)
        return EXIT_INTERNAL
    if kept is not None:
        kept.append(summary)
    print_summary(summary, options.out_dir, time.perf_counter() - started)
    return EXIT_OK


def run_serve(arguments: argparse.Namespace) -> int:
    from generator.serve import serve  # livereload and tornado load only for this command

    try:
        serve(build_options(arguments), arguments.host, arguments.port, arguments.open)
    except OSError as error:
        print(f"error: cannot listen on {arguments.host}:{arguments.port}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def internal_error(error: BaseException, out_dir: Path) -> str:
    """What a build that failed on a bug of the generator's says."""
    return (
        f"internal error: {type(error).__name__}: {error}\n"
        f"    hint: this is a bug in the generator, not in your sources ({out_dir}/ is left as it was); "
        f"please report it with the command you ran (set {DEBUG_VARIABLE}=1 to see the traceback)"
    )


def print_summary(summary: BuildSummary, out_dir: Path, seconds: float) -> None:
    for warning in summary.warnings:
        print(warning.format("warning"), file=sys.stderr)
    print(
        f"Read {summary.sources} sources: {summary.entries} entries → {summary.papers} papers "
        f"after deduplication, {summary.profiles} profiles, {len(summary.warnings)} warnings."
    )
    print(f"Wrote {summary.files} files to {out_dir}/ in {seconds:.2f}s.")
