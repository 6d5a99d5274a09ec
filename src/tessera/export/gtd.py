"""Global Terrorism Database rows: one CSV row per attack, with GTD's core columns and its evidence.

The mapping of attack subtypes, weapons and targets onto GTD's codes is data
(``gtd_codes.json``); README "Export formats" says which columns are filled and how.
"""
from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from .snapshot import Snapshot, date_parts, documents_of, event_evidence, joined, support

CODES_FILE = Path(__file__).with_name("gtd_codes.json")

GTD_COLUMNS = (
    "eventid", "iyear", "imonth", "iday", "approxdate", "country_txt", "provstate", "city", "latitude", "longitude",
    "specificity", "location", "summary", "suicide", "attacktype1", "attacktype1_txt", "targtype1", "targtype1_txt",
    "target1", "gname", "gname2", "gname3", "claimed", "weaptype1", "weaptype1_txt", "weaptype2", "weaptype2_txt",
    "weapdetail", "nkill", "nwound", "ishostkid", "scite1", "scite2", "scite3", "dbsource",
)
# Tessera's own columns after GTD's: where each row comes from and what the sources said.
TESSERA_COLUMNS = ("tessera_event", "tessera_subtype", "tessera_date", "tessera_perpetrators", "nkill_reported",
                   "nwound_reported", "document_ids", "origins")
COLUMNS = GTD_COLUMNS + TESSERA_COLUMNS


@lru_cache(maxsize=1)
def codes() -> dict:
    """The mapping tables (gtd_codes.json), with each word list compiled to one pattern."""
    data = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    for table in ("weapon_types", "target_types"):
        for cat in data[table]:
            cat["pattern"] = _words(cat["words"])
    data["suicide_pattern"] = _words(data["suicide_words"])
    return data


def _words(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w.lower()) for w in words) + r")(?!\w)")


def _categories(table: str, texts: list[str]) -> list[dict]:
    """Categories of ``table`` any of ``texts`` names, in the table's order of precedence."""
    lowered = [t.lower() for t in texts]
    return [cat for cat in codes()[table] if any(cat["pattern"].search(t) for t in lowered)]


def _best(values: list[dict]) -> int | None:
    """The figure most documents give; the lower one when as many documents give each.

    A figure with a qualifier counts as its number ("at least 6" -> 6, as GTD records minimums)."""
    numbered = [(n, v) for v in values if (n := _number(v["value"])) is not None]
    if not numbered:
        return None
    return min(numbered, key=lambda nv: (-support(nv[1]["evidence"]), nv[0]))[0]


def _number(value) -> int | None:
    if isinstance(value, int):
        return value
    m = _NUMBER.search(str(value))
    return int(m[0].replace(",", "")) if m else None


_NUMBER = re.compile(r"\d[\d,]*")


def _reported(values: list[dict]) -> str:
    return joined(f"{v['value']} ({support(v['evidence'])} doc{'s' if support(v['evidence']) != 1 else ''})"
                  for v in values)


