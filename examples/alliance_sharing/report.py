#!/usr/bin/env python3
"""The planner's HTML report of a stored alliance-sharing simulation (issue 8).

    python3 examples/alliance_sharing/report.py --db alliance_sharing.psp [--run ID] --out DIR
    python3 examples/alliance_sharing/report.py --json RUN.json [--dot NETWORK.dot] --out DIR

Writes DIR/index.html with its PNG/SVG charts beside it: first what each scenario changes against
"isolated" (paired differences over the replications, with a sentence each; issue 16), then the
comparison of the scenarios, the calibration against the national hours per instrument, fulfilment
and wait, the utilisation of the equipment, who serves whom, the settlement flows between members,
a drawing of the network and the purchases and money. Charts need matplotlib (Debian:
python3-matplotlib); the network and flow drawings need Graphviz (`dot`), and the page says so when
it is missing. --db reads the run with the psp package (PYTHONPATH=bindings/python, and PSP_LIBRARY
if libpsp.so is not under build/*/capi/); its newest run unless --run names one. --json reads a run
as stored (docs: simulation_run_to_json), and platforms are then shown by id."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

TIERS = ["home", "family", "alliance", "linked", "city"]
TIER_WORDS = {
    "home": "own platform",
    "family": "backbone / sub-platforms",
    "alliance": "alliance partner",
    "linked": "linked platform",
    "city": "elsewhere in the city",
}
TIER_COLOURS = {"home": "#4c72b0", "family": "#55a868", "alliance": "#dd8452", "linked": "#8172b3",
                "city": "#c44e52"}
BANDS = [f"{10 * i}–{10 * (i + 1)}" for i in range(9)] + ["90+"]
BIG_GRAPH_NODES = 200          # above this, the network is laid out with sfdp (or neato)
GRAPHVIZ_TIMEOUT_S = 300


class ReportError(Exception):
    """A problem with the input that ends the program with a message."""


# ---- Reading the run ----------------------------------------------------------------------------

def _import_psp():
    """The psp package, from the source tree when it is not installed."""
    try:
        import psp  # noqa: F401
        return psp
    except ImportError:
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.path.join(here, "..", "..", "bindings", "python"))
        try:
            import psp  # noqa: F811
            return psp
        except ImportError as e:
            raise ReportError(f"cannot import the psp Python package ({e}); set PYTHONPATH=bindings/python "
                              "and PSP_LIBRARY, or use --json") from e
        except OSError as e:   # the C library could not be loaded
            raise ReportError(f"the psp package could not load its C library: {e}") from e


def load_from_db(path: str, run_id: Optional[int]) -> Tuple[Dict[str, Any], Dict[int, str], Optional[str]]:
    """The run (newest, or run_id), platform names by id and the network's DOT text."""
    if path != ":memory:" and not os.path.isfile(path):
        raise ReportError(f"no such database file: {path}")
    psp = _import_psp()
    try:
        db = psp.Database.open(path)
    except Exception as e:  # psp.Error and its kinds
        raise ReportError(f"cannot open {path}: {e}") from e
    try:
        if not hasattr(db, "simulations"):
            raise ReportError("this psp package has no Database.simulations(); build a newer psp or use --json")
        if run_id is not None:
            try:
                run = db.simulation(int(run_id))
            except KeyError as e:   # psp.NotFound is a KeyError
                raise ReportError(f"{path} has no simulation run {run_id}") from e
            except Exception as e:
                if type(e).__name__ == "NotFound":
                    raise ReportError(f"{path} has no simulation run {run_id}") from e
                raise
            if not run:
                raise ReportError(f"{path} has no simulation run {run_id}")
        else:
            runs = db.simulations()
            if not runs:
                raise ReportError(f"{path} has no simulation run; run examples/alliance_sharing first")
            run = runs[-1]
            if not run.get("scenarios") and run.get("id") is not None:
                run = db.simulation(run["id"])   # a listing without the results
        names: Dict[int, str] = {}
        try:
            for p in db.platforms():
                names[int(p.id)] = p.name
        except Exception as e:
            print(f"report.py: warning: platform names not read ({e}); showing ids", file=sys.stderr)
        dot = None
        try:
            dot = db.to_graphviz()
        except Exception as e:
            print(f"report.py: warning: no network drawing ({e})", file=sys.stderr)
        return check_run(run, path), names, dot
    finally:
        close = getattr(db, "close", None)
        if close:
            close()


def load_from_json(path: str, dot_path: Optional[str]) -> Tuple[Dict[str, Any], Dict[int, str], Optional[str]]:
    if not os.path.isfile(path):
        raise ReportError(f"no such run file: {path}")
    try:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        raise ReportError(f"cannot read {path} as JSON: {e}") from e
    if isinstance(run, list):   # a list of runs, as Database.simulations() gives: the newest is last
        if not run:
            raise ReportError(f"{path} holds no simulation run")
        run = run[-1]
    dot = None
    if dot_path:
        if not os.path.isfile(dot_path):
            raise ReportError(f"no such DOT file: {dot_path}")
        with open(dot_path, encoding="utf-8") as f:
            dot = f.read()
    return check_run(run, path), {}, dot


def check_run(run: Any, where: str) -> Dict[str, Any]:
    if not isinstance(run, dict) or not isinstance(run.get("scenarios"), list) or not run["scenarios"]:
        raise ReportError(f"{where}: not a simulation run (expected an object with a non-empty 'scenarios' list)")
    for i, s in enumerate(run["scenarios"]):
        if not isinstance(s, dict) or "scenario" not in s:
            raise ReportError(f"{where}: scenarios[{i}] has no 'scenario'")
        s.setdefault("summary", {})
        s.setdefault("replications", [])
    return run


# ---- Metrics ------------------------------------------------------------------------------------

# Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom, then the normal 1.96: the
# table src/simulation/summary.cpp uses, so the intervals here match the stored summary's.
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def _t95(df: int) -> float:
    if df < 1:
        return math.nan
    return _T95[df - 1] if df <= len(_T95) else 1.96


def _replication_value(rep: Dict[str, Any], name: str) -> Optional[float]:
    """A summary metric computed from one replication, for a summary that lacks it."""
    if name in rep and isinstance(rep[name], (int, float)):
        return float(rep[name])
    if name.endswith("_yuan") and isinstance(rep.get(name[:-5]), (int, float)):
        return rep[name[:-5]] / 100.0   # fen
    if name.startswith("served_") and isinstance(rep.get("served_by_tier"), dict):
        v = rep["served_by_tier"].get(name[7:])
        return None if v is None else float(v)
    return None


def estimate(scn: Dict[str, Any], name: str) -> Tuple[float, float]:
    """(mean, 95 % half-width) of a metric: from the summary, else from the replications; nan if unknown."""
    e = scn.get("summary", {}).get(name)
    if isinstance(e, dict) and e.get("mean") is not None:
        return float(e["mean"]), float(e.get("half_width") or 0.0)
    if isinstance(e, (int, float)):
        return float(e), 0.0
    vals = [v for v in (_replication_value(r, name) for r in scn.get("replications", [])) if v is not None]
    if not vals:
        return math.nan, 0.0
    m = sum(vals) / len(vals)
    if len(vals) < 2:
        return m, 0.0
    sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (len(vals) - 1))
    return m, _t95(len(vals) - 1) * sd / math.sqrt(len(vals))


def mean_of(scn: Dict[str, Any], name: str) -> float:
    return estimate(scn, name)[0]


def utilisation_shares(scn: Dict[str, Any]) -> List[float]:
    """Mean share (%) of the equipment in each 10 % utilisation band over the replications."""
    hists = [r["utilisation_histogram"] for r in scn.get("replications", [])
             if isinstance(r.get("utilisation_histogram"), list) and len(r["utilisation_histogram"]) == 10]
    if not hists:
        return []
    mean = [sum(h[i] for h in hists) / len(hists) for i in range(10)]
    total = sum(mean)
    return [100.0 * v / total if total else 0.0 for v in mean]


