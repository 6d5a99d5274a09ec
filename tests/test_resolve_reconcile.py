"""Resolution and reconciliation on hand-built claims (no model)."""
from __future__ import annotations

from tessera.models import DocumentAnalysis, EventClaim, Evidence, LocalEntity, Mention, Quantity, RelationClaim
from tessera.reconcile import reconcile
from tessera.reconcile.compare import counts_compatible, dates_compatible
from tessera.resolve import resolve_entities


def ent(i, typ, *names):
    return LocalEntity(id=f"e{i}", type=typ, name=names[0], names=names,
                       mentions=tuple(Mention(0, len(n), n) for n in names))


def ev(doc, quote="A sentence."):
    return Evidence(document=doc, start=0, end=len(quote), quote=quote)


def analysis(doc, entities, relations=(), events=()):
    return DocumentAnalysis(document=doc, entities=tuple(entities), relations=tuple(relations), events=tuple(events))


def reconciled(analyses, *args):
    """Resolve then reconcile ``analyses`` (``args``: published dates, places, as ``reconcile`` takes them)."""
    res = resolve_entities(analyses)
    return reconcile(analyses, res, {e.id: e.name for e in res.entities}, *args)


def test_spelling_variants_acronyms_and_surnames_join_but_types_and_qualifiers_do_not():
    a = analysis("d1", [ent(0, "organization", "Sahel Liberation Front", "SLF"), ent(1, "person", "Youssef Maikano"),
                        ent(2, "organization", "Taliban"), ent(3, "location", "Maikano")])
    b = analysis("d2", [ent(0, "organization", "SLF"), ent(1, "person", "Yusuf Maikano"), ent(2, "person", "Maikano"),
                        ent(3, "organization", "Pakistani Taliban"), ent(4, "organization", "al-Qaeda")])
    c = analysis("d3", [ent(0, "organization", "Al Qaeda")])
    res = resolve_entities([a, b, c])
    of = res.of
    assert of[("d1", "e0")] == of[("d2", "e0")]  # SLF defined in d1, used alone in d2
    assert of[("d1", "e1")] == of[("d2", "e1")] == of[("d2", "e2")]  # Youssef/Yusuf, and the surname alone
    assert of[("d1", "e3")] != of[("d1", "e1")]  # a place named like a person stays a place
    assert of[("d1", "e2")] != of[("d2", "e3")]  # the Taliban vs the Pakistani Taliban
    assert of[("d2", "e4")] == of[("d3", "e0")]  # al-Qaeda = Al Qaeda
    assert all(m.reason for m in res.merges) and len(res.merges) >= 4


def test_precision_differences_are_not_conflicts_but_different_values_are():
    assert dates_compatible("1998", "late 1990s") and dates_compatible("late 1990s", "1990s")
    assert not dates_compatible("2009-08", "2009-09")
    assert dates_compatible("--09-19", "2010-09-19") and not dates_compatible("--09-19", "--09-20")
    assert not counts_compatible((39, None), (37, None))
    assert counts_compatible((30, "more than"), (37, None))


def _founding(doc, value):
    return analysis(doc, [ent(0, "organization", "Sahel Liberation Front")],
                    [RelationClaim(subject="e0", predicate="founded_on", value=value, evidence=ev(doc))])


def test_founding_dates_that_refine_each_other_agree():
    analyses = [_founding("d1", "2011"), _founding("d2", "early 2010s"), _founding("d3", "2010s")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities})
    (rel,) = rec.relations
    assert rel.value == "2011" and rel.support == 3 and not rec.conflicts
    analyses.append(_founding("d4", "2013"))
    rec = reconcile(analyses, resolve_entities(analyses), {})
    assert [c.field for c in rec.conflicts] == ["value"]


def _attack(doc, killed, date):
    ents = [ent(0, "location", "Gao"), ent(1, "location", "Mali")]
    claim = EventClaim(type="attack", subtype="bombing", date=date, locations=("e0", "e1"),
                       killed=(Quantity(killed, None, ev(doc, f"{killed} killed.")),), evidence=(ev(doc),))
    return analysis(doc, ents, events=[claim])


def test_one_attack_told_by_two_sources_with_two_tolls_is_a_conflict_citing_both():
    analyses = [_attack("d1", 39, "2014-06-08"), _attack("d2", 37, "2014-06")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities})
    (event,) = rec.events
    assert event.date == "2014-06-08" and event.support == 2
    (conflict,) = rec.conflicts
    assert conflict.about == event.id and conflict.field == "killed"
    assert {v.value: {e.document for e in v.evidence} for v in conflict.values} == {39: {"d1"}, 37: {"d2"}}


