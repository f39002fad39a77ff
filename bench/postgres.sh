#!/usr/bin/env bash
# Issue 17's figures: runs build/bench/bench/psp_postgres (or the program given) against a
# throwaway PostgreSQL cluster (tests/postgres/with_cluster.sh, fsync on, its directory on the
# disk under build/ rather than a RAM-backed /tmp), then removes the cluster.
#   bench/postgres.sh [PSP_POSTGRES_PROGRAM] [psp_postgres options]
set -euo pipefail
cd "$(dirname "$0")/.."
program="build/bench/bench/psp_postgres"
if [[ $# -gt 0 && "$1" != --* ]]; then program="$1"; shift; fi
if [ ! -x "$program" ]; then
  cmake --preset bench -G Ninja >/dev/null
  cmake --build --preset bench -j "${JOBS:-1}" --target psp_postgres
fi
mkdir -p build/pg-bench
TMPDIR="$(pwd)/build/pg-bench" PSP_PG_FSYNC=on tests/postgres/with_cluster.sh "$program" "$@"