def _place(snap: Snapshot, event: dict) -> dict:
    """The most specific place of the event that carries a geo field (a city before its region or country)."""
    rank = codes()["place_kinds"]
    found = []
    for i, eid in enumerate(event.get("locations", ())):
        e = snap.entity(eid)
        geo = (e or {}).get("geo")
        if geo:
            found.append((list(rank).index(geo.get("kind")) if geo.get("kind") in rank else len(rank), i, e, geo))
    if not found:
        return _filed_country(snap, event)
    _r, _i, entity, geo = min(found, key=lambda t: t[:2])
    out = {"country_txt": geo.get("country")}
    kind = geo.get("kind")
    if kind == "city":
        out["city"] = geo.get("name") or entity["name"]
    if kind in ("admin1", "admin2", "city"):
        out["provstate"] = geo.get("admin1") or (geo.get("name") if kind == "admin1" else None)
    lat, lon = geo.get("latitude"), geo.get("longitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        out.update(latitude=lat, longitude=lon, specificity=rank.get(kind))
    return out


def _filed_country(snap: Snapshot, event: dict) -> dict:
    """An event that names no place of its own: the country its reports were all filed from (their
    datelines), said as such in ``location``; nothing when they name none or several countries."""
    filed = [(snap.entity(f["entity"]) or {}) for f in event.get("reported_from", ()) if f.get("entity")]
    countries = {(e.get("geo") or {}).get("country") for e in filed}
    if len(countries) != 1 or None in countries:
        return {}
    names = joined(dict.fromkeys(e.get("name") for e in filed))
    return {"country_txt": countries.pop(), "location": f"place not given; reported from {names} (dateline)"}


def _summary(event: dict, year, month, day) -> str:
    quotes = [q if q[-1:] in ".!?\"\u201d" else q + "." for q in
              list(dict.fromkeys(e["quote"].strip() for e in event.get("evidence", ())))[:3]]
    when = f"{month:02d}/{day:02d}/{year:04d}" if year and month and day else (event.get("date") or "")
    return (f"{when}: " if when else "") + " ".join(quotes)


def _citation(doc: dict) -> str:
    parts = [f"\u201c{doc['title']}\u201d" if doc.get("title") else None, doc.get("source"), doc.get("published"),
             doc.get("origin")]
    return ", ".join(p for p in parts if p)


def rows(snap: Snapshot) -> list[dict]:
    """One dict per attack event, keyed by ``COLUMNS``."""
    c = codes()
    attack_types = c["attack_types"]
    attacks = [ev for ev in snap.events if ev["type"] == "attack"]
    dated = []
    for ev in attacks:
        year, month, day = date_parts(ev.get("date"))
        dated.append((f"{year or 0:04d}{month or 0:02d}{day or 0:02d}", ev["id"], ev, (year, month, day)))
    out = []
    sequence: dict[str, int] = {}
    for prefix, _id, ev, (year, month, day) in sorted(dated):
        sequence[prefix] = sequence.get(prefix, 0) + 1
        subtype = ev.get("subtype")
        attack = c["attack_subtypes"].get(subtype or "", 9)
        weapons = [f["value"] for f in ev.get("weapons", ())]
        attackers = [f["value"] for f in ev.get("attackers", ())]
        found = _categories("weapon_types", weapons)
        if not found and subtype in c["subtype_weapons"]:
            code = c["subtype_weapons"][subtype]
            found = [w for w in c["weapon_types"] if w["code"] == code]
        if not found:
            found = _categories("weapon_types", attackers)
        weapon1 = found[0] if found else c["unknown_weapon"]
        weapon2 = found[1] if len(found) > 1 else None
        targets = [f["value"] for f in ev.get("targets", ())]
        victims = [f["value"] for f in ev.get("victims", ())]
        target = (_categories("target_types", targets) or _categories("target_types", victims)
                  or [c["unknown_target"]])[0]
        groups = [snap.name(x) for x in ev.get("perpetrators", ())
                  if (snap.entity(x) or {}).get("type") == "organization"]
        docs = documents_of(event_evidence(ev))
        dates = [v["value"] for v in ev.get("dates") or ()]
        # approximate unless the day is known and every other date the sources give only says less of it
        exact = bool(year and month and day) and all(ev["date"].startswith(str(d)) for d in dates)
        row = {
            "eventid": f"{prefix}{sequence[prefix]:04d}",
            "iyear": year, "imonth": month or 0, "iday": day or 0,
            "approxdate": None if exact else (joined(dates, " / ") or ev.get("date") or (
                f"on or before {ev['first_reported']} (first report)" if ev.get("first_reported") else None)),
            "location": joined(snap.name(x) for x in ev.get("locations", ())),
            **_place(snap, ev),
            "summary": _summary(ev, year, month, day),
            "suicide": int(subtype in c["suicide_subtypes"]
                           or any(c["suicide_pattern"].search(t.lower()) for t in attackers + weapons)),
            "attacktype1": attack, "attacktype1_txt": attack_types[str(attack)],
            "targtype1": target["code"], "targtype1_txt": target["label"],
            "target1": joined(targets or victims),
            "gname": groups[0] if groups else "Unknown",
            "gname2": groups[1] if len(groups) > 1 else None,
            "gname3": groups[2] if len(groups) > 2 else None,
            "claimed": 1 if ev.get("claimed_by") else 0,
            "weaptype1": weapon1["code"], "weaptype1_txt": weapon1["label"],
            "weaptype2": weapon2["code"] if weapon2 else None, "weaptype2_txt": weapon2["label"] if weapon2 else None,
            "weapdetail": joined(weapons),
            "nkill": _best(ev.get("killed") or []), "nwound": _best(ev.get("wounded") or []),
            "ishostkid": int(subtype in c["hostage_subtypes"]),
            "dbsource": "Tessera",
            "tessera_event": ev["id"], "tessera_subtype": subtype, "tessera_date": ev.get("date"),
            "tessera_perpetrators": joined(snap.name(x) for x in ev.get("perpetrators", ())),
            "nkill_reported": _reported(ev.get("killed") or []),
            "nwound_reported": _reported(ev.get("wounded") or []),
            "document_ids": joined(docs), "origins": joined(snap.origin(d) for d in docs),
        }
        for i, doc in enumerate(docs[:3], start=1):
            row[f"scite{i}"] = _citation(snap.document(doc) or {"origin": doc})
        out.append(row)
    return out


def write(snap: Snapshot, out: TextIO) -> dict[str, int]:
    """Write the rows as CSV (csv module) to ``out``; return the count."""
    w = csv.DictWriter(out, fieldnames=list(COLUMNS))
    w.writeheader()
    found = rows(snap)
    for row in found:
        w.writerow({k: ("" if row.get(k) is None else row[k]) for k in COLUMNS})
    return {"attacks": len(found)}