def test_leaders_in_succession_are_not_a_conflict():
    people = [ent(0, "organization", "Sahel Liberation Front"), ent(1, "person", "Amadou Tinibe"),
              ent(2, "person", "Souleymane Harouna")]
    rels = [RelationClaim(subject="e0", predicate="led_by", object="e1", evidence=ev("d1"), ended=True),
            RelationClaim(subject="e0", predicate="led_by", object="e2", evidence=ev("d1"))]
    analyses = [analysis("d1", people, rels)]
    rec = reconcile(analyses, resolve_entities(analyses), {})
    assert len([r for r in rec.relations if r.predicate == "led_by"]) == 2 and not rec.conflicts


def test_one_place_spelt_two_ways_is_one_place_but_two_places_stay_two():
    a = analysis("d1", [ent(0, "location", "Deir ez-Zor"), ent(1, "location", "Gao")])
    b = analysis("d2", [ent(0, "location", "Deir Ezzor"), ent(1, "location", "Goa")])
    res = resolve_entities([a, b])
    assert res.of[("d1", "e0")] == res.of[("d2", "e0")]
    assert res.of[("d1", "e1")] != res.of[("d2", "e1")]


def test_a_place_name_one_model_run_took_for_a_person_is_the_place_unless_its_document_titles_the_person():
    a = analysis("d1", [ent(0, "location", "Gao")])
    b = analysis("d2", [ent(0, "person", "Gao")])  # the town, which this document's model took for a person
    c = analysis("d3", [ent(0, "person", "Gao", "President Gao")])  # someone named Gao
    d = analysis("d4", [ent(0, "person", "Gao", "Lin Gao")])
    res = resolve_entities([a, b, c, d])
    types = {e.id: e.type for e in res.entities}
    assert res.of[("d1", "e0")] == res.of[("d2", "e0")]
    assert res.of[("d3", "e0")] != res.of[("d1", "e0")] and types[res.of[("d3", "e0")]] == "person"
    assert res.of[("d4", "e0")] != res.of[("d1", "e0")] and types[res.of[("d4", "e0")]] == "person"


def test_an_event_subtype_tie_goes_to_the_first_account():
    def bombing(doc, subtype):
        claim = EventClaim(type="attack", subtype=subtype, date="2022-02-19", locations=("e0",),
                           evidence=(ev(doc),))
        return analysis(doc, [ent(0, "location", "Tera")], events=[claim])

    analyses = [bombing("d1", "suicide bombing"), bombing("d2", "bombing")]
    (event,) = reconcile(analyses, resolve_entities(analyses), {}).events
    assert event.subtype == "suicide bombing"


def test_a_kidnapping_and_the_assassination_of_the_same_person_that_day_are_one_incident_a_bombing_is_not():
    """One report tells the abduction of a politician, another his assassination: kidnapped, then murdered."""
    from tessera.models import Filler

    def told(doc, subtype):
        claim = EventClaim(type="attack", subtype=subtype, date="1990-01-12", evidence=(ev(doc),),
                           victims=(Filler("Hector Oqueli", (ev(doc),), "e0"),))
        return analysis(doc, [ent(0, "person", "Hector Oqueli")], events=[claim])

    analyses = [told("d1", "kidnapping"), told("d2", "assassination")]
    assert len(reconcile(analyses, resolve_entities(analyses), {}).events) == 1
    analyses = [told("d1", "kidnapping"), told("d2", "bombing")]
    assert len(reconcile(analyses, resolve_entities(analyses), {}).events) == 2


def test_one_target_worded_two_ways_by_two_sources_is_one_filler_with_both_sources():
    from dataclasses import replace

    from tessera.models import Filler

    a, b = _attack("d1", 12, "2022-02-19"), _attack("d2", 12, "2022-02-19")
    a = replace(a, events=(replace(a.events[0], targets=(Filler("the weekly cattle market", (ev("d1"),)),),
                                   weapons=(Filler("a car bomb", (ev("d1"),)),)),))
    b = replace(b, events=(replace(b.events[0], targets=(Filler("a cattle market", (ev("d2"),)),
                                                         Filler("a bus station", (ev("d2"),))),),))
    res = resolve_entities([a, b])
    (event,) = reconcile([a, b], res, {e.id: e.name for e in res.entities}).events
    assert [f.value for f in event.targets] == ["the weekly cattle market", "a bus station"]
    assert {e.document for e in event.targets[0].evidence} == {"d1", "d2"}
    assert [f.value for f in event.weapons] == ["a car bomb"]


