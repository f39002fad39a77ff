"""Coordination across the network: routing tier by tier, fulfilment (served, or why nothing fits),
services without equipment, one-stop front doors, settlement rules and the settlement of a
referral; bad input raises and books nothing."""
import datetime as dt

import pytest

import psp

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(day, hour, minute=0):
    """Monday 2025-03-10 plus `day` days, at hour:minute in Shanghai (no holiday that week)."""
    return dt.datetime(2025, 3, 10, hour, minute, tzinfo=SHANGHAI) + dt.timedelta(days=day)


OPEN_0800_1800 = {
    "time_zone": "Asia/Shanghai",
    "weekly": [[{"open": "08:00", "close": "18:00"}]] * 5 + [[], []],
    "holidays": "CN",
}
MARCH = (local(0, 0), local(30, 0))


@pytest.fixture
def where(place):
    """Where the database lives: a file or a PostgreSQL database, to reopen."""
    return place("routing")


@pytest.fixture
def db(where):
    """Overrides conftest's: a database to reopen and a clock on Monday 08:00 in Shanghai."""
    d = psp.Database.open(where, clock=lambda: local(0, 8))
    yield d
    d.close()


@pytest.fixture
def world(net, office, where):
    """conftest's network, plus a second instrument at the sub-platform, calendars and tariffs."""
    db = net.db
    net.path = where
    net.op = psp.Actor.operator_of(net.backbone)
    net.sub_op = psp.Actor.operator_of(net.sub)
    net.plain_op = psp.Actor.operator_of(net.plain)
    net.firm = psp.Actor.enterprise_self(net.ent)
    net.ms2 = db.add(office, psp.Equipment("MS-02", net.cls, net.sub, net.d2))
    db.set_platform_calendar(net.op, net.backbone, OPEN_0800_1800)
    db.set_platform_calendar(net.sub_op, net.sub, OPEN_0800_1800)
    db.set_tariff(net.op, net.eq, psp.Tariff(30_000, 45_000))
    db.set_tariff(net.sub_op, net.ms2, psp.Tariff(40_000, 40_000))
    return net


def ms_hour(n, **changes):
    """An hour of mass spectrometry for the enterprise, on Tuesday between 09:00 and 12:00."""
    fields = dict(enterprise=n.ent, start=local(1, 9), end=local(1, 12), minutes=60,
                  equipment_class=n.cls)
    fields.update(changes)
    return psp.ServiceRequest(**fields)


def test_enums_and_policy_defaults():
    assert psp.name_of(psp.RouteTier.ALLIANCE) == "alliance"
    assert psp.name_of(psp.RouteObjective.LOWEST_PRICE) == "lowest_price"
    p = psp.RoutingPolicy()
    assert p.open_tiers == frozenset(psp.RouteTier)
    assert (p.max_travel_minutes, p.max_referral_hops, p.max_offers) == (90, 3, 10)
    assert p.objective is psp.RouteObjective.EARLIEST and p.nearest_tier_first
    assert psp.SettlementRule() == psp.SettlementRule(10_000, 0, 0)


def test_route_ranks_offers_nearest_tier_first(world):
    n = world
    offers = n.db.route(ms_hour(n))
    assert len(offers) == 1   # the home platform has an instrument: no need to go further
    o = offers[0]
    assert (o.platform, o.equipment, o.tier, o.chain, o.referral_hops) == (n.backbone, n.eq, psp.RouteTier.HOME,
                                                                          (n.backbone,), 0)
    assert o.period == psp.Period(local(1, 9), local(1, 10))
    assert (o.price.gross, o.price.enterprise_pays, o.price.voucher_pays) == (30_000, 30_000, 0)
    assert o.alliance is None and o.price.scheme is None

    everywhere = psp.RoutingPolicy(nearest_tier_first=False, objective=psp.RouteObjective.LOWEST_PRICE)
    offers = n.db.route(ms_hour(n), everywhere)
    assert [(o.platform, o.tier) for o in offers] == [(n.backbone, psp.RouteTier.HOME), (n.sub, psp.RouteTier.FAMILY)]
    assert offers[0].score <= offers[1].score
    assert offers[1].chain == (n.backbone, n.sub) and offers[1].price.enterprise_pays == 40_000
    assert len(n.db.route(ms_hour(n), psp.RoutingPolicy(nearest_tier_first=False, max_offers=1))) == 1
    assert n.db.can_route(ms_hour(n)) is True and n.db.can_route(ms_hour(n), everywhere) is True
    assert n.db.served_requests(*MARCH) == []   # routing books nothing


