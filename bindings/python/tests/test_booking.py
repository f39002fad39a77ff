"""Booking shared equipment: calendars, holiday tables, rules, training, the lifecycle, the ledger's
queries, refusals as values and misuse as exceptions."""
import datetime as dt

import pytest

import psp
from conftest import Net

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(day, hour, minute=0):
    """Monday 2025-03-10 plus `day` days, at hour:minute in Shanghai (no holiday that week)."""
    return dt.datetime(2025, 3, 10, hour, minute, tzinfo=SHANGHAI) + dt.timedelta(days=day)


OPEN_0800_1800 = {
    "time_zone": "Asia/Shanghai",
    "weekly": [[{"open": "08:00", "close": "18:00"}]] * 5 + [[], []],
    "holidays": "CN",
}


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock(local(0, 8))


@pytest.fixture
def lab(clock, office, place):
    """One operating platform with a 2-unit instrument open 08:00-18:00 on weekdays, two enterprises,
    in a database to reopen (a file or a PostgreSQL database)."""
    n = Net()
    n.path = place("lab")
    db = psp.Database.open(n.path, clock=clock)
    n.db = db
    d = db.add(office, psp.District("上城区"))
    z = db.add(office, psp.Zone("钱江新城CBD", d))
    n.platform = db.add(office, psp.Platform("Testing centre", d, status=psp.PlatformStatus.OPERATING,
                                             services=frozenset({psp.ServiceKind.EQUIPMENT_SHARING})))
    n.other = db.add(office, psp.Platform("Design hub", d, status=psp.PlatformStatus.OPERATING))
    n.cls = db.add(office, psp.EquipmentClass("Mass spectrometer"))
    n.eq = db.add(office, psp.Equipment("MS-01", n.cls, n.platform, d, capacity_units=2))
    n.ent = db.add(office, psp.Enterprise("杭州某某科技有限公司", z))
    n.ent2 = db.add(office, psp.Enterprise("Rival firm", z))
    n.op = psp.Actor.operator_of(n.platform)
    n.firm = psp.Actor.enterprise_self(n.ent)
    n.rival = psp.Actor.enterprise_self(n.ent2)
    db.set_platform_calendar(n.op, n.platform, OPEN_0800_1800)
    yield n
    db.close()


def test_enums_match_the_library():
    assert psp.name_of(psp.BookingStatus.NO_SHOW) == "no_show"
    assert psp.name_of(psp.BookingRule.OPENING_HOURS) == "opening_hours"


def test_rules_defaults_are_the_library_defaults():
    r = psp.BookingRules()
    assert (r.slot_minutes, r.min_minutes, r.max_minutes, r.min_notice_minutes) == (30, 30, 480, 60)
    assert (r.max_horizon_days, r.cancel_deadline_minutes, r.no_show_grace_minutes) == (90, 1440, 15)
    assert not r.approval_required and not r.training_required and r.blackouts == []


def test_holidays_and_calendar_json():
    cn = psp.china_holidays()
    assert cn["region"] == "CN" and cn["format"] == "psp-holidays"
    assert psp.normalize_holidays(cn) == cn
    bad = dict(cn, holidays=["2025-02-30"], makeup_days=[], first_year=2025, last_year=2025)
    with pytest.raises(psp.Invalid, match="2025-02-30"):
        psp.normalize_holidays(bad)
    cal = psp.normalize_calendar(OPEN_0800_1800)
    assert cal["weekly"][0] == [{"open": "08:00", "close": "18:00"}] and cal["holidays"] == "CN"
    assert psp.normalize_calendar(cal) == cal
    with pytest.raises(psp.Invalid, match="/weekly"):
        psp.normalize_calendar({"weekly": 3})
    with pytest.raises(psp.Invalid, match="calendar_json"):
        psp.normalize_calendar("{")
    with pytest.raises(psp.Invalid, match="UTF-8"):
        psp.normalize_calendar('{"time_zone": "\udc80"}')


def test_calendars(lab, office):
    db = lab.db
    assert db.platform_calendar(lab.platform)["weekly"][0] == [{"open": "08:00", "close": "18:00"}]
    assert "08:30" in str(db.platform_calendar(lab.other))   # the standard week until set
    assert db.equipment_calendar(lab.eq) == db.platform_calendar(lab.platform)
    own = dict(OPEN_0800_1800, weekly=[[{"open": "09:00", "close": "17:00"}]] + [[]] * 6)
    db.set_equipment_calendar(lab.op, lab.eq, own)
    assert db.equipment_calendar(lab.eq)["weekly"][0] == [{"open": "09:00", "close": "17:00"}]
    db.set_equipment_calendar(lab.op, lab.eq, None)
    assert db.equipment_calendar(lab.eq) == db.platform_calendar(lab.platform)
    with pytest.raises(psp.PermissionDenied):
        db.set_platform_calendar(psp.Actor.operator_of(lab.other), lab.platform, OPEN_0800_1800)
    with pytest.raises(psp.NotFound):
        db.platform_calendar(999)
    with pytest.raises(psp.Invalid, match="Mars"):
        db.set_platform_calendar(office, lab.platform, {"time_zone": "Mars/Olympus"})