def test_fillers_of_one_thing_keep_the_fullest_wording_and_every_evidence():
    from tessera.models import Filler
    from tessera.resolve.normalize import merge_fillers

    a, b, c = ev("d1", "Rodriguez Gacha was killed."), ev("d1", "Gonzalo Rodriguez Gacha died."), ev("d2", "x")
    merged = merge_fillers([Filler("Rodriguez Gacha", (a,), "e1"), Filler("Gonzalo Rodriguez Gacha", (b,), "e1"),
                            Filler("the Jesuits", (a,)), Filler("six Jesuits", (c,)),
                            Filler("Archbishop Oscar Arnulfo", (a,), "e2"), Filler("Oscar Arnulfo Romero", (b,), "e2")])
    assert [(f.value, f.entity, len(f.evidence)) for f in merged] == [
        ("Gonzalo Rodriguez Gacha", "e1", 2), ("six Jesuits", None, 2), ("Oscar Arnulfo Romero", "e2", 2)]
    # a title says nothing of who: on a tie the first wording stays
    assert merge_fillers([Filler("Judge Carlos Ramirez", (a,), "e3"), Filler("Carlos Ramirez", (b,), "e3")])[0].value \
        == "Judge Carlos Ramirez"


def test_accounts_without_a_date_need_more_than_a_town_to_be_one_incident_and_say_why_they_joined():
    from dataclasses import replace

    from tessera.models import Filler

    analyses = [_attack("d1", 3, None), _attack("d2", 5, None), _attack("d3", 4, "1989")]
    res = resolve_entities(analyses)
    names = {e.id: e.name for e in res.entities}
    # one town and reports days apart: two bombings in Gao that month are as likely as one
    rec = reconcile(analyses[:2], res, names, {"d1": "1989-11-12", "d2": "1989-11-14"})
    assert [e.support for e in rec.events] == [1, 1] and not rec.event_merges
    # the same target as well: one incident told twice (and a toll to compare), and the reason kept
    market = [replace(a, events=(replace(a.events[0], targets=(Filler("the cattle market", (ev(a.document),)),)),))
              for a in analyses]
    rec = reconcile(market[:2], res, names, {"d1": "1989-11-12", "d2": "1989-11-14"})
    (event,) = rec.events
    assert event.support == 2 and [c.field for c in rec.conflicts] == ["killed"]
    (merge,) = rec.event_merges
    assert merge.event == event.id and merge.document == "d2" and merge.score >= 3.5
    assert "place Gao" in merge.reason and "target" in merge.reason and "reported within 31 days" in merge.reason
    # reported months apart, in the same town: two incidents, whatever else they share
    rec = reconcile(market, res, names, {"d1": "1989-03-02", "d2": "1989-11-14", "d3": "1989-07-01"})
    assert [e.support for e in rec.events] == [1, 1, 1]


def test_a_count_written_in_words_or_digits_is_one_wording():
    from tessera.models import Filler
    from tessera.resolve.normalize import merge_fillers

    a, b = ev("d1", "Fourteen soldiers died."), ev("d2", "14 soldiers were killed.")
    merged = merge_fillers([Filler("Fourteen soldiers", (a,)), Filler("14 soldiers", (b,)), Filler("17 soldiers", (b,))])
    assert [(f.value, len(f.evidence)) for f in merged] == [("Fourteen soldiers", 2), ("17 soldiers", 1)]


def _assassination(doc, date, place):
    from tessera.models import Filler

    ents = [ent(0, "person", "Luis Carlos Galan"), ent(1, "location", place)]
    claim = EventClaim(type="attack", subtype="assassination", date=date, locations=("e1",),
                       victims=(Filler("Luis Carlos Galan", (ev(doc, "Luis Carlos Galan was shot."),), "e0"),),
                       evidence=(ev(doc, "Luis Carlos Galan was shot."),))
    return analysis(doc, ents, events=[claim])


def test_one_named_victim_with_dates_days_apart_is_one_incident_whose_date_is_disputed():
    analyses = [_assassination("d1", "1989-08-16", "Soacha"), _assassination("d2", "1989-08-18", "Soacha")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities})
    (event,) = rec.events
    (conflict,) = rec.conflicts
    assert conflict.field == "date" and {v.value for v in conflict.values} == {"1989-08-16", "1989-08-18"}
    (merge,) = rec.event_merges
    assert merge.reason.startswith("victim Luis Carlos Galan") and "place Soacha" in merge.reason
    # six weeks apart, one victim's name is not enough: two incidents (an attempt, then the murder)
    analyses = [_assassination("d1", "1989-08-16", "Soacha"), _assassination("d2", "1989-09-30", "Soacha")]
    res = resolve_entities(analyses)
    assert len(reconcile(analyses, res, {e.id: e.name for e in res.entities}).events) == 2


