"""Monitoring on the statistics (§4.2): alert rules (the office's, journaled), period-over-period
change, ranking, comparison between platforms and between cities, the forecast of a series, and the
refusals, which change nothing."""
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


@pytest.fixture
def booked(net, office):
    """Bookings on the backbone's instrument: one on Tuesday, two on Wednesday, three on Thursday."""
    for day, count in ((1, 1), (2, 2), (3, 3)):
        for hour in (9, 10, 14)[:count]:   # open 08:30-12:00 and 13:30-17:30
            assert net.db.book(office, psp.BookingRequest(net.eq, net.ent, local(day, hour), local(day, hour + 1)))
    return net


def test_alert_rules_are_the_offices_and_raise_alerts(booked, office):
    db, net = booked.db, booked
    rules = [{"name": "idle", "kind": "below_for", "metric": "bookings", "threshold": 10, "periods": 1,
              "subject": "platform"}]
    journal = len(db.journal())
    with pytest.raises(psp.PermissionDenied):
        db.set_alert_rules(psp.Actor.operator_of(net.backbone), rules)
    with pytest.raises(psp.Invalid, match="rules_json"):
        db.set_alert_rules(office, [{"name": "low", "kind": "below_for", "metric": "utilisation", "threshold": 30}])
    with pytest.raises(psp.Invalid, match="rules_json/0/metric"):
        db.set_alert_rules(office, [{"name": "x", "kind": "below_for", "metric": "happiness"}])
    with pytest.raises(psp.Invalid, match="twice"):
        db.set_alert_rules(office, rules + rules)
    with pytest.raises(psp.Invalid, match="rules_json"):
        db.set_alert_rules(office, "[{")
    with pytest.raises(TypeError):
        db.set_alert_rules(office, rules[0])
    assert len(db.journal()) == journal
    assert db.alert_rules() == []

    db.set_alert_rules(office, rules)
    assert len(db.journal()) == journal + 1
    assert db.journal()[-1].entity == psp.EntityKind.MONITORING
    assert db.alert_rules() == rules
    alerts = db.alerts("platform", "week", "2025-03-10", dt.date(2025, 3, 16), ids=[net.backbone])
    assert len(alerts) == 1
    a = alerts[0]
    assert (a["rule"], a["subject"], a["id"], a["figures"], a["from"], a["to"]) == (
        "idle", "platform", net.backbone, [6.0], "2025-03-10", "2025-03-17")
    assert f"platform {net.backbone}" in a["message"]
    with pytest.raises(psp.Invalid, match="reversed"):
        db.alerts("platform", "week", "2025-03-16", "2025-03-10")
    with pytest.raises(TypeError):
        db.alerts("platform", "week")


