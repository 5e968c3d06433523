# tests/run.d/003-good-scenarios.sh - every good and shipped scenario validates; validate's
# output and exit status.
# Sourced by tests/run.sh (uses check, mtfs, $TMP).

for cfg in scenarios/*.cfg tests/good/*.cfg tests/good/inherit/*.cfg tests/good/inherit/sub/*.cfg \
           tests/good/include/main.cfg; do
    if mtfs validate -q "$cfg" >"$TMP/out" 2>"$TMP/err"; then pass; else
        fail "validate $cfg: $(cat "$TMP/err")"
    fi
done
check "validate prints one ok line per file" \
    test "$(mtfs validate scenarios/leics_2025_central.cfg tests/good/hand.cfg | grep -c ': ok: ')" = 2
mtfs validate tests/good/hand.cfg tests/bad/horizon_too_long.cfg >/dev/null 2>&1
check "validate with one bad file exits 2" test $? = 2