def test_rules_and_training(lab, office):
    db = lab.db
    assert db.booking_rules(lab.eq) == psp.BookingRules()
    rules = psp.BookingRules(min_minutes=60, approval_required=True, late_cancel_fee=5000,
                             blackouts=[(local(2, 0), local(3, 0))])
    db.set_booking_rules(lab.op, lab.eq, rules)
    got = db.booking_rules(lab.eq)
    assert got.approval_required and got.min_minutes == 60 and got.late_cancel_fee == 5000
    assert got.blackouts == [psp.Period(local(2, 0), local(3, 0))]
    with pytest.raises(psp.Invalid, match="slot_minutes"):
        db.set_booking_rules(lab.op, lab.eq, psp.BookingRules(slot_minutes=7))
    with pytest.raises(psp.Invalid, match=r"blackouts\[0\]"):
        db.set_booking_rules(lab.op, lab.eq, psp.BookingRules(blackouts=[(local(3, 0), local(2, 0))]))
    with pytest.raises(psp.PermissionDenied):
        db.set_booking_rules(lab.firm, lab.eq, rules)

    assert not db.trained(lab.ent, lab.cls)
    with pytest.raises(psp.PermissionDenied):
        db.set_training(lab.firm, lab.ent, lab.cls)
    db.set_training(lab.op, lab.ent, lab.cls)
    assert db.trained(lab.ent, lab.cls)
    db.set_training(lab.op, lab.ent, lab.cls, False)
    assert not db.trained(lab.ent, lab.cls)


def test_lifecycle_end_to_end(lab, clock, office):
    db = lab.db
    db.set_booking_rules(lab.op, lab.eq, psp.BookingRules(
        min_minutes=60, max_minutes=240, approval_required=True, training_required=True, late_cancel_fee=5000))

    req = psp.BookingRequest(lab.eq, lab.ent, local(1, 10), local(1, 12), note="质谱分析")
    refused = db.book(lab.firm, req)
    assert not refused and refused.booking is None
    assert refused.refused_by is psp.BookingRule.TRAINING and "training" in refused.reason
    db.set_training(lab.op, lab.ent, lab.cls)

    out = db.book(lab.firm, req)
    assert out and out.refused_by is psp.BookingRule.NONE and out.reason == ""
    b1 = out.booking
    assert b1.status is psp.BookingStatus.PENDING and b1.note == "质谱分析"
    assert b1.start == local(1, 10) and b1.end == local(1, 12) and b1.created == local(0, 8)
    assert b1.period.duration == dt.timedelta(hours=2)
    assert db.booking(b1.id) == b1

    with pytest.raises(psp.PermissionDenied):
        db.approve(lab.firm, b1.id)
    assert db.approve(lab.op, b1.id).status is psp.BookingStatus.CONFIRMED
    with pytest.raises(psp.Refused, match="pending"):
        db.approve(lab.op, b1.id)

    # Seconds work as well as datetimes; a second unit fits, a third does not.
    b2 = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, int(local(1, 10).timestamp()),
                                              int(local(1, 12).timestamp()))).booking
    assert b2 is not None
    assert db.book(lab.firm, req).refused_by is psp.BookingRule.CAPACITY
    assert db.reject(lab.op, b2.id).status is psp.BookingStatus.REJECTED

    b4 = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(0, 9), local(0, 10))).booking
    b5 = db.book(lab.op, psp.BookingRequest(lab.eq, lab.ent, local(0, 10), local(0, 11))).booking
    b6 = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(0, 14), local(0, 15))).booking
    for b in (b4, b5, b6):
        db.approve(lab.op, b.id)

    with pytest.raises(psp.PermissionDenied):
        db.cancel(lab.rival, b6.id)
    cancelled = db.cancel(lab.firm, b6.id)
    assert cancelled.status is psp.BookingStatus.CANCELLED and cancelled.cancellation_fee == 5000
    with pytest.raises(psp.Refused):
        db.cancel(lab.firm, b6.id)
    with pytest.raises(psp.NotFound):
        db.cancel(lab.firm, 9999)

    clock.now = local(0, 9, 5)
    assert db.check_in(lab.op, b4.id).status is psp.BookingStatus.CHECKED_IN
    assert db.complete(lab.op, b4.id).status is psp.BookingStatus.COMPLETED

    clock.now = local(0, 10, 20)
    with pytest.raises(psp.PermissionDenied):
        db.mark_no_shows(lab.op)
    marked = db.mark_no_shows(office)
    assert [b.id for b in marked] == [b5.id] and marked[0].status is psp.BookingStatus.NO_SHOW
    assert db.mark_no_shows(office) == []

    week = (local(0, 0), local(7, 0))
    assert [b.id for b in db.bookings_of_equipment(lab.eq, *week)] == [b1.id, b2.id, b4.id, b5.id, b6.id]
    assert len(db.bookings_of_enterprise(lab.ent, *week)) == 5
    assert db.bookings_of_enterprise(lab.ent2, *week) == []
    assert len(db.bookings_of_platform(lab.platform, local(0, 0), local(1, 0))) == 3
    assert db.bookings_of_platform(lab.other, *week) == []

    u = db.equipment_utilisation(lab.eq, local(0, 0), local(1, 0))
    assert (u.open_seconds, u.booked_seconds, u.used_seconds) == (72000, 3600, 3600)   # 10 h x 2 units
    assert u.booked_share == pytest.approx(0.05)
    p = db.platform_utilisation(lab.platform, dt.date(2025, 3, 9), dt.date(2025, 3, 10))
    assert p.open_seconds == 0 and p.booked_share == 0.0

    # Reopened, the ledger is the same.
    db.close()
    with psp.Database.open(lab.path, clock=clock) as again:
        assert again.booking(b6.id) == cancelled
        assert again.booking(b1.id).note == "质谱分析"
        assert again.booking_rules(lab.eq).late_cancel_fee == 5000
        assert again.trained(lab.ent, lab.cls)


