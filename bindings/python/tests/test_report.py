"""The planner's HTML report of a simulation run (examples/alliance_sharing/report.py), from a small
run written as JSON here: the page, its charts and the scenario table; settlement flows netted per
pair; a missing or bad input ends with a message and a non-zero exit. Needs matplotlib, not libpsp."""
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "examples",
                      "alliance_sharing", "report.py")
TIERS = ["home", "family", "alliance", "linked", "city"]


def replication(seed, served_by_tier, unmet, transfers, histogram, wait):
    served = sum(served_by_tier.values())
    requests = served + unmet
    transferred = sum(t["amount"] for t in transfers)
    return {
        "seed": seed, "requests": requests, "served": served, "unmet": unmet, "gave_up": 0, "cancelled": 3,
        "no_shows": 1, "served_by_tier": served_by_tier, "referrals": served - served_by_tier["home"],
        "fulfilment_rate": served / requests, "mean_wait_hours": wait, "p90_wait_hours": 2 * wait,
        "mean_travel_minutes": 12.5, "mean_utilisation": 0.4, "utilisation_histogram": histogram,
        "hours_per_instrument": 300.0, "external_hours_per_instrument": 4.0, "external_share": 0.02,
        "revenue": 12_345_600, "voucher_spend": 2_000_000, "referral_fees": 10_000, "pool": 5_000,
        "transferred": transferred, "transfers": transfers, "sub_platforms_added": 0,
        "purchases_planned": 4, "purchases_made": 1, "purchases_avoided": 3,
        "purchase_value_avoided": 90_000_000,
    }


def summary(reps):
    """Each metric's mean and 95 % half-width over the replications, as the library stores them."""
    values = {}
    for r in reps:
        for k, v in r.items():
            if isinstance(v, (int, float)) and k != "seed":
                name = k + "_yuan" if k in ("revenue", "voucher_spend", "referral_fees", "pool", "transferred",
                                            "purchase_value_avoided") else k
                values.setdefault(name, []).append(v / 100 if name.endswith("_yuan") else v)
        for t in TIERS:
            values.setdefault("served_" + t, []).append(r["served_by_tier"][t])
    out = {}
    for k, vs in values.items():
        m = sum(vs) / len(vs)
        sd = math.sqrt(sum((v - m) ** 2 for v in vs) / (len(vs) - 1)) if len(vs) > 1 else 0.0
        out[k] = {"mean": m, "half_width": 12.706 * sd / math.sqrt(len(vs)), "std_dev": sd, "n": len(vs)}
    return out


def scenario(name, sharing, one_stop, reps):
    return {
        "scenario": {"name": name, "sharing": sharing, "one_stop": one_stop, "vouchers": True,
                     "policy": {"objective": "earliest"}, "joint_review": True, "planned_purchases": 4,
                     "rollout_sub_platforms": 0, "replications": len(reps), "from": "2027-01-01",
                     "to": "2027-03-31", "referral_dropout": 0.25, "referral_delay_hours": 24.0},
        "summary": summary(reps),
        "replications": reps,
    }


def no_sharing(n):
    return {"home": n, "family": 0, "alliance": 0, "linked": 0, "city": 0}


RUN = {
    "id": 7, "name": "test run", "at": 1_800_000_000,
    "scenarios": [
        scenario("platforms alone", "isolated", False, [
            replication(11, no_sharing(80), 20, [], [3, 2, 1, 1, 1, 1, 0, 0, 1, 0], 20.0),
            replication(12, no_sharing(78), 22, [], [3, 2, 1, 1, 0, 1, 1, 0, 1, 0], 22.0),
        ]),
        scenario("shared network", "network", True, [
            replication(21, {"home": 80, "family": 4, "alliance": 6, "linked": 2, "city": 1}, 7,
                        [{"from": 3, "to": 1, "amount": 150_000}, {"from": 4, "to": 2, "amount": 42_050},
                         {"from": 1, "to": 3, "amount": 50_000}],
                        [1, 1, 2, 2, 1, 1, 1, 1, 0, 0], 15.0),
            replication(22, {"home": 79, "family": 5, "alliance": 5, "linked": 3, "city": 0}, 8,
                        [{"from": 3, "to": 1, "amount": 120_000}], [1, 2, 1, 2, 1, 1, 1, 0, 1, 0], 16.0),
        ]),
    ],
    "rows": [],
}

TINY_DOT = 'digraph G {\n1 [label="Backbone centre"];\n2 [label="Sub-platform"];\n1 -> 2;\n}\n'


