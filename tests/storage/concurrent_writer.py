"""Append from several threads at once through Database.write(), and report what was committed.

Run twice at the same moment by tests/storage/test_concurrency.py:

    python -m tests.storage.concurrent_writer DATABASE_URL WORKER SHARED_DRAFT OWN_DRAFTS START_AT ROUNDS

Prints one JSON document: the ids this process committed, and every error message.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from storage.chain import append_revision, record_event
from storage.database import Database

THREADS = 4


def _work(
    db: Database, *, worker: str, shared: int, own: int, rounds: int, done: dict[str, list[int]], errors: list[str]
) -> None:
    for n in range(rounds):
        # Alternate between the draft every thread writes to and this thread's own draft.
        draft_id = shared if n % 2 == 0 else own
        try:
            with db.write() as session:
                revision = append_revision(
                    session,
                    draft_id=draft_id,
                    author_kind="human",
                    kind="human_edit",
                    author=worker,
                    subject="",
                    body=f"{worker} round {n}",
                )
                event = record_event(
                    session, action="draft.revised", actor=worker, entity="revision", entity_id=revision.id or 0
                )
            done["revision"].append(int(revision.id or 0))
            done["auditevent"].append(int(event.id or 0))
            with db.write() as session:
                event = record_event(session, action="draft.viewed", actor=worker, entity="draft", entity_id=draft_id)
            done["auditevent"].append(int(event.id or 0))
        except Exception as exc:  # every failure is reported to the parent, which fails the test
            errors.append(f"{type(exc).__name__}: {exc}")


def main(url: str, *, worker: str, shared: int, own_drafts: list[int], start_at: float, rounds: int) -> None:
    db = Database(url)
    done: dict[str, list[int]] = {"revision": [], "auditevent": []}
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=_work,
            args=(db,),
            kwargs={
                "worker": f"{worker}-{t}",
                "shared": shared,
                "own": own_drafts[t],
                "rounds": rounds,
                "done": done,
                "errors": errors,
            },
        )
        for t in range(THREADS)
    ]
    time.sleep(max(0.0, start_at - time.time()))  # both processes start writing together
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.dispose()
    json.dump({"committed": done, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    url, worker, shared, own, start_at, rounds = sys.argv[1:7]
    main(
        url,
        worker=worker,
        shared=int(shared),
        own_drafts=[int(d) for d in own.split(",")],
        start_at=float(start_at),
        rounds=int(rounds),
    )
