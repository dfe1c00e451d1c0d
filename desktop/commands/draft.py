"""`latido draft ITEM_ID [--rewrite OP] [--provider offline|openai] [--base-url URL] [--model M]`.

Streams the text to stdout as it is written and keeps it as a revision.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.commands.base import CliError, Context
from drafting.drafts import REWRITES, DraftError, Outcome, generate_draft, rewrite_draft
from drafting.providers.base import CancelToken, Provider, ProviderError
from drafting.providers.choice import ProviderChoiceError, choose_provider
from storage import config
from storage.timeline import item_detail


def register(sub: Any) -> None:
    parser = sub.add_parser("draft", help="write a draft for a work item (streams to stdout)")
    parser.add_argument("item_id", type=int, metavar="ITEM_ID")
    parser.add_argument("--rewrite", choices=REWRITES, help="rewrite the item's current draft instead")
    parser.add_argument(
        "--provider", choices=["offline", "openai"], help="default: openai when ai.base_url is set, else offline"
    )
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint (overrides ai.base_url)")
    parser.add_argument("--model", help="model name (overrides ai.model)")
    parser.set_defaults(run=run)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def run(args: argparse.Namespace, ctx: Context) -> int:
    try:
        provider: Provider = choose_provider(args.provider, base_url=args.base_url, model=args.model)
    except ProviderChoiceError as exc:
        raise CliError(str(exc)) from exc
    author = config.get("user.name") or None
    cancel = CancelToken()
    try:
        if args.rewrite:
            with ctx.db.session() as session:
                detail = item_detail(session, item_id=args.item_id)
            if detail is None:
                raise CliError(f"draft: no work item {args.item_id}")
            if detail.draft is None:
                raise CliError(
                    f"draft: item {args.item_id} has no draft to rewrite yet; run `latido draft {args.item_id}` first"
                )
            outcome = rewrite_draft(
                ctx.db,
                draft_id=detail.draft.id,
                operation=args.rewrite,
                provider=provider,
                on_chunk=_write,
                cancel=cancel,
            )
        else:
            outcome = generate_draft(
                ctx.db, item_id=args.item_id, provider=provider, author=author, on_chunk=_write, cancel=cancel
            )
    except KeyboardInterrupt:
        cancel.cancel()
        raise
    except (DraftError, ProviderError) as exc:
        _write("\n")
        raise CliError(f"draft: {exc}") from exc
    _write("\n")
    _summary(outcome, provider)
    return 0


def _summary(outcome: Outcome, provider: Provider) -> None:
    label = getattr(provider, "label", getattr(provider, "name", "provider"))
    state = " (partial)" if outcome.partial else ""
    print(
        f"draft {outcome.draft_id} revision {outcome.revision_id} by {label}{state}; hash {outcome.content_hash}",
        file=sys.stderr,
    )