def net_transfers(transfers: Sequence[Dict[str, Any]]) -> List[Tuple[int, int, float]]:
    """(payer, payee, yuan) netted per pair of platforms, largest first."""
    net: Dict[Tuple[int, int], int] = {}
    for t in transfers:
        a, b, amount = int(t["from"]), int(t["to"]), int(t["amount"])
        if a == b or amount == 0:
            continue
        key = (min(a, b), max(a, b))
        net[key] = net.get(key, 0) + (amount if a == key[0] else -amount)
    flows = [((a, b, v) if v > 0 else (b, a, -v)) for (a, b), v in net.items() if v != 0]
    flows.sort(key=lambda f: (-f[2], f[0], f[1]))
    return [(a, b, v / 100.0) for a, b, v in flows]


# ---- Against the isolated baseline --------------------------------------------------------------
# Replication i of every scenario draws its demand from the same seed (common random numbers), so
# the difference scenario_i − isolated_i cancels the demand noise the two share: a paired interval
# is far narrower than one from two separate means. Welch's unpaired interval is the fallback when
# the replications cannot be lined up.

class Metric(NamedTuple):
    key: str        # a replication field, or a summary name (…_yuan for a field in fen)
    heading: str    # the table's column
    scale: float    # shown = scale × difference (fulfilment: a share, shown in points)
    digits: int
    better: int     # +1: more is better for enterprises, −1: less is better, 0: neither


DIFF_METRICS = [
    Metric("fulfilment_rate", "Fulfilment (points)", 100.0, 1, +1),
    Metric("mean_wait_hours", "Mean wait (h)", 1.0, 1, -1),
    Metric("mean_travel_minutes", "Mean travel (min)", 1.0, 1, -1),
    Metric("external_hours_per_instrument", "Outside-user hours per instrument", 1.0, 1, +1),
    Metric("transferred_yuan", "Money moved between members (yuan)", 1.0, 0, 0),
]
# The counts that explain a change, named in the sentences under the table; older runs may lack some.
CAUSE_KEYS = ["gave_up", "priced_out", "referrals", "sub_platforms_added", "utilisation_spread"]


class Diff(NamedTuple):
    """A difference from the baseline: mean and 95 % half-width (nan when there is no interval)."""
    mean: float
    half: float
    paired: bool

    @property
    def known(self) -> bool:
        return not math.isnan(self.mean)

    @property
    def significant(self) -> bool:
        """The interval excludes 0: not a difference that chance alone would give."""
        return self.known and not math.isnan(self.half) and abs(self.mean) > self.half


NO_DIFF = Diff(math.nan, math.nan, False)


class Comparison(NamedTuple):
    index: int                  # of the scenario in the run
    diffs: Dict[str, Diff]      # by metric key, for DIFF_METRICS and CAUSE_KEYS
    unpaired_why: Optional[str]   # why Welch was used, None when paired


def find_baseline(scns: Sequence[Dict[str, Any]]) -> Optional[int]:
    """The scenario named "isolated", else the first whose sharing is isolated; None if neither."""
    for i, s in enumerate(scns):
        if s["scenario"].get("name") == "isolated":
            return i
    return next((i for i, s in enumerate(scns) if s["scenario"].get("sharing") == "isolated"), None)


def replication_values(scn: Dict[str, Any], name: str) -> Optional[List[float]]:
    """The metric of every replication in order, or None if there are none or one lacks it."""
    reps = scn.get("replications", [])
    vals = [_replication_value(r, name) for r in reps]
    return vals if vals and all(v is not None for v in vals) else None


def sample_stats(scn: Dict[str, Any], name: str) -> Tuple[float, float, int]:
    """(mean, standard deviation, n) of a metric: from the replications, else from the summary."""
    vals = replication_values(scn, name)
    if vals is not None:
        n = len(vals)
        m = sum(vals) / n
        sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (n - 1)) if n > 1 else math.nan
        return m, sd, n
    e = scn.get("summary", {}).get(name)
    if isinstance(e, dict) and isinstance(e.get("mean"), (int, float)):
        n = int(e.get("n") or 0)
        sd = e.get("std_dev")
        if not isinstance(sd, (int, float)) and isinstance(e.get("half_width"), (int, float)) and n > 1:
            sd = e["half_width"] * math.sqrt(n) / _t95(n - 1)   # undo the stored interval
        return float(e["mean"]), float(sd) if isinstance(sd, (int, float)) else math.nan, n
    return math.nan, math.nan, 0


def paired_difference(base: Sequence[float], other: Sequence[float]) -> Diff:
    """Mean of other_i − base_i ± t(0.975, n−1)·sd/√n."""
    d = [o - b for b, o in zip(base, other)]
    n = len(d)
    if n == 0:
        return NO_DIFF
    m = sum(d) / n
    if n < 2:
        return Diff(m, math.nan, True)
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1))
    return Diff(m, _t95(n - 1) * sd / math.sqrt(n), True)


def welch_difference(base: Tuple[float, float, int], other: Tuple[float, float, int]) -> Diff:
    """Difference of two means (mean, sd, n) with Welch's interval: no pairing assumed."""
    (mb, sb, nb), (mo, so, no) = base, other
    if nb == 0 or no == 0 or math.isnan(mb) or math.isnan(mo):
        return NO_DIFF
    if nb < 2 or no < 2 or math.isnan(sb) or math.isnan(so):
        return Diff(mo - mb, math.nan, False)
    vb, vo = sb * sb / nb, so * so / no
    if vb + vo == 0:
        return Diff(mo - mb, 0.0, False)
    # Welch–Satterthwaite degrees of freedom, rounded down (the larger t: the safer side).
    df = (vb + vo) ** 2 / (vb * vb / (nb - 1) + vo * vo / (no - 1))
    return Diff(mo - mb, _t95(max(1, int(df))) * math.sqrt(vb + vo), False)


def pairing_problem(base: Dict[str, Any], scn: Dict[str, Any]) -> Optional[str]:
    """Why scn's replications cannot be paired with the baseline's, or None when they can."""
    rb, rs = base.get("replications", []), scn.get("replications", [])
    if not rb or not rs:
        return "no per-replication results"
    if len(rb) != len(rs):
        return f"{len(rs)} replications against {len(rb)}"
    # Equal seeds are what makes the pairing right; a run without seeds is taken to have them.
    if any(b.get("seed") is not None and s.get("seed") is not None and b["seed"] != s["seed"]
           for b, s in zip(rb, rs)):
        return "its replications ran on other seeds"
    return None


def difference(base: Dict[str, Any], scn: Dict[str, Any], name: str, paired: bool) -> Diff:
    if paired:
        b, s = replication_values(base, name), replication_values(scn, name)
        if b is not None and s is not None:
            return paired_difference(b, s)
    return welch_difference(sample_stats(base, name), sample_stats(scn, name))


def effect_order(c: Comparison) -> Tuple[float, ...]:
    """Sort key: the largest absolute fulfilment difference first, then the other table metrics."""
    return tuple(-abs(c.diffs[m.key].mean) if c.diffs[m.key].known else 0.0 for m in DIFF_METRICS)


def compare_with_baseline(scns: Sequence[Dict[str, Any]], base_i: int) -> List[Comparison]:
    """Every other scenario against the baseline, the largest effect first."""
    base = scns[base_i]
    out = []
    for i, s in enumerate(scns):
        if i == base_i:
            continue
        why = pairing_problem(base, s)
        keys = [m.key for m in DIFF_METRICS] + CAUSE_KEYS
        out.append(Comparison(i, {k: difference(base, s, k, why is None) for k in keys}, why))
    out.sort(key=effect_order)
    return out


# ---- Calibration --------------------------------------------------------------------------------

# The national large-instrument figures the demand is calibrated to (DESIGN.md §5, as in main.cpp):
# effective hours a year per instrument, and of them the hours for users from outside the owner.
NATIONAL_HOURS = 1600.0
NATIONAL_EXTERNAL_HOURS = 270.0
YEAR_DAYS = 365.0   # main.cpp's per_year() counts a year as 365 days


def horizon_days(scn: Dict[str, Any], run: Dict[str, Any]) -> Optional[float]:
    """Days simulated: the scenario's from..to (both included), else a days field; None if unknown."""
    sc = scn["scenario"]
    try:
        d = (dt.date.fromisoformat(str(sc["to"])) - dt.date.fromisoformat(str(sc["from"]))).days + 1
        if d > 0:
            return float(d)
    except (KeyError, ValueError):
        pass
    for holder in (sc, run):
        for key in ("days", "horizon_days"):
            v = holder.get(key)
            if isinstance(v, (int, float)) and v > 0:
                return float(v)
    return None


