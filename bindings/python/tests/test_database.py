"""Database: entities, relations, queries, journal, JSON, synth, errors, lifetimes."""
import datetime as dt
import sqlite3

import pytest

import psp
from conftest import NOW


def test_open_close_context_manager(tmp_path):
    path = tmp_path / "city.psp"
    with psp.Database.open(path) as db:
        assert db.path == str(path)
        assert db.schema_version >= 1
        assert not db.closed
    assert db.closed
    db.close()  # idempotent
    with pytest.raises(psp.Invalid, match="closed"):
        db.counts()


def test_file_persists(place, office):
    path = place("city")
    with psp.Database.open(path) as db:
        d = db.add(office, psp.District("临平区", 2.0, 3.0))
    with psp.Database.open(str(path)) as db:
        assert db.get(psp.District, d) == psp.District("临平区", 2.0, 3.0, d)


def test_foreign_file_is_refused(tmp_path):
    junk = tmp_path / "junk.psp"
    junk.write_bytes(b"not a database at all, but long enough to look like a header" * 4)
    with pytest.raises(psp.FormatError):
        psp.Database.open(junk)


def test_entities_round_trip(net, office):
    db = net.db
    assert db.get(psp.District, net.d2) == psp.District("滨江区", 3.0, -4.0, net.d2)
    assert db.get(psp.Zone, net.z2) == psp.Zone("高新区", net.d2, psp.ZoneType.TECH_INNOVATION, net.z2)
    sub = db.get(psp.Platform, net.sub)
    assert sub.parent == net.backbone and not sub.backbone
    assert sub.services == {psp.ServiceKind.QUALITY_TESTING, psp.ServiceKind.EQUIPMENT_SHARING}
    assert isinstance(sub.tier, psp.PlatformTier) and sub.tier is psp.PlatformTier.MUNICIPAL
    al = db.get(psp.Alliance, net.alliance)
    assert al.lead == net.backbone and al.one_stop and len(al.members) == 3
    assert al.members[0] == psp.AllianceMember(net.backbone, psp.MemberRole.LEAD)
    assert db.get(psp.EquipmentClass, net.cls) == psp.EquipmentClass("Mass spectrometer", "analysis", net.cls)
    eq = db.get(psp.Equipment, net.eq)
    assert eq.capacity_units == 2 and eq.purchase_value == 350_000_000 and eq.owner == net.backbone
    ent = db.get(psp.Enterprise, net.ent)
    assert ent.size is psp.EnterpriseSize.MICRO and ent.sector == "software"
    assert db.contains(psp.Platform, net.plain) and not db.contains(psp.Platform, 999)

    assert [p.id for p in db.platforms()] == sorted([net.backbone, net.sub, net.plain, net.rival])
    assert len(db.districts()) == 2 and len(db.zones()) == 2 and len(db.alliances()) == 1
    assert len(db.equipment_classes()) == 1 and len(db.equipment()) == 1 and len(db.enterprises()) == 1


def test_update_and_remove(net, office):
    db = net.db
    p = db.get(psp.Platform, net.plain)
    p.name = "Design hub (renamed)"
    p.services = p.services | {psp.ServiceKind.MARKETING}
    db.update(office, p)
    assert db.get(psp.Platform, net.plain) == p
    al = db.get(psp.Alliance, net.alliance)
    al.members = al.members[:2]
    db.update(office, al)
    assert len(db.get(psp.Alliance, net.alliance).members) == 2
    db.remove(office, psp.Enterprise, net.ent)
    assert not db.contains(psp.Enterprise, net.ent)
    with pytest.raises(psp.NotFound):
        db.get(psp.Enterprise, net.ent)


def test_relations(net, office):
    db = net.db
    assert db.travel() == [psp.Travel(net.d1, net.d2, 25)]
    db.set_travel(office, psp.Travel(net.d1, net.d2, 30))
    assert db.travel()[0].minutes == 30
    assert len(db.zone_services()) == 3
    assert db.links() == [psp.Link(net.plain, net.backbone, psp.LinkKind.HIGHER_TIER)]
    db.remove_link(office, net.plain, net.backbone)
    db.remove_zone_service(office, net.rival, net.z1)
    db.remove_travel(office, net.d1, net.d2)
    assert db.links() == [] and len(db.zone_services()) == 2 and db.travel() == []
    with pytest.raises(psp.NotFound):
        db.remove_link(office, net.plain, net.backbone)


