"""The `latido` command: opens the app, or runs one of the scriptable commands.

Exit codes are a contract: 0 ok, 1 findings or a failed verification,
2 bad usage or bad input (with a one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from desktop.commands import command_modules
from desktop.commands.base import CliError, Context

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code is 2 too; keep it one line
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="latido", description="Latido: replies drafted from what the team knows, approved by a person."
    )
    parser.add_argument(
        "--database-url", help="database URL (default: LATIDO_DATABASE_URL, then the SQLite file in LATIDO_HOME)"
    )
    parser.add_argument("--lang", choices=["en", "es"], help="language of the interface and messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in command_modules():
        module.register(sub)
    return parser


def _window_options(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The global options when no command is given (open the window), else None.

    Parsed with a small parser first so that opening the window does not import
    every command module (and what they import) just to build the full parser.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--database-url")
    quick.add_argument("--lang")
    known, rest = quick.parse_known_args(words)
    if rest or known.lang not in (None, "en", "es"):
        return None  # a command, --help, or a bad value: the full parser handles (and explains) it
    return known


def main(argv: Sequence[str] | None = None) -> int:
    try:
        window = _window_options(argv)
        if window is not None:
            from desktop.app import run_app  # Qt is imported only when the window is wanted

            return run_app(database_url=window.database_url, lang=window.lang)
        args = build_parser().parse_args(argv)
        if args.command is None:
            from desktop.app import run_app  # Qt is imported only when the window is wanted

            return run_app(database_url=args.database_url, lang=args.lang)
        with Context(database_url=args.database_url, lang=args.lang) as ctx:
            return int(args.run(args, ctx))
    except CliError as exc:
        # The reason is one line, whatever the library that raised it put in its message.
        reason = " ".join(part.strip() for part in str(exc).splitlines() if part.strip())
        print(reason if reason.startswith("latido") else f"latido: {reason}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("latido: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