def test_fulfil_a_referral_then_settle_it(world, office):
    n = world
    done = n.db.fulfil(n.firm, ms_hour(n, received_by=n.plain, note="需要质谱检测"))
    assert done and done.reason == "" and done.nearest_miss is None
    s = done.served
    assert (s.id, s.offer.platform, s.offer.tier, s.offer.alliance) == (1, n.backbone, psp.RouteTier.ALLIANCE, n.alliance)
    assert s.offer.chain == (n.plain, n.backbone) and s.offer.referral_hops == 1
    assert s.request.received_by == n.plain and s.request.note == "需要质谱检测"
    assert s.request.price_ceiling is None and s.request.equipment_class == n.cls
    assert s.at == local(0, 8)
    b = n.db.booking(s.booking)
    assert (b.equipment, b.enterprise, b.period) == (n.eq, n.ent, s.offer.period)
    assert n.db.served_requests(*MARCH) == [s]

    n.db.set_settlement_rule(n.op, n.alliance, psp.SettlementRule(8000, 1500, 500))
    assert n.db.settlement_rule(n.alliance) == psp.SettlementRule(8000, 1500, 500)
    assert n.db.settlement_rule() == psp.SettlementRule()
    ledger = n.db.settlement_ledger(*MARCH)
    assert len(ledger) == 1
    assert (ledger[0]["serving"], ledger[0]["referring"], ledger[0]["alliance"]) == (n.backbone, n.plain, n.alliance)
    assert ledger[0]["gross"] == 30_000 and ledger[0]["request"] == s.id

    settlement = n.db.settle(*MARCH)
    totals = settlement["totals"]
    assert (totals["gross"], totals["referral"], totals["pool"], totals["kept"]) == (30_000, 4_500, 1_500, 24_000)
    assert totals["transferred"] == 4_500 and totals["entries"] == 1 and totals["referrals"] == 1
    assert settlement["transfers"] == [{"from": n.backbone, "to": n.plain, "amount": 4_500}]
    assert settlement["pools"] == [{"alliance": n.alliance, "amount": 1_500, "referrals": 1}]
    assert settlement["contributions"] == [{"alliance": n.alliance, "platform": n.backbone, "amount": 1_500}]
    assert settlement["period"] == {"start": int(MARCH[0].timestamp()), "end": int(MARCH[1].timestamp())}
    positions = {p["platform"]: p for p in settlement["platforms"]}
    assert positions[n.plain]["balance"] == 4_500 and positions[n.backbone]["balance"] == -4_500
    assert positions[n.backbone]["collected"] == 30_000 and positions[n.backbone]["pool_owed"] == 1_500
    assert sum(p["balance"] for p in settlement["platforms"]) == 0

    # Persisted: a reopened database has the served request and the rule.
    n.db.close()
    with psp.Database.open(n.path, clock=lambda: local(0, 8)) as again:
        assert again.served_requests(*MARCH) == [s]
        assert again.settlement_rule(n.alliance) == psp.SettlementRule(8000, 1500, 500)


def test_nothing_fits_is_an_answer(world):
    n = world
    capped = ms_hour(n, price_ceiling=100)
    assert n.db.route(capped) == []
    assert n.db.can_route(capped) is False
    miss = n.db.fulfil(n.firm, capped)
    assert not miss and miss.served is None
    assert "above the ceiling" in miss.reason
    assert isinstance(miss.nearest_miss, psp.Offer) and miss.nearest_miss.price.enterprise_pays > 100
    assert n.db.served_requests(*MARCH) == []
    assert n.db.bookings_of_enterprise(n.ent, *MARCH) == []


def test_bad_requests_and_policies_raise_and_book_nothing(world):
    n = world
    journal = len(n.db.journal())
    with pytest.raises(psp.Invalid, match="shorter than the duration"):
        n.db.fulfil(n.firm, ms_hour(n, minutes=4 * 60))
    with pytest.raises(psp.Invalid, match="shorter than the duration"):
        n.db.route(ms_hour(n, minutes=4 * 60))
    with pytest.raises(psp.Invalid, match="shorter than the duration"):
        n.db.can_route(ms_hour(n, minutes=4 * 60))
    with pytest.raises(psp.Invalid, match="open_tiers"):
        n.db.can_route(ms_hour(n), psp.RoutingPolicy(open_tiers=frozenset()))
    with pytest.raises(psp.NotFound):
        n.db.can_route(ms_hour(n, enterprise=555))
    with pytest.raises(TypeError, match="ServiceRequest"):
        n.db.can_route({"enterprise": n.ent})
    with pytest.raises(psp.Invalid, match="window"):
        n.db.fulfil(n.firm, ms_hour(n, start=local(1, 12), end=local(1, 9)))
    with pytest.raises(psp.Invalid, match="price_ceiling"):
        n.db.fulfil(n.firm, ms_hour(n, price_ceiling=-1))
    with pytest.raises(psp.Invalid, match="kind"):
        n.db.fulfil(n.firm, ms_hour(n, kind=99))
    with pytest.raises(psp.Invalid, match="units"):
        n.db.fulfil(n.firm, ms_hour(n, units=0))
    with pytest.raises(psp.Invalid, match="open_tiers"):
        n.db.fulfil(n.firm, ms_hour(n), psp.RoutingPolicy(open_tiers=frozenset()))
    with pytest.raises(psp.Invalid, match="max_offers"):
        n.db.route(ms_hour(n), psp.RoutingPolicy(max_offers=0))
    with pytest.raises(psp.Invalid, match="weight_price_yuan"):
        n.db.route(ms_hour(n), psp.RoutingPolicy(weight_price_yuan=float("nan")))
    with pytest.raises(psp.NotFound):
        n.db.fulfil(n.firm, ms_hour(n, enterprise=555))
    with pytest.raises(psp.NotFound):
        n.db.fulfil(n.firm, ms_hour(n, received_by=555))
    with pytest.raises(psp.PermissionDenied):
        n.db.fulfil(psp.Actor.enterprise_self(555), ms_hour(n))
    with pytest.raises(TypeError, match="ServiceRequest"):
        n.db.route({"enterprise": n.ent})
    with pytest.raises(TypeError, match="RoutingPolicy"):
        n.db.fulfil(n.firm, ms_hour(n), {"max_offers": 1})
    with pytest.raises(psp.Invalid, match="period"):
        n.db.served_requests(MARCH[1], MARCH[0])
    with pytest.raises(psp.Invalid, match="period"):
        n.db.settle(MARCH[1], MARCH[0])
    with pytest.raises(psp.Invalid, match="period"):
        n.db.settlement_ledger(MARCH[0], MARCH[0])
    assert len(n.db.journal()) == journal
    assert n.db.served_requests(*MARCH) == []
    assert n.db.bookings_of_enterprise(n.ent, *MARCH) == []


