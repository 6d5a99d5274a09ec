"""The data shapes that flow between stages: frozen dataclasses, no behaviour beyond validation.

Offsets are character offsets into ``Document.text`` (the stored, normalized text).
Dates are partial ISO strings: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, yearless ``--MM-DD`` /
``--MM``, or a decade label such as ``1990s`` / ``late 1990s`` (see ``analyze.dates``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

ENTITY_TYPES = ("organization", "person", "location")

# One vocabulary of predicates (KEY-FORMAT.md); symmetric ones match either direction.
PREDICATES = (
    "founded_by",
    "founded_on",
    "led_by",
    "spokesperson_of",
    "member_of",
    "succeeded",
    "allied_with",
    "pledged_allegiance_to",
    "based_in",
    "aims_to_overthrow",
    "designated_terrorist_by",
)
SYMMETRIC_PREDICATES = frozenset({"allied_with"})
LITERAL_PREDICATES = frozenset({"founded_on"})
EVENT_TYPES = ("attack", "death")
# Attack subtypes that can name one attack (a raid told as an assault); different families cannot.
ATTACK_FAMILIES = (
    frozenset({"assault", "raid", "armed assault", "ambush", "prison break", "shooting", "attempted assassination",
               "assassination"}),
    frozenset({"bombing", "suicide bombing", "mine/IED", "attempted assassination", "assassination"}),  # a bomb that missed its target
    frozenset({"kidnapping", "hostage-taking", "assassination"}),  # abducted, then murdered: told as either
    frozenset({"airstrike"}),
    frozenset({"arson"}),
    frozenset({"robbery"}),
    frozenset({"forced work stoppage"}),
)


def same_kind(a: str | None, b: str | None) -> bool:
    """Two attack subtypes can describe one attack: a raid and an assault can, a bombing and a kidnapping cannot."""
    if not a or not b or a == b:
        return True
    return any(a in f and b in f for f in ATTACK_FAMILIES)


@dataclass(frozen=True)
class Region:
    """A stretch of the document text and what it is: body, title, furniture or comment."""

    kind: str  # "title" | "body" | "furniture" | "comment"
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One ingested text. ``id`` is the sha256 of the normalized text."""

    id: str
    origin: str
    text: str
    title: str | None = None
    published: str | None = None  # partial ISO or None when not printed
    regions: tuple[Region, ...] = ()
    media_type: str = "text/plain"
    source: str | None = None  # the agency its wire dateline names ("Reuters", "RADIO VENCEREMOS")
    duplicate_of: str | None = None  # the earliest copy of the same story (tessera.duplicates), None for an original
    # what ingest had to do to read it: "decoded as cp1252 (detected)", "3 undecodable byte sequences replaced ..."
    warnings: tuple[str, ...] = ()

    def regions_of(self, *kinds: str) -> list[Region]:
        return [r for r in self.regions if r.kind in kinds]


@dataclass(frozen=True)
class Evidence:
    """Where a claim comes from: a span of one document and how it is sourced."""

    document: str
    start: int
    end: int
    quote: str
    attributed_to: str | None = None  # "the interior ministry", "a police commander (told AFP)" ...
    hedge: str | None = None  # "believed", "alleged", "according to one estimate" ...
    comment: bool = False  # True when the span lies in a reader comment
    extractor: str = ""
    confidence: float = 1.0
    # the earliest copy of the story when the document is a near-duplicate (set by the store when it
    # reads evidence back; None for an original): copies are one independent source
    duplicate_of: str | None = field(default=None, compare=False)

    @property
    def independent_source(self) -> str:
        """The document this evidence counts as: its own, or the earliest copy of the same story."""
        return self.duplicate_of or self.document

    def __post_init__(self) -> None:
        if not self.document or self.end <= self.start or not self.quote:
            raise ValueError(f"evidence needs a document and a non-empty span, got {self!r}")

    def to_dict(self) -> dict:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "attributed_to": self.attributed_to,
            "hedge": self.hedge,
            "comment": self.comment,
            "extractor": self.extractor,
            "confidence": self.confidence,
            "duplicate_of": self.duplicate_of,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Evidence":
        return cls(**{k: d[k] for k in d if k in cls.__dataclass_fields__})


def independent_sources(evidence) -> int:
    """How many independent sources these evidence items come from: copies of one story are one."""
    return len({e.independent_source for e in evidence if not e.comment})


def support_label(documents: int, sources: int) -> str:
    """ "3 documents, 1 independent source"; "1 document" when the two are one."""
    docs = f"{documents} document{'s' if documents != 1 else ''}"
    if documents == sources:
        return docs
    return f"{docs}, {sources} independent source{'s' if sources != 1 else ''}"


