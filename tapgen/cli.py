"""``python -m tapgen``: render the template (or check a file against it), or draw the stack.

The CLI only parses, writes and compares; ``tapgen.stack`` and ``tapgen.diagram`` do the
work. Exit codes: 0 success, 1 ``--check`` found a difference, 2 bad arguments or config.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tapgen.config import StackConfig
from tapgen.diagram import DIAGRAM_FORMATS, diagram
from tapgen.stack import FORMATS, render


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    # argparse builds a formatter even when no help is printed, and its default width
    # lookup imports shutil (and with it bz2, lzma, fnmatch): a tenth of a cold render.
    return argparse.HelpFormatter(prog, width=int(os.environ.get("COLUMNS", "100")) - 2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tapgen", description=__doc__.splitlines()[0], formatter_class=_help_formatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser(
        "render", help="print the template (or compare it with --check)", formatter_class=_help_formatter
    )
    render_cmd.add_argument("--format", choices=FORMATS, default="yaml", help="output format (default: yaml)")
    render_cmd.add_argument(
        "--check", metavar="FILE", help="exit 1 with a unified diff when FILE differs from the render"
    )
    diagram_cmd = commands.add_parser(
        "diagram",
        help="print a picture of the stack (Mermaid or Graphviz DOT)",
        formatter_class=_help_formatter,
    )
    diagram_cmd.add_argument(
        "--format", choices=DIAGRAM_FORMATS, default="mermaid", help="output format (default: mermaid)"
    )
    for command in (render_cmd, diagram_cmd):
        command.add_argument("--config", metavar="FILE.toml", help="StackConfig fields to override, as TOML")
    return parser


def _check(path: str, text: str) -> int:
    try:
        current = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        print(f"tapgen: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    if current == text:
        return 0
    import difflib

    diff = difflib.unified_diff(
        current.splitlines(keepends=True), text.splitlines(keepends=True), path, "render"
    )
    sys.stdout.writelines(diff)
    print(f"tapgen: {path} differs from the render; run: python -m tapgen render > {path}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        config = StackConfig.from_toml(args.config) if args.config else StackConfig()
    except (OSError, ValueError, TypeError) as error:
        print(f"tapgen: {error}", file=sys.stderr)
        return 2
    if args.command == "diagram":
        sys.stdout.write(diagram(config, args.format))
        return 0
    text = render(config, args.format)
    if args.check is not None:
        return _check(args.check, text)
    sys.stdout.write(text)
    return 0