def test_a_victim_named_more_or_less_fully_in_two_reports_is_shared_evidence():
    from tessera.models import Filler

    def report(doc, name, entity):
        quote = f"{name} was killed by guerrillas."
        victim = Filler(name, (Evidence(doc, 0, len(quote), quote, extractor="model.roles.v1"),), entity)
        ents = [ent(0, "organization", "FMLN"), ent(1, "person", name)] if entity else [ent(0, "organization", "FMLN")]
        return analysis(doc, ents, events=[EventClaim(type="attack", perpetrators=("e0",), victims=(victim,),
                                                      evidence=(ev(doc, quote),))])

    analyses = [report("d1", "ANTONIO RODRIGUEZ PORTH", None), report("d2", "DR JOSE ANTONIO RODRIGUEZ PORTH", "e1")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities}, {"d1": "1989-07-06", "d2": "1989-06-09"})
    (event,) = rec.events
    (merge,) = rec.event_merges
    assert "victim named" in merge.reason and "perpetrator" in merge.reason and merge.score >= 3.5
    # another name: two incidents, whatever else they share
    analyses = [report("d1", "ANTONIO RODRIGUEZ PORTH", None), report("d2", "EDGAR CHACON", "e1")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities}, {"d1": "1989-07-06", "d2": "1989-06-09"})
    assert len(rec.events) == 2



def test_a_full_name_only_the_tagger_read_is_one_victim_where_the_dates_agree():
    """Two reports name the murdered man in full, each as the tagger read it: one spells his surname with
    a hyphen and a possessive, the other without; one dates the murder to the day, the other to its
    month. Three words alike are as good as a name the rules read; two are not, nor dates that disagree."""
    from tessera.models import Filler

    def report(doc, name, date, quote):
        victim = Filler(name, (Evidence(doc, 0, len(quote), quote, extractor="model.roles.v1"),), None)
        return analysis(doc, [ent(0, "location", "Medellin")],
                        events=[EventClaim(type="attack", date=date, victims=(victim,), evidence=(ev(doc, quote),))])

    def merged(first, second):
        analyses = [report("d1", first, "1990-04-26", f"{first} murder shocked the country."),
                    report("d2", *second, f"{second[0]} was shot dead on a plane.")]
        res = resolve_entities(analyses)
        return reconcile(analyses, res, {e.id: e.name for e in res.entities}, {"d1": "1990-04-27", "d2": "1990-05-03"})

    rec = merged("RAUL PIZANO LEON-GOMEZ'S", ("Raul Pizano Leongomez", "1990-04"))
    (event,) = rec.events
    assert "victim named" in rec.event_merges[0].reason
    assert len(merged("RAUL PIZANO'S", ("Raul Pizano", "1990-04")).events) == 2
    assert len(merged("RAUL PIZANO LEON-GOMEZ'S", ("Raul Pizano Leongomez", "1990-03")).events) == 2


def test_an_account_read_before_the_report_that_ties_it_joins_its_event_after_all():
    """Three reports of one murder, in this order: the second (a month later, no date of its own, the town)
    fits the first (the date, the country) too weakly; the third gives the date and the town, and the
    second, looked at again, joins the event they make."""
    from tessera.gazetteer_facade import locate
    from tessera.models import Filler

    def report(doc, date, place):
        victim = Filler(value="Ignacio Ellacuria", entity="e0",
                        evidence=(Evidence(document=doc, start=0, end=11, quote="A sentence.", extractor="model.roles.v1"),))
        claim = EventClaim(type="attack", evidence=(ev(doc),), date=date, locations=("e1",), victims=(victim,))
        return analysis(doc, [ent(0, "person", "Ignacio Ellacuria"), ent(1, "location", place)], events=[claim])

    analyses = [report("d1", "1989-11-16", "El Salvador"), report("d2", None, "San Salvador"),
                report("d3", "1989-11-16", "San Salvador")]
    res = resolve_entities(analyses)
    names = {e.id: e.name for e in res.entities}
    published = {"d1": "1989-11-16", "d2": "1990-01-10", "d3": "1989-11-18"}
    rec = reconcile(analyses, res, names, published, locate(res.entities, res.links()))
    (event,) = rec.events
    assert event.documents == 3 and event.date == "1989-11-16"
    assert {m.document for m in rec.event_merges} == {"d2", "d3"} and all(m.reason for m in rec.event_merges)


def test_a_report_telling_one_incident_twice_joins_its_two_accounts_though_one_joined_another_report_first():
    """An earlier report: a plane blew up, the target named. The next tells it twice: first the bombing
    (the town, the group responsible, no target), then the plane (the target): the second account joins the
    earlier report's event by the target; the first, looked at again, joins its own report's other account."""
    from tessera.models import Filler

    def target(doc):
        return (Filler(value="the Avianca plane", evidence=(ev(doc, "the Avianca plane"),)),)

    day = "1989-11-27"
    a = analysis("d1", [], events=[EventClaim(type="attack", evidence=(ev("d1", "A plane blew up."),), date=day,
                                              targets=target("d1"))])
    b = analysis("d2", [ent(0, "location", "Bogota"), ent(1, "organization", "Extraditables")], events=[
        EventClaim(type="attack", subtype="bombing", evidence=(ev("d2", "Two explosions brought it down."),),
                   date=day, locations=("e0",), perpetrators=("e1",)),
        EventClaim(type="attack", evidence=(ev("d2", "Troops recovered the bodies."),), date=day,
                   locations=("e0",), targets=target("d2"))])
    rec = reconciled([a, b])
    (event,) = rec.events
    assert event.documents == 2 and event.subtype == "bombing"
    assert len(event.perpetrators) == 1 and len(event.evidence) == 3
    assert all(m.reason for m in rec.event_merges)


