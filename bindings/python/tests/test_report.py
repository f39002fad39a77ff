"""The planner's HTML report of a simulation run (examples/alliance_sharing/report.py), from a small
run written as JSON here: the page, its charts and the scenario table; settlement flows netted per
pair; a missing or bad input ends with a message and a non-zero exit; the first section, each
scenario's paired difference from "isolated" with its sentence; the calibration table against the
national hours. Needs matplotlib, not libpsp."""
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



# ---- What each scenario changes against isolated ------------------------------------------------

def crn_scenario(name, sharing="network", **fields):
    """A scenario of len(values) replications on the seeds every scenario shares (common random
    numbers), each field given per replication: crn_scenario("x", fulfilment_rate=[0.8, 0.9])."""
    n = len(next(iter(fields.values())))
    reps = []
    for i in range(n):
        r = replication(100 + i, no_sharing(80), 20, [], [1] * 10, 20.0)
        r.update({k: v[i] for k, v in fields.items()})
        reps.append(r)
    return scenario(name, sharing, sharing != "isolated", reps)


ISOLATED = dict(fulfilment_rate=[0.80, 0.78, 0.82], mean_wait_hours=[20.0, 22.0, 21.0],
                gave_up=[3200, 3300, 3250], priced_out=[100, 100, 100], transferred=[0, 0, 0])
CRN_RUN = {
    "id": 8, "name": "paired run", "at": 1_800_000_000, "rows": [],
    "scenarios": [
        # Differences from isolated, by hand (fulfilment in points): one-stop +6, +7, +8; wait −2 each;
        # gave up −3,100 each; 1,500, 1,600, 1,700 yuan moved.
        crn_scenario("one-stop", fulfilment_rate=[0.86, 0.85, 0.90], mean_wait_hours=[18.0, 20.0, 19.0],
                     gave_up=[100, 200, 150], priced_out=[100, 100, 100],
                     transferred=[150_000, 160_000, 170_000]),
        crn_scenario("isolated", "isolated", **ISOLATED),
        # +3, +2, +2 points, nothing else.
        crn_scenario("alliances", "alliances", **dict(ISOLATED, fulfilment_rate=[0.83, 0.80, 0.84])),
        # +1, −1, 0 points and +1, −1, 0 h: within noise.
        crn_scenario("noise only", **dict(ISOLATED, fulfilment_rate=[0.81, 0.77, 0.82],
                                          mean_wait_hours=[21.0, 21.0, 21.0])),
        # −10, −9, −11 points; 4,900, 5,000, 5,100 more priced out.
        crn_scenario("no-vouchers", **dict(ISOLATED, fulfilment_rate=[0.70, 0.69, 0.71],
                                           priced_out=[5000, 5100, 5200])),
    ],
}


def write_run(tmp_path, run, name="run.json"):
    p = tmp_path / name
    p.write_text(json.dumps(run), encoding="utf-8")
    return p


def changes_section(page):
    start = page.index("What each scenario changes against isolated")
    return page[start:page.index("<h2", start)]


def test_the_changes_against_isolated_come_first_after_the_title(tmp_path):
    out = tmp_path / "r"
    r = run_report("--json", write_run(tmp_path, CRN_RUN), "--out", out)
    assert r.returncode == 0, r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    after_title = page[page.index("</h1>"):]
    first_h2 = after_title[after_title.index("<h2"):]
    assert first_h2[first_h2.index(">") + 1:].startswith("What each scenario changes against isolated")
    assert "<table" not in after_title[:after_title.index("<h2")]   # only the subtitle between them
    section = changes_section(page)
    # Rows largest fulfilment change first: no-vouchers (−10), one-stop (+7), alliances (+2.3), noise.
    table = section[:section.index("</table>")]
    order = [table.index(f"<b>{n}</b>") for n in ("no-vouchers", "one-stop", "alliances", "noise only")]
    assert order == sorted(order)
    assert "isolated</b></td>" not in table   # the baseline is not a row of its own
    # One-stop: +7.0 ± 2.5 points, bold (the interval excludes 0); money in yuan, from fen.
    assert "<b>+7.0</b> <span class=ci>± 2.5</span>" in table
    assert "<b>+1,600</b> <span class=ci>± 248</span>" in table
    assert "0.0 <span class=ci>± 2.5</span>" in table          # noise only: not bold
    assert "within noise" in section and "differences.png" in section
    assert (out / "differences.png").read_bytes()[:4] == b"\x89PNG"


