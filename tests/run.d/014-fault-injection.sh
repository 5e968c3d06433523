# tests/run.d/014-fault-injection.sh - allocations of a full run -o fail in turn through the
# command (MTFS_FAULT_ALLOC_AFTER).
# Sourced by tests/run.sh (uses check, $MTFS, $WRAP, $TMP).

# Each failure must be exit 3 with one "out of memory" line, leave the previous outputs as
# they were and leave no temporary file.  Every 5th of the run's ~1,800 allocations (every
# 100th under valgrind); the unit tests sweep every allocation of load and projection.
fdir="$TMP/fault"
"$MTFS" run scenarios/leics_2025_fair_funding.cfg -o "$fdir" >/dev/null 2>&1
cp -r "$fdir" "$TMP/fault.before"
step=5
[ -n "$WRAP" ] && step=100
clean=1 n=1 reached=0
while [ $n -lt 100000 ]; do
    MTFS_FAULT_ALLOC_AFTER=$n $WRAP "$MTFS" run scenarios/leics_2025_fair_funding.cfg -o "$fdir" \
        >/dev/null 2>"$TMP/fault.err"
    status=$?
    if [ $status = 0 ]; then reached=1; break; fi
    if [ $status != 3 ] || ! grep -q 'out of memory' "$TMP/fault.err" || \
       [ -n "$(ls -A "$fdir" | grep '^\.')" ]; then
        clean=0; echo "    allocation $n: exit $status: $(head -1 "$TMP/fault.err")"; break
    fi
    for f in "$TMP/fault.before"/*; do
        case "$f" in *.meta.json) continue ;; esac
        cmp -s "$f" "$fdir/$(basename "$f")" || { clean=0; echo "    allocation $n: $(basename "$f") changed"; }
    done
    [ $clean = 1 ] || break
    n=$((n + step))
done
check "every failed allocation of run -o is a clean exit 3 that keeps the outputs" \
    test "$clean$reached" = 11