def test_a_religious_title_is_no_part_of_a_name():
    analyses = [analysis("d1", [ent(0, "person", "Jesuit Ignacio Ellacuria")]),
                analysis("d2", [ent(0, "person", "Ignacio Ellacuria")]),
                analysis("d3", [ent(0, "person", "Jose Ignacio Ellacuria"), ent(1, "person", "Father Segundo Montes")]),
                analysis("d4", [ent(0, "person", "Segundo Montes")])]
    of = resolve_entities(analyses).of
    assert of[("d1", "e0")] == of[("d2", "e0")] == of[("d3", "e0")]
    assert of[("d3", "e1")] == of[("d4", "e0")] != of[("d1", "e0")]


def test_undated_accounts_of_one_group_in_one_town_are_not_one_incident_without_a_victim_or_target():
    def report(doc, victim):
        target = Filler(value=victim, evidence=(ev(doc),))
        claim = EventClaim(type="attack", subtype="kidnapping", evidence=(ev(doc),), locations=("e1",),
                           perpetrators=("e0",), targets=(target,))
        return analysis(doc, [ent(0, "organization", "The Extraditables"), ent(1, "location", "Medellin")],
                        events=[claim])

    from tessera.models import Filler

    published = {"d1": "1990-04-03", "d2": "1990-04-20", "d3": "1990-04-25"}
    analyses = [report("d1", "a banker's son"), report("d2", "two journalists"), report("d3", "the banker's son")]
    res = resolve_entities(analyses)
    rec = reconcile(analyses, res, {e.id: e.name for e in res.entities}, published)
    assert sorted(e.documents for e in rec.events) == [1, 2]  # d1 and d3 share their victim; d2 stands alone


def _described(doc, date, victims, place="San Salvador"):
    from tessera.models import Filler

    quote = f"{victims} were murdered in {place}."
    claim = EventClaim(type="attack", date=date, locations=("e0",), evidence=(ev(doc, quote),),
                       victims=(Filler(victims, (ev(doc, quote),)),))
    return analysis(doc, [ent(0, "location", place)], events=[claim])


def test_victims_described_alike_at_one_place_a_day_apart_are_one_incident_with_a_disputed_date():
    analyses = [_described("d1", "1989-11-16", "six Jesuits"), _described("d2", "1989-11-17", "the Spanish Jesuits")]
    rec = reconciled(analyses)
    (event,) = rec.events
    (conflict,) = rec.conflicts
    assert conflict.field == "date" and {v.value for v in conflict.values} == {"1989-11-16", "1989-11-17"}
    (merge,) = rec.event_merges
    assert "victims described alike" in merge.reason and "place San Salvador" in merge.reason
    for first, other in ((_described("d1", "1989-11-16", "two women"), _described("d2", "1989-11-17", "two women")),
                         (_described("d1", "1989-11-16", "six Jesuits"), _described("d2", "1989-11-17", "seven Jesuits")),
                         (_described("d1", "1989-11-16", "six Jesuits"), _described("d2", "1989-11-20", "the Jesuits")),
                         (_described("d1", "1989-11-16", "six Jesuits"),
                          _described("d2", "1989-11-17", "the Jesuits", place="Santa Ana"))):
        # by sex alone, counts that differ, four days apart, another town: two incidents
        analyses = [first, other]
        assert len(reconciled(analyses).events) == 2, other.events[0]


def test_a_named_victim_s_title_describes_him_as_the_other_reports_victims_are():
    """"Jesuit Pedro Arana" murdered on the 3rd, "the Spanish Jesuits" murdered on the 4th, both in Huancayo:
    one incident with a disputed date; without the title, nothing says the victims are alike."""
    from tessera.models import Filler

    def named(doc, name):
        quote = f"{name} and four other priests were murdered in Huancayo."
        claim = EventClaim(type="attack", date="1990-03-03", locations=("e1",), evidence=(ev(doc, quote),),
                           victims=(Filler("PEDRO ARANA", (ev(doc, quote),), "e0"),))
        return analysis(doc, [ent(0, "person", "Pedro Arana", name), ent(1, "location", "Huancayo")], events=[claim])

    rec = reconciled([named("d1", "Jesuit Pedro Arana"), _described("d2", "1990-03-04", "the Spanish Jesuits", "Huancayo")])
    (event,) = rec.events
    (conflict,) = rec.conflicts
    assert conflict.field == "date" and {v.value for v in conflict.values} == {"1990-03-03", "1990-03-04"}
    (merge,) = rec.event_merges
    assert "victims described alike" in merge.reason and "place Huancayo" in merge.reason
    rec = reconciled([named("d1", "Pedro Arana"), _described("d2", "1990-03-04", "the Spanish Jesuits", "Huancayo")])
    assert len(rec.events) == 2