def run_report(*args):
    return subprocess.run([sys.executable, REPORT, *map(str, args)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=300)


@pytest.fixture
def run_file(tmp_path):
    p = tmp_path / "run.json"
    p.write_text(json.dumps(RUN), encoding="utf-8")
    return p


def test_report_from_json_writes_page_and_charts(tmp_path, run_file):
    out = tmp_path / "report"
    dot = tmp_path / "net.dot"
    dot.write_text(TINY_DOT, encoding="utf-8")
    r = run_report("--json", run_file, "--dot", dot, "--out", out)
    assert r.returncode == 0, r.stderr
    index = out / "index.html"
    assert r.stdout.strip().splitlines()[-1] == str(index.resolve())
    page = index.read_text(encoding="utf-8")
    for png in ("fulfilment_wait.png", "utilisation.png", "tiers.png", "flows.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png
        assert f"src='{png}'" in page
    # The comparison table has both scenarios, with their settings in words.
    table = page[page.index("The scenarios compared"):page.index("Requests served and waiting time")]
    assert "platforms alone" in table and "shared network" in table
    assert "each platform on its own" in table and "one-stop desk" in table
    assert "test run" in page
    assert "<script" not in page and "http" not in page   # self-contained
    # Net flows of the most shared scenario's first replication: 3 → 1 nets to 1,000 yuan.
    assert "1,000.00" in page and "platform #3" in page
    if shutil.which("dot"):
        assert (out / "network.svg").is_file() and (out / "flows_graph.svg").is_file()
        assert "src='network.svg'" in page
    else:
        assert "not installed" in page


def test_report_without_dot_says_there_is_no_drawing(tmp_path, run_file):
    out = tmp_path / "r"
    r = run_report("--json", run_file, "--out", out)
    assert r.returncode == 0, r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "No network drawing" in page


def test_missing_or_bad_input_fails_with_a_message(tmp_path):
    r = run_report("--json", tmp_path / "absent.json", "--out", tmp_path / "o")
    assert r.returncode != 0
    assert "no such run file" in r.stderr and "absent.json" in r.stderr
    assert not (tmp_path / "o" / "index.html").exists()

    r = run_report("--db", tmp_path / "absent.psp", "--out", tmp_path / "o")
    assert r.returncode != 0 and "no such database file" in r.stderr

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "no scenarios"}), encoding="utf-8")
    r = run_report("--json", bad, "--out", tmp_path / "o")
    assert r.returncode != 0 and "not a simulation run" in r.stderr

    r = run_report("--json", bad, "--dot", tmp_path / "absent.dot", "--out", tmp_path / "o")
    assert r.returncode != 0

    r = run_report("--out", tmp_path / "o")   # neither --db nor --json
    assert r.returncode != 0 and "--db" in r.stderr


def test_net_transfers_and_fallback_estimates():
    report = load_report_module()
    flows = report.net_transfers([{"from": 1, "to": 2, "amount": 500}, {"from": 2, "to": 1, "amount": 200},
                                  {"from": 3, "to": 1, "amount": 1_000}, {"from": 4, "to": 4, "amount": 9}])
    assert flows == [(3, 1, 10.0), (1, 2, 3.0)]
    # A summary without a metric: estimated from the replications (fen to yuan, tiers from served_by_tier).
    scn = {"summary": {}, "replications": RUN["scenarios"][1]["replications"]}
    mean, half = report.estimate(scn, "revenue_yuan")
    assert mean == pytest.approx(123_456.0) and half == 0.0
    assert report.estimate(scn, "served_alliance")[0] == pytest.approx(5.5)
    assert math.isnan(report.estimate(scn, "no_such_metric")[0])


def load_report_module():
    spec = importlib.util.spec_from_file_location("psp_report", REPORT)
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    return report


class FakePlatform:
    def __init__(self, id, name):
        self.id, self.name = id, name


class FakeDatabase:
    """What report.py asks of psp.Database, without the C library."""
    runs = []

    @classmethod
    def open(cls, path):
        return cls()

    def simulations(self):
        return list(self.runs)

    def simulation(self, run):
        for r in self.runs:
            if r["id"] == run:
                return r
        raise KeyError(run)   # psp.NotFound is a KeyError

    def platforms(self):
        return [FakePlatform(i, f"平台{i}号") for i in range(1, 5)]

    def to_graphviz(self):
        return TINY_DOT

    def close(self):
        pass


def test_report_from_a_database(tmp_path, monkeypatch, capsys):
    report = load_report_module()
    fake = type("psp", (), {"Database": FakeDatabase})
    monkeypatch.setattr(report, "_import_psp", lambda: fake)
    db_file = tmp_path / "run.psp"
    db_file.write_bytes(b"")
    older = dict(RUN, id=3, name="older run")
    monkeypatch.setattr(FakeDatabase, "runs", [older, RUN])

    assert report.main(["--db", str(db_file), "--out", str(tmp_path / "newest")]) == 0
    page = (tmp_path / "newest" / "index.html").read_text(encoding="utf-8")
    assert "test run" in page and "older run" not in page
    assert "平台3号" in page and "平台1号" in page      # platform names in the flow table
    assert report.main(["--db", str(db_file), "--run", "3", "--out", str(tmp_path / "older")]) == 0
    assert "older run" in (tmp_path / "older" / "index.html").read_text(encoding="utf-8")

    capsys.readouterr()
    assert report.main(["--db", str(db_file), "--run", "99", "--out", str(tmp_path / "x")]) != 0
    assert "no simulation run 99" in capsys.readouterr().err
    monkeypatch.setattr(FakeDatabase, "runs", [])
    assert report.main(["--db", str(db_file), "--out", str(tmp_path / "x")]) != 0
    assert "has no simulation run" in capsys.readouterr().err