def test_queries(net):
    db = net.db
    assert db.sub_platforms(net.backbone) == [net.sub]
    assert db.alliances_of(net.plain) == [net.alliance]
    assert sorted(db.platforms_serving(net.z1)) == sorted([net.backbone, net.rival])
    assert [m.platform for m in db.members(net.alliance)] == [net.backbone, net.sub, net.plain]
    reach = db.equipment_within(net.z1, net.cls, 120)
    assert [r.equipment for r in reach] == [net.eq] and reach[0].owner == net.backbone
    cov = db.coverage()
    assert cov[net.z1][psp.ServiceKind.QUALITY_TESTING] == 2
    assert cov[net.z1][psp.ServiceKind.TALENT] == 0
    gaps = db.coverage_gaps()
    assert psp.CoverageGap(net.z1, psp.ServiceKind.TALENT) in gaps
    assert psp.CoverageGap(net.z1, psp.ServiceKind.QUALITY_TESTING) not in gaps
    assert db.duplications() == [psp.Duplication(net.z1, psp.PlatformField.QUALITY_TESTING,
                                                 psp.ServiceKind.QUALITY_TESTING, (net.backbone, net.rival))]
    c = db.counts()
    assert (c.districts, c.zones, c.platforms, c.backbones, c.sub_platforms, c.alliances) == (2, 2, 4, 1, 1, 1)
    assert (c.equipment_classes, c.equipment, c.enterprises, c.zone_services, c.links, c.travel) == (1, 1, 1, 3, 1, 1)
    assert "graph" in db.to_graphviz()


def test_journal(net, office):
    db = net.db
    rows = db.journal()
    assert len(rows) >= 17
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    first = rows[0]
    assert first.time == dt.datetime.fromtimestamp(NOW, dt.timezone.utc)
    assert first.actor_role is psp.Role.PROMOTION_OFFICE and first.actor_name == "推进办公室"
    assert first.action == "add" and first.entity is psp.EntityKind.DISTRICT
    assert isinstance(first.data, dict)
    mine = db.journal(entity=psp.EntityKind.PLATFORM, entity_id=net.plain)
    assert [r.action for r in mine] == ["add"]
    assert len(db.journal(limit=3)) == 3
    assert db.journal(until=NOW) == []
    assert len(db.journal(since=dt.datetime.fromtimestamp(NOW, dt.timezone.utc))) == len(rows)


def test_json_round_trip(net, office, place):
    text = net.db.to_json()
    with psp.Database.open(place("copy", memory=True)) as copy:
        copy.from_json(office, text)
        assert copy.counts() == net.db.counts()
        assert copy.get(psp.Alliance, net.alliance) == net.db.get(psp.Alliance, net.alliance)
        with pytest.raises(psp.Error):
            copy.from_json(office, text)  # only into an empty database
    assert psp.normalize_json(psp.normalize_json(text)) == psp.normalize_json(text)
    with pytest.raises(psp.Invalid):
        psp.normalize_json("{ not json")


def test_synth(office, place):
    p = psp.CityParams.for_scale(psp.Scale.DISTRICT, seed=3)
    p.enterprises, p.equipment = 300, 50
    assert psp.generate_json(p) == psp.generate_json(p)
    with psp.Database.open(place(memory=True)) as db:
        db.generate(office, p)
        c = db.counts()
        assert (c.platforms, c.equipment, c.enterprises) == (p.platforms, 50, 300)


def test_errors_map_to_exceptions(net, office):
    db = net.db
    with pytest.raises(KeyError):
        db.get(psp.Platform, 424242)
    with pytest.raises(psp.NotFound, match="424242"):
        db.add(office, psp.Zone("z", 424242))
    with pytest.raises(psp.PermissionDenied):
        db.add(psp.Actor.anyone(), psp.District("x"))
    with pytest.raises(psp.Refused, match="MS-01"):
        db.remove(office, psp.EquipmentClass, net.cls)
    with pytest.raises(ValueError, match="platform.tier"):
        db.add(office, psp.Platform("p", net.d1, tier=9))
    with pytest.raises(psp.Invalid, match="zone.type"):
        db.add(office, psp.Zone("z", net.d1, -1))
    with pytest.raises(psp.Invalid, match="UTF-8"):
        db.add(office, psp.District("bad \udc80 name"))
    with pytest.raises(psp.Invalid, match="actor.name"):
        db.add(psp.Actor.office("\ud800"), psp.District("x"))
    with pytest.raises(TypeError):
        db.add(office, object())
    with pytest.raises(TypeError):
        db.add("office", psp.District("x"))
    assert db.counts().districts == 2  # nothing above changed the network


def test_busy(tmp_path, office):
    path = tmp_path / "locked.psp"
    with psp.Database.open(path, busy_timeout_ms=0) as db:
        db.add(office, psp.District("a"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(psp.Busy):
                db.add(office, psp.District("b"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        db.add(office, psp.District("b"))
        assert len(db.districts()) == 2


def test_iterators_keep_the_database_alive(office, place):
    db = psp.Database.open(place(memory=True))
    for i in range(3):
        db.add(office, psp.District(f"d{i}"))
    it = db.iter(psp.District)
    db.close()
    assert [d.name for d in it] == ["d0", "d1", "d2"]
    it.close()  # idempotent after exhaustion


def test_iterator_is_a_snapshot(net, office):
    it = net.db.iter(psp.District)
    net.db.add(office, psp.District("later"))
    assert len(list(it)) == 2
