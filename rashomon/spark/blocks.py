"""Fusion blocks: groups of mentions that can be clustered apart and still give the events of one pass.

`rashomon.fuse.events.cluster_mentions` takes mentions in ingestion order; a mention may join an event only
through a member in its own report or within `BLOCK_DAYS` days of its date in its country (`area`), and
only if it fits every member (same type but for a generic 'the attack' in the same report). Link two
mentions when they could ever meet that way: same report and types that fit, or same type, same country and
dates within `BLOCK_DAYS` days. An event never
spans two connected components of these links, and the order of the events' ids breaks ties, so clustering
each component alone, in ingestion order, gives exactly the events of one pass over everything (the
equality tests/test_spark.py checks). This is the local path's date-window blocking, made explicit.

The links are drawn between (report, type) groups, which hold all the mentions of one type in one report:
a day run (days of one type in one country no more than `BLOCK_DAYS` apart) links every group with a day
in it, and a report with a generic violent mention links its violent groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from rashomon.fuse.events import BLOCK_DAYS, VIOLENT

# (doc id, event type, sub-event type, ISO day or None, country (area) or None, generic): what blocking
# needs of a mention
MentionKey = tuple[str, str, str, "str | None", "str | None", bool]
Group = tuple[str, str, str]  # (doc id, event type, sub-event type)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def fusion_blocks(mentions: Iterable[MentionKey]) -> dict[Group, int]:
    """A block number for every (doc id, event type, sub-event type) group of the mentions given."""
    uf = _UnionFind()
    days_of_type: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    groups_on_day: dict[tuple[str, str, str, str], list[Group]] = defaultdict(list)
    violent_groups: dict[str, set[Group]] = defaultdict(set)
    generic_docs: set[str] = set()
    for doc_id, event_type, sub_type, day, where, generic in mentions:
        group = (doc_id, event_type, sub_type)
        uf.find(group)
        if day is not None and where is not None:
            days_of_type[(event_type, sub_type, where)].add(day)
            groups_on_day[(event_type, sub_type, where, day)].append(group)
        if event_type in VIOLENT:
            violent_groups[doc_id].add(group)
            if generic:
                generic_docs.add(doc_id)
    for (event_type, sub_type, where), days in days_of_type.items():
        run_start, previous = None, None
        for day in sorted(days):
            current = date.fromisoformat(day)
            if previous is None or (current - previous).days > BLOCK_DAYS:
                run_start = ("run", event_type, sub_type, where, day)
            previous = current
            for group in groups_on_day[(event_type, sub_type, where, day)]:
                uf.union(run_start, group)
    for doc_id in generic_docs:
        first, *rest = sorted(violent_groups[doc_id])
        for group in rest:
            uf.union(first, group)
    numbers: dict = {}
    return {
        group: numbers.setdefault(uf.find(group), len(numbers))
        for group in sorted(g for g in uf.parent if len(g) == 3)
    }
