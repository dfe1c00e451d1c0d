"""`latido secret set NAME`: the value comes from stdin and goes to the OS keyring only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.commands.base import CliError, Context
from drafting.secrets import SECRET_NAMES, SecretError, SecretStore


def register(sub: Any) -> None:
    parser = sub.add_parser("secret", help="store a secret in the OS keyring")
    actions = parser.add_subparsers(dest="secret_action", metavar="ACTION", required=True)
    put = actions.add_parser("set", help="read the value from stdin and store it in the keyring")
    put.add_argument("name", choices=SECRET_NAMES)
    put.set_defaults(run=run_set)
    delete = actions.add_parser("delete", help="remove a secret from the keyring")
    delete.add_argument("name", choices=SECRET_NAMES)
    delete.set_defaults(run=run_delete)


def run_set(args: argparse.Namespace, _ctx: Context) -> int:
    # Strip only the line ending a shell or `printf` adds; keep any other character as typed.
    value = sys.stdin.read().removesuffix("\n").removesuffix("\r")
    if not value:
        raise CliError(
            f'secret {args.name}: nothing on stdin (pipe the value in, e.g. `printf %s "$KEY" | latido secret set {args.name}`)'
        )
    try:
        SecretStore().set(args.name, value)
    except SecretError as exc:
        raise CliError(f"secret {args.name}: {exc}") from exc
    print(f"secret: {args.name} stored in the OS keyring")
    return 0


def run_delete(args: argparse.Namespace, _ctx: Context) -> int:
    try:
        SecretStore().delete(args.name)
    except SecretError as exc:
        raise CliError(f"secret {args.name}: {exc}") from exc
    print(f"secret: {args.name} removed")
    return 0