class CalibrationRow(NamedTuple):
    index: int
    days: float
    assumed: bool       # no horizon in the run: a year assumed
    hours: float        # measured over the horizon, per instrument
    national: float     # NATIONAL_HOURS scaled to the horizon
    external: float
    national_external: float

    @property
    def ratio(self) -> float:
        return self.hours / self.national if not math.isnan(self.hours) else math.nan

    @property
    def external_ratio(self) -> float:
        return self.external / self.national_external if not math.isnan(self.external) else math.nan


def calibration_rows(scns: Sequence[Dict[str, Any]], run: Dict[str, Any]) -> List[CalibrationRow]:
    rows = []
    for i, s in enumerate(scns):
        days = horizon_days(s, run)
        scale = (days if days else YEAR_DAYS) / YEAR_DAYS
        rows.append(CalibrationRow(i, days or YEAR_DAYS, days is None, mean_of(s, "hours_per_instrument"),
                                   NATIONAL_HOURS * scale, mean_of(s, "external_hours_per_instrument"),
                                   NATIONAL_EXTERNAL_HOURS * scale))
    return rows


# ---- Words --------------------------------------------------------------------------------------

SHARING_WORDS = {
    "isolated": "each platform on its own",
    "alliances": "sharing within families and alliances",
    "network": "sharing across the whole network",
}
OBJECTIVE_WORDS = {
    "earliest": "earliest slot",
    "lowest_price": "lowest price",
    "shortest_travel": "shortest travel",
    "weighted": "balanced (wait, price, travel, load)",
}


def settings_in_words(sc: Dict[str, Any]) -> List[str]:
    words = []
    sharing = str(sc.get("sharing", "?"))
    words.append(SHARING_WORDS.get(sharing, sharing))
    if sc.get("one_stop", True):
        words.append("one-stop desk")
    else:
        drop = sc.get("referral_dropout")
        delay = sc.get("referral_delay_hours")
        extra = []
        if isinstance(drop, (int, float)):
            extra.append(f"{100 * drop:.0f}% drop out when referred")
        if isinstance(delay, (int, float)):
            extra.append(f"+{delay:g} h per referral")
        words.append("no one-stop desk" + (f" ({', '.join(extra)})" if extra else ""))
    words.append("vouchers" if sc.get("vouchers", True) else "no vouchers")
    objective = str((sc.get("policy") or {}).get("objective", "earliest"))
    words.append("routing: " + OBJECTIVE_WORDS.get(objective, objective.replace("_", " ")))
    planned = int(sc.get("planned_purchases") or 0)
    if planned:
        words.append(("joint review of " if sc.get("joint_review", True) else "no joint review of ")
                     + f"{planned} planned purchases")
    else:
        words.append("joint review" if sc.get("joint_review", True) else "no joint review")
    rollout = int(sc.get("rollout_sub_platforms") or 0)
    words.append(f"rollout: {rollout} new sub-platforms per backbone" if rollout else "no rollout")
    return words


def fmt_num(v: float, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.{digits}f}"


def fmt_wan(v: float) -> str:
    """Yuan in 万 (ten thousand yuan), two decimals."""
    if v is None or math.isnan(v):
        return "–"
    return f"{v / 10_000:,.2f}"


def fmt_at(at: Any) -> str:
    if isinstance(at, (int, float)) and at > 0:
        t = dt.datetime.fromtimestamp(at, dt.timezone(dt.timedelta(hours=8)))
        return t.strftime("%Y-%m-%d %H:%M") + " (Beijing time)"
    return str(at) if at else "unknown date"


# ---- Charts -------------------------------------------------------------------------------------

class Charts:
    """matplotlib (Agg) with a CJK font when one is installed; labels it cannot draw become short codes."""

    def __init__(self, out_dir: str):
        try:
            import matplotlib
        except ImportError as e:
            raise ReportError("matplotlib is not installed (Debian: apt-get install python3-matplotlib)") from e
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
        self.plt = plt
        self.out = out_dir
        self.cjk = None
        wanted = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                  "WenQuanYi Micro Hei", "AR PL UMing CN", "Droid Sans Fallback")
        self.cjk = self._find_font(font_manager, wanted)
        families = ([self.cjk] if self.cjk else []) + ["DejaVu Sans"]
        plt.rcParams.update({
            "font.family": "sans-serif", "font.sans-serif": families, "font.size": 10,
            "axes.spines.top": False, "axes.spines.right": False, "axes.titleweight": "bold",
            "axes.titlesize": 11, "figure.dpi": 100, "savefig.dpi": 110, "axes.unicode_minus": False,
        })

    @staticmethod
    def _find_font(font_manager, wanted: Sequence[str]) -> Optional[str]:
        """A CJK font family matplotlib knows, adding the system's CJK font files that its font cache
        (built before they were installed) does not list yet."""
        def known() -> Optional[str]:
            available = {f.name for f in font_manager.fontManager.ttflist}
            return next((name for name in wanted if name in available), None)
        found = known()
        if found:
            return found
        pattern = re.compile(r"(NotoSansCJK|NotoSans-?SC|SourceHanSans|wqy-(zen|micro)hei|uming|DroidSansFallback)",
                             re.IGNORECASE)
        try:
            files = [f for f in font_manager.findSystemFonts() if pattern.search(os.path.basename(f))]
        except Exception:
            files = []
        for f in sorted(files):
            try:
                font_manager.fontManager.addfont(f)
            except Exception:
                continue
        return known() if files else None

    def can_draw(self, text: str) -> bool:
        return self.cjk is not None or all(ord(c) < 0x2E80 for c in text)

    def thousands(self, axis) -> None:
        """Whole-number ticks with thousands separators."""
        from matplotlib.ticker import FuncFormatter, MaxNLocator
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))

    def save(self, fig, name: str) -> str:
        fig.savefig(os.path.join(self.out, name), bbox_inches="tight", facecolor="white")
        self.plt.close(fig)
        return name


def chart_fulfilment(ch: Charts, scns, labels) -> str:
    plt = ch.plt
    n = len(scns)
    ys = list(range(n))[::-1]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, max(2.8, 0.45 * n + 1.6)), sharey=True)
    f = [estimate(s, "fulfilment_rate") for s in scns]
    w = [estimate(s, "mean_wait_hours") for s in scns]
    p90 = [mean_of(s, "p90_wait_hours") for s in scns]
    ax1.barh(ys, [100 * m for m, _ in f], xerr=[100 * h for _, h in f], color="#4c72b0", height=0.6,
             error_kw={"ecolor": "#222", "capsize": 4, "elinewidth": 1.2})
    # The bars start at 0: a bar's length is the share served, and a cut axis would make small
    # differences look large (the difference chart at the top of the page is where those are read).
    ax1.set_xlim(0, 114)
    ax1.set_xticks(range(0, 101, 20))
    for y, (m, h) in zip(ys, f):
        if not math.isnan(m):
            ax1.text(100 * (m + h) + 1.0, y, f"{100 * m:.1f}%", va="center", fontsize=9)
    ax1.set_title("Requests served (%), with 95% confidence interval")
    ax1.set_xlabel("fulfilment rate (%)")
    ax1.set_yticks(ys)
    ax1.set_yticklabels(labels)
    ax1.grid(axis="x", alpha=0.3)
    ax2.barh(ys, [m for m, _ in w], xerr=[h for _, h in w], color="#dd8452", height=0.6,
             error_kw={"ecolor": "#222", "capsize": 4, "elinewidth": 1.2}, label="mean wait")
    ax2.scatter(p90, ys, marker="|", s=200, color="#222", zorder=3, label="90th percentile wait")
    wmax = max([v for v in p90 + [m for m, _ in w] if not math.isnan(v)] + [1.0])
    for y, (m, _), p in zip(ys, w, p90):
        if not math.isnan(m):
            ax2.text(0.01 * wmax, y, f" {m:.1f} h", va="center", ha="left", fontsize=9, color="white")
    ax2.set_title("Wait until service (hours)")
    ax2.set_xlabel("hours from the earliest start asked for\n(bar: mean; black tick: 90th percentile)")
    ax2.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return ch.save(fig, "fulfilment_wait.png")


