"""The events `rashomon analyze` holds from batch to batch (`EventIndex`) stay bounded."""

from __future__ import annotations

from rashomon.fuse.events import Cluster, EventIndex, member_key
from rashomon.models import DateValue, Mention, Place, ResolvedMention, Span

ALEPPO = Place("Aleppo", "Aleppo", "Syria", "SYR", 36.2, 37.16, 1)


def mention(n: int, day: str) -> ResolvedMention:
    sentence = f"An airstrike hit Aleppo ({n})."
    found = Mention(f"m{n}", f"doc{n}", 0, 0, len(sentence), sentence, Span("airstrike", 3, 12), "Explosions",
                    "Air/drone strike")
    return ResolvedMention(found, place=ALEPPO, date=DateValue(day, "day"))


def test_a_loaded_event_is_let_go_with_its_last_complete_key():
    """A stored event read back for one key is also found under its other members' keys; those are not
    complete (nothing asked for them), so when the key it was read for is let go, the event goes too."""
    index = EventIndex(limit=1)
    first, later = mention(1, "2017-03-01"), mention(2, "2017-03-20")
    event = Cluster("ev-1", [first, later], saved=2, recorded=2)  # as read back from the store
    wanted = member_key(first)
    index.load([event], [wanted])
    assert index.candidates(first) == {"ev-1": event}
    assert index.members == 2
    index.evict()
    assert index.members == 0
    assert index.clusters == {} and index.by_key == {} and not index.complete
    assert index.missing([wanted]) == [wanted]  # and it is read back when needed again


def test_an_event_held_under_a_complete_key_stays():
    index = EventIndex(limit=1)
    first, later = mention(1, "2017-03-01"), mention(2, "2017-03-20")
    event = Cluster("ev-1", [first, later], saved=2, recorded=2)  # as read back from the store
    index.load([event], [member_key(first), member_key(later)])
    index.touch([member_key(later)])
    index.limit = 2
    index.evict()
    assert index.clusters == {"ev-1": event}
    index.limit = 1
    index.evict()
    assert index.clusters == {} and index.members == 0
