"""Full-text search over interactions and approved replies, on SQLite and PostgreSQL.

One function serves both backends. The user's text is never handed to the
search engine's query language as is: it is split into words, and each word
becomes a quoted term, so quotes, `AND`, `NEAR`, `*` or `-` in a customer's
message are searched for as words (or dropped as punctuation), never obeyed.

Words are joined with OR and ranked by relevance. Search here mostly answers
"which earlier messages look like this one?", where the query is a whole
incoming message; requiring every word (AND) would find almost nothing.

One customer's history is searched without matching everyone's first. On
SQLite, interaction_fts also indexes `customer_id` (migration 0006), and the
query ANDs the words with that customer, so FTS5 walks only their rows; the
id column weighs 0 in bm25() and the words are looked for in the text columns
only. (The id still counts as one token of each row's length, which moves
bm25 scores by well under 1%.) On PostgreSQL the customer is named plainly
in the WHERE clause, so the planner reads a short history through the
customer's btree index, or ANDs that index with the GIN one for a long one.

The two backends differ in one way a person may notice: SQLite's FTS5 tables
are built with `remove_diacritics 2`, so `cancion` finds `canción`.
PostgreSQL's GIN indexes use the `simple` configuration without `unaccent`
(an extension Latido cannot count on being installed on a shared server), so
there an accent is part of the word: `canción` finds `canción` only. Both
ignore case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session

SearchKind = Literal["interaction", "reply"]

MAX_TERMS = 64
"""A pasted email can hold hundreds of words; the first distinct ones are enough to rank by."""

SNIPPET_WORDS = 16

# Letters and digits only: underscores and every other symbol separate words, as in both tokenizers.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    """One row that matched: its id, whose it is, how well it matched, and a plain-text excerpt.

    `score` is higher for a better match. It only orders the hits of one search;
    the two backends compute it differently, so it is not comparable across them.
    """

    id: int
    customer_id: int
    score: float
    snippet: str


@dataclass(frozen=True)
class _Target:
    table: str
    first: str
    second: str
    indexes_customer: bool = False
    """The SQLite FTS5 table has customer_id as a third column (migration 0006)."""


# `first || ' ' || second` on PostgreSQL must stay exactly the expression of the
# GIN index made by the initial migration, or the planner cannot use the index.
_TARGETS: dict[str, _Target] = {
    "interaction": _Target("interaction", "subject", "body", indexes_customer=True),
    "reply": _Target("approvedreply", "incoming", "body"),
}


def query_terms(query: str) -> list[str]:
    """The distinct words of `query`, lowercased, in order of first appearance (at most MAX_TERMS)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(unicodedata.normalize("NFC", query).casefold()):
        seen.setdefault(word, None)
        if len(seen) == MAX_TERMS:
            break
    return list(seen)


def search(
    session: Session,
    *,
    query: str,
    kind: SearchKind = "interaction",
    customer_id: int | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Rows of `kind` whose text shares words with `query`, best match first.

    `customer_id` is the customer's row id (`Customer.id`). A query with no
    words in it (empty, or only punctuation) finds nothing.
    """
    target = _TARGETS[kind]
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        stmt, params = _postgresql(target, terms, customer_id=customer_id)
    else:
        stmt, params = _sqlite(target, terms, customer_id=customer_id)
    params |= {"customer_id": customer_id, "limit": limit}
    rows = session.execute(sa.text(stmt), params).all()
    return [
        SearchHit(id=int(r.id), customer_id=int(r.customer_id), score=float(r.score), snippet=r.snippet) for r in rows
    ]


def _sqlite(target: _Target, terms: list[str], *, customer_id: int | None) -> tuple[str, dict[str, object]]:
    # FTS5 reads a double-quoted string as one phrase of plain words; the terms
    # hold no quotes, so nothing in them can be read as query syntax.
    match = " OR ".join(f'"{term}"' for term in terms)
    fts = f"{target.table}_fts"
    rank = f"bm25({fts})"
    if target.indexes_customer:
        # The words are looked for in the text columns only: a number in a message must not match a customer id.
        match = f"{{{target.first} {target.second}}} : ({match})"
        if customer_id is not None:
            # FTS5 then walks this customer's rows only, instead of every match in the table.
            match = f'customer_id : "{int(customer_id)}" AND {match}'
        # Weight 0: the customer id never adds to the score, so ranking rests on the words alone.
        rank = f"bm25({fts}, 1.0, 1.0, 0.0)"
    # bm25() is lower for better matches; it is negated so a higher score is better.
    # The snippet is taken from the body column (index 1) with no markers: it is shown as plain text.
    stmt = f"""
        SELECT t.id AS id, t.customer_id AS customer_id, -{rank} AS score,
               snippet({fts}, 1, '', '', '…', {SNIPPET_WORDS}) AS snippet
        FROM {fts} JOIN {target.table} AS t ON t.id = {fts}.rowid
        WHERE {fts} MATCH :match
          AND (:customer_id IS NULL OR t.customer_id = :customer_id)
        ORDER BY score DESC, t.id DESC
        LIMIT :limit
    """  # noqa: S608  # identifiers come from _TARGETS, never from the caller; values are bound
    return stmt, {"match": match}


def _postgresql(target: _Target, terms: list[str], *, customer_id: int | None) -> tuple[str, dict[str, object]]:
    # In to_tsquery a single-quoted lexeme is taken literally; the terms hold
    # no quotes or backslashes, so `|` between them is the only operator.
    tsquery = " | ".join(f"'{term}'" for term in terms)
    document = f"to_tsvector('simple', {target.first} || ' ' || {target.second})"
    # ts_rank's normalization 1 divides by 1 + log(length), so a long email
    # does not outrank a short one just by repeating a common word.
    # ts_headline is slow, so it runs only on the rows that survive LIMIT.
    # The tsquery is written inline (not in a CTE) so the planner sees a constant and can use the index.
    query = "to_tsquery('simple', :tsquery)"
    # A plain `customer_id = :customer_id` (not `:customer_id IS NULL OR ...`, which no index can serve) lets
    # the planner read one customer's rows through their btree index and recheck only those documents.
    customer = "" if customer_id is None else "AND t.customer_id = :customer_id"
    stmt = f"""
        WITH hits AS (
            SELECT t.id, t.customer_id, t.{target.second} AS text, ts_rank({document}, {query}, 1) AS score
            FROM {target.table} AS t
            WHERE {document} @@ {query}
              {customer}
            ORDER BY score DESC, t.id DESC
            LIMIT :limit
        )
        SELECT hits.id, hits.customer_id, hits.score,
               ts_headline('simple', hits.text, {query},
                           'StartSel="", StopSel="", MaxWords={SNIPPET_WORDS}, MinWords=5, MaxFragments=1, '
                           'FragmentDelimiter=" … "') AS snippet
        FROM hits
        ORDER BY hits.score DESC, hits.id DESC
    """  # noqa: S608  # identifiers come from _TARGETS, never from the caller; values are bound
    return stmt, {"tsquery": tsquery}
