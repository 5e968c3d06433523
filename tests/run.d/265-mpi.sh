# tests/run.d/265-mpi.sh - mtfs-mpi, mtfs mc across Open MPI ranks (docs/scale.md,
# "MPI"): mpirun -n 1, 2, 3 and 4 (oversubscribed on this machine) write and print
# the CSV and JSON of mtfs mc with the same scenario and seed, byte for byte (with
# thresholds, uncertain opening reserves, correlated inputs, ranks with no block,
# several threads a rank); other commands and --shard are refused with exit 2.
# Skipped (a SKIP line) without mpirun or a built mtfs-mpi, and under the
# sanitizers and valgrind, where Open MPI's own start-up is slow and reports
# its own allocations.
# Sourced by tests/run.sh.

mpi_skip=
case "$WRAP ${SAMPLE_WRAP:-}" in *valgrind*) mpi_skip="under valgrind (Open MPI's start-up is slow and noisy there)" ;; esac
case "$MTFS" in *build-asan*|*build-ubsan*|*build-fuzz*) mpi_skip="under the sanitizers (Open MPI's own allocations would be reported)" ;; esac
[ -z "$mpi_skip" ] && ! command -v mpirun >/dev/null 2>&1 &&
    mpi_skip="no mpirun (the Debian package openmpi-bin; make deps installs it)"
[ -z "$mpi_skip" ] && ! [ -x "${MTFS_MPI:-}" ] &&
    mpi_skip="no mtfs-mpi built (make mpi needs mpicc: the Debian package libopenmpi-dev)"

if [ -n "$mpi_skip" ]; then
    echo "SKIP mpi: $mpi_skip"
else
    MP=$TMP/mpi
    mkdir -p "$MP"
    cp tests/good/mc/base.cfg tests/good/mc/correlated.cfg "$MP/"
    cat >"$MP/open.cfg" <<'EOF'
base = "base.cfg";
name = "mpi";
uncertainty = {
  seed = 11;
  paths = 3000;
  thresholds = [ 0.0, 5.0 ];
  parameters = ( { key = "contingency"; dist = "normal"; sd = 10.0; },
                 { key = "reserves.opening"; dist = "normal"; sd = 20.0; } );
};
EOF
    # Root may start MPI jobs here (CI's containers run as root).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    mpi_run() { # mpi_run N ARGS...: mtfs-mpi ARGS on N ranks, in $MP
        local n=$1; shift
        (cd "$MP" && mpirun --oversubscribe -n "$n" "$MTFS_MPI" "$@")
    }
    in_mp() { (cd "$MP" && mtfs "$@"); }
    in_mp mc open.cfg -o one --plot none -q --format csv >"$MP/one.csv"
    in_mp mc correlated.cfg --paths 5000 --seed 3 --format json >"$MP/corr.json"
    check "mpi: mtfs mc writes the reference CSV" test -s "$MP/one/open_mc.csv"
    for n in 1 2 3 4; do
        mpi_run "$n" mc open.cfg -o "n$n" --plot none -q --format csv >"$MP/n$n.csv" 2>"$TMP/err"
        check "mpi: $n ranks exit 0" test $? = 0
        check "mpi: $n ranks write the single run's CSV" cmp -s "$MP/one/open_mc.csv" "$MP/n$n/open_mc.csv"
        check "mpi: $n ranks write the single run's JSON" cmp -s "$MP/one/open_mc.json" "$MP/n$n/open_mc.json"
        check "mpi: $n ranks print the single run's CSV" cmp -s "$MP/one.csv" "$MP/n$n.csv"
        # 5 blocks on 4 ranks; two threads a rank.
        mpi_run "$n" mc correlated.cfg --paths 5000 --seed 3 --threads 2 --format json >"$MP/corr$n.json" 2>"$TMP/err"
        check "mpi: $n ranks print the single run's JSON (correlated inputs)" cmp -s "$MP/corr.json" "$MP/corr$n.json"
    done
    # One block and four ranks: three ranks have no path.
    in_mp mc correlated.cfg --paths 1000 --seed 5 --format csv >"$MP/small.csv"
    mpi_run 4 mc correlated.cfg --paths 1000 --seed 5 --bounded-memory --format csv >"$MP/small4.csv" 2>"$TMP/err"
    check "mpi: ranks with no block change nothing" cmp -s "$MP/small.csv" "$MP/small4.csv"
    # Only rank 0 writes: one file set, no temporary file left behind.
    check "mpi: one CSV and one JSON written" test "$(ls -A "$MP/n4" | wc -l)" = 2

    mpi_says() { # mpi_says NAME WANT-LINE ARGS...: mtfs-mpi ARGS on 2 ranks exits 2, stderr's first line WANT-LINE
        local name=$1 want=$2; shift 2
        mpi_run 2 "$@" >/dev/null 2>"$TMP/err"
        local code=$?
        check "mpi: $name exits 2" test "$code" = 2
        check "mpi: $name says so" test "$(head -n 1 "$TMP/err")" = "$want"
    }
    mpi_says "a scenario without uncertainty" \
        "base.cfg: has no uncertainty block (expected uncertainty = { parameters = ( ... ); }; see docs/uncertainty.md)" \
        mc base.cfg
    mpi_says "another command" \
        "mtfs-mpi: 'run' does not run across ranks (expected mtfs-mpi mc FILE [options]; run other commands with mtfs)" \
        run base.cfg
    mpi_says "--shard" "mtfs: --shard is for mtfs mc (mtfs-mpi shares the paths among its ranks itself)" \
        mc open.cfg --shard 1/2
fi