def test_paired_difference_by_hand():
    report = load_report_module()
    d = report.paired_difference([0.80, 0.78, 0.82], [0.86, 0.85, 0.90])
    # d = 0.06, 0.07, 0.08: mean 0.07, sd 0.01, t(0.975, 2) = 4.303, half = 4.303 · 0.01 / √3.
    assert d.mean == pytest.approx(0.07) and d.half == pytest.approx(0.0248434, rel=1e-5)
    assert d.paired and d.significant
    assert not report.paired_difference([1.0, 2.0, 3.0], [2.0, 1.0, 3.0]).significant   # 1, −1, 0
    one = report.paired_difference([1.0], [2.0])
    assert one.mean == 1.0 and math.isnan(one.half) and not one.significant   # no interval from one

    comps = report.compare_with_baseline(CRN_RUN["scenarios"], 1)
    one_stop = next(c for c in comps if c.index == 0)
    assert one_stop.unpaired_why is None
    assert one_stop.diffs["fulfilment_rate"].mean == pytest.approx(0.07)
    assert one_stop.diffs["mean_wait_hours"] == (pytest.approx(-2.0), 0.0, True)   # −2 each: no spread
    money = one_stop.diffs["transferred_yuan"]
    assert money.mean == pytest.approx(1600.0) and money.half == pytest.approx(4.303 * 100 / math.sqrt(3))
    assert one_stop.diffs["gave_up"].mean == pytest.approx(-3100.0)


def test_welch_difference_by_hand():
    report = load_report_module()
    # Means 10 and 14, sds 2 and 3, n 4 and 5: se² = 4/4 + 9/5 = 2.8; Welch df = 2.8² / (1/3 + 1.8²/4)
    # = 6.86, taken as 6: t = 2.447.
    d = report.welch_difference((10.0, 2.0, 4), (14.0, 3.0, 5))
    assert d.mean == pytest.approx(4.0) and d.half == pytest.approx(2.447 * math.sqrt(2.8))
    assert not d.paired


def test_rows_are_ordered_by_the_largest_effect_first():
    report = load_report_module()
    base = crn_scenario("isolated", "isolated", **ISOLATED)
    same_fulfilment = dict(ISOLATED, fulfilment_rate=[0.85, 0.83, 0.87])   # +5 points in both
    scns = [base,
            crn_scenario("small", **dict(ISOLATED, fulfilment_rate=[0.81, 0.79, 0.83])),
            crn_scenario("worse", **dict(ISOLATED, fulfilment_rate=[0.70, 0.68, 0.72])),
            crn_scenario("quick", **dict(same_fulfilment, mean_wait_hours=[10.0, 12.0, 11.0])),
            crn_scenario("slow", **dict(same_fulfilment, mean_wait_hours=[19.0, 21.0, 20.0]))]
    order = [scns[c.index]["scenario"]["name"] for c in report.compare_with_baseline(scns, 0)]
    # |−10| before |+5|; between the two +5, the larger change in wait (−10 h against −1 h) first.
    assert order == ["worse", "quick", "slow", "small"]


def test_sentences_name_the_numbers_or_say_it_is_noise():
    report = load_report_module()
    scns = CRN_RUN["scenarios"]
    comps = {scns[c.index]["scenario"]["name"]: c for c in report.compare_with_baseline(scns, 1)}

    def sentence(name):
        return report.change_sentence(name, "isolated", scns[1], scns[comps[name].index], comps[name].diffs)

    s = sentence("one-stop")
    assert "keeps 3,100 requests that enterprises gave up on" in s
    assert "raises fulfilment by 7.0 points" in s and "cuts the mean wait by 2.0 h" in s
    assert "prices out 5,000 more requests" in sentence("no-vouchers")
    assert "lowers fulfilment by 10.0 points" in sentence("no-vouchers")
    noise = sentence("noise only")
    assert "no difference from isolated beyond noise" in noise and "points" not in noise
    # Fields an older run lacks (utilisation_spread, sub_platforms_added here) are no difference.
    assert "spread" not in s and "sub-platforms" not in s
    # One replication: no interval, and the sentence does not pretend there is one.
    single = [crn_scenario("isolated", "isolated", fulfilment_rate=[0.8]), crn_scenario("x", fulfilment_rate=[0.9])]
    [c] = report.compare_with_baseline(single, 0)
    assert "single replication gives no interval" in report.change_sentence("x", "isolated", *single, c.diffs)


def test_sentences_for_sub_platforms_and_the_spread_of_utilisation():
    report = load_report_module()
    base = crn_scenario("isolated", "isolated", **dict(ISOLATED, sub_platforms_added=[0, 0, 0],
                                                       utilisation_spread=[0.21, 0.20, 0.22]))
    rollout = crn_scenario("network-rollout", **dict(ISOLATED, sub_platforms_added=[12, 12, 12],
                                                     utilisation_spread=[0.15, 0.14, 0.16],
                                                     mean_travel_minutes=[8.5, 8.3, 8.4]))
    [c] = report.compare_with_baseline([base, rollout], 0)
    s = report.change_sentence("network-rollout", "isolated", base, rollout, c.diffs)
    # Travel 12.5 → 8.4 min in every replication; the spread 0.21 → 0.15.
    assert "cuts the mean travel by 4.1 min" in s
    assert "adds 12 sub-platforms" in s and "from 0.21 to 0.15" in s