def test_each_rule_refuses_by_name(lab):
    db = lab.db
    db.set_booking_rules(lab.op, lab.eq, psp.BookingRules(
        min_minutes=60, max_minutes=240, max_horizon_days=30, blackouts=[psp.Period(local(2, 0), local(3, 0))]))
    cases = {
        psp.BookingRule.BLACKOUT: (local(2, 10), local(2, 11)),
        psp.BookingRule.OPENING_HOURS: (local(5, 10), local(5, 11)),
        psp.BookingRule.SLOT_GRID: (local(3, 10, 15), local(3, 11, 15)),
        psp.BookingRule.MIN_DURATION: (local(3, 10), local(3, 10, 30)),
        psp.BookingRule.MAX_DURATION: (local(3, 8), local(3, 13)),
        psp.BookingRule.IN_PAST: (local(-3, 10), local(-3, 11)),
        psp.BookingRule.MIN_NOTICE: (local(0, 8, 30), local(0, 9, 30)),
        psp.BookingRule.MAX_HORIZON: (local(45, 10), local(45, 11)),
    }
    for rule, (start, end) in cases.items():
        out = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, start, end))
        assert out.refused_by is rule, (rule, out)
        assert out.booking is None and out.reason.startswith(psp.name_of(rule))
    assert db.bookings_of_equipment(lab.eq, local(-7, 0), local(60, 0)) == []


def test_free_and_earliest_slots(lab):
    db = lab.db
    assert db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(1, 10), local(1, 12)))
    assert db.free_slots(lab.eq, local(3, 0), local(4, 0), 60) == [psp.Period(local(3, 8), local(3, 18))]
    both_units = db.free_slots(lab.eq, local(1, 0), local(2, 0), 60, units=2)
    assert len(both_units) == 2
    assert all(p.end <= local(1, 10) or p.start >= local(1, 12) for p in both_units)
    assert db.earliest_slot([lab.eq], local(3, 0), local(4, 0), 60) == (lab.eq, psp.Period(local(3, 8), local(3, 9)))
    assert db.earliest_slot([lab.eq], local(5, 0), local(7, 0), 60) is None   # the weekend
    assert db.earliest_slot([], local(3, 0), local(4, 0), 60) is None
    with pytest.raises(psp.NotFound):
        db.earliest_slot([lab.eq, 999], local(3, 0), local(4, 0), 60)