def chart_utilisation(ch: Charts, scns, labels) -> Optional[str]:
    shares = [utilisation_shares(s) for s in scns]
    if not any(shares):
        return None
    plt = ch.plt
    n = len(scns)
    cols = min(4, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.1 * cols, 2.4 * rows + 0.5), sharex=True, sharey=True,
                             squeeze=False)
    top = max((max(s) for s in shares if s), default=10)
    colours = [plt.cm.RdYlGn(0.15 + 0.7 * i / 9) for i in range(10)]  # red (idle) .. green (busy)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.axis("off")
            continue
        sh = shares[i]
        if sh:
            ax.bar(range(10), sh, color=colours, width=0.85)
            mu = mean_of(scns[i], "mean_utilisation")
            if not math.isnan(mu):
                ax.axvline(min(mu * 10 - 0.5, 9.5), color="#222", lw=1, ls="--")
                ax.text(0.98, 0.95, f"mean {100 * mu:.0f}%", transform=ax.transAxes, ha="right", va="top",
                        fontsize=8)
        else:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center")
        ax.set_title(labels[i], fontsize=10)
        ax.set_ylim(0, top * 1.15)
        ax.set_xticks(range(10))
        ax.set_xticklabels([b.split("–")[0] if "–" in b else b for b in BANDS], fontsize=7)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[:, 0]:
        ax.set_ylabel("% of equipment")
    for c in range(cols):   # the lowest chart of each column carries the band labels
        last = max(r for r in range(rows) if r * cols + c < n)
        axes[last, c].tick_params(labelbottom=True)
        axes[last, c].set_xlabel("utilisation band from … % (booked / open time)", fontsize=8)
    fig.suptitle("How busy the equipment is: share of instruments per 10% utilisation band", fontweight="bold")
    fig.tight_layout()
    return ch.save(fig, "utilisation.png")


