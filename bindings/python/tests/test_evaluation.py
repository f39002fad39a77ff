"""Evaluation (§4.3): a run measured from the ledger and checked by hand (as the §4.3 case of
tests/database_monitoring_test.cpp), stored with its inputs, and the refusals, which store nothing."""
import datetime as dt

import pytest

import psp

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = [dt.datetime(2025, 3, 10, 8, tzinfo=SHANGHAI)]


@pytest.fixture
def db(place):
    NOW[0] = dt.datetime(2025, 3, 10, 8, tzinfo=SHANGHAI)
    d = psp.Database.open(place(memory=True), clock=lambda: NOW[0])
    yield d
    d.close()


TREE = {"groups": [{"name": "sharing", "weight_bp": 10000, "indicators": [
    {"name": "effective hours", "weight_bp": 5000, "measured": True, "target": 10},
    {"name": "user ratings", "weight_bp": 5000, "source_bp": {"public_rating": 10000}}]}]}


def rating(platform, value):
    return {"platform": platform, "indicator": "user ratings", "source": "public_rating", "value": value}


def request(net, **changes):
    r = {"label": "2025 Q1", "tree": TREE, "platforms": [net.backbone, net.sub],
         "from": dt.date(2025, 1, 1), "to": dt.date(2025, 3, 31),
         "values": [rating(net.backbone, 80), rating(net.sub, 90)],
         "thresholds": {"excellent": 90, "good": 75, "pass": 40}, "budget": 10_000, "floor": 40}
    r.update(changes)
    return r


@pytest.fixture
def used(net, office):
    """The backbone's only instrument used for 2 hours on Tuesday 2025-03-11."""
    start = dt.datetime(2025, 3, 11, 10, tzinfo=SHANGHAI)
    b = net.db.book(office, psp.BookingRequest(net.eq, net.ent, start, start + dt.timedelta(hours=2)))
    assert b
    NOW[0] = start
    net.db.check_in(office, b.booking.id)
    net.db.complete(office, b.booking.id)
    return net


def test_evaluation_checked_by_hand(used, office):
    db, net = used.db, used
    id = db.run_evaluation(office, request(net))
    assert id == 1
    assert db.journal()[-1].entity == psp.EntityKind.EVALUATION
    e = db.evaluation(id)
    assert (e["id"], e["label"], e["from"], e["to"]) == (1, "2025 Q1", "2025-01-01", "2025-03-31")
    first, second = e["run"]["results"]
    # By hand: backbone 2 h on 1 instrument = 0.2 of the 10 h target, rating 0.8:
    # 100 × (0.5 × 0.2 + 0.5 × 0.8) = 50.00; the sub-platform 0 h, rating 0.9: 45.00. Both pass (>= 40).
    # Above the floor 40 by 10.00 and 5.00 points: 10,000 fen split 2:1 by largest remainder.
    assert (first["platform"], first["score"], first["grade"], first["rank"], first["incentive"]) == (
        net.backbone, 50.0, "pass", 1, 6667)
    assert (second["platform"], second["score"], second["grade"], second["rank"], second["incentive"]) == (
        net.sub, 45.0, "pass", 2, 3333)
    assert first["indicator_scores"] == pytest.approx([20, 80])
    assert (e["run"]["allocated"], e["run"]["unallocated"], e["run"]["flagged"]) == (10_000, 0, 0)
    measured = [v for v in e["run"]["spec"]["values"] if v["indicator"] == "effective hours"]
    assert {v["platform"]: v["value"] for v in measured} == {net.backbone: 2.0, net.sub: 0.0}
    assert db.evaluations() == [e]


def test_every_operating_platform_when_none_are_named(used, office):
    db, net = used.db, used
    everyone = [net.backbone, net.sub, net.plain, net.rival]
    id = db.run_evaluation(office, request(net, platforms=[], values=[rating(p, 70) for p in everyone],
                                           **{"from": "2025-01-01", "to": "2025-03-31"}))
    results = db.evaluation(id)["run"]["results"]
    assert sorted(r["platform"] for r in results) == sorted(everyone)
    assert results[0]["platform"] == net.backbone   # the only one with hours


def test_evaluation_refusals_store_nothing(used, office):
    db, net = used.db, used
    journal = len(db.journal())
    with pytest.raises(psp.PermissionDenied):
        db.run_evaluation(psp.Actor.operator_of(net.backbone), request(net))
    with pytest.raises(psp.Invalid, match="user ratings"):
        db.run_evaluation(office, request(net, values=[rating(net.backbone, 80)]))
    with pytest.raises(psp.Invalid, match="reversed"):
        db.run_evaluation(office, request(net, to=dt.date(2024, 12, 31)))
    with pytest.raises(psp.NotFound):
        db.run_evaluation(office, request(net, platforms=[net.backbone, net.sub, 99]))
    with pytest.raises(psp.Invalid, match="request_json/colour"):
        db.run_evaluation(office, request(net, colour=1))
    with pytest.raises(psp.Invalid, match="request_json/budget"):
        db.run_evaluation(office, request(net, budget=-1))
    with pytest.raises(psp.Invalid, match="request_json/tree"):
        db.run_evaluation(office, request(net, tree={"groups": []}))
    with pytest.raises(psp.Invalid, match="request_json/to"):
        db.run_evaluation(office, request(net, to="2025-02-30"))
    with pytest.raises(psp.Invalid, match="request_json"):
        db.run_evaluation(office, "{\"label\":")
    with pytest.raises(TypeError):
        db.run_evaluation(office, [request(net)])
    assert len(db.journal()) == journal
    assert db.evaluations() == []
    with pytest.raises(psp.NotFound):
        db.evaluation(1)
    with pytest.raises(psp.Invalid):
        db.evaluation(0)