def test_change_rank_and_comparison(booked):
    db, net = booked.db, booked
    change = db.statistics_change("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone])
    assert [c["value"] for c in change] == [1, 2, 3]
    assert change[0]["previous"] is None and change[0]["change"] is None
    assert (change[1]["previous"], change[1]["change"], change[1]["change_ratio"]) == (1, 1, 1)
    assert change[2]["change_ratio"] == pytest.approx(0.5)

    ranks = db.statistics_rank("bookings", "platform", "week", "2025-03-12", "2025-03-12")
    assert ranks[0] == {"rank": 1, "subject": "platform", "id": net.backbone, "value": 6}
    assert [r["rank"] for r in ranks] == [1, 2, 2, 2]
    last = db.statistics_rank("bookings", "platform", "week", "2025-03-12", "2025-03-12", descending=False)
    assert last[-1]["id"] == net.backbone and last[-1]["rank"] == 4
    with pytest.raises(psp.Invalid, match="query_json"):
        db.statistics_rank("bookings", "platform", "day", "2025-03-11", "2025-03-12")

    table = db.statistics_compare("booked_hours", "platform", "day", "2025-03-11", "2025-03-12",
                                  ids=[net.sub, net.backbone])
    assert table["ids"] == [net.backbone, net.sub]
    assert [r["values"] for r in table["rows"]] == [[1, 0], [2, 0]]

    with pytest.raises(psp.Invalid, match="metric"):
        db.statistics_change("happiness", "platform", "day", "2025-03-11", "2025-03-12")
    with pytest.raises(TypeError):
        db.statistics_change(8, "platform", "day", "2025-03-11", "2025-03-12")
    with pytest.raises(psp.NotFound):
        db.statistics_compare("bookings", "platform", "day", "2025-03-11", "2025-03-12", ids=[999])
    with pytest.raises(psp.Invalid, match="reversed"):
        db.statistics_compare("bookings", "platform", "day", "2025-03-12", "2025-03-11")


def test_cities_compared_from_exported_tables(booked):
    db = booked.db
    hangzhou = db.export_statistics("杭州", "city", "week", "2025-03-10", "2025-03-23")
    assert hangzhou["city"] == "杭州" and len(hangzhou["rows"]) == 2
    assert hangzhou["rows"][0]["subject"] == "city" and hangzhou["rows"][0]["figures"]["bookings"] == 6
    ningbo = dict(hangzhou, city="宁波")
    table = psp.compare_cities([hangzhou, ningbo], "bookings")
    assert table["cities"] == ["杭州", "宁波"] and table["sources"] == ["city", "city"]
    assert [r["values"] for r in table["rows"]] == [[6, 6], [0, 0]]

    months = db.export_statistics("宁波", period="month", start="2025-03-10", end="2025-03-23")
    with pytest.raises(psp.Invalid, match="month"):
        psp.compare_cities([hangzhou, months], "bookings")
    with pytest.raises(psp.Invalid, match="twice"):
        psp.compare_cities([hangzhou, hangzhou], "bookings")
    with pytest.raises(psp.Invalid, match="tables_json"):
        psp.compare_cities([hangzhou], "bookings")
    with pytest.raises(psp.Invalid, match="metric"):
        psp.compare_cities([hangzhou, ningbo], "happiness")
    with pytest.raises(psp.Invalid, match="tables_json"):
        psp.compare_cities("[{", "bookings")
    with pytest.raises(psp.Invalid, match="city_name"):
        db.export_statistics("", "city", "week", "2025-03-10", "2025-03-23")


def test_forecast_of_a_straight_line(booked):
    db, net = booked.db, booked
    f = db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone],
                              horizon=2)
    assert [h["value"] for h in f["history"]] == [1, 2, 3]
    assert [p["start"] for p in f["forecast"]] == ["2025-03-14", "2025-03-15"]
    # Holt forecasts a straight line exactly, whatever the parameters.
    assert [p["value"] for p in f["forecast"]] == pytest.approx([4, 5])
    assert f["model"]["method"] == "holt" and f["backtest"] is None   # three points leave none to backtest
    assert (f["subject"], f["id"], f["metric"], f["period"]) == ("platform", net.backbone, "bookings", "day")

    given = db.forecast_statistic("bookings", "platform", "day", "2025-03-10", "2025-03-16", ids=[net.backbone],
                                  horizon=1, method="holt", alpha=0.5, beta=0.25)
    assert (given["model"]["alpha"], given["model"]["beta"]) == (0.5, 0.25)
    assert given["backtest"]["points"] == 2
    city = db.forecast_statistic("bookings", "city", "day", "2025-03-11", "2025-03-13", horizon=1)
    assert city["id"] == 0 and city["forecast"][0]["value"] == pytest.approx(4)

    with pytest.raises(psp.Invalid, match="options_json/method"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone],
                              method="arima")
    with pytest.raises(psp.Invalid, match="alpha"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone],
                              alpha=1.5)
    with pytest.raises(psp.Invalid, match="season"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone],
                              method="holt_winters")
    with pytest.raises(psp.Invalid, match="horizon"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone],
                              horizon=0)
    with pytest.raises(psp.Invalid, match="exactly one"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-13")
    with pytest.raises(psp.Invalid, match="holt needs at least 3"):
        db.forecast_statistic("bookings", "platform", "day", "2025-03-11", "2025-03-12", ids=[net.backbone])
    with pytest.raises(psp.Invalid, match="metric"):
        db.forecast_statistic("happiness", "platform", "day", "2025-03-11", "2025-03-13", ids=[net.backbone])