def test_a_named_victim_joins_the_incident_told_again_weeks_later_without_a_date():
    """A commentary two months on names one of those killed ("Father Jose Ignacio Ellacuria, one of those
    massacred"): the shared name ties it to the incident, however late it was published."""
    from tessera.models import Filler

    def report(doc, date, name):
        quote = f"{name} was murdered in San Salvador."
        victim = Filler(name, (Evidence(doc, 0, len(quote), quote, extractor="model.roles.v1"),))
        claim = EventClaim(type="attack", date=date, locations=("e0",), victims=(victim,), evidence=(ev(doc, quote),))
        return analysis(doc, [ent(0, "location", "San Salvador")], events=[claim])

    published = {"d1": "1989-11-16", "d2": "1990-01-10"}
    analyses = [report("d1", "1989-11-16", "IGNACIO ELLACURIA"), report("d2", None, "JOSE IGNACIO ELLACURIA")]
    rec = reconciled(analyses, published)
    (event,) = rec.events
    assert "victim named" in rec.event_merges[0].reason
    analyses = [report("d1", "1989-11-16", "IGNACIO ELLACURIA"), report("d2", None, "SEGUNDO MONTES")]
    assert len(reconciled(analyses, published).events) == 2


def test_a_description_the_tagger_read_is_no_name_to_join_on():
    """Two reports a week apart of attacks in one city, each with victims the tagger read as "police
    officers": a description two reports share is no named victim (it was: "victim named police officers"
    joined them); a name the tagger read still is."""
    from tessera.models import Filler

    def report(doc, date, victims):
        quote = f"{victims} were killed in Huancayo."
        victim = Filler(victims, (Evidence(doc, 0, len(quote), quote, extractor="model.roles.v1"),))
        claim = EventClaim(type="attack", date=date, locations=("e0",), victims=(victim,), evidence=(ev(doc, quote),))
        return analysis(doc, [ent(0, "location", "Huancayo")], events=[claim])

    published = {"d1": "1989-10-02", "d2": "1989-10-20"}
    analyses = [report("d1", "1989-10-01", "FIVE POLICE OFFICERS"), report("d2", None, "POLICE OFFICERS")]
    assert len(reconciled(analyses, published).events) == 2
    analyses = [report("d1", "1989-10-01", "HECTOR QUISPE HUAMAN"), report("d2", None, "QUISPE HUAMAN")]
    (event,) = reconciled(analyses, published).events


def test_targets_worded_apart_that_name_one_organization_are_shared_evidence():
    from tessera.models import Filler

    def report(doc, wording, org="Avianca"):
        quote = f"A bomb destroyed {wording} on 27 November."
        claim = EventClaim(type="attack", date="1989-11-27", evidence=(ev(doc, quote),),
                           targets=(Filler(wording, (ev(doc, quote),), "e0"),))
        return analysis(doc, [ent(0, "organization", org)], events=[claim])

    analyses = [report("d1", "AVIANCA'S BOEING 727"), report("d2", "AVIANCA PLANE")]
    rec = reconciled(analyses)
    (event,) = rec.events
    assert "target Avianca" in rec.event_merges[0].reason
    analyses = [report("d1", "AVIANCA'S BOEING 727"), report("d2", "A SAM PLANE", org="SAM")]
    assert len(reconciled(analyses).events) == 2


def test_a_company_named_with_and_without_its_business_word_is_one_entity():
    analyses = [analysis("d1", [ent(0, "organization", "Avianca Airlines")]),
                analysis("d2", [ent(0, "organization", "Avianca")]),
                analysis("d3", [ent(0, "organization", "Avianca Airlines Company"), ent(1, "organization", "Union")])]
    of = resolve_entities(analyses).of
    assert of[("d1", "e0")] == of[("d2", "e0")] == of[("d3", "e0")]
    # a group's head word is no business word: "Patriotic Union" is not "Union"
    analyses = [analysis("d1", [ent(0, "organization", "Patriotic Union")]), analysis("d2", [ent(0, "organization", "Patriotic")])]
    of = resolve_entities(analyses).of
    assert of[("d1", "e0")] != of[("d2", "e0")]