def test_no_isolated_scenario_or_unequal_replications_do_not_crash(tmp_path):
    no_base = dict(CRN_RUN, scenarios=[s for s in CRN_RUN["scenarios"] if s["scenario"]["name"] != "isolated"])
    for s in no_base["scenarios"]:
        s["scenario"]["sharing"] = "network"
    out = tmp_path / "a"
    r = run_report("--json", write_run(tmp_path, no_base, "a.json"), "--out", out)
    assert r.returncode == 0, r.stderr
    section = changes_section((out / "index.html").read_text(encoding="utf-8"))
    assert "no “isolated” scenario" in section and "<table" not in section

    # A scenario of two replications against three, and one with only its summary: Welch, unpaired.
    two = crn_scenario("two reps", fulfilment_rate=[0.90, 0.92])
    summary_only = dict(crn_scenario("summary only", fulfilment_rate=[0.84, 0.86, 0.85]), replications=[])
    run = dict(CRN_RUN, scenarios=[crn_scenario("isolated", "isolated", **ISOLATED), two, summary_only])
    out = tmp_path / "b"
    r = run_report("--json", write_run(tmp_path, run, "b.json"), "--out", out)
    assert r.returncode == 0, r.stderr
    section = changes_section((out / "index.html").read_text(encoding="utf-8"))
    assert "Unpaired (Welch)" in section and "2 replications against 3" in section
    assert "no per-replication results" in section
    report = load_report_module()
    comps = report.compare_with_baseline(run["scenarios"], 0)
    by_name = {run["scenarios"][c.index]["scenario"]["name"]: c for c in comps}
    assert by_name["summary only"].diffs["fulfilment_rate"].mean == pytest.approx(0.05)
    assert not by_name["two reps"].diffs["fulfilment_rate"].paired


def test_calibration_table_scaled_to_the_horizon(tmp_path):
    report = load_report_module()
    # The fixture runs 2027-01-01 to 2027-03-31: 90 days, so the national 1,600 h and 270 h a year
    # become 1,600 · 90/365 = 394.5 and 270 · 90/365 = 66.6; measured 300 h and 4 h.
    rows = report.calibration_rows(RUN["scenarios"], RUN)
    r = rows[0]
    assert r.days == 90 and not r.assumed
    assert r.national == pytest.approx(394.52, abs=0.01) and r.ratio == pytest.approx(0.7604, abs=1e-4)
    assert r.national_external == pytest.approx(66.58, abs=0.01)
    assert r.external_ratio == pytest.approx(0.0601, abs=1e-4)
    # Without dates a year is assumed, and the page says so.
    undated = json.loads(json.dumps(RUN))
    for s in undated["scenarios"]:
        del s["scenario"]["from"], s["scenario"]["to"]
    assert report.calibration_rows(undated["scenarios"], undated)[0].assumed
    assert report.calibration_rows(undated["scenarios"], dict(undated, days=180))[0].days == 180

    out = tmp_path / "r"
    r = run_report("--json", write_run(tmp_path, RUN), "--out", out)
    assert r.returncode == 0, r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    cal = page[page.index("Calibration against the national figures"):page.index("Requests served and waiting time")]
    assert "<td>300</td><td>395</td><td>76%</td><td>4.0</td><td>66.6</td><td>6%</td>" in cal
    assert "below the national 1,600 h a year in every scenario (76% of it)" in cal
    assert "scaled to each scenario's horizon" in cal
    out = tmp_path / "u"
    assert run_report("--json", write_run(tmp_path, undated, "u.json"), "--out", out).returncode == 0
    assert "a year (365 days) is assumed" in (out / "index.html").read_text(encoding="utf-8")


def test_charts_keep_an_honest_axis(tmp_path):
    report = load_report_module()
    ch = report.Charts(str(tmp_path))
    figs = []
    ch.save = lambda fig, name: figs.append(fig) or name   # keep the figure to read its axes
    scns = CRN_RUN["scenarios"]
    report.chart_fulfilment(ch, scns, [s["scenario"]["name"] for s in scns])
    fulfilment, wait = figs[-1].axes[:2]
    assert fulfilment.get_xlim()[0] == 0 and wait.get_xlim()[0] <= 0
    comps = report.compare_with_baseline(scns, 1)
    report.chart_differences(ch, comps, [s["scenario"]["name"] for s in scns])
    for ax in figs[-1].axes:
        lo, hi = ax.get_xlim()
        assert lo == pytest.approx(-hi)   # centred on zero
    ch.plt.close("all")
