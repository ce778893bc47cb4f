"""Event mentions from parsed sentences: trigger words typed by the rules in data/triggers.yaml, their
arguments read off the dependency parse, and the filters that keep background, plans and denials out.

One job per function, in the order the extractor runs them:
  find_triggers   trigger words (single and multi-word, with particles) and the ACLED type their context gives
  realis          drop triggers that are negated, hypothetical, planned or background
  fold            outcome words ('killed', 'wounded') join the act they belong to; nested same-type acts merge
  build           actors, instrument, places, time, counts, attribution and hedging of each mention
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from rashomon.extract.lexicon import PLACE_LABELS, Lexicon, Trigger
from rashomon.extract.timex import find_time_expressions
from rashomon.models import CountSpan, Mention, PlaceSpan
from rashomon.models import Span as TextSpan

SUBJECT_DEPS = {"nsubj", "csubj"}
OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "attr", "oprd"}
CLAUSE_DEPS = {"ccomp", "advcl", "parataxis", "conj", "relcl", "xcomp", "acl", "csubj", "pcomp"}
SPLIT_CLAUSES = {"ccomp", "advcl", "parataxis"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom", "whose"}
PERSONAL_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
TARGET_PREPS = {"on", "against", "at", "targeting", "upon", "into"}
INSTRUMENT_PREPS = {"with", "using", "via"}
NAME_PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "ez", "ed", "an", "bin", "ibn", "abu",
                  "umm", "bani", "beni", "de", "-", "'", "’", "tal", "tel", "tell", "deir", "ras", "ain",
                  "jisr", "kafr"}
PARTITIVE_HEADS = {"members", "member", "some", "many", "dozens", "scores", "hundreds", "one", "branch",
                   "arm",
                   "wing", "unit", "units", "group", "fighters"}
MAX_ARGUMENT_TOKENS = 14
DEFAULT_SCORE = 0.6  # a type given by a trigger's default outcome, no context word backing it
OUTCOME_SCORE = 0.8  # a death or injury told without the act that caused it


@dataclass
class Found:
    """One trigger with its type, before arguments are read."""

    token: Token
    tokens: list[Token]
    trigger: Trigger
    lemma: str
    event_type: str | None  # "Event type / Sub-event type"; None for an outcome that only carries counts
    score: float = 1.0
    # folded outcome triggers ('killed' in 'the strike that killed 33 soldiers')
    outcomes: list[Found] = field(default_factory=list)
    absorbed: list[Found] = field(default_factory=list)  # nested triggers of the same type
    standing: bool = False  # an outcome told without its act ('Two soldiers were killed.')


# --------------------------------------------------------------------------------------------- the parse

def _ancestors(token: Token, limit: int = 12):
    seen = 0
    while token.head.i != token.i and seen < limit:
        token = token.head
        seen += 1
        yield token


def _is_passive(token: Token) -> bool:
    """'was downed', 'a drone shot down by': a past participle with a passive auxiliary or subject ('have been
    pounding' is not passive, whatever the parser called its subject)."""
    if token.tag_ != "VBN":
        return False
    return token.dep_ == "acl" or any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)


def _clause_head(token: Token) -> Token:
    head = token
    # a gerund subject ('fighting raged in Afrin') belongs to the clause of the verb it is subject of
    while (head.pos_ not in ("VERB", "AUX") or head.dep_ in ("nsubj", "nsubjpass", "csubj")) \
            and head.head.i != head.i:
        head = head.head
    return head