def test_one_group_s_attacks_on_one_day_or_one_town_s_on_different_people_are_several_incidents():
    """An offensive: the same group, the same day, no place or victim in common; and two bombings in one city on
    one day, one killing a judge, the other a journalist, each named, or one hitting a market, the other boxcars.
    None of these is one incident; a police station and a police post in one town, worded apart, may be one."""
    from tessera.models import Filler

    def bombing(doc, place=None, victim=None, target=None, group="Farabundo Marti National Liberation Front"):
        ents = [ent(0, "organization", group), ent(1, "location", place or "Nowhere")]
        if victim:
            ents.append(ent(2, "person", victim))
        claim = EventClaim(type="attack", subtype="bombing", date="1989-11-11", perpetrators=("e0",),
                           locations=("e1",) if place else (), evidence=(ev(doc),),
                           victims=(Filler(victim, (ev(doc),), "e2"),) if victim else (),
                           targets=(Filler(target, (ev(doc),)),) if target else ())
        return analysis(doc, ents, events=[claim])

    assert len(reconciled([bombing("d1", "El Salvador"), bombing("d2")]).events) == 2
    assert len(reconciled([bombing("d1", "Bogota", "Pedro Arana"), bombing("d2", "Bogota", "Luis Quintana")]).events) == 2
    rec = reconciled([bombing("d1", "Kasso", target="the police station"), bombing("d2", "Kasso", target="the police post")])
    (event,) = rec.events
    assert "place Kasso" in rec.event_merges[0].reason
    # two bombings in one city that day, what each hit worded with no word in common: two incidents
    assert len(reconciled([bombing("d1", "Kasso", target="the central market"),
                           bombing("d2", "Kasso", target="RAILROAD BOXCARS AND ELECTRIC POWER POLES")]).events) == 2


def test_two_named_victims_with_one_title_are_not_described_alike():
    from tessera.models import Filler

    def murder(doc, name):
        quote = f"{name} was murdered."
        claim = EventClaim(type="attack", date="1989-08-18", evidence=(ev(doc, quote),), locations=("e1",),
                           victims=(Filler(name.split(" ", 1)[1], (ev(doc, quote),), "e0"),))
        return analysis(doc, [ent(0, "person", name.split(" ", 1)[1], name), ent(1, "location", "Medellin")],
                        events=[claim])

    assert len(reconciled([murder("d1", "Colonel Luis Quintana"), murder("d2", "Colonel Pedro Arana")]).events) == 2


def test_a_hyphen_in_a_surname_written_with_or_without_it_is_one_name():
    from tessera.models import Filler

    def report(doc, name):
        quote = f"Gunmen killed {name} today."
        victim = Filler(name, (Evidence(doc, 0, len(quote), quote, extractor="model.roles.v1"),), None)
        return analysis(doc, [], events=[EventClaim(type="attack", date="1990-04-26", victims=(victim,),
                                                    evidence=(ev(doc, quote),))])

    rec = reconciled([report("d1", "CARLOS PIZARRO LEONGOMEZ'S"), report("d2", "Carlos Pizarro Leon-Gomez")])
    (event,) = rec.events
    (merge,) = rec.event_merges
    assert "victim named" in merge.reason


def test_an_account_naming_the_victims_of_two_murders_does_not_make_them_one():
    """A judge killed on the 16th, a senator on the 18th, and an undated report naming both ("the murders of
    X and Y"): the report may tell the judge's murder, but the 16th is no date of the senator's death, so the
    senator's murder stays an incident of its own."""
    from tessera.models import Filler

    def murder(doc, date, *victims):
        ents = [ent(i, "person", v) for i, v in enumerate(victims)]
        claim = EventClaim(type="attack", subtype="assassination", date=date, evidence=(ev(doc),),
                           victims=tuple(Filler(v, (ev(doc),), f"e{i}") for i, v in enumerate(victims)))
        return analysis(doc, ents, events=[claim])

    rec = reconciled([murder("d1", "1989-08-16", "Carlos Ramirez Ortega"),
                      murder("d2", None, "Carlos Ramirez Ortega", "Luis Perez Gomez"),
                      murder("d3", "1989-08-18", "Luis Perez Gomez")])
    assert sorted(e.date for e in rec.events) == ["1989-08-16", "1989-08-18"]
    assert not [c for c in rec.conflicts if c.field == "date"]
    # one victim's own sources two days apart are still one incident with its date disputed
    rec = reconciled([murder("d1", "1989-08-16", "Carlos Ramirez Ortega"),
                      murder("d3", "1989-08-18", "Carlos Ramirez Ortega")])
    assert len(rec.events) == 1 and [c.field for c in rec.conflicts] == ["date"]