def chart_tiers(ch: Charts, scns, labels) -> str:
    plt = ch.plt
    n = len(scns)
    ys = list(range(n))[::-1]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, max(2.8, 0.45 * n + 1.9)), sharey=True,
                                   gridspec_kw={"width_ratios": [1.15, 1]})
    served = {t: [max(0.0, mean_of(s, "served_" + t)) if not math.isnan(mean_of(s, "served_" + t)) else 0.0
                  for s in scns] for t in TIERS}
    unmet = [mean_of(s, "unmet") for s in scns]
    unmet = [0.0 if math.isnan(u) else u for u in unmet]
    left = [0.0] * n
    for t in TIERS:
        ax1.barh(ys, served[t], left=left, color=TIER_COLOURS[t], height=0.6, label=TIER_WORDS[t])
        left = [a + b for a, b in zip(left, served[t])]
    ax1.barh(ys, unmet, left=left, color="#dddddd", hatch="///", edgecolor="#aaaaaa", height=0.6,
             label="not served")
    ch.thousands(ax1.xaxis)
    ch.thousands(ax2.xaxis)
    ax1.set_title("All requests, by who served them")
    ax1.set_xlabel("requests per replication (mean)")
    ax1.set_yticks(ys)
    ax1.set_yticklabels(labels)
    ax1.grid(axis="x", alpha=0.3)
    away = TIERS[1:]
    left = [0.0] * n
    for t in away:
        ax2.barh(ys, served[t], left=left, color=TIER_COLOURS[t], height=0.6)
        left = [a + b for a, b in zip(left, served[t])]
    total = [sum(served[t][i] for t in TIERS) for i in range(n)]
    for y, l, tot in zip(ys, left, total):
        if tot > 0:
            ax2.text(l, y, f"  {l:,.0f} ({100 * l / tot:.1f}% of served)", va="center", fontsize=8)
    ax2.set_xlim(0, max(left + [1.0]) * 1.45)
    ax2.set_title("Zoom: requests served away from the home platform")
    ax2.set_xlabel("requests per replication (mean)")
    ax2.grid(axis="x", alpha=0.3)
    fig.legend(loc="lower center", ncol=6, frameon=False, fontsize=9, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return ch.save(fig, "tiers.png")


def platform_label(pid: int, names: Dict[int, str], ch: Optional[Charts], width: int = 22) -> str:
    name = names.get(pid)
    if not name or (ch is not None and not ch.can_draw(name)):
        return f"platform #{pid}"
    return name if len(name) <= width else name[: width - 1] + "…"


def chart_flows(ch: Charts, flows, names) -> str:
    plt = ch.plt
    top = flows[:15]
    n = len(top)
    ys = list(range(n))[::-1]
    fig, ax = plt.subplots(figsize=(9, max(2.2, 0.38 * n + 1.3)))
    vals = [v for _, _, v in top]
    ax.barh(ys, vals, color="#55a868", height=0.65)
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{platform_label(a, names, ch)} → {platform_label(b, names, ch)}" for a, b, _ in top],
                       fontsize=9)
    for y, v in zip(ys, vals):
        ax.text(v, y, f"  {v:,.0f}", va="center", fontsize=8)
    ax.set_xlim(0, max(vals) * 1.18)
    ch.thousands(ax.xaxis)
    ax.set_xlabel("net payment over the horizon (yuan)")
    ax.set_title("Largest net payments between members (payer → payee)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return ch.save(fig, "flows.png")


def chart_differences(ch: Charts, comps: Sequence[Comparison], labels: Sequence[str]) -> str:
    """One panel per metric: each scenario's difference from the baseline with its 95 % interval,
    the axis centred on zero so that a bar crossing it at the whisker reads as noise."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    plt = ch.plt
    n = len(comps)
    ys = list(range(n))[::-1]
    fig, axes = plt.subplots(1, len(DIFF_METRICS), figsize=(13, max(2.4, 0.42 * n + 1.5)), sharey=True)
    for ax, m in zip(axes, DIFF_METRICS):
        ds = [c.diffs[m.key] for c in comps]
        vals = [m.scale * d.mean if d.known else 0.0 for d in ds]
        errs = [m.scale * d.half if d.known and not math.isnan(d.half) else 0.0 for d in ds]
        colours = [TONE_COLOURS[tone(d, m)] for d in ds]
        ax.barh(ys, vals, xerr=errs, color=colours, height=0.6,
                error_kw={"ecolor": "#222", "capsize": 3, "elinewidth": 1})
        reach = max([abs(v) + e for v, e in zip(vals, errs)] + [0.0]) * 1.15 or 1.0
        ax.set_xlim(-reach, reach)
        ax.axvline(0, color="#222", lw=1)
        ax.set_title(m.heading, fontsize=9.5)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
        if reach >= 10_000:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / 1000:,.0f}k" if v else "0"))
    axes[0].set_yticks(ys)
    axes[0].set_yticklabels([labels[c.index] for c in comps])
    fig.suptitle("Difference from isolated, with 95% interval (coloured: the interval excludes 0)",
                 fontweight="bold", fontsize=11)
    fig.tight_layout()
    return ch.save(fig, "differences.png")


# ---- Graphviz -----------------------------------------------------------------------------------

def graphviz_render(dot_text: str, out_path: str, engine: str = "dot", fmt: str = "svg") -> Optional[str]:
    """Renders DOT text with engine; None on success, else why not."""
    exe = shutil.which(engine)
    if exe is None:
        return f"Graphviz ({engine}) is not installed (Debian: apt-get install graphviz)"
    try:
        r = subprocess.run([exe, f"-T{fmt}", "-o", out_path], input=dot_text.encode("utf-8"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=GRAPHVIZ_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return f"Graphviz ({engine}) took longer than {GRAPHVIZ_TIMEOUT_S} s"
    if r.returncode != 0 or not os.path.isfile(out_path):
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"Graphviz ({engine}) failed: {err[-1] if err else 'exit ' + str(r.returncode)}"
    return None


_NODE_RE = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*(\[|;|$)')


def count_nodes(dot_text: str) -> int:
    """Node statements in DOT text (a line that declares a node, not an edge or an attribute)."""
    n = 0
    for line in dot_text.splitlines():
        s = line.strip()
        if not s or "->" in s or "--" in s:
            continue
        m = _NODE_RE.match(s)
        if m and m.group(1) not in ("graph", "node", "edge", "digraph", "subgraph", "strict", "}", "{"):
            n += 1
    return n


def layout_engine(nodes: int) -> str:
    if nodes > BIG_GRAPH_NODES:
        for e in ("sfdp", "neato"):
            if shutil.which(e):
                return e
    return "dot"


def _dot_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_dot(flows, names) -> str:
    top = flows[:15]
    biggest = max(v for _, _, v in top)
    lines = ['digraph flows {',
             'graph [rankdir=LR overlap=false fontname="Noto Sans CJK SC" bgcolor="white" pad=0.2];',
             'node [shape=box style="rounded,filled" fillcolor="#eef3fa" color="#4c72b0" '
             'fontname="Noto Sans CJK SC" fontsize=11];',
             'edge [color="#55a868" fontname="Noto Sans CJK SC" fontsize=10];']
    for pid in sorted({a for a, _, _ in top} | {b for _, b, _ in top}):
        lines.append(f"p{pid} [label={_dot_quote(platform_label(pid, names, None, 28))}];")
    for a, b, v in top:
        width = 1 + 5 * v / biggest
        lines.append(f'p{a} -> p{b} [label={_dot_quote(f"¥{v:,.0f}")} penwidth={width:.2f} arrowsize=0.7];')
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- The page -----------------------------------------------------------------------------------

CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 0;
       color: #222; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 34px 0 8px; border-bottom: 2px solid #4c72b0; padding-bottom: 4px; }
.sub { color: #666; margin: 0 0 18px; }
.lead { font-size: 1.03em; background: #f1f5fb; border-left: 4px solid #4c72b0; padding: 10px 16px; }
ul.findings li { margin: 3px 0; }
table { border-collapse: collapse; font-size: 0.86em; margin: 8px 0; width: 100%; }
th, td { border-bottom: 1px solid #e2e4e8; padding: 5px 7px; text-align: right; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.l, th.l { text-align: left; }
td.settings { text-align: left; color: #444; font-size: 0.92em; min-width: 230px; max-width: 300px; }
tr.best td { background: #f3faf3; }
.ci { color: #777; font-size: 0.9em; white-space: nowrap; }
td.better { color: #1e7b34; background: #f0f8f1; }
td.worse { color: #b0282e; background: #fcf1f1; }
td.change { color: #2c4f8a; }
table.diff td { white-space: nowrap; }
ul.changes li { margin: 4px 0; }
figure { margin: 14px 0 22px; }
figure img { max-width: 100%; border: 1px solid #e2e4e8; }
figure.network img { max-width: 100%; max-height: 900px; object-fit: contain; background: white; }
figcaption { color: #333; font-size: 0.93em; margin-top: 6px; }
.note { color: #8a5a00; background: #fff7e6; border: 1px solid #f0d9a8; padding: 8px 12px; }
.small { color: #777; font-size: 0.85em; }
"""


def esc(s: Any) -> str:
    return html.escape(str(s))


def pct_ci(m: float, h: float) -> str:
    if math.isnan(m):
        return "–"
    return f"{100 * m:.1f}% <span class=ci>± {100 * h:.1f}</span>"


def build(run: Dict[str, Any], names: Dict[int, str], dot_text: Optional[str], out_dir: str,
          source: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    ch = Charts(out_dir)
    scns = run["scenarios"]
    names_raw = [str(s["scenario"].get("name") or f"scenario {i + 1}") for i, s in enumerate(scns)]
    drawable = all(ch.can_draw(n) for n in names_raw)
    labels = names_raw if drawable else [f"S{i + 1}" for i in range(len(scns))]

    def row_name(i: int) -> str:
        return esc(names_raw[i]) if drawable else f"S{i + 1} · {esc(names_raw[i])}"

    # Baseline and headline numbers.
    base_i = next((i for i, s in enumerate(scns) if s["scenario"].get("sharing") == "isolated"), 0)
    fulf = [mean_of(s, "fulfilment_rate") for s in scns]
    wait = [mean_of(s, "mean_wait_hours") for s in scns]
    best_i = max(range(len(scns)), key=lambda i: -1 if math.isnan(fulf[i]) else fulf[i])
    moved = [mean_of(s, "transferred_yuan") for s in scns]
    shared_i = max(range(len(scns)), key=lambda i: -1 if math.isnan(moved[i]) else moved[i])

    sc0 = scns[0]["scenario"]
    reps = max((len(s.get("replications", [])) for s in scns), default=0) or int(sc0.get("replications") or 0)
    horizon = f"{sc0.get('from', '?')} to {sc0.get('to', '?')}" if sc0.get("from") else "the simulated horizon"

    parts: List[str] = []
    title = run.get("name") or "Alliance sharing simulation"
    run_id = run.get("id")
    parts.append(f"<h1>What sharing equipment would change — {esc(title)}</h1>")
    parts.append(f"<p class=sub>Simulation run {esc(run_id) if run_id is not None else ''} saved "
                 f"{esc(fmt_at(run.get('at')))} · {len(scns)} scenarios · {reps} replications each · "
                 f"{esc(horizon)} · source: {esc(source)}</p>")

    # First what a planner came for: each scenario against platforms working alone.
    parts.append(baseline_section(scns, find_baseline(scns), row_name, labels, ch))

    parts.append("<h2>What this shows</h2>")
    parts.append(
        f"<p class=lead>The same requests of enterprises for shared testing and research equipment ({esc(horizon)}) "
        "were played through the platform network under different rules: platforms "
        "working alone, sharing within their alliances, sharing across the whole network, with or without a "
        "one-stop desk that refers an enterprise on at once, with or without innovation vouchers, and with "
        "or without a joint review before buying new equipment. Each scenario was repeated with different "
        "random draws of demand; a figure written “± x” is the range in which the true average lies with 95% "
        "confidence, so two scenarios whose ranges overlap are not clearly different. The question for a "
        "planner: how many more requests get served, how much sooner, how busy the equipment becomes, how "
        "much money then moves between members, and how many purchases can be avoided.</p>")
    findings = []
    if not math.isnan(fulf[best_i]) and not math.isnan(fulf[base_i]):
        findings.append(
            f"Most requests served: <b>{esc(names_raw[best_i])}</b>, {100 * fulf[best_i]:.1f}% "
            f"against {100 * fulf[base_i]:.1f}% in <b>{esc(names_raw[base_i])}</b> "
            f"({100 * (fulf[best_i] - fulf[base_i]):+.1f} points).")
    if not any(math.isnan(w) for w in wait):
        quick = min(range(len(scns)), key=lambda i: wait[i])
        findings.append(f"Shortest mean wait: <b>{esc(names_raw[quick])}</b>, {wait[quick]:.1f} hours "
                        f"(longest: {max(wait):.1f} hours).")
    if not math.isnan(moved[shared_i]) and moved[shared_i] > 0:
        findings.append(f"Most money settled between members: <b>{esc(names_raw[shared_i])}</b>, "
                        f"{fmt_num(moved[shared_i])} yuan over the horizon.")
    avoided = [mean_of(s, "purchases_avoided") for s in scns]
    if any(not math.isnan(a) and a > 0 for a in avoided):
        ai = max(range(len(scns)), key=lambda i: -1 if math.isnan(avoided[i]) else avoided[i])
        findings.append(f"The joint review avoided up to <b>{avoided[ai]:.0f}</b> of "
                        f"{mean_of(scns[ai], 'purchases_planned'):.0f} planned purchases "
                        f"({fmt_wan(mean_of(scns[ai], 'purchase_value_avoided_yuan'))} 万 yuan) "
                        f"in <b>{esc(names_raw[ai])}</b>.")
    if findings:
        parts.append("<ul class=findings>" + "".join(f"<li>{f}</li>" for f in findings) + "</ul>")

    # Comparison table.
    parts.append("<h2>The scenarios compared</h2>")
    head = ["Scenario", "Settings", "Fulfilment (95% CI)", "Mean wait (h)", "p90 wait (h)", "Mean travel (min)",
            "Mean utilisation", "Outside-user hours per instrument", "Referrals", "Moved between members (yuan)",
            "Voucher spend (yuan)", "Purchases avoided / planned"]
    rows = ["<table><thead><tr>" + "".join(
        f"<th class=l>{h}</th>" if i < 2 else f"<th>{h}</th>" for i, h in enumerate(head)) + "</tr></thead><tbody>"]
    for i, s in enumerate(scns):
        e = lambda k: estimate(s, k)  # noqa: E731
        fm, fh = e("fulfilment_rate")
        wm, wh = e("mean_wait_hours")
        um = mean_of(s, "mean_utilisation")
        cells = [
            f"<td class=l><b>{row_name(i)}</b></td>",
            f"<td class=settings>{esc(', '.join(settings_in_words(s['scenario'])))}</td>",
            f"<td>{pct_ci(fm, fh)}</td>",
            f"<td>{fmt_num(wm, 1)} <span class=ci>± {wh:.1f}</span></td>" if not math.isnan(wm) else "<td>–</td>",
            f"<td>{fmt_num(mean_of(s, 'p90_wait_hours'), 1)}</td>",
            f"<td>{fmt_num(mean_of(s, 'mean_travel_minutes'), 1)}</td>",
            f"<td>{'–' if math.isnan(um) else f'{100 * um:.1f}%'}</td>",
            f"<td>{fmt_num(mean_of(s, 'external_hours_per_instrument'), 1)}</td>",
            f"<td>{fmt_num(mean_of(s, 'referrals'))}</td>",
            f"<td>{fmt_num(mean_of(s, 'transferred_yuan'))}</td>",
            f"<td>{fmt_num(mean_of(s, 'voucher_spend_yuan'))}</td>",
            f"<td>{fmt_num(mean_of(s, 'purchases_avoided'))} / {fmt_num(mean_of(s, 'purchases_planned'))}</td>",
        ]
        cls = " class=best" if i == best_i else ""
        rows.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    parts.append("".join(rows))
    parts.append("<p class=small>Means over the replications. The highlighted row serves the most requests. "
                 "Wait: from the earliest start the enterprise asked for to the start of service (plus the "
                 "referral delay without a one-stop desk). Utilisation: booked share of the equipment's open "
                 "time. Outside-user hours: hours booked per instrument by users from outside the owner. "
                 "Money moved: the net settlement payments between members.</p>")

    parts.append("<h2>Calibration against the national figures</h2>")
    parts.append(calibration_section(scns, run, row_name))

    # (a) Fulfilment and wait.
    parts.append("<h2>Requests served and waiting time</h2>")
    img = chart_fulfilment(ch, scns, labels)
    parts.append(figure(img, "Fulfilment and wait by scenario",
                        "Read the left panel for the share of requests that were served: the longer the bar, the "
                        "better, and the black whiskers show the 95% range — where whiskers overlap, the difference "
                        "may be chance. The right panel shows how long enterprises waited on average (bar) and "
                        "how long the slowest tenth waited (black tick); shorter is better."))

    # (b) Utilisation.
    parts.append("<h2>How busy the equipment is</h2>")
    img = chart_utilisation(ch, scns, labels)
    if img:
        parts.append(figure(img, "Utilisation distribution by scenario",
                            "Each small chart shows how the instruments spread over utilisation bands: red bars "
                            "on the left are idle instruments, green bars on the right busy ones, and the dashed "
                            "line is the mean. Sharing works when the red bars shrink without the 90%+ band "
                            "(instruments booked solid, where enterprises queue) growing."))
    else:
        parts.append("<p class=note>The run has no utilisation histograms.</p>")

    # (c) Tiers.
    parts.append("<h2>Who serves whom</h2>")
    img = chart_tiers(ch, scns, labels)
    parts.append(figure(img, "Requests served by route tier",
                        "Blue is served by the enterprise's own platform, the other colours by a platform further "
                        "away in the network (its backbone or sub-platforms, an alliance partner, a linked platform, "
                        "the rest of the city); grey hatched requests were not served. The right panel zooms "
                        "on the requests served away from home: this is the sharing that the scenarios switch on."))

    # (d) Settlement flows.
    parts.append("<h2>Money between members</h2>")
    sh = scns[shared_i]
    reps0 = sh.get("replications", [])
    flows = net_transfers(reps0[0].get("transfers", [])) if reps0 else []
    if flows and not math.isnan(moved[shared_i]) and moved[shared_i] > 0:
        img = chart_flows(ch, flows, names)
        shown = min(15, len(flows))
        if not names:
            who = " Platforms are shown by id (no database given)."
        elif not all(ch.can_draw(names.get(x, "")) for f in flows[:shown] for x in f[:2]):
            who = " The chart shows platform ids (no Chinese font for matplotlib); the names are in the table below."
        else:
            who = ""
        parts.append(figure(img, "Settlement flows",
                            f"In <b>{esc(names_raw[shared_i])}</b>, the scenario that moves the most money between "
                            f"members, these are the {shown} largest of the {len(flows)} net payments in its first "
                            "replication: each bar is what the first platform owes the second after netting, over "
                            "the whole horizon. Large one-way flows show where one platform's equipment serves the "
                            "others' enterprises." + who))
        if shutil.which("dot"):
            why = graphviz_render(flow_dot(flows, names), os.path.join(out_dir, "flows_graph.svg"))
            if why is None:
                parts.append(figure("flows_graph.svg", "Settlement flow graph",
                                    "The same payments as a graph: arrows run from payer to payee, thicker arrows "
                                    "carry more money. Platforms with many incoming arrows are the network's "
                                    "service hubs.", cls="network"))
            else:
                parts.append(f"<p class=note>The flow graph could not be drawn: {esc(why)}.</p>")
        else:
            parts.append("<p class=note>Graphviz (<code>dot</code>) is not installed, so the flow graph is not "
                         "drawn (Debian: apt-get install graphviz).</p>")
        parts.append(flow_table(flows[:15], names))
    else:
        parts.append("<p>No money moved between members in any scenario (platforms only served their own "
                     "enterprises, or no settlement rule applied).</p>")

    # (e) Network.
    parts.append("<h2>The network</h2>")
    parts.append(network_section(dot_text, out_dir))

    # (f) Purchases and money.
    parts.append("<h2>Purchases and money</h2>")
    parts.append(money_table(scns, row_name))
    parts.append("<p class=small>Means over the replications, over the simulated horizon; "
                 "万 yuan = 10,000 yuan. Purchases avoided are planned purchases that the joint review turned away because the network already "
                 "had the capacity; the value avoided is what they would have cost. Revenue is the gross of the "
                 "settled service charges; voucher spend is what the city's innovation vouchers paid.</p>")

    parts.append(f"<p class=small>Generated by examples/alliance_sharing/report.py on "
                 f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}.</p>")
    page = ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)} — alliance sharing report</title><style>{CSS}</style></head>"
            "<body><main>\n" + "\n".join(parts) + "\n</main></body></html>\n")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path


