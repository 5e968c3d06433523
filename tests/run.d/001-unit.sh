# tests/run.d/001-unit.sh - the unit tests (tests/unit/): their closing
# "unit: N passed, N failed" line is added to the suite's totals.
# Sourced by tests/run.sh (uses $UNIT, $WRAP).

unit_out=$($WRAP "$UNIT" 2>&1)
unit_status=$?
printf '%s\n' "$unit_out" | grep -v '^unit: ' || true
summary=$(printf '%s\n' "$unit_out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$summary" ]; then
    passed=$((passed + ${summary% *}))
    failed=$((failed + ${summary#* }))
    [ "$unit_status" -eq 0 ] || [ "${summary#* }" -ne 0 ] || fail "unit tests exited with $unit_status"
else
    fail "unit tests did not finish (exit $unit_status)"
fi
