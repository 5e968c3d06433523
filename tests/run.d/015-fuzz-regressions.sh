# tests/run.d/015-fuzz-regressions.sh - every input make fuzz ever crashed on, replayed through
# the replay programs ($REPLAY).
# Sourced by tests/run.sh (uses check, $REPLAY, $WRAP, $TMP).

if [ -n "${REPLAY:-}" ]; then
    for h in scenario formula table condition; do
        inputs=(tests/fuzz/regressions/$h/*)
        [ -e "${inputs[0]}" ] || continue
        $WRAP "${REPLAY}$h" "${inputs[@]}" >"$TMP/replay.out" 2>"$TMP/err"
        check "fuzz regressions of $h replay cleanly (${#inputs[@]} inputs)" test $? = 0
    done
fi
