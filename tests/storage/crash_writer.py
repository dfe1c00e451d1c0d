"""Append revisions one commit at a time and print each id once its commit has returned.

Run by tests/storage/test_crash.py, which kills this process with SIGKILL at a
random moment: every id printed here must survive, and the chain must verify.

    python -m tests.storage.crash_writer DATABASE_URL DRAFT_ID COUNT
"""

from __future__ import annotations

import sys

from storage.chain import append_revision, record_event
from storage.database import Database


def main(url: str, draft_id: int, count: int) -> None:
    db = Database(url)
    for n in range(count):
        with db.write() as session:
            revision = append_revision(
                session,
                draft_id=draft_id,
                author_kind="human",
                kind="human_edit",
                author="marta",
                subject="Re: pedido",
                body=f"Hola Ana, versión {n}.",
            )
            record_event(session, action="draft.revised", actor="marta", entity="revision", entity_id=revision.id or 0)
        # Printed only after commit returned: the parent holds us to every id it has read.
        print(revision.id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