@dataclass(frozen=True)
class Mention:
    """A name in the text: ``text`` is exactly ``document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LocalEntity:
    """An entity as one document knows it: its names (surface forms) and mentions."""

    id: str  # local to the document: "e0", "e1", ...
    type: str
    name: str
    names: tuple[str, ...]
    mentions: tuple[Mention, ...]
    acronyms: tuple[str, ...] = ()  # acronyms the document defines for it


# An attack's roles as the text words them; each a tuple of Filler (models below).
ROLE_FIELDS = ("attackers", "targets", "victims", "weapons")
# Every field of an event held as Fillers: the roles, and where its reports were filed (a wire
# dateline's place: who is speaking from where, never where the event happened).
FILLER_FIELDS = (*ROLE_FIELDS, "reported_from")


@dataclass(frozen=True)
class Filler:
    """One filler of an event role as written ("two gunmen", "a police headquarters", "a car bomb"),
    the entity it names when it names one (a local id in an EventClaim, a global one in an Event),
    and where it is said."""

    value: str
    evidence: tuple[Evidence, ...]
    entity: str | None = None

    def __post_init__(self) -> None:
        if not self.value or not self.evidence:
            raise ValueError(f"a role filler needs a value and evidence, got {self!r}")


@dataclass(frozen=True)
class Quantity:
    value: int
    qualifier: str | None  # "more than", "at least", "about" ... or None when exact
    evidence: Evidence


@dataclass(frozen=True)
class RelationClaim:
    """One document's statement that subject --predicate--> object (or literal value)."""

    subject: str  # local entity id
    predicate: str
    evidence: Evidence
    object: str | None = None  # local entity id
    value: str | None = None  # literal (founded_on)
    date: str | None = None
    ended: bool = False  # "former leader": the relation held before

    def __post_init__(self) -> None:
        if self.predicate not in PREDICATES:
            raise ValueError(f"unknown predicate {self.predicate!r}; known: {', '.join(PREDICATES)}")
        if (self.object is None) == (self.value is None):
            raise ValueError("a relation claim has either an object or a value")


@dataclass(frozen=True)
class EventClaim:
    """One document's account of an event, gathered from one or more sentences."""

    type: str
    evidence: tuple[Evidence, ...]
    subtype: str | None = None
    date: str | None = None
    locations: tuple[str, ...] = ()  # local entity ids
    perpetrators: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    subject: str | None = None  # for a death: who died
    killed: tuple[Quantity, ...] = ()
    wounded: tuple[Quantity, ...] = ()
    attackers: tuple[Filler, ...] = ()  # who carried it out: "two gunmen", a named bomber
    targets: tuple[Filler, ...] = ()  # what or who was attacked: "a police headquarters"
    victims: tuple[Filler, ...] = ()  # people killed, wounded, kidnapped or attacked
    weapons: tuple[Filler, ...] = ()  # "a car bomb", "dynamite", "AK-47 rifles"
    # the place of the report's dateline ("SAN SALVADOR, 12 NOV 89 (DPA) --"): where the report was
    # filed, not where the event happened (that is ``locations``)
    reported_from: tuple[Filler, ...] = ()

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError("an event claim needs evidence")


@dataclass(frozen=True)
class DocumentAnalysis:
    """Everything the analysis of one document found. Pure data, JSON-serializable."""

    document: str
    entities: tuple[LocalEntity, ...]
    relations: tuple[RelationClaim, ...]
    events: tuple[EventClaim, ...]
    sentences: tuple[tuple[int, int], ...] = ()  # (start, end) of each mined sentence, for search
    extractors: tuple[str, ...] = ()

    def claims_only(self) -> "DocumentAnalysis":
        """What reconciling its claims reads: the relation and event claims, and the persons' names (an
        event's victims described by their titles); no mentions, no sentences."""
        return replace(self, entities=tuple(replace(e, mentions=()) for e in self.entities if e.type == "person"),
                       sentences=())


# ---- resolved, cross-document shapes (what the store holds and queries return) ----


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    documents: int = 0
    mentions: int = 0


@dataclass(frozen=True)
class Merge:
    """Why two names were taken for one entity: kept so a person can review it."""

    entity: str
    name: str
    into: str
    reason: str

    BY_NAME: ClassVar[str] = "same name '"  # how the reason of a merge by a shared name key begins (``by_name``)

    @staticmethod
    def by_name(key: str) -> str:
        """The reason of a merge by a shared name key: the first merges the resolver logs for an entity."""
        return f"{Merge.BY_NAME}{key}'"


@dataclass(frozen=True)
class EventMerge:
    """Why the account of one document was taken for an event opened by another: kept for review."""

    event: str
    document: str
    reason: str  # "same day 1989-11-16; place San Salvador; dates agree"
    score: float


@dataclass(frozen=True)
class Relation:
    id: str
    subject: str
    predicate: str
    evidence: tuple[Evidence, ...]
    object: str | None = None
    value: str | None = None
    date: str | None = None
    ended: bool = False

    @property
    def support(self) -> int:
        """Independent sources that say it: a document and its near-duplicates count once (no reader comments)."""
        return independent_sources(self.evidence)

    @property
    def documents(self) -> int:
        """Documents that say it, copies of one story each counted (no reader comments)."""
        return len({e.document for e in self.evidence if not e.comment})


@dataclass(frozen=True)
class ValueWithEvidence:
    value: str | int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    evidence: tuple[Evidence, ...]
    subtype: str | None = None
    date: str | None = None
    locations: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    subject: str | None = None
    killed: tuple[ValueWithEvidence, ...] = ()
    wounded: tuple[ValueWithEvidence, ...] = ()
    dates: tuple[ValueWithEvidence, ...] = ()
    attackers: tuple[Filler, ...] = ()
    targets: tuple[Filler, ...] = ()
    victims: tuple[Filler, ...] = ()
    weapons: tuple[Filler, ...] = ()
    reported_from: tuple[Filler, ...] = ()  # the datelines' places of its reports (not its place)

    @property
    def support(self) -> int:
        """Independent sources that say it: a document and its near-duplicates count once (no reader comments)."""
        return independent_sources(self.evidence)

    @property
    def documents(self) -> int:
        """Documents that say it, copies of one story each counted (no reader comments)."""
        return len({e.document for e in self.evidence if not e.comment})


@dataclass(frozen=True)
class Conflict:
    id: str
    about: str  # relation or event id
    field: str
    values: tuple[ValueWithEvidence, ...]


@dataclass(frozen=True)
class BuildReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)

    @property
    def ok(self) -> bool:
        return bool(self.added or self.unchanged)
