"""Two connections on one database catching up on each other (issue 17): changed_elsewhere(),
a stale change refused with Busy, refresh() reading only the journal rows not seen yet."""
import datetime as dt
import time

import pytest

import psp

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2025, 3, 3, tzinfo=SHANGHAI)


def tuesday(hour):
    start = MONDAY + dt.timedelta(days=1, hours=hour)
    return start, start + dt.timedelta(hours=1)


def hears_of_change(db, seconds=5.0):
    """changed_elsewhere() on PostgreSQL hears of another session's commit by a notification that
    may arrive a moment after that commit returned: ask until it does."""
    deadline = time.monotonic() + seconds
    while not db.changed_elsewhere():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


@pytest.fixture
def hosts(place, office):
    """Two district systems on one database: `a` built the lab, `b` opened it afterwards."""
    where = place("refresh")
    a = psp.Database.open(where, clock=lambda: MONDAY, busy_timeout_ms=0)
    d = a.add(office, psp.District("上城区"))
    z = a.add(office, psp.Zone("钱江新城CBD", d))
    platform = a.add(office, psp.Platform("Testing centre", d, status=psp.PlatformStatus.OPERATING,
                                          services=frozenset({psp.ServiceKind.EQUIPMENT_SHARING})))
    cls = a.add(office, psp.EquipmentClass("Mass spectrometer"))
    eq = a.add(office, psp.Equipment("MS-1", cls, platform, d, capacity_units=1))
    firm = a.add(office, psp.Enterprise("杭州某某科技有限公司", z))
    b = psp.Database.open(where, clock=lambda: MONDAY, busy_timeout_ms=0)
    client = psp.Actor.enterprise_self(firm)

    def book(db, hour):
        return db.book(client, psp.BookingRequest(eq, firm, *tuesday(hour)))

    yield a, b, book
    b.close()
    a.close()


def test_refresh_catches_up_on_a_booking_made_elsewhere(hosts):
    a, b, book = hosts
    assert not b.changed_elsewhere()
    assert b.refresh() == psp.Refreshed(0, False)

    assert book(a, 10)
    assert not a.changed_elsewhere()  # its own commit is not news to it
    assert hears_of_change(b)
    with pytest.raises(psp.Busy, match="another connection"):
        book(b, 10)  # checked against the stale model: nothing written
    assert b.changed_elsewhere()

    caught = b.refresh()
    assert isinstance(caught, psp.Refreshed)
    assert caught.journal_rows >= 1 and caught.reloaded is False  # a booking needs no reload
    assert not b.changed_elsewhere()
    assert b.refresh() == psp.Refreshed(0, False)

    taken = book(b, 10)
    assert not taken and taken.refused_by is psp.BookingRule.CAPACITY
    assert book(b, 11)
    assert hears_of_change(a)
    assert a.refresh().journal_rows >= 1
    assert not book(a, 11)
    assert a.journal() == b.journal()


def test_refresh_reloads_when_the_network_changed_elsewhere(hosts, office):
    a, b, _ = hosts
    a.add(office, psp.District("富阳区"))
    caught = b.refresh()
    assert caught == psp.Refreshed(1, True)
    assert [d.name for d in b.districts()] == ["上城区", "富阳区"]


def test_refresh_is_refused_inside_a_transaction(hosts):
    a, b, book = hosts
    assert book(a, 10)
    with pytest.raises(psp.Busy, match="another connection"):
        b.begin()  # a stale model may not open one either
    b.refresh()
    b.begin()
    with pytest.raises(psp.Refused, match="transaction is open"):
        b.refresh()
    assert b.in_transaction  # still open and usable
    b.rollback()
    assert b.refresh() == psp.Refreshed(0, False)


def test_closed_database_refuses_refresh(place):
    d = psp.Database.open(place(memory=True))
    d.close()
    with pytest.raises(psp.Invalid, match="closed"):
        d.refresh()
    with pytest.raises(psp.Invalid, match="closed"):
        d.changed_elsewhere()
