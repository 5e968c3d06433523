# tests/run.d/40-commands.sh - commands as one table (src/cli/): every
# command parses the same way, a letter means one thing everywhere, every
# command that prints numbers offers table, CSV and JSON with the same
# columns, `mtfs help CMD`, and suggestions for a mistyped command or option.
# Sourced by tests/run.sh.

cmds="run validate compare bridge sensitivity batch mc tornado goalseek formula brief backtest serve"

# A letter means the same long option in every command's help.
for c in $cmds; do "$MTFS" "$c" --help; done 2>/dev/null |
    sed -n 's/^  -\(.\), --\([a-z-]*\).*/\1 \2/p' | sort -u >"$TMP/letters"
check "an option letter means one thing in every command ($(wc -l <"$TMP/letters") letters)" \
    test "$(cut -d' ' -f1 "$TMP/letters" | uniq -d | wc -l)" = 0
check "-t is --target everywhere, --threshold is -T" \
    bash -c "grep -qx 't target' '$TMP/letters' && grep -qx 'T threshold' '$TMP/letters'"

# mtfs help CMD is mtfs CMD --help, for every command.
for c in $cmds; do
    "$MTFS" help "$c" >"$TMP/help1" 2>&1
    "$MTFS" "$c" --help >"$TMP/help2" 2>&1
    check "mtfs help $c is mtfs $c --help" cmp -s "$TMP/help1" "$TMP/help2"
done
expect_status 2 "help of an unknown command" help nope

# Suggestions.
"$MTFS" run --formt json scenarios/leics_2025_central.cfg 2>"$TMP/err" >/dev/null
check "a mistyped option suggests the nearest" \
    grep -qx "mtfs: unknown option '--formt' (did you mean '--format'?)" "$TMP/err"
"$MTFS" run --paths 5 scenarios/leics_2025_central.cfg 2>"$TMP/err" >/dev/null
check "another command's option names that command" \
    grep -qx "mtfs: unknown option '--paths' (--paths is an option of mtfs mc, not of mtfs run)" "$TMP/err"
"$MTFS" mc -t 5 scenarios/leics_2025_uncertainty.cfg 2>"$TMP/err" >/dev/null
check "a letter of another command says which option it is" \
    grep -qx "mtfs: unknown option '-t' (--target is an option of mtfs goalseek, not of mtfs mc)" "$TMP/err"

# Every command that prints numbers: --format json is JSON with the CSV's columns.
while IFS='|' read -r name args; do
    # shellcheck disable=SC2086
    "$MTFS" $args --format csv >"$TMP/c.csv" 2>/dev/null
    # shellcheck disable=SC2086
    "$MTFS" $args --format json >"$TMP/c.json" 2>"$TMP/err"
    check "$name --format json is JSON whose columns are the CSV header" python3 - "$TMP/c.csv" "$TMP/c.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
doc = json.load(open(sys.argv[2]))
if 'columns' in doc:
    assert doc['columns'] == rows[0], (doc['columns'], rows[0])
    assert len(doc['rows']) == len(rows) - 1
    assert all(len(r) == len(rows[0]) for r in rows)
    assert doc['metadata']['engine'] == 'mtfs'
PY
done <<'EOF2'
compare|compare scenarios/leics_2025_central.cfg scenarios/leics_2025_ct_freeze.cfg
bridge|bridge tests/good/hand.cfg
sensitivity|sensitivity scenarios/leics_2025_central.cfg
tornado|tornado scenarios/leics_2025_uncertainty.cfg
goalseek|goalseek scenarios/leics_2025_central.cfg --target gap[2028]<=0 --lever council_tax
formula|formula formulas/ffr_like.cfg
backtest|backtest
run|run scenarios/leics_2025_central.cfg
mc|mc scenarios/leics_2025_uncertainty.cfg --paths 500 -q
batch|batch scenarios/leics_2025_central.cfg
EOF2

# -o for the commands that had none.
"$MTFS" sensitivity scenarios/leics_2025_central.cfg -o "$TMP/cmd-out" >/dev/null
check "sensitivity -o writes <id>_sensitivity.csv" test -s "$TMP/cmd-out/leics_2025_central_sensitivity.csv"
"$MTFS" goalseek scenarios/leics_2025_central.cfg -t 'gap[2028] <= 0' -l council_tax -o "$TMP/cmd-out" >/dev/null
check "goalseek -o writes <id>_goalseek.csv" test -s "$TMP/cmd-out/leics_2025_central_goalseek.csv"
check "goalseek CSV: the rise that closes the 2028/29 gap" \
    grep -q '^gap\[2028\] <= 0,council_tax,,2025,1,0,0.0937' "$TMP/cmd-out/leics_2025_central_goalseek.csv"

# The bridge CSV quotes a label with a comma (it had 5 fields in a 4-column file).
"$MTFS" bridge scenarios/leics_2020_covid.cfg --format csv >"$TMP/bridge.csv"
check "bridge CSV: every row has the header's field count" python3 -c "
import csv, sys
rows = list(csv.reader(open('$TMP/bridge.csv', newline='')))
sys.exit(0 if all(len(r) == len(rows[0]) for r in rows) else 1)"