def test_misuse_raises(lab):
    db = lab.db
    good = psp.BookingRequest(lab.eq, lab.ent, local(3, 10), local(3, 11))
    with pytest.raises(psp.Invalid, match="period"):
        db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 11), local(3, 10)))
    with pytest.raises(psp.Invalid, match="units"):
        db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 10), local(3, 11), units=0))
    with pytest.raises(psp.Invalid, match="note"):
        db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 10), local(3, 11), note="\udc80"))
    with pytest.raises(psp.NotFound):
        db.book(lab.firm, psp.BookingRequest(999, lab.ent, local(3, 10), local(3, 11)))
    with pytest.raises(psp.PermissionDenied):
        db.book(lab.rival, good)
    with pytest.raises(psp.PermissionDenied):
        db.book(psp.Actor.anyone(), good)
    with pytest.raises(TypeError):
        db.book(lab.firm, (lab.eq, lab.ent))
    with pytest.raises(psp.NotFound):
        db.booking(12345)
    for window in [(local(4, 0), local(3, 0)), (local(3, 0), local(3, 0))]:
        with pytest.raises(psp.Invalid, match="window"):
            db.bookings_of_equipment(lab.eq, *window)
        with pytest.raises(psp.Invalid, match="window"):
            db.free_slots(lab.eq, *window, 60)
        with pytest.raises(psp.Invalid, match="window"):
            db.platform_utilisation(lab.other, *window)
    with pytest.raises(psp.Invalid, match="min_minutes"):
        db.free_slots(lab.eq, local(3, 0), local(4, 0), 0)
    with pytest.raises(psp.NotFound):
        db.equipment_utilisation(999, local(3, 0), local(4, 0))
    # Nothing above booked anything.
    assert db.bookings_of_equipment(lab.eq, local(-7, 0), local(60, 0)) == []


# ---- Batches, series, the waitlist --------------------------------------------------------------

def test_new_enums_match_the_library():
    assert psp.name_of(psp.WaitStatus.WITHDRAWN) == "withdrawn"
    assert psp.name_of(psp.WaitStatus.EXPIRED) == "expired"
    assert [int(e) for e in psp.Every] == [0, 1]
    assert [int(m) for m in psp.SeriesMode] == [0, 1]


def test_book_batch(lab):
    db = lab.db
    req = psp.BookingRequest
    outcomes = db.book_batch(lab.firm, [req(lab.eq, lab.ent, local(3, 10), local(3, 11), units=2),
                                        req(lab.eq, lab.ent, local(3, 10), local(3, 11)),
                                        req(lab.eq, lab.ent, local(3, 11), local(3, 12), note="批量")])
    assert [bool(o) for o in outcomes] == [True, False, True]
    assert outcomes[0].booking.units == 2 and outcomes[0].booking.series is None and outcomes[0].reason == ""
    assert outcomes[1].booking is None and outcomes[1].refused_by is psp.BookingRule.CAPACITY and outcomes[1].reason
    assert outcomes[2].booking.note == "批量" and outcomes[2].booking.status is psp.BookingStatus.CONFIRMED
    assert outcomes[2].booking.id > outcomes[0].booking.id
    assert db.book_batch(lab.firm, []) == []

    # Misuse anywhere refuses the whole batch.
    fine = req(lab.eq, lab.ent, local(4, 10), local(4, 11))
    with pytest.raises(psp.PermissionDenied):
        db.book_batch(lab.firm, [fine, req(lab.eq, lab.ent2, local(4, 12), local(4, 13))])
    with pytest.raises(psp.NotFound):
        db.book_batch(lab.firm, [fine, req(999, lab.ent, local(4, 12), local(4, 13))])
    with pytest.raises(psp.Invalid, match="units"):
        db.book_batch(lab.firm, [fine, req(lab.eq, lab.ent, local(4, 12), local(4, 13), units=0)])
    with pytest.raises(TypeError):
        db.book_batch(lab.firm, [fine, (lab.eq, lab.ent)])
    assert db.bookings_of_equipment(lab.eq, local(4, 0), local(5, 0)) == []