def figure(src: str, alt: str, caption: str, cls: str = "") -> str:
    c = f" class={cls}" if cls else ""
    return (f"<figure{c}><a href='{esc(src)}'><img src='{esc(src)}' alt='{esc(alt)}'></a>"
            f"<figcaption>{caption}</figcaption></figure>")


def flow_table(flows, names) -> str:
    rows = ["<details><summary>The payments as a table</summary><table><thead><tr><th class=l>Payer</th>"
            "<th class=l>Payee</th><th>Net payment (yuan)</th></tr></thead><tbody>"]
    for a, b, v in flows:
        pa = f"{esc(names[a])} <span class=small>#{a}</span>" if a in names else f"platform #{a}"
        pb = f"{esc(names[b])} <span class=small>#{b}</span>" if b in names else f"platform #{b}"
        rows.append(f"<tr><td class=l>{pa}</td><td class=l>{pb}</td><td>{v:,.2f}</td></tr>")
    rows.append("</tbody></table></details>")
    return "".join(rows)


def network_section(dot_text: Optional[str], out_dir: str) -> str:
    if not dot_text:
        return ("<p class=note>No network drawing: give the database with --db, or its Graphviz DOT with --dot "
                "(e.g. demo-out/city.dot).</p>")
    with open(os.path.join(out_dir, "network.dot"), "w", encoding="utf-8") as f:
        f.write(dot_text)
    nodes = count_nodes(dot_text)
    engine = layout_engine(nodes)
    why = graphviz_render(dot_text, os.path.join(out_dir, "network.svg"), engine)
    if why is not None:
        return (f"<p class=note>The network is not drawn: {esc(why)}. Its DOT text is in "
                "<a href='network.dot'>network.dot</a>.</p>")
    return figure("network.svg", "The platform network",
                  f"The network as it stands ({nodes} nodes, laid out by Graphviz {engine}): districts, zones, "
                  "platforms and the links between them. Look for platforms with many links (hubs the others "
                  "lean on) and for zones far from any platform of a kind. Click to open it full size; the "
                  "DOT text is in <a href='network.dot'>network.dot</a>.", cls="network")


