"""The tagger's role fillers placed in the events of one document.

``analyze.roles`` tags spans over the whole text (who attacked, what was attacked, who
suffered, with what); the rules (``analyze.events``) say which attacks the text tells and in
which sentences. A filler joins the attack told in its own sentence, else the nearest one
told before it (a report names the attack, then its victims), else the nearest after. Fillers
far from every attack the rules found open an attack of their own, whose evidence is the
sentences that name them: the tagger read an attack there.

The tagger learned its roles from wire copy in capitals (MUC-4), and its roles are kept where
they were measured to help. In re-cased text all of them join attacks. In text as written (modern
mixed-case news) the rules are trusted for who suffered and who is responsible: on WikiEvents dev
the tagger's victims were 0 of 28 right (people arrested or tried after an attack, the bombers
themselves) where the rules' were 22 of 23, and its organizations 0 of 2 ("Rolando Cafe"), so ``AS_WRITTEN_SKIP`` roles are not taken, and ``AS_WRITTEN_OWN_SENTENCE``
roles join only an attack told in their own sentence (targets: 4 of 29 right otherwise).

A filler that is a name (its span is mostly one entity mention) carries that entity. A
perpetrator organization (MUC-4's PerpOrg) becomes one of the event's ``perpetrators``: the
organization the span names (never a place), or, in re-cased text where the name finder missed or
clipped it ("Farabundo Marti National" for "Farabundo Marti National Liberation Front" in wire
copy), a new organization named by the span, its one mention that span.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..models import EventClaim, Evidence, Filler, LocalEntity, Mention
from ..resolve.normalize import filler_key, merge_fillers, without_article
from .roles import RoleSpan
from .lexicons import cues

FIELD_OF = {"PerpInd": "attackers", "Target": "targets", "Victim": "victims",
            "Weapon": "weapons"}
REACH_BEFORE = 4  # sentences a filler may follow the attack it belongs to
REACH_AFTER = 1  # sentences it may precede it (dev CEAF-REE: 41.0 with 1, 40.1 with 4, 40.5 with 10)
# An attack only the tagger saw needs an attacker, a perpetrator or a weapon among its fillers,
# and fillers of MIN_ROLES roles at least (measured on MUC-4 dev, the corpus gates and the negatives
# of tests/test_events_kinds.py).
ATTACK_OWN_ROLES = frozenset({"PerpInd", "PerpOrg", "Weapon"})
# WikiEvents dev micro F1: 31.7 -> 36.9 without the victims, 38.9 -> 39.3 without the organizations
AS_WRITTEN_SKIP = frozenset({"Victim", "PerpOrg"})
AS_WRITTEN_OWN_SENTENCE = frozenset({"Target"})  # 36.9 -> 38.7 (MUC-4, all re-cased, unchanged)
MIN_ROLES = 2  # dev CEAF-REE (first 100 documents): 35.6 with 2, 35.7 with 1, 31.1 never opening one


def _entity_of(span: RoleSpan, text: str, index) -> str | None:
    """The entity a filler names: one whose mention covers most of it ("the FMLN", not "two gunmen")."""
    eid = index.at(span.start, span.end)
    if eid is None:
        return None
    body = without_article(text[span.start:span.end])
    start = span.end - len(body)
    covered = sum(max(0, min(m.end, span.end) - max(m.start, start))
                  for m in index.by_id[eid].mentions if m.start < span.end and start < m.end)
    return eid if covered >= 0.6 * len(body) else None


_OF_BEFORE = re.compile(r"\bof\b", re.I)


def _owner(span: RoleSpan, text: str, index) -> str | None:
    """The one organization named inside a target that names no entity as a whole: whose property was
    attacked ("the offices of the DAS", "the El Espectador building"); never the target's last words
    unless after "of" ("electricity PYLONS" is what was attacked, whatever the name finder made of it)."""
    orgs = [m for m in index.within(span.start, span.end) if index.type_of(f"e{m.cluster}") == "organization"]
    if len({m.cluster for m in orgs}) != 1:
        return None
    m = orgs[0]
    owned = re.search(r"\w", text[m.end:span.end]) or _OF_BEFORE.search(text, span.start, m.start)
    return f"e{m.cluster}" if owned else None


def _whose_agents(text: str, end: int, agents: set[str]) -> bool:
    """Whether the span ending at ``end`` is a possessive followed by a word for those who act ("X'S TROOPS")."""
    if not re.search(r"['’]s$", text[max(0, end - 2):end], re.I):
        return False
    after = re.match(r"\s+([^\W\d_]+)", text[end:end + 40])
    return after is not None and after.group(1).lower() in agents


_ORDERER_BEFORE = re.compile(r"(?:\b(?:instructions|orders|order|command|behest)\s+(?:from|of)|\bordered\s+by|"
                             r"\bon\s+behalf\s+of)\s+(?:the\s+)?$", re.I)


def _orderer(text: str, start: int) -> bool:
    """Whether the span starting at ``start`` follows "upon instructions from", "on the orders of", "ordered
    by": whoever ordered the attack (one of its perpetrators, as MUC-4 codes them), not who suffered it."""
    return _ORDERER_BEFORE.search(text[max(0, start - 40):start]) is not None