def test_book_and_cancel_series(lab, clock):
    db = lab.db
    db.book(lab.rival, psp.BookingRequest(lab.eq, lab.ent2, local(9, 14), local(9, 15), units=2))
    first = psp.BookingRequest(lab.eq, lab.ent, local(2, 14), local(2, 15))
    weekly = psp.Recurrence(psp.Every.WEEK, count=3)

    refused = db.book_series(lab.firm, first, weekly)   # all or nothing by default
    assert not refused and refused.series is None and refused.booked == []
    assert refused.skipped[0].refused_by is psp.BookingRule.CAPACITY and refused.skipped[0].reason
    assert refused.skipped[0].period == psp.Period(local(9, 14), local(9, 15))
    assert db.bookings_of_enterprise(lab.ent, local(0, 0), local(30, 0)) == []

    out = db.book_series(lab.firm, first, weekly, psp.SeriesMode.SKIP_CONFLICTS)
    assert out and out.series == out.booked[0].id
    assert [b.start for b in out.booked] == [local(2, 14), local(16, 14)]
    assert all(b.series == out.series for b in out.booked)
    assert [s.period.start for s in out.skipped] == [local(9, 14)]
    assert db.booking(out.booked[1].id).series == out.series

    daily = db.book_series(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 9), local(3, 10)),
                           psp.Recurrence(psp.Every.DAY, until=local(4, 9)))
    assert len(daily.booked) == 2 and not daily.skipped

    with pytest.raises(psp.Invalid, match="mode"):
        db.book_series(lab.firm, first, weekly, 2)
    with pytest.raises(psp.Invalid, match="recurrence.every"):
        db.book_series(lab.firm, first, psp.Recurrence(every=7, count=2))
    with pytest.raises(psp.Invalid, match="interval"):
        db.book_series(lab.firm, first, psp.Recurrence(interval=0, count=2))
    with pytest.raises(psp.PermissionDenied):
        db.book_series(lab.rival, first, weekly)
    with pytest.raises(TypeError):
        db.book_series(lab.firm, first, {"count": 3})

    with pytest.raises(psp.NotFound, match="series"):
        db.cancel_series(lab.firm, 9999)
    with pytest.raises(psp.PermissionDenied):
        db.cancel_series(lab.rival, out.series)
    cancelled = db.cancel_series(lab.firm, out.series, since=local(3, 0))
    assert [b.id for b in cancelled] == [out.booked[1].id]
    assert cancelled[0].status is psp.BookingStatus.CANCELLED
    assert db.booking(out.booked[0].id).status is psp.BookingStatus.CONFIRMED
    assert [b.id for b in db.cancel_series(lab.op, out.series)] == [out.booked[0].id]
    assert db.cancel_series(lab.firm, out.series) == []


def test_waitlist(lab, clock):
    db = lab.db
    held = db.book(lab.rival, psp.BookingRequest(lab.eq, lab.ent2, local(9, 14), local(9, 15), units=2)).booking
    wanted = psp.BookingRequest(lab.eq, lab.ent, local(9, 14), local(9, 15), note="候补")
    assert db.book(lab.firm, wanted).refused_by is psp.BookingRule.CAPACITY

    entry = db.join_waitlist(lab.firm, wanted)
    assert entry.status is psp.WaitStatus.WAITING and entry.booking is None
    assert entry.request.note == "候补" and entry.request.units == 1
    assert psp.Period(entry.request.start, entry.request.end) == psp.Period(local(9, 14), local(9, 15))
    assert entry.created == clock.now

    other = db.join_waitlist(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(10, 9), local(10, 10)))
    with pytest.raises(psp.PermissionDenied):
        db.leave_waitlist(lab.rival, other.id)
    with pytest.raises(psp.NotFound):
        db.leave_waitlist(lab.firm, 9999)
    assert db.leave_waitlist(lab.firm, other.id).status is psp.WaitStatus.WITHDRAWN
    with pytest.raises(psp.Refused, match="withdrawn"):
        db.leave_waitlist(lab.firm, other.id)
    with pytest.raises(psp.PermissionDenied):
        db.join_waitlist(lab.rival, wanted)
    with pytest.raises(psp.NotFound):
        db.join_waitlist(lab.firm, psp.BookingRequest(999, lab.ent, local(9, 14), local(9, 15)))
    with pytest.raises(TypeError):
        db.join_waitlist(lab.firm, (lab.eq, lab.ent))

    assert [w.id for w in db.waitlist(lab.eq)] == [entry.id]
    with pytest.raises(psp.NotFound):
        db.waitlist(999)
    assert db.take_promotions() == []
    with pytest.raises(psp.PermissionDenied):
        db.promote_waitlist(lab.firm, lab.eq)
    assert db.promote_waitlist(lab.op, lab.eq) == []   # the slot is still full

    db.cancel(lab.rival, held.id)
    promoted = db.take_promotions()
    assert [w.id for w in promoted] == [entry.id]
    assert promoted[0].status is psp.WaitStatus.PROMOTED and promoted[0].booking
    booking = db.booking(promoted[0].booking)
    assert booking.enterprise == lab.ent and booking.period == psp.Period(local(9, 14), local(9, 15))
    assert db.take_promotions() == [] and db.waitlist(lab.eq) == []
    with pytest.raises(psp.Refused, match="promoted"):
        db.leave_waitlist(lab.firm, entry.id)