def money_table(scns, row_name) -> str:
    head = ["Scenario", "Purchases planned", "made", "avoided", "Value avoided (万 yuan)", "Revenue (万 yuan)",
            "Voucher spend (万 yuan)", "Referral fees (万 yuan)", "Alliance pools (万 yuan)", "Sub-platforms added"]
    keys = [("purchases_planned", fmt_num), ("purchases_made", fmt_num), ("purchases_avoided", fmt_num),
            ("purchase_value_avoided_yuan", fmt_wan), ("revenue_yuan", fmt_wan),
            ("voucher_spend_yuan", fmt_wan), ("referral_fees_yuan", fmt_wan), ("pool_yuan", fmt_wan),
            ("sub_platforms_added", fmt_num)]
    rows = ["<table><thead><tr>" + "".join(
        f"<th class=l>{h}</th>" if i == 0 else f"<th>{h}</th>" for i, h in enumerate(head)) + "</tr></thead><tbody>"]
    for i, s in enumerate(scns):
        rows.append(f"<tr><td class=l><b>{row_name(i)}</b></td>" +
                    "".join(f"<td>{f(mean_of(s, k))}</td>" for k, f in keys) + "</tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


# ---- What each scenario changes against isolated ------------------------------------------------

TONE_COLOURS = {"better": "#55a868", "worse": "#c44e52", "change": "#4c72b0", "noise": "#c8ccd2"}


def tone(d: Diff, m: Metric) -> str:
    """How a difference reads for enterprises: better, worse, a change that is neither, or noise."""
    if not d.significant:
        return "noise"
    if m.better == 0:
        return "change"
    return "better" if d.mean * m.better > 0 else "worse"


def fmt_signed(v: float, digits: int) -> str:
    """+6.8, −3.2 (a real minus sign), 0.0 with no sign when it rounds to zero."""
    text = f"{abs(v):,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if v > 0 else "\u2212") + text


def diff_cell(d: Diff, m: Metric) -> str:
    if not d.known:
        return "<td>–</td>"
    value = fmt_signed(m.scale * d.mean, m.digits)
    half = "" if math.isnan(d.half) else f" <span class=ci>± {m.scale * d.half:,.{m.digits}f}</span>"
    t = tone(d, m)
    if t == "noise":
        return f"<td>{value}{half}</td>"
    return f"<td class={t}><b>{value}</b>{half}</td>"


def _count(v: float) -> str:
    return f"{abs(round(v)):,}"


def _join(phrases: Sequence[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


# What a real difference did, as a verb phrase: (more, less), filled with the size.
EFFECT_WORDS = {
    "fulfilment_rate": ("raises fulfilment by {} points", "lowers fulfilment by {} points"),
    "mean_wait_hours": ("lengthens the mean wait by {} h", "cuts the mean wait by {} h"),
    "mean_travel_minutes": ("adds {} min to the mean travel", "cuts the mean travel by {} min"),
    "external_hours_per_instrument": ("adds {} outside-user hours per instrument",
                                      "takes {} outside-user hours per instrument away"),
    "transferred_yuan": ("moves {} yuan more between members", "moves {} yuan less between members"),
}


# The figures an enterprise feels; the sentence names the others only when none of these moved.
FELT = ("fulfilment_rate", "mean_wait_hours", "mean_travel_minutes")
MAX_CAUSES = 2   # a sentence a planner reads at a glance: the two largest mechanisms


def effect_phrases(diffs: Dict[str, Diff]) -> Tuple[List[str], List[str]]:
    """(better, worse-or-neutral) phrases for the differences beyond noise."""
    real = []
    for m in DIFF_METRICS:
        d = diffs[m.key]
        size = f"{abs(m.scale * d.mean):,.{m.digits}f}"
        if d.significant and float(size.replace(",", "")) != 0:
            real.append((m, EFFECT_WORDS[m.key][0 if d.mean > 0 else 1].format(size), tone(d, m)))
    felt = [e for e in real if e[0].key in FELT]
    shown = felt or real
    return [p for _, p, t in shown if t == "better"], [p for _, p, t in shown if t != "better"]


def cause_phrases(base: Dict[str, Any], scn: Dict[str, Any], diffs: Dict[str, Diff]) -> List[str]:
    """The mechanisms behind a change, from the counts that moved beyond noise, the largest relative
    change first (a count that appears from nothing counts as 100 %)."""
    def real(key: str) -> Optional[float]:
        d = diffs.get(key, NO_DIFF)
        return d.mean if d.significant and round(d.mean) != 0 else None

    found = []   # (relative size, phrase)

    def add(key: str, phrase: str) -> None:
        b, o = mean_of(base, key), mean_of(scn, key)
        top = max(abs(b), abs(o)) if not (math.isnan(b) or math.isnan(o)) else 0.0
        found.append((abs(diffs[key].mean) / top if top else 1.0, phrase))

    g = real("gave_up")
    if g is not None:
        add("gave_up", f"keeps {_count(g)} requests that enterprises gave up on at a referral" if g < 0
            else f"loses {_count(g)} more requests to enterprises giving up at a referral")
    p = real("priced_out")
    if p is not None:
        add("priced_out", f"prices out {_count(p)} more requests (refused for price alone)" if p > 0
            else f"prices out {_count(p)} fewer requests")
    a = real("sub_platforms_added")
    if a is not None and a > 0:
        add("sub_platforms_added", f"adds {_count(a)} sub-platforms")
    r = real("referrals")
    if r is not None:
        add("referrals", f"refers {_count(r)} {'more' if r > 0 else 'fewer'} requests to other platforms")
    u = diffs.get("utilisation_spread", NO_DIFF)
    b_spread, s_spread = mean_of(base, "utilisation_spread"), mean_of(scn, "utilisation_spread")
    if u.significant and f"{b_spread:.2f}" != f"{s_spread:.2f}":
        add("utilisation_spread", f"{'lowers' if s_spread < b_spread else 'raises'} the spread of utilisation "
            f"between instruments from {b_spread:.2f} to {s_spread:.2f}")
    found.sort(key=lambda f: -f[0])   # stable: ties keep the order above
    return [phrase for _, phrase in found[:MAX_CAUSES]]


def change_sentence(who: str, base_name: str, base: Dict[str, Any], scn: Dict[str, Any],
                    diffs: Dict[str, Diff]) -> str:
    """One plain sentence: what the scenario changed beyond noise and, from the counts, why."""
    subject = f"<b>{who}</b>"
    better, worse = effect_phrases(diffs)
    causes = cause_phrases(base, scn, diffs)
    if not better and not worse and not causes:
        if not any(d.known and not math.isnan(d.half) for d in diffs.values()):
            return (f"{subject}: a single replication gives no interval, so no difference from {base_name} "
                    "can be told from noise.")
        return (f"{subject}: no difference from {base_name} beyond noise — every figure lies within its "
                "95% interval.")
    what = " but ".join(x for x in (_join(better) if better else "", _join(worse) if worse else "") if x)
    if not causes:
        return f"{subject} {what}."
    if not what:
        return (f"{subject} {_join(causes)}, but its fulfilment, wait, travel, outside use and money moved "
                "stay within noise.")
    return f"{subject} {what}: it {_join(causes)}."


def baseline_section(scns, base_i: Optional[int], row_name, labels, ch: Charts) -> str:
    parts = ["<h2 id=changes>What each scenario changes against isolated</h2>"]
    if base_i is None:
        parts.append("<p class=note>This run has no “isolated” scenario (platforms each on their own), so "
                     "there is no baseline to measure the others against; the tables below give each "
                     "scenario's own figures.</p>")
        return "\n".join(parts)
    if len(scns) < 2:
        parts.append("<p class=note>The run has only the isolated scenario: there is nothing to compare "
                     "it with.</p>")
        return "\n".join(parts)
    base = scns[base_i]
    base_name = row_name(base_i)
    comps = compare_with_baseline(scns, base_i)
    n = len(base.get("replications", []))
    if all(c.unpaired_why is None for c in comps):
        how = ("Replication i of every scenario uses the same random demand, so the differences are taken "
               "replication by replication (paired)")
    else:
        how = ("Where replication i of both scenarios used the same random demand the differences are taken "
               "replication by replication (paired), otherwise the two means are compared (see below)")
    over = f", averaged over {n} replication{'s' if n != 1 else ''}" if n else ""
    parts.append(
        f"<p>Each row is a scenario's figure minus that of <b>{base_name}</b>, where each platform works on "
        f"its own{over}; the largest change in fulfilment comes first. {how}, and “±” is the 95% range "
        "of the true difference.</p>")

    head = ["Scenario"] + [m.heading for m in DIFF_METRICS]
    rows = ["<table class=diff><thead><tr>" + "".join(
        f"<th class=l>{h}</th>" if i == 0 else f"<th>{h}</th>" for i, h in enumerate(head)) + "</tr></thead><tbody>"]
    for c in comps:
        rows.append(f"<tr><td class=l><b>{row_name(c.index)}</b></td>"
                    + "".join(diff_cell(c.diffs[m.key], m) for m in DIFF_METRICS) + "</tr>")
    rows.append("</tbody></table>")
    parts.append("".join(rows))
    parts.append(f"<p class=small>{baseline_footnote(comps, row_name)}</p>")

    parts.append("<ul class=changes>" + "".join(
        f"<li>{change_sentence(row_name(c.index), base_name, base, scns[c.index], c.diffs)}</li>"
        for c in comps) + "</ul>")
    img = chart_differences(ch, comps, labels)
    parts.append(figure(img, "Differences from isolated",
                        "The same differences as bars around zero: green is better for enterprises, red worse, "
                        "blue a change that is neither (money moved), grey within noise. A whisker that crosses "
                        "the zero line means the replications cannot tell the scenario from isolated."))
    return "\n".join(parts)


def baseline_footnote(comps: Sequence[Comparison], row_name) -> str:
    notes = ["<b>Bold</b>: the 95% interval excludes 0, a real difference (green better for enterprises, "
             "red worse). The others are within noise: chance alone could give them. Fulfilment in percentage "
             "points; money per replication over the whole horizon, in yuan."]
    unpaired = [c for c in comps if c.unpaired_why]
    if unpaired:
        notes.append("Unpaired (Welch) intervals, wider, for " + "; ".join(
            f"{row_name(c.index)} ({esc(c.unpaired_why)})" for c in unpaired) + ".")
    if any(d.known and math.isnan(d.half) for c in comps for d in c.diffs.values()):
        notes.append("A figure without “±” rests on a single replication and has no interval.")
    return " ".join(notes)


# ---- Calibration against the national figures ---------------------------------------------------

def calibration_section(scns, run: Dict[str, Any], row_name) -> str:
    rows = calibration_rows(scns, run)
    if all(math.isnan(r.hours) and math.isnan(r.external) for r in rows):
        return ("<p class=note>This run has no hours per instrument (it predates them): there is nothing to "
                "hold against the national figures.</p>")
    head = ["Scenario", "Days", "Effective hours per instrument", "National", "Measured / national",
            "Outside-user hours per instrument", "National", "Measured / national"]
    out = ["<table class=calibration><thead><tr>" + "".join(
        f"<th class=l>{h}</th>" if i == 0 else f"<th>{h}</th>" for i, h in enumerate(head)) + "</tr></thead><tbody>"]
    for r in rows:
        out.append(f"<tr><td class=l><b>{row_name(r.index)}</b></td><td>{r.days:,.0f}{'*' if r.assumed else ''}</td>"
                   f"<td>{fmt_num(r.hours)}</td><td>{fmt_num(r.national)}</td><td>{fmt_pct(r.ratio)}</td>"
                   f"<td>{fmt_num(r.external, 1)}</td><td>{fmt_num(r.national_external, 1)}</td>"
                   f"<td>{fmt_pct(r.external_ratio)}</td></tr>")
    out.append("</tbody></table>")
    out.append(f"<p>{calibration_sentence(rows, scns, row_name)}</p>")
    out.append(f"<p class=small>{horizon_note(rows)} Effective hours: hours of service per instrument; "
               "outside-user hours: those booked by users from outside the instrument's owner. The national "
               f"figures are {NATIONAL_HOURS:,.0f} and {NATIONAL_EXTERNAL_HOURS:,.0f} hours a year per large "
               "instrument.</p>")
    return "".join(out)


def fmt_pct(ratio: float) -> str:
    return "–" if math.isnan(ratio) else f"{100 * ratio:.0f}%"


def horizon_note(rows: Sequence[CalibrationRow]) -> str:
    if any(r.assumed for r in rows):
        return ("* The run does not give its horizon: a year (365 days) is assumed, so the national figures "
                "are compared unscaled.")
    if all(r.days == YEAR_DAYS for r in rows):
        return "The horizon is a year (365 days), so the national yearly figures apply as they are."
    return "The national yearly figures are scaled to each scenario's horizon (× days / 365)."


def _calibration_clause(what: str, national: float, ratios: Sequence[Tuple[str, float]]) -> str:
    """'Effective hours are 30–45% of the national 1,600 h a year: below it in …; close to it in …'."""
    known = [(name, r) for name, r in ratios if not math.isnan(r)]
    if not known:
        return ""
    lo, hi = min(r for _, r in known), max(r for _, r in known)
    span = f"{100 * lo:.0f}%" if f"{100 * lo:.0f}" == f"{100 * hi:.0f}" else f"{100 * lo:.0f}–{100 * hi:.0f}%"
    # Within 10 % of the national figure counts as matching it.
    groups = [("below", [n for n, r in known if r < 0.9]), ("close to", [n for n, r in known if 0.9 <= r <= 1.1]),
              ("above", [n for n, r in known if r > 1.1])]
    groups = [(w, names) for w, names in groups if names]
    if len(groups) == 1:
        return f"{what} are {groups[0][0]} the national {national:,.0f} h a year in every scenario ({span} of it)"
    return (f"{what} are {span} of the national {national:,.0f} h a year: "
            + "; ".join(f"{w} it in {', '.join(names)}" for w, names in groups))


def calibration_sentence(rows: Sequence[CalibrationRow], scns, row_name) -> str:
    hours = _calibration_clause("Effective hours per instrument", NATIONAL_HOURS,
                                [(row_name(r.index), r.ratio) for r in rows])
    external = _calibration_clause("outside-user hours", NATIONAL_EXTERNAL_HOURS,
                                   [(row_name(r.index), r.external_ratio) for r in rows])
    said = ". ".join(c[0].upper() + c[1:] for c in (hours, external) if c) + "."
    why = []
    if any(r.ratio < 0.9 for r in rows if not math.isnan(r.ratio)):
        targets = {s["scenario"].get("hours_per_instrument") for s in scns}
        if targets and all(isinstance(t, (int, float)) and t > 0 for t in targets):
            drawn = "/".join(f"{t:,.0f}" for t in sorted(targets))
            why.append(f"Demand is drawn for {drawn} h a year, but unmet requests, cancellations and no-shows "
                       "never become used hours.")
        else:
            why.append("Demand in this run is not calibrated to hours per instrument (hours_per_instrument is "
                       "0 or absent), so fewer hours are asked for.")
    if any(r.external_ratio < 0.9 for r in rows if not math.isnan(r.external_ratio)):
        why.append("Outside use here is only what routing sends to another member's equipment, not a "
                   "calibrated share, so it stays low where platforms do not share.")
    return " ".join([said] + why)


# ---- Command line -------------------------------------------------------------------------------

def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description="Writes the HTML report of an alliance-sharing simulation run.",
        epilog="Either --db (with the psp package) or --json (a stored run; --dot adds the network drawing).")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--db", metavar="PATH", help="psp database with stored simulation runs")
    src.add_argument("--json", metavar="RUN.json", help="a simulation run as JSON")
    ap.add_argument("--run", metavar="ID", type=int, help="with --db: the run to report (default: the newest)")
    ap.add_argument("--dot", metavar="NET.dot", help="with --json: the network as Graphviz DOT")
    ap.add_argument("--out", metavar="DIR", required=True, help="directory for index.html and its charts")
    args = ap.parse_args(argv)
    if args.run is not None and not args.db:
        ap.error("--run needs --db")
    if args.dot and not args.json:
        ap.error("--dot goes with --json (with --db the network comes from the database)")
    try:
        if args.db:
            run, names, dot_text = load_from_db(args.db, args.run)
            source = args.db
        else:
            run, names, dot_text = load_from_json(args.json, args.dot)
            source = args.json
        path = build(run, names, dot_text, args.out, source)
    except ReportError as e:
        print(f"report.py: error: {e}", file=sys.stderr)
        return 1
    print(os.path.abspath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
