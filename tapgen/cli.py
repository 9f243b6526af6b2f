"""``python -m tapgen``: render the template, or check a file against the render.

The CLI only parses, writes and compares; ``tapgen.stack.render`` does the work.
Exit codes: 0 success, 1 ``--check`` found a difference, 2 bad arguments or config.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from tapgen.config import StackConfig
from tapgen.stack import FORMATS, render


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tapgen", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser("render", help="print the template (or compare it with --check)")
    render_cmd.add_argument("--format", choices=FORMATS, default="yaml", help="output format (default: yaml)")
    render_cmd.add_argument("--config", metavar="FILE.toml", help="StackConfig fields to override, as TOML")
    render_cmd.add_argument(
        "--check", metavar="FILE", help="exit 1 with a unified diff when FILE differs from the render"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        config = StackConfig.from_toml(args.config) if args.config else StackConfig()
    except (OSError, ValueError, TypeError) as error:
        print(f"tapgen: {error}", file=sys.stderr)
        return 2
    text = render(config, args.format)
    if args.check is None:
        sys.stdout.write(text)
        return 0
    try:
        current = Path(args.check).read_text(encoding="utf-8")
    except OSError as error:
        print(f"tapgen: cannot read {args.check}: {error.strerror}", file=sys.stderr)
        return 2
    if current == text:
        return 0
    diff = difflib.unified_diff(
        current.splitlines(keepends=True), text.splitlines(keepends=True), args.check, "render"
    )
    sys.stdout.writelines(diff)
    print(
        f"tapgen: {args.check} differs from the render; run: python -m tapgen render > {args.check}",
        file=sys.stderr,
    )
    return 1
