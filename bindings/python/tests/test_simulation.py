"""The simulation of alliance sharing through Python (issue 8): scenarios as dicts, results as
dicts, determinism, progress, stored runs and the errors of bad input."""
import datetime as dt

import pytest

import psp
from conftest import Places


@pytest.fixture(scope="module")
def city(engine, tmp_path_factory):
    places = Places(engine, tmp_path_factory.mktemp("sim"))
    d = psp.Database.open(places("district"))
    office = psp.Actor.office()
    d.generate(office, psp.CityParams.for_scale(psp.Scale.DISTRICT, 7))
    assert d.configure_booking(office, 7) > 0
    yield d
    d.close()
    places.close()


def scenario(name, sharing="network", **extra):
    s = {"name": name, "sharing": sharing, "from": dt.date(2027, 3, 1), "to": dt.date(2027, 3, 14),
         "seed": 11, "replications": 2, "hours_per_instrument": 1600}
    s.update(extra)
    return s


def test_scenarios_compare_and_repeat_exactly(city):
    scenarios = [scenario("isolated", "isolated", one_stop=False), scenario("network")]
    first = city.simulate(scenarios, threads=2)
    again = city.simulate(scenarios, threads=1)
    assert first == again                      # same seed, same result, whatever the threads
    names = [r["scenario"] for r in first["rows"]]
    assert names == ["isolated", "network"]
    iso, net = first["scenarios"]
    assert iso["summary"]["requests"]["mean"] > 100
    assert iso["summary"]["requests"]["n"] == 2
    # Platforms on their own never refer; the network does.
    assert iso["summary"]["referrals"]["mean"] == 0
    assert net["summary"]["served"]["mean"] >= iso["summary"]["served"]["mean"] - 1e-9
    for rep in net["replications"]:
        assert rep["served"] + rep["unmet"] == rep["requests"]
        assert sum(rep["served_by_tier"].values()) == rep["served"]


def test_the_levers_of_issue_16_reach_python(city):
    # Vouchers and budgets: what the firms over budget do; the spread of use; real travel minutes.
    budget = {"micro": 60, "small": 60, "medium": 60, "large": 0}
    with_v = scenario("vouchers", budget_yuan_per_hour=budget)
    without = scenario("no-vouchers", vouchers=False, budget_yuan_per_hour=budget)
    res = city.simulate([with_v, without], threads=2)
    v, n = res["scenarios"]
    for name in ("priced_out", "served_over_budget", "utilisation_spread"):
        assert name in v["summary"]
        assert name in v["replications"][0]
    assert n["summary"]["served_over_budget"]["mean"] == 0
    assert v["summary"]["served_over_budget"]["mean"] > 0
    assert n["summary"]["priced_out"]["mean"] > v["summary"]["priced_out"]["mean"]
    assert 0 < v["summary"]["utilisation_spread"]["mean"] < 1
    assert v["summary"]["mean_travel_minutes"]["mean"] > 0     # service areas and seat legs, not 0


def test_progress_is_reported_and_can_stop_the_run(city):
    seen = []
    city.simulate([scenario("one")], progress=lambda p: seen.append(p))
    assert seen and seen[-1]["replications_done"] == 2 and seen[-1]["fraction"] == pytest.approx(1.0)
    with pytest.raises(psp.Refused):
        city.simulate([scenario("stopped")], progress=lambda p: False)

    def broken(p):
        raise RuntimeError("the terminal went away")
    with pytest.raises(RuntimeError, match="terminal"):
        city.simulate([scenario("broken")], progress=broken)


def test_runs_are_stored_and_read_back(city):
    office = psp.Actor.office()
    results = city.simulate([scenario("network")])
    run = city.save_simulation(office, "March", results)
    stored = city.simulation(run)
    assert stored["name"] == "March"
    assert stored["scenarios"] == results["scenarios"]
    assert [r["id"] for r in city.simulations()][-1] == run
    with pytest.raises(psp.PermissionDenied):
        city.save_simulation(psp.Actor.anyone(), "no", results)
    with pytest.raises(psp.NotFound):
        city.simulation(run + 100)


def test_bad_scenarios_are_refused_by_name(city):
    with pytest.raises(psp.Invalid, match="sharing"):
        city.simulate([scenario("x", "everything")])
    with pytest.raises(psp.Invalid, match="/scenarios/0/to"):
        city.simulate([scenario("x", to="2027-02-01")])
    with pytest.raises(psp.Invalid, match="used twice"):
        city.simulate([scenario("x"), scenario("x")])
    with pytest.raises(psp.Invalid, match="malformed"):
        city.simulate("{not json")
    with pytest.raises(psp.Invalid, match="unknown key"):
        city.simulate([scenario("x", colour="blue")])
    with pytest.raises(psp.Invalid, match="replications"):
        city.simulate([scenario("x", replications=0)])
