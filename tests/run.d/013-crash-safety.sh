# tests/run.d/013-crash-safety.sh - runs killed with SIGKILL while writing leave every
# output complete or as it was.
# Sourced by tests/run.sh (uses check, $MTFS, $TMP).

# Outputs are complete or untouched: after every kill each file is byte-identical to
# the previous run's (the run is deterministic; the metadata and the workbook, which
# record when they were made, must be complete), and no temporary file is left.
kdir="$TMP/kill"
"$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1
cp -r "$kdir" "$TMP/kill.before"
intact=1
for delay in 0.005 0.01 0.02 0.03 0.05 0.08 0.1 0.13 0.16 0.2 0.25 0.3; do
    "$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for f in "$TMP/kill.before"/*; do
        g="$kdir/$(basename "$f")"
        case "$g" in
        *.meta.json) # records when it was made: complete JSON is the test
            python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$g" 2>/dev/null ;;
        *.xlsx)      # the workbook records its creation time: a complete zip is the test
            python3 -c "import zipfile, sys; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)" "$g" 2>/dev/null ;;
        *)           cmp -s "$f" "$g" ;;
        esac || { intact=0; echo "    after a kill at ${delay}s: $(basename "$f") is not complete"; }
    done
    if [ -n "$(ls -A "$kdir" | grep '^\.')" ]; then
        # Only a kill between naming a finished file and renaming it can leave one;
        # the next run removes it (checked below).
        "$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" --xlsx >/dev/null 2>&1
    fi
done
check "SIGKILL at 12 moments: every output complete or as before" test "$intact" = 1
check "SIGKILL: no temporary files remain" test -z "$(ls -A "$kdir" | grep '^\.')"
touch "$kdir/.leics_2025_central.csv.tmp.2147483646.000001" "$kdir/.leics_2025_central.csv.tmp.$$.000001"
"$MTFS" run scenarios/leics_2025_central.cfg -o "$kdir" >/dev/null 2>&1
check "a dead run's temporary file is removed by the next run" \
    test ! -e "$kdir/.leics_2025_central.csv.tmp.2147483646.000001"
check "a live process's temporary file is left alone" test -e "$kdir/.leics_2025_central.csv.tmp.$$.000001"
rm -f "$kdir/.leics_2025_central.csv.tmp.$$.000001"