def _clause(token: Token, head: Token | None = None) -> list[Token]:
    """The trigger's own clause: its governing verb's subtree without the other clauses hanging from it."""
    head = head if head is not None else _clause_head(token)
    on_path = {token.i, *(a.i for a in token.ancestors)}
    cut = {c.i for c in head.children if c.i not in on_path and (
        c.dep_ in SPLIT_CLAUSES or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")))}
    tokens = []
    skip_until = -1
    for t in head.subtree:
        if t.i <= skip_until:
            continue
        if t.i in cut:
            skip_until = t.right_edge.i
            continue
        tokens.append(t)
    return tokens


def _governing_clause(token: Token) -> list[Token]:
    """The clause a trigger is told in, climbing out of participles, relative and control clauses: 'the number
    of soldiers killed in Idlib' is told in 'The deaths bring the number ...'."""
    head = _clause_head(token)
    while head.dep_ in ("xcomp", "relcl", "acl", "pcomp", "pobj", "dobj", "nsubj", "nsubjpass") \
            and head.head.i != head.i:
        head = _clause_head(head.head)
    return _clause(token, head)


KEEP_IN_PHRASE = {"relcl", "acl", "advcl", "appos", "parataxis", "ccomp", "punct", "cc", "conj", "prep"}


def _np(head: Token) -> list[Token]:
    """A noun phrase without the clauses, appositions and conjuncts hanging from it (its 'of' phrase kept)."""
    out = [head]
    for child in head.children:
        if child.dep_ not in KEEP_IN_PHRASE or (child.dep_ == "prep" and child.lower_ == "of"):
            out.extend(_np(child))
    return sorted(out, key=lambda t: t.i)


def _pobjs(token: Token, preps: set[str] | None = None) -> list[Token]:
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent") and (preps is None or child.lower_ in preps):
            found.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp"))
    return found


def _phrase(token: Token) -> list[Token]:
    """A compact noun phrase: the head with its left modifiers, and 'of' when the head is a quantity or a
    group ('two of its soldiers', 'members of HTS') or an apposition-free 'belonging to' owner."""
    doc = token.doc
    start = token.left_edge.i
    end = token.i
    if token.pos_ in ("NUM", "PRON", "ADJ") or token.lower_ in PARTITIVE_HEADS:
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                end = child.right_edge.i
    if token.pos_ == "PROPN":  # 'Syrian Observatory for Human Rights', 'Ministry of Defence'
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in ("for", "of") and any(
                    g.dep_ == "pobj" and g.pos_ == "PROPN" for g in child.children):
                end = child.right_edge.i
    if token.pos_ == "PROPN":  # a name runs on to its last proper-noun part ('Maaret al-Numan')
        while end + 1 < len(doc) and (doc[end + 1].pos_ == "PROPN" or doc[end + 1].lower_ in NAME_PARTICLES) \
                and doc[end + 1].head.i in range(start, end + 2):
            end += 1
    while start < end and doc[start].pos_ in ("DET", "PUNCT", "CCONJ", "ADP"):
        start += 1
    if end - start + 1 > MAX_ARGUMENT_TOKENS:
        start = end - MAX_ARGUMENT_TOKENS + 1
    return list(doc[start:end + 1])


def _resolve_pronoun(token: Token, lex: Lexicon) -> Token | None:
    """'who' -> the noun its clause describes; 'they said they shot down' -> the reporting verb's subject;
    'it was shot down' -> the closest aircraft or vehicle named before."""
    lower = token.lower_
    if lower in RELATIVE_PRONOUNS:
        clause = next((a for a in token.ancestors if a.dep_ in ("relcl", "acl")), None)
        return clause.head if clause is not None else None
    if lower not in PERSONAL_PRONOUNS:
        return token
    if lower in ("they", "we", "he", "she") and token.dep_ in SUBJECT_DEPS:
        for anc in token.ancestors:
            if anc.lemma_.lower() in lex.reporting_verbs:
                subj = _subject_token(anc, lex, resolve=False)
                if subj is not None and subj.lower_ not in PERSONAL_PRONOUNS and subj.i != token.i:
                    return subj
    classes = ("aircraft", "vehicle", "projectile") if lower == "it" else ("armed", "civilian")
    for t in reversed(token.doc[: token.i]):
        if t.pos_ in ("NOUN", "PROPN") and any(lex.in_class(c, [t]) for c in classes):
            return t
        if lower != "it" and t.ent_type_ == "PERSON":
            return t
    return None


def _subject_token(token: Token, lex: Lexicon, resolve: bool = True) -> Token | None:
    """Who acts: the active subject, the passive agent, the subject a light or control verb lends."""
    if _is_passive(token):
        # 'were beaten and burned by residents': the agent of the last participle is the agent of both
        agents = _pobjs(token, {"by"}) or [g for c in token.children if c.dep_ == "conj" and c.tag_ == "VBN"
                                           for g in _pobjs(c, {"by"})]
        if agents:
            return agents[0]
    else:
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS or child.dep_ == "nsubjpass":
                return _resolve_pronoun(child, lex) if resolve else child
    if token.dep_ in ("xcomp", "conj") and token.head.pos_ in ("VERB", "AUX"):
        return _subject_token(token.head, lex, resolve)
    if token.dep_ == "advcl" and token.head.pos_ in ("VERB", "AUX") and token.head.i != token.i \
            and not any(c.dep_ == "mark" for c in token.children):
        # 'gunmen raided a village, killing ten': the participle's subject is the clause's
        return _subject_token(token.head, lex, resolve)
    if token.dep_ == "relcl" and not _is_passive(token):
        return None
    return None


def _object_tokens(token: Token) -> list[Token]:
    passive = _is_passive(token)
    found = [c for c in token.children if c.dep_ in OBJECT_DEPS and (passive or c.dep_ != "nsubjpass")]
    if token.dep_ == "acl" and token.tag_ == "VBN":  # 'a drone shot down by ...', '33 soldiers killed'
        found.append(token.head)
    if token.pos_ == "NOUN":
        found.extend(_pobjs(token, {"of"}))
    if not found and _is_passive(token) and token.dep_ == "relcl":
        found.append(token.head)
    return found


def _noun_agent(token: Token, lex: Lexicon) -> Token | None:
    """Who acts for a noun trigger: 'Russian air strikes', 'Turkey's strikes', 'strikes by Russia',
    'Russia carried out strikes', 'Turkey responded with drone attacks', 'strikes were carried out by the
    regime', 'the strike came from a jet'."""
    for child in token.children:
        if child.dep_ == "poss" or (child.dep_ in ("amod", "compound")
                                    and child.ent_type_ in ("NORP", "GPE", "ORG")):
            return child
    agents = _pobjs(token, {"by", "from"})
    if agents:
        return agents[0]
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "with":  # 'responded with drone attacks'
        head = head.head
        if head.lemma_.lower() in lex.light_verbs:
            return _subject_token(head, lex)
        return None
    if token.dep_ in ("oprd", "advcl", "xcomp", "attr") and head.pos_ == "VERB" and head.i != token.i:
        return _subject_token(head, lex)  # 'residents took two soldiers hostage'
    if head.i == token.i or head.lemma_.lower() not in lex.light_verbs:
        return None
    if token.dep_ in ("dobj", "obj"):
        return _subject_token(head, lex)
    if token.dep_ == "nsubjpass" or (token.dep_ == "nsubj" and head.lemma_.lower() in ("come", "originate")):
        agents = _pobjs(head, {"by", "from"})
        return agents[0] if agents else None
    return None


# --------------------------------------------------------------------------------------------- triggers

def _forms(t: Token, fixes: dict[str, str]) -> set[str]:
    """What a token may be matched as: its lower form, its lemma, a fixed lemma, and for a capitalised common
    noun the tagger took for a name ('ALEPPO - Rockets fired by ...') the singular."""
    forms = {t.lower_, t.lemma_.lower()}
    fixed = fixes.get(t.lower_)
    if fixed is not None:
        forms.add(fixed)
    if _common_noun_as_name(t):
        low = t.lower_
        if low.endswith("es"):
            forms.add(low[:-2])
        if low.endswith("s"):
            forms.add(low[:-1])
    return forms


def _common_noun_as_name(t: Token) -> bool:
    return t.pos_ == "PROPN" and not t.ent_type_ and t.is_title


def _match_at(doc: Doc, i: int, lemma: tuple[str, ...], fixes: dict[str, str]) -> list[Token] | None:
    if i + len(lemma) > len(doc):
        return None
    tokens = []
    k = i
    for part in lemma:
        while k < len(doc) and doc[k].lower_ == "-" and part != "-":
            k += 1  # 'air-strike'
        if k >= len(doc):
            return None
        t = doc[k]
        if part not in (t.lower_, t.lemma_.lower()) and part not in _forms(t, fixes):
            return None
        tokens.append(t)
        k += 1
    return tokens


def _particle_ok(trigger: Trigger, tokens: list[Token]) -> bool:
    if not trigger.particle:
        return True
    head = tokens[0]
    if any(c.lower_ == trigger.particle and c.dep_ in ("prt", "advmod", "prep") for c in head.children):
        return True
    nxt = head.i + 1
    return nxt < len(head.doc) and head.doc[nxt].lower_ == trigger.particle


class Context:
    """What the conditions of a trigger's outcomes look at, computed once per trigger."""

    def __init__(self, token: Token, tokens: list[Token], lex: Lexicon):
        self.token, self.lex = token, lex
        self.tokens = tokens
        self._cache: dict[str, list[Token]] = {}

    def group(self, name: str) -> list[Token]:
        if name not in self._cache:
            self._cache[name] = getattr(self, "_" + name)()
        return self._cache[name]

    def _subtrees(self, heads: list[Token]) -> list[Token]:
        out: list[Token] = []
        for h in heads:
            out.extend(_np(h))
        return out

    def _object(self):
        heads = _object_tokens(self.token)
        resolved = [r for r in (_resolve_pronoun(h, self.lex) if h.pos_ == "PRON" else h for h in heads) if r]
        return self._subtrees(resolved)

    def _subject(self):
        t = self.token
        subj = _subject_token(t, self.lex) if t.pos_ in ("VERB", "AUX") else _noun_agent(t, self.lex)
        out = _np(subj) if subj is not None else []
        if subj is not None and t.pos_ in ("VERB", "AUX"):  # 'A magnitude 6 earthquake struck': two subjects
            out += [x for c in t.children if c.dep_ in SUBJECT_DEPS and c.i != subj.i for x in _np(c)]
        return out

    def _victim(self):
        t = self.token
        doc = t.doc
        if t.lemma_.lower() in LABEL_LEMMAS and t.i + 1 < len(doc) and doc[t.i + 1].text == ":":
            # a note's label: 'Fatalities: 2 VDP; unknown among the assailants.' is the words up to a break
            end = next((k for k in range(t.i + 2, len(doc)) if doc[k].text in (";", ",", ".", "(")
                        or (doc[k].pos_ in ("VERB", "AUX") and k > t.i + 2)), len(doc))
            words = list(doc[t.i + 2: end])
            return words if any(w.like_num or w.pos_ in ("NUM", "NOUN", "PRON") for w in words) else []
        if t.lemma_.lower() in ("body", "loss") and t.pos_ == "NOUN":
            # 'the bodies of 8 gunmen' are the gunmen, 'the loss of two fighters' the fighters; '8 bodies'
            # are themselves
            whose = _pobjs(t, {"of"})
            if whose:
                return self._subtrees(whose[:1])
            return _np(t) if any(c.dep_ == "nummod" for c in t.children) else []
        if t.lemma_.lower() in ("die", "dead", "perish", "lose", "succumb") or t.pos_ == "ADJ":
            if t.lower_ == "dead" and t.head.lemma_.lower() == "leave" and t.head.i != t.i:
                # 'leaving three dead', 'left five fighters dead'
                if any(c.dep_ == "nummod" for c in t.children):
                    return [c for c in t.children if c.dep_ == "nummod"] + [t]
                obj = next((c for c in t.head.children if c.dep_ in ("dobj", "obj") and c.i != t.i), None)
                if obj is not None:
                    return _np(obj)
            if t.lower_ == "dead" and any(c.dep_ == "nummod" for c in t.children):
                return [c for c in t.children if c.dep_ == "nummod"] + [t]  # 'reported 11 dead'
            subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
            if t.pos_ == "ADJ" and subj is None and t.dep_ == "amod":
                subj = t.head
            if subj is None and t.dep_ in ("conj", "xcomp"):
                subj = next((c for c in t.head.children if c.dep_ in SUBJECT_DEPS | {"nsubjpass"}), None)
            return _np(subj) if subj is not None else []
        verb = t.head.lemma_.lower()
        if t.lemma_.lower() == "toll" and t.dep_ in SUBJECT_DEPS and verb in self.lex.toll_verbs:
            # 'the death toll rose to 32', 'the toll stood at 35': the figure it reached
            figures = _pobjs(t.head, {"to", "at"}) or [c for c in t.head.children
                                                       if c.dep_ in ("dobj", "obj")]
            if figures:
                return self._subtrees(figures[:1])
        if t.lemma_.lower() == "toll" and t.dep_ in ("dobj", "obj") and verb in self.lex.toll_setting_verbs:
            figures = _pobjs(t.head, {"at", "to"})  # 'put the death toll at 43'
            if figures:
                return self._subtrees(figures[:1])
        heads = _object_tokens(t)
        for other in self.tokens:  # 'shot and killed 2 truffle hunters': the object of the last verb
            if not heads and other.i != t.i and other.pos_ == "VERB":
                heads = _object_tokens(other)
        shorthand = t.tag_ == "VBD" and not any(c.dep_ == "aux" for c in t.children)
        if not heads and (t.tag_ == "VBN" or shorthand):
            # 'four were killed and nine wounded': 'nine' is who was wounded; 'Two PMF members killed, 3
            # wounded': a note's shorthand passive, whose subject (parsed as active) is the victim
            heads = [c for c in t.children if c.dep_ == "nsubj"]
        if not heads:  # 'reported at least 55 killed'
            heads = [c for c in t.children if c.dep_ == "nummod"]
        if not heads and t.dep_ in ("conj", "xcomp", "oprd"):
            # 'a soldier was killed and another wounded', 'seven militants were reported killed'
            heads = [c for c in t.head.children if c.dep_ == "nsubjpass"]
        return self._subtrees(heads)

    def _modifier(self):
        t = self.token
        out = [tok for c in t.children if c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")
               for tok in c.subtree]
        if t.dep_ == "compound":  # 'mortar shelling campaigns': the noun it modifies
            out += _np(t.head)
        out += self._subtrees(_pobjs(t, {"of", "by", "from"}))
        return out

    def _target(self):
        heads = _pobjs(self.token, TARGET_PREPS)
        if self.token.head.lemma_.lower() in self.lex.light_verbs:
            heads += _pobjs(self.token.head, TARGET_PREPS)
        return self._subtrees(heads)

    def _particle(self):
        """The trigger's own particle or adverb: 'stormed back', 'stormed off'."""
        return [c for c in self.token.children if c.dep_ in ("prt", "advmod")]

    def _loser(self):
        """The side that lost the ground: 'seized Tal Abyad from the SDF'."""
        t = self.token
        heads = _pobjs(t, {"from"})
        if not heads:  # 'took control of X from Y', 'the village of X from Y': the parser hangs it lower
            for child in t.children:
                if child.dep_ in ("dobj", "obj"):
                    heads += [g for d in child.subtree if d.i != t.i for g in _pobjs(d, {"from"})]
        return self._subtrees(heads[:1])

    def _instrument(self):
        heads = _pobjs(self.token, INSTRUMENT_PREPS)
        if _is_passive(self.token):
            heads += _pobjs(self.token, {"by"})
        weapons = ["@projectile", "@explosive", "@ground_fire", "@aircraft", "@chemical", "@weapon_cache"]
        return self._subtrees([h for h in heads if self.lex.matches(weapons, [h])])

    def _near(self):
        return _clause(self.token) + list(self.token.subtree)

    def _sentence(self):
        return list(self.token.sent) if self.token.doc.has_annotation("SENT_START") else list(self.token.doc)

    def holds(self, when: dict) -> bool:
        lex = self.lex
        for key, values in when.items():
            if key == "lemma":
                wanted = {str(v).lower() for v in (values if isinstance(values, list) else [values])}
                if self.lemma not in wanted and self.token.lemma_.lower() not in wanted:
                    return False
            elif key == "pos":
                wanted = {str(v) for v in (values if isinstance(values, list) else [values])}
                if self.token.pos_ not in wanted:
                    return False
            elif key.startswith("not_"):
                if lex.matches(values, self.group(key[4:])):
                    return False
            elif not lex.matches(values, self.group(key)):
                return False
        return True

    lemma = ""


def _type_of(found_trigger: Trigger, context: Context) -> tuple[bool, str | None, bool]:
    """(decided, type, by a condition): the first outcome whose conditions hold decides; 'none' decides 'no
    event'. By a condition: a conditional outcome decided, not the trailing default (a default 'none' on an
    outcome word keeps it as a carrier of counts for an act in the same sentence)."""
    for outcome in found_trigger.outcomes:
        if context.holds(outcome.when):
            return True, outcome.type, bool(outcome.when)
    return False, None, False


def find_triggers(doc: Doc, lex: Lexicon) -> list[Found]:
    found: list[Found] = []
    used: set[int] = set()
    for token in doc:
        if token.i in used or token.is_punct:
            continue
        keys = _forms(token, lex.lemma_fixes)
        candidates = [t for k in keys for t in lex.by_first_word.get(k, [])]
        if not candidates:
            continue
        matches = []
        for trig in sorted({t.index: t for t in candidates}.values(), key=lambda t: t.index):
            for lemma in trig.lemmas:
                if lemma[0] not in keys:
                    continue
                tokens = _match_at(doc, token.i, lemma, lex.lemma_fixes)
                if tokens is None:
                    continue
                head = _head_of(tokens)
                pos = "NOUN" if _common_noun_as_name(head) else head.pos_
                if pos not in trig.pos or head.ent_type_ in ("DATE", "TIME"):
                    continue  # 'March 2011' is no march, 'Olive Branch' no branch
                if not _particle_ok(trig, tokens):
                    continue
                matches.append((len(lemma), bool(trig.particle), trig.index, trig, lemma, tokens, head))
        # longest phrase first, then triggers needing a particle (they are more specific), then file order
        matches.sort(key=lambda m: (-m[0], not m[1], m[2]))
        for _, _, _, trig, lemma, tokens, head in matches:
            context = Context(head, tokens, lex)
            context.lemma = " ".join(lemma)
            decided, event_type, by_condition = _type_of(trig, context)
            if not decided:
                continue
            count_carrier = trig.role == "outcome" and not by_condition
            if event_type is None and not count_carrier:
                used.update(t.i for t in tokens)
                break  # an explicit 'none': this word is no event here
            found.append(Found(head, tokens, trig, " ".join(lemma), event_type,
                               score=1.0 if by_condition else DEFAULT_SCORE))
            used.update(t.i for t in tokens)
            break
    return found


def _head_of(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]


# --------------------------------------------------------------------------------------------- filters

def _negated(token: Token) -> bool:
    for t in (token, _clause_head(token)):
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
            return True
    return any(c.lower_ in ("without",) for c in token.ancestors if c.dep_ == "prep" and c.i < token.i
               and c.i >= token.i - 3)


def _purpose(token: Token) -> bool:
    """'in order to recapture', 'so as to take'."""
    doc = token.doc
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ == "to" and child.i >= 2:
            before = doc[child.i - 2: child.i].text.lower()
            if before in ("in order", "so as"):
                return True
    return False


def _irrealis(token: Token, lex: Lexicon) -> bool:
    chain = [token, *_ancestors(token)]
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        # a verb joined by 'and' is no governor: 'stopped a bus and executed 3 passengers'
        governs = i > 0 and chain[i - 1].dep_ != "conj"
        if governs and (lemma in lex.irrealis_governors or t.lower_ in lex.irrealis_governors):
            return True
        if t.pos_ in ("VERB", "AUX") or i == 0:
            children = list(t.children)
            for k, c in enumerate(children):
                if c.dep_ == "aux" and c.lower_ in lex.irrealis_modals:
                    perfect = any(o.lemma_ == "have" and o.dep_ == "aux" for o in children[k + 1:])
                    if not perfect:
                        return True
                if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether", "lest"):
                    return True
            if _purpose(t):
                return True
        if i > 0 and lemma in lex.reporting_verbs and t.pos_ == "VERB":
            break  # what a source reports is realis for that source
    return False


YEAR_ONLY = re.compile(r"^(?:the |in |during )?(?:\d{4}s?|\d{4}[-–]\d{2,4})$", re.IGNORECASE)
NESTED_CLAUSES = {"relcl", "acl", "advcl", "ccomp", "parataxis", "csubj", "xcomp"}


def _own_words(token: Token) -> list[Token]:
    """The words of the trigger's own clause, without the clauses nested in it ('the group, which seized Mosul
    in 2014, attacked ...': 'in 2014' is not when the attack happened); a trigger told in a relative clause
    ('the 1982 massacre, in which thousands were killed') also reads the noun it describes."""
    head = _clause_head(token) if token.pos_ not in ("VERB", "AUX") else token
    on_path = {token.i, *(a.i for a in token.ancestors)}
    out: list[Token] = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in NESTED_CLAUSES or c.i in on_path)
    if head.dep_ in ("relcl", "acl") and head.head.i != head.i:
        out.extend(_np(head.head))
    return out


def _dated_to_a_past_year(token: Token) -> bool:
    """'looted during the 2003 invasion', 'the 1982 massacre, in which thousands were killed': an act dated by
    a year alone is history, not an incident report (a report dates an incident by its day or month)."""
    for t in _own_words(token):
        if t.ent_type_ == "DATE" and t.like_num and t.ent_iob_ in ("B", "I"):
            ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            if ent is not None and YEAR_ONLY.match(ent.text.strip()):
                return True
    return False


def _background(f: Found, lex: Lexicon) -> bool:
    """Told as background: a running total or history ('so far', 'since 2011', 'in a mass grave'; the
    trigger's own words do not count), dated by a past year alone, or an allegation about someone."""
    clause = _governing_clause(f.token)
    if lex.background.matches(clause):
        own = {t.i for t in f.tokens}
        # the trigger's own words ('mass grave') are no background to it, the words around it are
        if not lex.background.matches(sorted(f.tokens, key=lambda t: t.i)) \
                or lex.background.matches([t for t in clause if t.i not in own]):
            return True
    return _dated_to_a_past_year(f.token) or _alleged(f.token, lex) or _told_as_before(f, lex) \
        or _running_record(f.token)


def _running_record(token: Token) -> bool:
    """'the military, whose air strikes have killed hundreds', 'a war that has killed tens of thousands': a
    relative clause in the present perfect tells what someone has done all along, not an incident."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    for t in (verb, *list(verb.ancestors)[:1]):
        if t.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in t.children):
            return True
    return False


def _told_as_before(f: Found, lex: Lexicon) -> bool:
    """What came before the event told: 'a commander who had signed a reconciliation deal' (a relative clause
    in the past perfect), 'surrendered after the death of their leader' (a death named after 'after')."""
    head = _clause_head(f.token) if f.token.pos_ not in ("VERB", "AUX") else f.token
    if head.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in head.children):
        return True
    t = f.token
    return f.trigger.role == "outcome" and t.pos_ == "NOUN" and t.dep_ == "pobj" \
        and t.head.lower_ in lex.prior_markers


def _alleged(token: Token, lex: Lexicon) -> bool:
    """'two men accused of child kidnapping': what someone is accused of, said of them in passing."""
    for anc in _ancestors(token, 4):
        if anc.dep_ == "acl" and anc.lemma_.lower() in lex.allegation_participles:
            return True
    return False


def realis(found: list[Found], lex: Lexicon) -> list[Found]:
    return [f for f in found
            if not (_negated(f.token) or _irrealis(f.token, lex) or _background(f, lex))]


# --------------------------------------------------------------------------------------------- folding

def _tree_distance(a: Token, b: Token) -> int | None:
    up_a = {a.i: 0}
    for k, anc in enumerate(a.ancestors, 1):
        up_a[anc.i] = k
    if b.i in up_a:
        return up_a[b.i]
    for k, anc in enumerate([b, *b.ancestors]):
        if anc.i in up_a:
            if anc.i == a.i or anc.i == b.i:
                return up_a[anc.i] + k
            return None  # only a common ancestor: related through a third word, not to each other
    return None


def _distinct_subjects(a: Found, b: Found, lex: Lexicon) -> bool:
    sa = Context(a.token, a.tokens, lex).group("subject")
    sb = Context(b.token, b.tokens, lex).group("subject")
    return bool(sa and sb and {t.i for t in sa}.isdisjoint({t.i for t in sb}))


def _has_victim(f: Found, lex: Lexicon) -> bool:
    return bool(Context(f.token, f.tokens, lex).group("victim"))


def _related_act(out: Found, acts: list[Found]) -> Found | None:
    """The act an outcome word belongs to: the closest in the parse; failing that, for an outcome whose
    subject is a relative pronoun or missing ('airstrikes on Saraqeb in the north which killed five'), the
    closest act before it, since the parser often hangs such clauses on the wrong noun."""
    best, best_d = None, None
    for act in acts:
        d = _tree_distance(out.token, act.token)
        if d is None:
            d = _tree_distance(act.token, out.token)
        if d is not None and (best_d is None or d < best_d):
            best, best_d = act, d
    if best is not None:
        return best
    subject = next((c for c in out.token.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.lower_ in RELATIVE_PRONOUNS:
        before = [a for a in acts if a.token.i < out.token.i]
        if before:
            return before[-1]
    typed = [a for a in acts if a.event_type is not None]
    if len({a.event_type for a in typed}) == 1 and typed[0].token.i < out.token.i:
        return typed[0]  # 'The blast left at least 12 people dead': one act told, the toll is its toll
    return None


def _told_as_cause(out: Found, act: Found, lex: Lexicon) -> bool:
    """Is the outcome the reason for a protest or riot ('after a man died in custody', 'over the killing
    of a student') rather than its toll?"""
    if (act.event_type or "").partition(" / ")[0] not in lex.cause_types:
        return False
    path = [out.token, *_ancestors(out.token)]
    for t in path:
        if t.i == act.token.i:
            break
        if any(c.dep_ == "mark" and c.lower_ in lex.cause_markers for c in t.children):
            return True
        if t.dep_ == "prep" and t.lower_ in lex.cause_markers:
            return True
    return False


def _deadly(f: Found, lex: Lexicon) -> bool:
    return any(lex.count_kinds.get(o.lemma) == "killed" and _has_victim(o, lex) for o in [f, *f.outcomes])


def fold(found: list[Found], lex: Lexicon) -> list[Found]:
    # a trigger word naming another's weapon is part of it ('targeted a warplane with a missile')
    gear = {t.i for f in found for t in Context(f.token, f.tokens, lex).group("instrument")}
    found = [f for f in found if f.token.i not in gear]
    acts = [f for f in found if f.trigger.role != "outcome"]
    outcomes = [f for f in found if f.trigger.role == "outcome"]
    # 'neutralised' people are a toll like killed ones (cues: toll_acts)
    tolls = {id(a) for a in acts if a.lemma in lex.toll_acts and _has_victim(a, lex)}
    outcomes = sorted(outcomes + [a for a in acts if id(a) in tolls], key=lambda f: f.token.i)
    acts = [a for a in acts if id(a) not in tolls]
    # 'two protesters were killed': people named by a trigger word are who the outcome befell, not an act
    victims = {t.i for out in outcomes for t in Context(out.token, out.tokens, lex).group("victim")}
    acts = [a for a in acts if not (a.token.i in victims and a.lemma in lex.person_triggers)]
    standing: list[Found] = []
    for out in outcomes:
        # a development kills nobody: 'A soldier was killed ...; 6 suspects were later arrested' is the
        # toll of the attack told before, not of the arrests
        deadly = lex.count_kinds.get(out.lemma) == "killed"
        act = _related_act(out, [a for a in acts if not (
            deadly and (a.event_type or "").startswith("Strategic developments"))])
        if act is not None and _told_as_cause(out, act, lex):
            continue  # 'rioted after a man died in custody': the death is why, not what the riot did
        if act is not None:
            act.outcomes.append(out)
        elif _has_victim(out, lex):
            # 'Two soldiers were killed on Monday' (but not 'Saturday's deaths'): often the toll of an act
            # told just before, which then gives it its type (see `_toll_of_previous_act`); one whose own
            # words give no type ('Both died.') stands only as such a toll
            out.score = min(out.score, OUTCOME_SCORE)
            out.standing = True
            standing.append(out)
    for act in acts:
        # an act typed by its word alone is told by whom it killed: 'raided the compound, killing three
        # members of one family' is an attack on civilians, not a battle
        told = {o.event_type for o in act.outcomes if o.score == 1.0 and _has_victim(o, lex)}
        retyped = lex.typed_by_victims.get(act.event_type or "")
        one_sided = not lex.matches("@clash_word", act.tokens)  # 'clashes' stay a fight whoever died
        if act.score < 1.0 and retyped in told and len(told) == 1 and one_sided:
            act.event_type = retyped
        upgraded = lex.upgraded_by_victims.get(act.event_type or "")
        deadly = {o.event_type for o in act.outcomes if o.score == 1.0 and _has_victim(o, lex)
                  and lex.count_kinds.get(o.lemma) == "killed"}
        if upgraded in deadly:  # 'fired tear gas at demonstrators, killing one protester'
            act.event_type = upgraded
    # outcomes told together without an act are one toll ('Four civilians were killed and nine wounded'):
    # those whose own words give no type join the first that has one
    typed = [o for o in standing if o.event_type is not None]
    host_toll = typed[0] if typed else (standing[0] if standing else None)
    for out in [o for o in standing if o.event_type is None and o is not host_toll]:
        host_toll.outcomes.append(out)
        standing.remove(out)
    # nested mentions of one type are one mention ('shot down a drone, keeping up a clash'), unless
    # each has its own actor ('shot down two warplanes after air defenses shot down one of its drones')
    merged: list[Found] = []
    for f in sorted(acts + standing, key=lambda f: f.token.i):
        host = next((m for m in merged if m.event_type == f.event_type
                     and (_tree_distance(f.token, m.token) is not None or _tree_distance(m.token, f.token)
                          is not None)
                     and not _distinct_subjects(m, f, lex)), None)
        if host is None:
            merged.append(f)
        else:
            host.absorbed.append(f)
            host.outcomes.extend(f.outcomes)
            host.score = max(host.score, f.score)
    # one incident told with two types in a sentence is coded as the one that says more (ACLED): the
    # fighting in 'recaptured the town after two days of fighting' is how the town changed hands
    out: list[Found] = []
    for f in merged:
        host = next((m for m in merged if m is not f and m.event_type is not None
                     and f.event_type in lex.absorbs.get(m.event_type, ())
                     # a development kills nobody: an act with its own dead stays an event of its own
                     and not (m.event_type.startswith("Strategic developments") and _deadly(f, lex))), None)
        if host is None:
            out.append(f)
        else:
            host.absorbed.append(f)
            host.outcomes.extend(f.outcomes)
    return out


# --------------------------------------------------------------------------------------------- building

def _text_span(tokens: list[Token], offset: int) -> TextSpan | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc.user_data.get("source_text") or doc.text  # as written, not the parser's stand-ins
    return TextSpan(text[start:end], offset + start, offset + end)


def _actor_tokens(head: Token | None) -> list[Token]:
    if head is None:
        return []
    owner = next((g for c in head.children if c.dep_ == "acl" and c.lower_ in ("belonging", "belonged")
                  for g in _pobjs(c, {"to"})), None)
    return _phrase(owner if owner is not None else head)


def _roles(f: Found, lex: Lexicon) -> tuple[Token | None, Token | None]:
    """(actor1 head, actor2 head) for a mention."""
    t = f.token
    if t.pos_ in ("VERB", "AUX"):
        actor1 = _subject_token(t, lex)
        # 'opened fire on worshippers', 'fired shots into homes': what is fired is no actor, whom at is
        trigger_ids = {x.i for x in f.tokens}
        objects = [o for o in _object_tokens(t) if o.i not in trigger_ids and not lex.matches("@fired", [o])]
        targets = _pobjs(t, TARGET_PREPS) if len(objects) < len(_object_tokens(t)) else []
        actor2 = objects[0] if objects else (targets[0] if targets else None)
    else:
        actor1 = _noun_agent(t, lex)
        targets = _pobjs(t, TARGET_PREPS) or (_pobjs(t.head, TARGET_PREPS) if t.head.lemma_.lower()
                                               in lex.light_verbs else [])
        objects = _object_tokens(t)
        actor2 = targets[0] if targets else (objects[0] if objects else None)
        between = _pobjs(t, {"between"}) or (_pobjs(t.head, {"between"}) if t.dep_ in SUBJECT_DEPS else [])
        if between:  # 'clashes between A and B', 'fighting raged between A and B'
            a = between[0]
            b = next((c for c in a.children if c.dep_ == "conj"), None)
            actor1, actor2 = a, b if b is not None else actor2
        withs = _pobjs(t, {"with"})
        if withs and actor2 is None and f.event_type and f.event_type.startswith("Battles"):
            actor2 = withs[0]
    if f.trigger.role == "outcome":
        # 'A police officer also died': whoever the outcome befell is acted on, never the actor
        victims = {v.i for v in Context(t, f.tokens, lex).group("victim")}
        if actor1 is not None and actor1.i in victims:
            actor1, actor2 = None, actor1
    if actor2 is not None and actor2.pos_ == "PRON":
        actor2 = _resolve_pronoun(actor2, lex)
    if actor1 is not None and actor1.pos_ == "PRON":
        actor1 = _resolve_pronoun(actor1, lex)
    if actor2 is not None and actor2.pos_ == "NUM" and not any(c.dep_ == "prep" for c in actor2.children):
        actor2 = None  # 'over 50 were killed': a figure names nobody ('one of its drones' does)
    if actor1 is not None and actor1.ent_type_ in ("DATE", "TIME"):
        actor1 = None
    if actor2 is not None and (actor2.ent_type_ in ("DATE", "TIME") or _is_place(actor2, lex, f.event_type)):
        actor2 = None  # 'strikes on Saraqeb': Saraqeb is where, not whom
    if f.event_type in lex.territory_types and not (
            actor2 is not None and lex.matches(["@armed", "@state_word", "@nonstate_word"], [actor2])):
        # the ground taken is where, not whom: the other side is the one it was taken from
        loser = Context(t, f.tokens, lex).group("loser")
        actor2 = _head_of(loser) if loser else None
    if actor2 is None:
        for out in f.outcomes:  # the people the act killed are who it was done to
            victims = Context(out.token, out.tokens, lex).group("victim")
            if victims:
                actor2 = _head_of(victims)
                break
    if actor1 is None:
        for other in f.absorbed:
            a1, _ = _roles(other, lex)
            if a1 is not None:
                actor1 = a1
                break
    return actor1, actor2


def _is_place(token: Token, lex: Lexicon, event_type: str | None) -> bool:
    """'strikes on Saraqeb': Saraqeb is where, not whom. A country named as the other side of a battle
    ('Turkey fought Syria') stays an actor."""
    if token.ent_type_ in ("LOC", "FAC") or token.lemma_.lower() in lex.place_nouns:
        return True
    if token.ent_type_ == "GPE":
        return not (event_type or "").startswith("Battles / Armed clash")
    return lex.in_class("territory", [token])


def _instrument(f: Found, lex: Lexicon) -> Token | None:
    ctx = Context(f.token, f.tokens, lex)
    tokens = ctx.group("instrument")
    if tokens:
        return _head_of(tokens)
    return None


LABEL_LEMMAS = {"fatality", "death", "toll"}  # 'Fatalities: 5.', 'Death toll: 12'
COUNT_DETERMINERS = {"a", "an", "the", "both", "another", "each", "its", "his", "her", "their", "one"}


def _counted(head: Token, kind: str, lex: Lexicon) -> bool:
    """'captured the village': a count of people needs people. Whom a killing or a wounding is done to is
    people whatever the noun ('a schoolteacher', 'the bomber'), unless it is a place or a date."""
    if kind in ("killed", "wounded") and head.pos_ in ("NOUN", "PROPN"):
        if lex.matches(["@territory", "@vehicle", "@fired", "@weapon_cache", "@residence", "@civil_site"],
                       [head]):
            return False  # '3 burned-out trucks' among the bodies found are no dead
        if head.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "TIME") \
                and head.lemma_.lower() not in lex.by_first_word:
            return True
    return kind == "destroyed" or head.pos_ in ("NUM", "PRON") or head.lower_ in ("another", "third") \
        or any(c.dep_ == "nummod" for c in head.children) \
        or lex.matches(["@armed", "@civilian", "@person", "@protester"], [head]) \
        or head.ent_type_ in ("PERSON", "NORP", "CARDINAL")


def _count_tokens(head: Token, trigger: set[int]) -> list[Token]:
    """The words of one count: 'more than 90 Syrian troops', and a phrase without a figure keeps its
    determiner, which says how many ('A Ukrainian soldier', 'Both crew members', 'the pilot'). Words of the
    trigger the parser hung on the phrase are not part of it ('shot dead 2 demonstrators')."""
    tokens = _phrase(head)
    while len(tokens) > 1 and tokens[0].i in trigger:
        tokens = tokens[1:]
    if head.lower_ in ("third", "second", "fourth", "fifth") and any(c.lower_ in ("a", "another")
                                                                      for c in head.children):
        return [c for c in head.children if c.lower_ in ("a", "another")] + [head]
    ages = {t.i for t in tokens if (t.pos_ == "NUM" or t.like_num) and t.i + 2 < len(t.doc)
            and t.doc[t.i + 2].lower_ in ("year", "years", "month", "months")}  # 'a 24-year-old sepoy'
    if not any((t.pos_ == "NUM" or t.like_num) and t.i not in ages for t in tokens):
        det = next((c for c in head.lefts if c.dep_ in ("det", "poss", "predet", "nummod")
                    and c.lower_ in COUNT_DETERMINERS), None)
        if det is not None and det.i < tokens[0].i:
            tokens = list(head.doc[det.i: tokens[-1].i + 1])
    return tokens


def _other_outcome_follows(token: Token, kind: str, lex: Lexicon) -> bool:
    """'12 people dead and 30 wounded': the 30 are a count of another kind, told by the word after them."""
    doc = token.doc
    for t in doc[token.i + 1: min(token.i + 3, len(doc))]:
        other = lex.count_kinds.get(t.lemma_.lower()) or lex.count_kinds.get(t.lower_)
        if other is not None:
            return other != kind
    return False


def _count_spans(f: Found, lex: Lexicon, offset: int) -> list[CountSpan]:
    counts: list[CountSpan] = []
    for carrier in [f, *f.outcomes, *f.absorbed]:
        kind = lex.count_kinds.get(carrier.lemma)
        if kind is None and " " not in carrier.lemma:  # 'beat back' is no beating
            kind = lex.count_kinds.get(carrier.token.lemma_.lower())
        if kind is None or (kind == "captured" and carrier is f and f.event_type in lex.territory_types):
            continue  # 'captured Ras al-Ain': the ground taken is no count of people
        victims = Context(carrier.token, carrier.tokens, lex).group("victim")
        if not victims:
            continue
        if kind in ("wounded", "destroyed") and lex.death_phrases.matches(list(carrier.token.subtree)):
            kind = "killed"
        # 'A gendarme and two separatist fighters were killed': the parser may give each its own head
        ids = {v.i for v in victims}
        tops = [_head_of(victims)] + [v for v in victims if v.dep_ in ("nsubjpass", "dobj", "nsubj")
                                      and v.head.i == carrier.token.i and v.head.i not in ids]
        heads: list[Token] = []
        for head in tops:
            if head.pos_ == "PRON" and head.lower_ not in ("another", "one"):
                head = _resolve_pronoun(head, lex)
                if head is None:
                    continue
            if _counted(head, kind, lex) and all(head.i != h.i for h in heads):
                heads.append(head)
        # 'killed 8 Taliban and 2 soldiers': each group named is a count of its own
        for h in heads:
            heads.extend(c for c in h.children if c.dep_ == "conj"
                         and c.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and _counted(c, kind, lex)
                         and not _other_outcome_follows(c, kind, lex))
        for h in heads:
            span = _text_span(_count_tokens(h, {t.i for t in carrier.tokens}), offset)
            if span is not None and not any((c.start, c.end, c.kind) == (span.start, span.end, kind)
                                            for c in counts):  # 'beaten and burned to death': one count
                counts.append(CountSpan(span.text, span.start, span.end, kind=kind, who=h.lemma_.lower()))
    return counts


def _located(head: Token, lex: Lexicon) -> bool:
    """Does the syntax put this name as a location: after a locative preposition ('near Saraqeb', 'in the
    town of Saraqeb'), naming a place noun ('Idlib province', 'Syria's Idlib province', 'the Tel Tokan hill')
    or in apposition to one? Subjects, agents and names inside other nouns ('Damascus-Aleppo highway',
    'Russia-backed') are not locations."""
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        prep = head.head
        if prep.lower_ == "of":
            return prep.head.lemma_.lower() in lex.place_nouns or prep.head.lower_ in lex.near_words
        return prep.lower_ in lex.locative_prepositions
    if head.dep_ in ("compound", "poss", "appos", "nmod") and head.head.lemma_.lower() in lex.place_nouns:
        return True
    if head.dep_ == "appos" and head.head.ent_type_ in PLACE_LABELS:
        return True
    return head.dep_ == "ROOT" and len(head.doc) <= 4


def _place_heads(doc: Doc, lex: Lexicon) -> list[list[Token]]:
    """Place names in the sentence: the NER's places, and proper names the NER mislabels ('Saraqeb' came out
    an organisation, 'Maaret al-Numan' a person), where the syntax says they are locations."""
    spans: list[list[Token]] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and _located(ent.root, lex):
            spans.append(list(ent))
            taken.update(t.i for t in ent)
    for t in doc:
        if t.i in taken or t.pos_ != "PROPN" or not t.text[:1].isupper():
            continue
        if t.ent_type_ in ("NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"):
            continue
        head = t
        while head.dep_ in ("compound", "flat") and head.head.pos_ == "PROPN":
            head = head.head
        if not _located(head, lex):
            continue
        if head.dep_ == "compound" and head.head.pos_ == "NOUN":  # 'the Tel Tokan hill': every name part
            name = [x for c in head.head.children if c.dep_ == "compound" and c.pos_ == "PROPN"
                    for x in c.subtree]
        else:
            name = _phrase(head)
        name = [x for x in name if x.pos_ == "PROPN" or x.lower_ in NAME_PARTICLES]
        while name and name[0].lower_ in ("-", "'", "’"):
            name = name[1:]
        if name and not any(x.i in taken for x in name):
            spans.append(name)
            taken.update(x.i for x in name)
    return sorted(spans, key=lambda s: s[0].i)


def _relation(tokens: list[Token], lex: Lexicon) -> str:
    """How the place stands to the event: 'in', 'near', 'northwest of', from the words that govern it."""
    head = _head_of(tokens)
    t = head
    for _ in range(5):
        if t.head.i == t.i:
            break
        parent = t.head
        word = parent.lower_
        if parent.dep_ in ("prep", "agent") or parent.pos_ == "ADP":
            if word == "of":
                above = parent.head
                if above.lower_ in lex.near_words:
                    return f"{above.lower_} of"
                t = above
                continue
            return "near" if word in lex.near_words or word == "from" else word
        if parent.lemma_.lower() in lex.place_nouns:
            if parent.lemma_.lower() in ("outskirts", "countryside", "vicinity", "environs", "outskirt"):
                return "near"
            t = parent
            continue
        break
    return "in"


def _places(f: Found, place_spans: list[list[Token]], exclude: set[int], lex: Lexicon, offset: int
            ) -> list[PlaceSpan]:
    ctx = Context(f.token, f.tokens, lex)
    levels = [
        {t.i for t in ctx.group("object") + ctx.group("target")},
        {t.i for t in ctx.group("near")},
        {t.i for t in f.token.subtree} | {t.i for a in f.absorbed for t in a.token.subtree},
        {t.i for t in f.token.doc},
    ]
    # a name the act is done to is where it happened ('captured Maaret al-Numan', 'hit Qaminas')
    known = {t.i for span in place_spans for t in span}
    for head in _object_tokens(f.token):
        if head.pos_ == "PROPN" and head.i not in known and head.ent_type_ not in ("PERSON", "NORP", "ORG") \
                or head.ent_type_ in PLACE_LABELS and head.i not in known:
            name = [x for x in _phrase(head) if x.pos_ == "PROPN" or x.lower_ in NAME_PARTICLES]
            if name:
                place_spans = [*place_spans, name]
    ordered: list[PlaceSpan] = []
    seen: set[int] = set()
    for level in levels:
        for span in place_spans:
            first = span[0].i
            if first in seen or first in exclude or first not in level:
                continue
            seen.add(first)
            # 'Idlib province', 'Aleppo countryside': keep the noun that says what kind of place it is
            tokens = list(span)
            doc = f.token.doc
            if first >= 2 and doc[first - 1].lower_ == "of" and doc[first - 2].lemma_.lower() in (
                    "province", "governorate", "region", "district"):
                tokens = [doc[first - 2], doc[first - 1], *tokens]  # 'the province of Idlib'
            nxt = tokens[-1].i + 1
            if nxt < len(f.token.doc) and f.token.doc[nxt].lemma_.lower() in (
                    "province", "governorate", "countryside", "region", "city"):
                tokens.append(f.token.doc[nxt])
            ts = _text_span(tokens, offset)
            if ts:
                ordered.append(PlaceSpan(ts.text, ts.start, ts.end, relation=_relation(span, lex)))
    return ordered


def _time(f: Found, times: list[tuple[int, int, str]], offset: int) -> TextSpan | None:
    if not times:
        return None
    clause = {t.idx for t in _clause(f.token)} | {t.idx for t in f.token.subtree}
    for a in f.absorbed + f.outcomes:
        clause |= {t.idx for t in a.token.subtree}
    for start, end, text in times:
        if any(start <= i < end for i in clause):
            return TextSpan(text, offset + start, offset + end)
    if len(times) == 1:
        start, end, text = times[0]
        return TextSpan(text, offset + start, offset + end)
    return None


def _attribution(f: Found, lex: Lexicon, previous: str | None) -> tuple[str | None, list[Token], bool]:
    """(who says so, the tokens naming them, whether the report leans on a hedge verb like 'claim')."""
    doc = f.token.doc
    for anc in _ancestors(f.token):
        lemma = anc.lemma_.lower()
        if anc.pos_ not in ("VERB", "AUX") or lemma not in lex.reporting_verbs:
            continue
        hedge = lemma in ("claim", "allege")
        if lemma in lex.quoting_verbs:
            obj = next((c for c in anc.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None:
                tokens = _phrase(obj)
                return " ".join(t.text for t in tokens), tokens, hedge
        subj = next((c for c in anc.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is None:
            continue
        if subj.lower_ in PERSONAL_PRONOUNS:
            return previous, [], hedge
        tokens = _phrase(subj)
        return doc[tokens[0].i: tokens[-1].i + 1].text, tokens, hedge
    for t in doc:
        if t.lower_ == "according":
            objs = [g for c in t.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
            if objs:
                tokens = _phrase(objs[0])
                return doc[tokens[0].i: tokens[-1].i + 1].text, tokens, False
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is not None and root.lemma_.lower() in lex.reporting_verbs and root.i != f.token.i:
        subj = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None and subj.lower_ not in PERSONAL_PRONOUNS:
            tokens = _phrase(subj)
            return doc[tokens[0].i: tokens[-1].i + 1].text, tokens, False
        if subj is not None:
            return previous, [], False
    return None, [], False


def _hedged(f: Found, lex: Lexicon) -> bool:
    tokens = list(f.token.subtree) + _clause(f.token)
    tokens += [c for anc in _ancestors(f.token, 4) for c in anc.children if c.dep_ in ("advmod", "aux")]
    tokens += [anc for anc in _ancestors(f.token, 4)]
    return lex.hedges.matches(sorted(set(tokens), key=lambda t: t.i))


def mention_id(doc_id: str, sentence_index: int, char: int) -> str:
    digest = hashlib.blake2b(f"{doc_id}:{sentence_index}:{char}".encode(), digest_size=6).hexdigest()
    return "m-" + digest


@dataclass
class Reading:
    """What a document's earlier sentences leave to the next: the source a 'He said ...' refers back to, and
    the last act told, whose toll a following 'Three civilians were killed.' gives."""

    source: str | None = None
    act_type: str | None = None  # "Event type / Sub-event type"
    act_sentence: int = -1
    off_topic_sentence: int = -99  # the last sentence about a disaster, a crime or sport


def _toll_of_previous_act(parsed: Doc, sentence_index: int, reading: Reading, lex: Lexicon) -> str | None:
    """The type a toll told without its act takes from the act told just before ('Russian forces shelled
    Kharkiv. Three civilians were killed.' is the shelling's toll), unless the sentence opens another
    incident ('Separately, ...') or the act is not one that kills (an arrest, a peaceful march)."""
    act = reading.act_type
    if act is None or sentence_index - reading.act_sentence > lex.toll_reach:
        return None
    if act not in lex.toll_takers and act.partition(" / ")[0] not in lex.toll_takers:
        return None
    if lex.new_incident.matches(list(parsed)):
        return None
    return act


def _refers_back(f: Found, lex: Lexicon) -> bool:
    """'the attack', 'the raid': a word that names no kind of act, typed by itself alone and with a definite
    article, names the act told just before rather than a new one ('the strikes' still says air strikes)."""
    t = f.token
    return f.score < 1.0 and t.pos_ == "NOUN" and f.lemma in lex.referring_nouns \
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)


def sentence_mentions(parsed: Doc, *, doc_id: str, sentence_index: int, offset: int, sentence_text: str,
                      lex: Lexicon, reading: Reading) -> list[Mention]:
    """The mentions of one parsed sentence (offset: where it starts in the document's text). `reading` carries
    what earlier sentences said and is updated for the next ones."""
    found = fold(realis(find_triggers(parsed, lex), lex), lex)
    previous_source = reading.source
    tokens = list(parsed)
    on_topic = lex.matches(lex.on_topic, tokens)
    if not on_topic and not any(f.event_type for f in found) and lex.matches(lex.off_topic, tokens):
        reading.off_topic_sentence = sentence_index
    elif not on_topic and found and sentence_index - reading.off_topic_sentence <= lex.toll_reach:
        # 'Police arrested a man suspected of strangling his girlfriend. He was detained at a bus station.':
        # a sentence with no conflict word goes on with the report's disaster, crime or game
        found = []
    source_here = None
    mentions: list[Mention] = []
    if not found:
        reading.source = _sentence_source(parsed, lex) or previous_source
        return mentions
    place_spans = _place_heads(parsed, lex)
    times = find_time_expressions(parsed.text)
    toll_type = _toll_of_previous_act(parsed, sentence_index, reading, lex) \
        if any(f.standing for f in found) else None
    first_act = None
    referred = _toll_of_previous_act(parsed, sentence_index, reading, lex)
    for f in found:
        if f.standing and toll_type is not None:
            f.event_type = toll_type
        elif referred is not None and _refers_back(f, lex):
            f.event_type = referred  # 'Gunmen raided a village. The death toll from the attack rose to 18.'
        if f.event_type is None:
            continue
        if not f.standing and first_act is None:
            first_act = f.event_type  # the sentence's main act, whose toll the next sentence may give
        attributed, source_tokens, hedge_verb = _attribution(f, lex, previous_source)
        source_here = source_here or (attributed if source_tokens else None)
        actor1, actor2 = _roles(f, lex)
        territorial = f.event_type in lex.territory_types  # actor 2: the side the ground was taken from
        if actor2 is not None and not territorial and any(actor2.i == t.i for span in place_spans
                                                          for t in span):
            actor2 = None  # 'pounding Saraqeb': the name the NER took for an organisation is the place
        a1 = _actor_tokens(actor1)
        a2 = _actor_tokens(actor2)
        instrument = _instrument(f, lex)
        exclude = {t.i for t in a1} | {t.i for t in source_tokens}
        if territorial:
            exclude |= {t.i for t in a2}
        event_type, _, sub_type = f.event_type.partition(" / ")
        trigger_tokens = sorted(f.tokens, key=lambda t: t.i)
        mentions.append(Mention(
            id=mention_id(doc_id, sentence_index, f.token.idx),
            doc_id=doc_id,
            sentence_index=sentence_index,
            start=offset,
            end=offset + len(sentence_text),
            sentence=sentence_text,
            trigger=_text_span(trigger_tokens, offset),
            event_type=event_type.strip(),
            sub_event_type=sub_type.strip(),
            actor1=_text_span(a1, offset),
            actor2=_text_span(a2, offset),
            instrument=_text_span(_phrase(instrument), offset) if instrument is not None else None,
            places=_places(f, place_spans, exclude, lex, offset),
            time=_time(f, times, offset),
            counts=_count_spans(f, lex, offset),
            attributed_to=attributed,
            hedged=hedge_verb or _hedged(f, lex),
        ))
    if first_act is not None:
        reading.act_type, reading.act_sentence = first_act, sentence_index
    reading.source = source_here or _sentence_source(parsed, lex) or previous_source
    return mentions


def _sentence_source(parsed: Doc, lex: Lexicon) -> str | None:
    """The named source of a sentence without events, for a following 'He said ...'."""
    for t in parsed:
        if t.pos_ == "VERB" and t.lemma_.lower() in lex.reporting_verbs:
            subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None and subj.lower_ not in PERSONAL_PRONOUNS:
                tokens = _phrase(subj)
                return parsed[tokens[0].i: tokens[-1].i + 1].text
    return None


__all__ = ["Found", "find_triggers", "fold", "mention_id", "Reading", "realis", "sentence_mentions", "Span"]
