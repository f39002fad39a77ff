"""Monitoring statistics (§4.2): rows per subject and period as flat dicts (a pandas DataFrame when
pandas is there), unmet requests, the rebuild, and bad queries."""
import datetime as dt

import pytest

import psp

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(day, hour):
    """Monday 2025-03-10 plus `day` days, at `hour` in Shanghai."""
    return dt.datetime(2025, 3, 10, hour, tzinfo=SHANGHAI) + dt.timedelta(days=day)


@pytest.fixture
def db(place):
    d = psp.Database.open(place(memory=True), clock=lambda: local(0, 8))
    yield d
    d.close()


def test_statistics_count_bookings_and_unmet_requests(net, office):
    db = net.db
    ok = db.book(office, psp.BookingRequest(net.eq, net.ent, local(1, 10), local(1, 11)))
    assert ok
    two = db.book(office, psp.BookingRequest(net.eq, net.ent, local(2, 10), local(2, 12), units=2))
    assert two
    db.cancel(office, two.booking.id)
    # Nobody offers IP services here: the request is recorded as unmet, at the enterprise's zone.
    miss = db.fulfil(office, psp.ServiceRequest(enterprise=net.ent, start=local(1, 9), end=local(3, 17), minutes=60,
                                                kind=psp.ServiceKind.INTELLECTUAL_PROPERTY))
    assert not miss
    unmet = db.unmet_requests(local(0, 0), local(1, 0))
    assert len(unmet) == 1 and unmet[0]["enterprise"] == net.ent and unmet[0]["kind"] == "intellectual_property"

    rows = db.statistics("platform", "month", "2025-03-01", "2025-03-31", ids=[net.backbone])
    assert len(rows) == 1
    r = rows[0]
    assert (r["subject"], r["id"], r["period"], r["start"], r["end"]) == ("platform", net.backbone, "month",
                                                                           "2025-03-01", "2025-04-01")
    assert (r["bookings"], r["cancellations"], r["booked_seconds"], r["enterprises_served"]) == (2, 1, 3600, 1)
    assert 0 < r["utilisation"] < 1
    zone = db.statistics("zone", "month", dt.date(2025, 3, 1), dt.date(2025, 3, 1), ids=[net.z1])[0]
    assert zone["unmet"] == 1 and zone["requests_received"] == 1
    weeks = db.statistics("city", "week", "2025-03-01", "2025-03-31")
    assert [w["start"] for w in weeks][:2] == ["2025-02-24", "2025-03-03"]
    assert sum(w["bookings"] for w in weeks) == 2

    before = db.statistics("platform", "day", "2025-03-10", "2025-03-16")
    db.rebuild_statistics()
    assert db.statistics("platform", "day", "2025-03-10", "2025-03-16") == before


def test_statistics_rows_make_a_dataframe(net, office):
    pandas = pytest.importorskip("pandas")
    net.db.book(office, psp.BookingRequest(net.eq, net.ent, local(1, 10), local(1, 11)))
    frame = pandas.DataFrame(net.db.statistics("platform", "week", "2025-03-10", "2025-03-23"))
    assert len(frame) == 2 * 4   # four platforms, two weeks
    assert frame["bookings"].sum() == 1


def test_statistics_bad_queries(net):
    db = net.db
    with pytest.raises(psp.Invalid, match="reversed"):
        db.statistics("platform", "month", "2025-03-01", "2025-02-01")
    with pytest.raises(psp.Invalid, match="subject"):
        db.statistics("galaxy", "month", "2025-03-01", "2025-03-31")
    with pytest.raises(psp.Invalid, match="period"):
        db.statistics("city", "fortnight", "2025-03-01", "2025-03-31")
    with pytest.raises(psp.NotFound):
        db.statistics("platform", "month", "2025-03-01", "2025-03-31", ids=[999])
    with pytest.raises(psp.Invalid):
        db.statistics("city", "month", "2025-02-30", "2025-03-31")
    with pytest.raises(TypeError):
        db.statistics("city", "month")