def test_services_without_equipment_fill_weekly_cases(world):
    n = world
    with pytest.raises(psp.PermissionDenied):
        n.db.set_service_capacity(n.plain_op, psp.ServiceCapacity(n.sub, psp.ServiceKind.QUALITY_TESTING, 1))
    with pytest.raises(psp.Invalid, match="cases_per_week"):
        n.db.set_service_capacity(n.sub_op, psp.ServiceCapacity(n.sub, psp.ServiceKind.QUALITY_TESTING, -1))
    with pytest.raises(psp.Invalid, match="kind"):
        n.db.set_service_capacity(n.sub_op, psp.ServiceCapacity(n.sub, 99, 1))
    n.db.set_service_capacity(n.sub_op, psp.ServiceCapacity(n.sub, psp.ServiceKind.QUALITY_TESTING, 1))
    assert n.db.service_capacities() == [psp.ServiceCapacity(n.sub, psp.ServiceKind.QUALITY_TESTING, 1)]

    case = psp.ServiceRequest(n.ent, local(1, 9), local(4, 18), 120, psp.ServiceKind.QUALITY_TESTING,
                              received_by=n.sub)
    first = n.db.fulfil(n.firm, case)
    assert first and first.served.offer.platform == n.sub and first.served.offer.tier is psp.RouteTier.HOME
    assert first.served.booking is None and first.served.offer.equipment is None
    second = n.db.fulfil(n.firm, case)   # the sub-platform's week is full: its backbone
    assert second and second.served.offer.platform == n.backbone
    assert second.served.offer.tier is psp.RouteTier.FAMILY and second.served.offer.referral_hops == 0


def test_one_stop_front_door_follows_the_alliance_policy(world):
    n = world
    assert n.db.alliance_policy(n.alliance) is None
    nearest = psp.RoutingPolicy(objective=psp.RouteObjective.SHORTEST_TRAVEL, max_travel_minutes=60,
                                open_tiers=frozenset({psp.RouteTier.HOME, psp.RouteTier.ALLIANCE}))
    with pytest.raises(psp.PermissionDenied):
        n.db.set_alliance_policy(n.plain_op, n.alliance, nearest)
    with pytest.raises(psp.Invalid, match="open_tiers"):
        n.db.set_alliance_policy(n.op, n.alliance, psp.RoutingPolicy(open_tiers=frozenset()))
    with pytest.raises(psp.NotFound):
        n.db.alliance_policy(555)
    n.db.set_alliance_policy(n.op, n.alliance, nearest)
    assert n.db.alliance_policy(n.alliance) == nearest

    done = n.db.fulfil(n.firm, ms_hour(n, front_door=n.alliance))
    assert done and done.served.offer.platform == n.backbone and done.served.offer.alliance == n.alliance
    assert done.served.request.front_door == n.alliance


def test_settlement_rules_are_checked(world, office):
    n = world
    with pytest.raises(psp.Invalid, match="not 10000"):
        n.db.set_settlement_rule(n.op, n.alliance, psp.SettlementRule(8000, 1500, 400))
    with pytest.raises(psp.Invalid, match="pool"):
        n.db.set_settlement_rule(office, None, psp.SettlementRule(9000, 500, 500))
    with pytest.raises(psp.PermissionDenied):
        n.db.set_settlement_rule(n.plain_op, n.alliance, psp.SettlementRule(8000, 1500, 500))
    with pytest.raises(psp.NotFound):
        n.db.settlement_rule(555)
    with pytest.raises(TypeError, match="SettlementRule"):
        n.db.set_settlement_rule(office, None, (9000, 1000, 0))
    n.db.set_settlement_rule(office, None, psp.SettlementRule(9000, 1000, 0))
    assert n.db.settlement_rule() == psp.SettlementRule(9000, 1000, 0)
    assert n.db.settlement_rule(n.alliance) == psp.SettlementRule(9000, 1000, 0)   # no rule of its own
    assert n.db.settle(*MARCH)["transfers"] == []
