"""`latido config get|set KEY [VALUE]`: local settings (never secrets)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.commands.base import CliError, Context
from storage import config


def register(sub: Any) -> None:
    parser = sub.add_parser("config", help="read or change a setting")
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    get = actions.add_parser("get", help="print a setting (all settings without KEY)")
    get.add_argument("key", nargs="?")
    get.set_defaults(run=run_get)
    put = actions.add_parser("set", help="change a setting (an empty VALUE restores the default)")
    put.add_argument("key")
    put.add_argument("value")
    put.set_defaults(run=run_set)


def run_get(args: argparse.Namespace, _ctx: Context) -> int:
    try:
        if args.key is None:
            for name, value in config.all_values().items():
                print(f"{name}={value}")
        else:
            print(config.get(args.key))
    except config.ConfigError as exc:
        raise CliError(str(exc)) from exc
    return 0


def run_set(args: argparse.Namespace, _ctx: Context) -> int:
    try:
        stored = config.set_value(args.key, args.value)
    except config.ConfigError as exc:
        raise CliError(f"{args.key}: {exc}") from exc
    print(f"{args.key}={stored or config.KEYS[args.key].default}")
    return 0
