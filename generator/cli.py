"""Command line: ``python -m generator build [--seeds DIR] [--out DIR] [--config FILE]``.

Exit status: 0 on success, 1 when sources or config are bad (every problem
printed to stderr as ``path:line: message``), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build import BuildSummary, build, default_config_path
from generator.errors import BuildError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


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
        epilog="exit status: 0 success; 1 bad sources or config (every problem printed to stderr as "
        "'path:line: message'); 2 usage error",
    )
    build_parser.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="folder of source files (default: seeds)"
    )
    build_parser.add_argument(
        "--out",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="output folder, replaced atomically (default: output)",
    )
    build_parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="site configuration (default: DIR/site.yaml when it exists; "
        "without one every source file becomes its own profile)",
    )
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = parser().parse_args(argv)
    if arguments.config is not None and not arguments.config.is_file():
        print(f"error: --config {arguments.config}: no such file", file=sys.stderr)
        return EXIT_USAGE
    config = arguments.config or default_config_path(arguments.seeds)
    started = time.perf_counter()
    try:
        summary = build(arguments.seeds, arguments.out, config)
    except BuildError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        print(f"build failed: {len(error.problems)} problem(s); {arguments.out}/ left as it was", file=sys.stderr)
        return EXIT_BAD_INPUT
    print_summary(summary, arguments.out, time.perf_counter() - started)
    return EXIT_OK


def print_summary(summary: BuildSummary, out_dir: Path, seconds: float) -> None:
    for warning in summary.warnings:
        print(warning.format("warning"), file=sys.stderr)
    print(
        f"Read {summary.sources} sources: {summary.entries} entries → {summary.papers} papers "
        f"after deduplication, {summary.profiles} profiles, {len(summary.warnings)} warnings."
    )
    print(f"Wrote {summary.files} files to {out_dir}/ in {seconds:.2f}s.")
