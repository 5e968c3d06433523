# tests/run.d/002-bad-scenarios.sh - bad scenarios (tests/bad/NAME.cfg): one exact line on
# stderr (NAME.err), exit 2, nothing on stdout, nothing written with -o.
# Sourced by tests/run.sh (uses $MTFS, $WRAP, $TMP).

for cfg in tests/bad/*.cfg; do
    name=$(basename "$cfg" .cfg)
    expected="tests/bad/$name.err"
    if [ ! -f "$expected" ]; then fail "bad/$name: no $expected"; continue; fi
    for command in validate run; do
        (cd tests/bad && $WRAP "$MTFS" $command "$name.cfg" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/status")
        status=$(cat "$TMP/status")
        if [ "$status" != 2 ]; then fail "bad/$name ($command): exit $status, want 2"; continue; fi
        if [ -s "$TMP/out" ]; then fail "bad/$name ($command): wrote to stdout"; continue; fi
        if ! cmp -s "$TMP/err" "$expected"; then
            fail "bad/$name ($command): error differs"
            diff "$expected" "$TMP/err" | sed 's/^/    /'
            continue
        fi
        pass
    done
done

# A bad scenario with -o writes nothing at all.
mkdir -p "$TMP/bad-out"
(cd tests/bad && $WRAP "$MTFS" run referendum_breach.cfg -o "$TMP/bad-out" >/dev/null 2>&1)
check "bad input leaves the output directory empty" test -z "$(ls -A "$TMP/bad-out")"
