#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary directory, the
# server on a free loopback port (as an unprivileged user when run as root: PostgreSQL refuses to
# run as root), the command with PSP_TEST_POSTGRES set to a URI of the cluster's maintenance
# database, then the server stopped and the directory removed, whatever the command did.
#
#   tests/postgres/with_cluster.sh COMMAND [ARGS...]
#
# The URI names the superuser "psp" over TCP on 127.0.0.1 (trust authentication: the cluster
# lives only as long as the command and listens only on loopback). Exit status: the command's,
# or 77 ("skipped" for CTest) when no PostgreSQL server is installed.
set -euo pipefail

bin="${PSP_PG_BINDIR:-}"
if [ -z "$bin" ]; then
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bin="/usr/lib/postgresql/$v/bin"; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with_cluster.sh: no PostgreSQL server (initdb) found; scripts/install-deps installs postgresql-15" >&2
  exit 77
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/psp-pg.XXXXXX")"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody: "$dir"
  chmod 700 "$dir"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

cleanup() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U psp --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

# A free port: the kernel picks one for a listening socket; the server then binds it. Another
# program could take it in between, so the start is tried a few times.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
started=0
for attempt in 1 2 3 4 5; do
  port="$(free_port)"
  if "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
       -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PSP_PG_FSYNC:-on} -c max_connections=100" \
       start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ "$started" -ne 1 ]; then
  echo "with_cluster.sh: the PostgreSQL server did not start:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export PSP_TEST_POSTGRES="postgresql://psp@127.0.0.1:$port/postgres"
run_as_user=""; [ "$(id -u)" -eq 0 ] && run_as_user=nobody
export PSP_TEST_PG_RUN_AS="$run_as_user"
export PSP_TEST_PG_BINDIR="$bin" PSP_TEST_PG_DATA="$dir/data" PSP_TEST_PG_PORT="$port" PSP_TEST_PG_SOCKET="$dir"
set +e
"$@"
rc=$?
set -e
exit "$rc"
