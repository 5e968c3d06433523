#!/usr/bin/env bash
# tests/bench/mpi.sh - make bench-mpi: mtfs-mpi's scaling on this machine
# (docs/scale.md, "MPI").  The benchmark's Monte Carlo scenario (10 years,
# 20 uncertain inputs; bench --mc-scenario), PATHS paths (default 10^6):
# mtfs mc --bounded-memory --threads 1 and --threads 2, then mtfs-mpi on
# 1 and 2 ranks of one thread; wall time, and every CSV compared with the
# first, byte for byte.  Prints the load average before and after.
set -u
BUILD=${BUILD:-build}
PATHS=${PATHS:-1000000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mtfs-bench-mpi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$BUILD/tests/bench" --mc-scenario "$tmp/mc.cfg" || exit 1
echo "mtfs-mpi scaling: $PATHS paths x 10 years x 20 inputs, bounded memory; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
timed() { # timed NAME OUT COMMAND...: wall seconds of COMMAND (stdout to OUT)
    local name=$1 out=$2; shift 2
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$out" || { echo "$name: failed" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "  %-34s %7.2f s\n", n, b - a }'
}
common=("$tmp/mc.cfg" --paths "$PATHS" --quiet --format csv --bounded-memory)
timed "mtfs mc --threads 1" "$tmp/t1.csv" ./mtfs mc "${common[@]}" --threads 1
timed "mtfs mc --threads 2" "$tmp/t2.csv" ./mtfs mc "${common[@]}" --threads 2
timed "mpirun -n 1 mtfs-mpi (1 thread)" "$tmp/n1.csv" mpirun -n 1 "$BUILD/mtfs-mpi" mc "${common[@]}"
timed "mpirun -n 2 mtfs-mpi (1 thread each)" "$tmp/n2.csv" mpirun -n 2 "$BUILD/mtfs-mpi" mc "${common[@]}"
for f in t2 n1 n2; do
    cmp -s "$tmp/t1.csv" "$tmp/$f.csv" || { echo "  $f: the CSV differs from mtfs mc's" >&2; exit 1; }
done
echo "  every CSV the same bytes; load now $(cut -d' ' -f1-3 /proc/loadavg)"