def attach(claims: list[EventClaim], spans: list[RoleSpan], text: str, sentences: list[tuple[int, int]],
           index, evidence_at: Callable[[int, int], Evidence],
           shown: str | None = None) -> tuple[list[EventClaim], list[LocalEntity]]:
    """The claims with the tagger's fillers added (attack claims only), plus attacks only the tagger saw,
    and the organizations that only the tagger named (``shown``: the text names are read from)."""
    recased = shown is not None and shown != text  # names from a re-cased text: the name finder misses some
    shown = shown or text
    groups: dict[str, LocalEntity] = {}
    demonyms = set(cues()["demonyms"])
    facilities = set(cues()["property_units"])
    agents = set(cues()["agent_nouns"]) | set(cues()["perpetrator_nouns"]) | set(cues()["org_heads"])

    def organization(span: RoleSpan) -> str:
        name = " ".join(without_article(shown[span.start:span.end]).split())
        key = filler_key(name)
        mention = Mention(span.start, span.end, text[span.start:span.end])
        old = groups.get(key)
        if old is None:
            groups[key] = LocalEntity(id=f"r{len(groups)}", type="organization", name=name, names=(name,),
                                      mentions=(mention,))
        elif mention not in old.mentions:
            groups[key] = replace(old, mentions=old.mentions + (mention,))
        return groups[key].id

    def sentence_of(offset: int) -> int | None:
        return next((i for i, (a, b) in enumerate(sentences) if a <= offset < b), None)

    attacks = [i for i, c in enumerate(claims) if c.type == "attack"]
    told: dict[int, set[int]] = {
        i: {s for s in (sentence_of(e.start) for e in claims[i].evidence) if s is not None} for i in attacks}
    died: dict[int, set[str]] = {}  # sentence -> the people whose death the rules read there
    for c in claims:
        if c.type == "death" and c.subject:
            for e in c.evidence:
                if (s := sentence_of(e.start)) is not None:
                    died.setdefault(s, set()).add(c.subject)
    added: dict[int, dict[str, list[Filler]]] = {}
    orphans: list[tuple[int, str, Filler, RoleSpan]] = []
    for span in spans:
        si = sentence_of(span.start)
        if si is None or (not recased and span.role in AS_WRITTEN_SKIP):
            continue
        if span.role == "Target" and (start := index.name_start(span.start)) != span.start \
                and sentence_of(start) == si:
            span = replace(span, start=start)  # "[AVIANCA] AIRLINES PLANE": the whole name the filler cuts
        if span.role == "Victim" and _whose_agents(text, span.end, agents):
            continue  # "the shooting by JOSE NAPOLEON DUARTE'S TROOPS": whose troops, not who suffered
        if span.role in ("Victim", "Target") and _orderer(text, span.start):
            span = replace(span, role="PerpInd")  # "upon instructions from X": X ordered it
        eid = _entity_of(span, text, index)
        if eid is None and span.role == "Target":
            eid = _owner(span, text, index)
        kind = index.type_of(eid) if eid else None
        if span.role == "PerpOrg":
            field = "perpetrators"
            if set(filler_key(text[span.start:span.end]).split()) <= demonyms:
                continue  # "the Guatemalan [guerrillas]": a nationality names no group
            if kind == "location":
                continue  # a place is no perpetrator, whatever the tagger read ("Budennovsk")
            if kind != "organization" and not recased:
                continue  # in text as written the name finder is trusted: "(1530 UTC)" names no group
            filler = eid if kind == "organization" else organization(span)
        else:
            field = FIELD_OF[span.role]
            if span.role == "Target" and kind == "location" and filler_key(text[span.start:span.end]).rsplit(
                    " ", 1)[-1] not in facilities:
                continue  # a place named as what was attacked is where it happened (MUC-4 dev 46.10 -> 46.14),
                # unless the words name a property there ("the La Eminencia farm": a place and a target)
            filler = Filler(value=text[span.start:span.end], entity=eid,
                            evidence=(evidence_at(*sentences[si]),))
        home = next((i for i in attacks if si in told[i]), None)
        if home is None and not recased and span.role in AS_WRITTEN_OWN_SENTENCE:
            continue
        if home is None and span.role == "Victim" and eid in died.get(si, ()):
            orphans.append((si, field, filler, span))  # "connected to the death of X on 22 March": X's own
            continue  # killing, not a victim of the attack told in the sentences around it
        if home is None:
            before = [(si - max(s for s in told[i] if s <= si), i) for i in attacks
                      if any(s <= si for s in told[i])]
            after = [(min(s for s in told[i] if s > si) - si, i) for i in attacks if any(s > si for s in told[i])]
            near = min(before, default=None)
            if near is not None and near[0] <= REACH_BEFORE:
                home = near[1]
            elif after and min(after)[0] <= REACH_AFTER:
                home = min(after)[1]
        if home is None:
            orphans.append((si, field, filler, span))
            continue
        added.setdefault(home, {}).setdefault(field, []).append(filler)
    out = [_with(c, added.get(i, {})) for i, c in enumerate(claims)]
    out.extend(_new_attacks(orphans, sentences, evidence_at))
    return out, list(groups.values())


