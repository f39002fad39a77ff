#!/usr/bin/python3
# networkx baseline for the city-scale reach query (bench/reach_query.cpp): builds psp's travel graph
# from the exported network JSON, answers the same queries, checks them against psp's, times each one.
#
#   networkx_reach.py CITY.json QUERIES.json [--psp-json BENCH.json] [--passes N] [--strict]
# CITY.json and QUERIES.json come from `psp_reach_query --export-json ... --export-queries ...`;
# BENCH.json is psp_reach_query's `--benchmark_out` (JSON): with it the psp median and the ratio are
# printed. Exit 1 if an answer differs from psp's (with --strict also if a target is missed).
# Needs Debian's python3-networkx.
import argparse
import json
import statistics
import sys
import time

import networkx as nx

# psp::district_access_minutes (include/psp/model.hpp): a zone or platform to its district's seat.
DISTRICT_ACCESS_MINUTES = 15


def build_graph(net):
    """psp's travel graph (src/graph/network_graph.cpp): undirected; vertices are districts, zones and
    platforms; zone-district and platform-site edges weigh DISTRICT_ACCESS_MINUTES, service areas
    and district travel weigh their minutes. Equipment sits at its owner's vertex when it is on the owner's site, else at its
    site district. Vertices are ints (offsets keep the kinds apart) so hashing costs networkx little."""
    ids = [r["id"] for k in ("districts", "zones", "platforms") for r in net[k]]
    span = max(ids, default=0) + 1
    district = lambda i: i                 # noqa: E731
    zone = lambda i: span + i              # noqa: E731
    platform = lambda i: 2 * span + i      # noqa: E731

    g = nx.Graph()

    def edge(u, v, w):
        if g.has_edge(u, v):               # psp's graph allows parallel edges; the shortest counts
            w = min(w, g[u][v]["weight"])
        g.add_edge(u, v, weight=w)

    for d in net["districts"]:
        g.add_node(district(d["id"]))
    for z in net["zones"]:
        edge(zone(z["id"]), district(z["district"]), DISTRICT_ACCESS_MINUTES)
    site_of = {}
    for p in net["platforms"]:
        site_of[p["id"]] = p["site"]
        edge(platform(p["id"]), district(p["site"]), DISTRICT_ACCESS_MINUTES)
    for s in net["zone_services"]:
        edge(platform(s["platform"]), zone(s["zone"]), s["minutes"])
    for t in net["travel"]:
        edge(district(t["from"]), district(t["to"]), t["minutes"])

    spots = {}   # class -> [(equipment, owner, vertex)]
    for e in net["equipment"]:
        at = platform(e["owner"]) if site_of[e["owner"]] == e["site"] else district(e["site"])
        spots.setdefault(e["equipment_class"], []).append((e["id"], e["owner"], at))
    return g, spots, zone


def equipment_within(g, spots, zone_vertex, equipment_class, max_minutes):
    """[[equipment, owner, minutes], ...] nearest first, ties by id (as Database::equipment_within)."""
    dist = nx.single_source_dijkstra_path_length(g, zone_vertex, cutoff=max_minutes, weight="weight")
    found = []
    for eid, owner, at in spots.get(equipment_class, ()):
        d = dist.get(at)
        if d is not None:
            found.append((d, eid, owner))
    found.sort()
    return [[eid, owner, d] for d, eid, owner in found]


def psp_figures(path):
    """From Google Benchmark's JSON: the median over repetitions of the per-query median (p50_us) and
    of the time per iteration (one query), in microseconds."""
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    for b in report["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
            return b["p50_us"], b["real_time"] * scale
    raise SystemExit(f"{path}: no median aggregate (run psp_reach_query with its repetitions)")


def main():
    ap = argparse.ArgumentParser(description="networkx baseline for psp_reach_query")
    ap.add_argument("city")
    ap.add_argument("queries")
    ap.add_argument("--psp-json", help="psp_reach_query --benchmark_out file (JSON)")
    ap.add_argument("--passes", type=int, default=3, help="times over the query sequence (default 3)")
    ap.add_argument("--strict", action="store_true",
                    help="also exit 1 when psp's median exceeds 50 us or the ratio is below 20x")
    args = ap.parse_args()

    with open(args.city, encoding="utf-8") as f:
        net = json.load(f)
    with open(args.queries, encoding="utf-8") as f:
        qs = json.load(f)
    max_minutes = qs["max_minutes"]
    queries = qs["queries"]

    t0 = time.perf_counter()
    g, spots, zone = build_graph(net)
    build_s = time.perf_counter() - t0
    print(f"networkx {nx.__version__}: travel graph {g.number_of_nodes()} vertices, {g.number_of_edges()} edges "
          f"(built in {build_s:.3f} s); {len(queries)} queries, cutoff {max_minutes} min")

    # Same answers as psp, for every query that carries psp's answer.
    mismatches = 0
    for i, q in enumerate(queries):
        if "answer" not in q:
            continue
        mine = equipment_within(g, spots, zone(q["zone"]), q["equipment_class"], max_minutes)
        if mine != q["answer"]:
            mismatches += 1
            if mismatches <= 3:
                print(f"  MISMATCH query {i} (zone {q['zone']}, class {q['equipment_class']}):\n"
                      f"    psp      {q['answer'][:8]}...\n    networkx {mine[:8]}...")
    checked = sum("answer" in q for q in queries)
    print(f"answers checked against psp: {checked - mismatches}/{checked} equal")

    times_us = []
    for _ in range(args.passes):
        for q in queries:
            zv, c = zone(q["zone"]), q["equipment_class"]
            t = time.perf_counter()
            equipment_within(g, spots, zv, c, max_minutes)
            times_us.append((time.perf_counter() - t) * 1e6)
    nx_median = statistics.median(times_us)
    print(f"networkx median per query: {nx_median:.1f} us  (mean {statistics.fmean(times_us):.1f} us, "
          f"{len(times_us)} timed queries)")

    missed = False
    if args.psp_json:
        p50, per_iter = psp_figures(args.psp_json)
        missed = p50 > 50 or nx_median / p50 < 20
        print(f"psp      median per query: {p50:.1f} us  (mean per iteration {per_iter:.1f} us; target <= 50 us: "
              f"{'ok' if p50 <= 50 else 'MISSED'})")
        print(f"ratio networkx / psp (medians): {nx_median / p50:.0f}x  (expect >= 20x: "
              f"{'ok' if nx_median / p50 >= 20 else 'MISSED'})")
    return 1 if mismatches or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