def test_two_reports_of_a_bombing_in_one_big_city_the_same_day_are_not_one_incident_by_that_alone():
    """Bogota (or Antioquia) the same day, nothing else in common: several bombings a day in a city of millions
    or a province. In a town the
    same two accounts are one incident; and in the city, a group held responsible by both makes them one."""
    from tessera.gazetteer_facade import locate

    def bombing(doc, place, group=None):
        ents = [ent(0, "location", place)] + ([ent(1, "organization", group)] if group else [])
        claim = EventClaim(type="attack", subtype="bombing", date="1989-09-17", locations=("e0",),
                           perpetrators=("e1",) if group else (), evidence=(ev(doc),))
        return analysis(doc, ents, events=[claim])

    def events(analyses):
        res = resolve_entities(analyses)
        return reconcile(analyses, res, {e.id: e.name for e in res.entities}, {},
                         locate(res.entities, res.links())).events

    assert len(events([bombing("d1", "Bogota"), bombing("d2", "Bogota")])) == 2
    assert len(events([bombing("d1", "Ayorou"), bombing("d2", "Ayorou")])) == 1
    # a province or state (a country's first division) is as busy as a big city: Antioquia holds Medellin
    assert len(events([bombing("d1", "Antioquia"), bombing("d2", "Antioquia")])) == 2
    assert len(events([bombing("d1", "Bogota", "Extraditables"), bombing("d2", "Bogota", "Extraditables")])) == 1
    # a region above the countries is no place the two share: "in Latin America" is said of anything
    assert len(events([bombing("d1", "Latin America"), bombing("d2", "Latin America")])) == 2


def test_an_undated_attack_by_one_group_in_a_big_city_joins_another_reports_only_when_both_say_it_was_claimed():
    """The FMLN attacked in San Salvador every day of an offensive: an account that gives no day of its own does
    not join another report's attack there by the group alone; a claim names one attack, so where both accounts
    say the group claimed it they are one; in a town, the group is enough."""
    from tessera.gazetteer_facade import locate

    def attack(doc, place, date, claimed=False):
        ents = [ent(0, "location", place), ent(1, "organization", "Farabundo Marti National Liberation Front")]
        claim = EventClaim(type="attack", date=date, locations=("e0",), perpetrators=("e1",),
                           claimed_by=("e1",) if claimed else (), evidence=(ev(doc),))
        return analysis(doc, ents, events=[claim])

    def events(analyses):
        res = resolve_entities(analyses)
        return reconcile(analyses, res, {e.id: e.name for e in res.entities},
                         {"d1": "1989-11-12", "d2": "1989-11-13"}, locate(res.entities, res.links())).events

    assert len(events([attack("d1", "San Salvador", "1989-11-12"), attack("d2", "San Salvador", None)])) == 2
    assert len(events([attack("d1", "San Salvador", "1989-11-12", True), attack("d2", "San Salvador", None, True)])) == 1
    assert len(events([attack("d1", "Ayorou", "1989-11-12"), attack("d2", "Ayorou", None)])) == 1


def test_accounts_told_in_two_countries_are_two_incidents_whatever_else_they_share():
    """Pylons blown up the same day in Peru and in El Salvador (a country each account names, nothing below):
    two incidents, though the day and the target's wording are the same; in one country, one."""
    from tessera.gazetteer_facade import locate
    from tessera.models import Filler

    def sabotage(doc, country):
        quote = f"Rebels blew up electricity pylons in {country}."
        claim = EventClaim(type="attack", date="1990-04-06", locations=("e0",), evidence=(ev(doc, quote),),
                           targets=(Filler("electricity pylons", (ev(doc, quote),)),))
        return analysis(doc, [ent(0, "location", country)], events=[claim])

    for countries, events in ((("Peru", "El Salvador"), 2), (("Peru", "Peru"), 1)):
        analyses = [sabotage("d1", countries[0]), sabotage("d2", countries[1])]
        res = resolve_entities(analyses)
        rec = reconcile(analyses, res, {e.id: e.name for e in res.entities}, {}, locate(res.entities, res.links()))
        assert len(rec.events) == events, countries


def test_a_surname_two_people_share_does_not_make_them_one():
    """Each report names its person in full and then by the surname alone: two people, whose shared surname
    is no name of its own; the surname said alone elsewhere joins neither unless one is named far more."""
    a = analysis("d1", [ent(0, "person", "Angela Piedad de Guerrero", "Guerrero")])
    b = analysis("d2", [ent(0, "person", "Francisco Jose Guerrero", "Guerrero")])
    c = analysis("d3", [ent(0, "person", "Francisco Jose Guerrero")])
    res = resolve_entities([a, b, c])
    assert res.of[("d1", "e0")] != res.of[("d2", "e0")]
    assert res.of[("d2", "e0")] == res.of[("d3", "e0")]