def _with(claim: EventClaim, fields: dict[str, list]) -> EventClaim:
    if not fields:
        return claim
    changes = {}
    for field, items in fields.items():
        if field == "perpetrators":
            changes[field] = tuple(dict.fromkeys(list(claim.perpetrators) + items))
        else:
            changes[field] = merge_fillers(list(getattr(claim, field)) + items)
    return replace(claim, **changes)


def _new_attacks(orphans, sentences, evidence_at) -> list[EventClaim]:
    """Fillers no rule-found attack is near: neighbouring ones (within REACH_BEFORE) make one attack."""
    groups: list[list] = []
    for o in sorted(orphans, key=lambda o: o[0]):
        if groups and o[0] - groups[-1][-1][0] <= REACH_BEFORE:
            groups[-1].append(o)
        else:
            groups.append([o])
    out = []
    for g in groups:
        if not ATTACK_OWN_ROLES & {o[3].role for o in g} or len({o[3].role for o in g}) < MIN_ROLES:
            continue  # a target or a victim alone is no attack: "the blaze at the warehouse"
        fields: dict[str, list] = {}
        for _, field, filler, _span in g:
            fields.setdefault(field, []).append(filler)
        evidence = tuple(evidence_at(*sentences[i]) for i in sorted({o[0] for o in g}))
        claim = EventClaim(type="attack", evidence=evidence)
        out.append(_with(claim, fields))
    return out
