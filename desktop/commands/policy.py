"""`latido policy [--json]` and `latido policy set KEY VALUE [--as USER]`: the team's approval rules."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_output import print_json
from desktop.commands.base import CliError, Context
from drafting.policy import KEYS, PolicyError, describe, load_policy, parse_rules, save_policy
from storage import config


def register(sub: Any) -> None:
    parser = sub.add_parser("policy", help="show or change the approval policy (four-eyes, self-approval, expiry)")
    actions = parser.add_subparsers(dest="policy_action", metavar="show|set")
    show = actions.add_parser("show", help="the rules in force (the default)")
    show.add_argument("--json", action="store_true", help="one JSON document on stdout")
    change = actions.add_parser("set", help="change one rule (leads only); recorded in the audit trail")
    change.add_argument("key", choices=list(KEYS), metavar="KEY", help=", ".join(KEYS))
    change.add_argument("value", metavar="VALUE", help="on/off, or a number")
    change.add_argument("--as", dest="user", help="who changes it (default: the user.name setting)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.policy_action == "set":
        user = args.user or config.get("user.name")
        if not user:
            raise CliError("policy set: who changes it? pass --as USER or run `latido config set user.name NAME`")
        try:
            policy = save_policy(ctx.db, actor=user, changes=parse_rules([(args.key, args.value)]))
        except PolicyError as exc:
            raise CliError(f"policy set: {exc}") from exc
        print(f"{args.key} = {describe(policy)[args.key]}")
        return 0
    with ctx.db.session() as session:
        rules = describe(load_policy(session))
    if args.json:
        print_json(rules)
        return 0
    for key, value in rules.items():
        print(f"{key:<16} {value:<6} {KEYS[key]}")
    return 0
