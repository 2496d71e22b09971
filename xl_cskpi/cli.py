"""The ``xl-cskpi`` command line.

Each command is a function ``cmd_<name>(args)`` registered in :data:`COMMANDS` with its parser
set-up; a new command is one more entry. Library errors (:class:`~xl_cskpi.errors.KPIError`, and the
:class:`UsageError` of this module) become one line on stderr and exit status 2; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Callable

from .errors import KPIError

__all__ = ["main", "UsageError"]


class UsageError(Exception):
    """Bad input to a command: printed as one line, exit status 2."""


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# --------------------------------------------------------------------------- functions

def _setup_functions(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", help="only this category (e.g. Surveys)")


def cmd_functions(args: argparse.Namespace) -> int:
    from .registry import catalogue

    rows = [[f.signature_text(), f.help, f.category] for f in catalogue()
            if not args.category or f.category.lower() == args.category.lower()]
    if not rows:
        raise UsageError(f"no category called {args.category!r}; run 'xl-cskpi functions' to see them")
    print(_table(rows, ["function", "what it computes", "category"]))
    return 0


# --------------------------------------------------------------------------- registry of commands

COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str, str]] = {
    "functions": (_setup_functions, cmd_functions,
                  "list every Excel function with its arguments and one-line help",
                  "xl-cskpi functions --category Surveys"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xl-cskpi",
        description="Customer-success KPIs: Excel functions, report workbooks and exports.",
        epilog="Run 'xl-cskpi COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (setup, _run, summary, example) in COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary,
                           epilog=textwrap.dedent(f"example:\n  {example}"),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
        setup(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command][1](args)
    except (KPIError, UsageError, OSError) as e:
        if args.debug:
            raise
        print(f"xl-cskpi {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xl-cskpi: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
