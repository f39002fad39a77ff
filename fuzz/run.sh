#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset: clang, ASan+UBSan on the whole library) and runs
# each for N seconds from its corpus in fuzz/corpus/<target>/. New inputs go to a scratch
# directory, not into the repository, unless --merge is given; crashes, leaks, timeouts and
# sanitizer reports are written as fuzz-artifacts/<target>/ under the build directory and make the
# script fail. See fuzz/README.md.
#
# Usage: fuzz/run.sh [options] [seconds-per-target]     (default 60 seconds)
#   --merge            afterwards, merge what each run found into fuzz/corpus/<target>/ (libFuzzer
#                      -merge=1 keeps only inputs that add coverage)
#   --targets a,b      only these (network_json, holidays_json, scenario_json, capi_sequence)
#   --build-dir DIR    default build/fuzz (the preset's); PSP_FUZZ_BUILD_DIR does the same
#   --jobs N           build parallelism (default: nproc)
#   --no-build         run what is already built
# Exit status: 0 when every target ran clean, 1 on a finding, 2 on misuse, 77 when clang's
# libFuzzer is not installed (scripts/install-deps installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(network_json holidays_json scenario_json capi_sequence)
seconds=60
merge=0
build=1
targets=("${all_targets[@]}")
build_dir="${PSP_FUZZ_BUILD_DIR:-build/fuzz}"
jobs="$(nproc 2>/dev/null || echo 2)"

while [ $# -gt 0 ]; do
  case "$1" in
    --merge) merge=1 ;;
    --no-build) build=0 ;;
    --targets) IFS=, read -r -a targets <<<"$2"; shift ;;
    --build-dir) build_dir="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) seconds="$1" ;;
    *) echo "fuzz/run.sh: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
  shift
done

for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in *" $t "*) ;; *) echo "fuzz/run.sh: unknown target $t" >&2; exit 2 ;; esac
done

# libFuzzer comes with clang (Debian: clang and libclang-rt-14-dev).
if ! command -v clang++ >/dev/null 2>&1 ||
   ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
     clang++ -x c++ -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1; then
  echo "fuzz/run.sh: clang++ with libFuzzer is not available (scripts/install-deps installs it); skipped" >&2
  exit 77
fi

if [ "$build" = 1 ]; then
  start=$(date +%s)
  cmake --preset fuzz -G Ninja -B "$build_dir" >/dev/null
  cmake --build "$build_dir" -j "$jobs" --target $(printf 'fuzz_%s ' "${targets[@]}")
  echo "fuzz/run.sh: build took $(( $(date +%s) - start )) s"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/psp-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
artifacts="$build_dir/fuzz-artifacts"

# Every sanitizer report is fatal; leaks are checked at the end of each input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
summary=()
for t in "${targets[@]}"; do
  exe="$build_dir/fuzz/fuzz_$t"
  seeds="fuzz/corpus/$t"
  found="$scratch/$t"
  mkdir -p "$found" "$artifacts/$t" "$seeds"
  log="$build_dir/fuzz-$t.log"
  echo "fuzz/run.sh: $t for ${seconds} s (log $log)"
  rc=0
  "$exe" "$found" "$seeds" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$t/" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(( $(find "$seeds" -type f | wc -l) + $(find "$found" -type f | wc -l) ))
  if [ "$rc" -eq 0 ]; then
    verdict="clean"
  else
    verdict="FINDING (exit $rc): $(ls -t "$artifacts/$t" | head -1)"
    status=1
    grep -m1 -E 'ERROR: |runtime error|SUMMARY|capi_sequence:|escaped|round-trip' "$log" >&2 || true
  fi
  summary+=("$(printf '%-14s %6s s %10s execs %6s exec/s  cov %5s  corpus %4s  %s' \
    "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$verdict")")
  if [ "$merge" = 1 ] && [ "$rc" -eq 0 ]; then
    "$exe" -merge=1 -rss_limit_mb=2048 -timeout=30 "$seeds" "$found" >>"$log" 2>&1
    echo "fuzz/run.sh: $t corpus now $(find "$seeds" -type f | wc -l) files, $(du -sk "$seeds" | cut -f1) KB"
  fi
done

printf '%s\n' "${summary[@]}"
exit "$status"
