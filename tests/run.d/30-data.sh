# tests/run.d/30-data.sh - data tables are validated like scenario files, and no command
# ever prints NaN or Inf (docs/reliability.md, "Data tables and numbers on the way out").
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, $TMP, $ROOT, $MTFS, $WRAP).

# --- golden bad data: one exact line on stderr, exit 2, nothing on stdout -------------
# tests/bad-data/NAME.cfg is a formula over NAME.csv (or naming a data file that cannot
# be read); NAME.err is the exact line `mtfs formula NAME.cfg --authority A1` gives, run
# from that folder.  A scenario whose fair_funding block uses the formula must fail
# `mtfs validate` with the same line, the paths seen from the scenario's folder (or
# NAME.validate.err where a path inside the message changes too).
bd=tests/bad-data
bdrun=$TMP/bad-data
mkdir -p "$bdrun"
ln -sfn "$ROOT/$bd" "$bdrun/bad-data"

# bd_expect NAME WHAT WANT_FILE DIR COMMAND...: exit 2, no stdout, stderr == WANT_FILE.
bd_expect() {
    local name=$1 what=$2 want=$3 dir=$4; shift 4
    (cd "$dir" && $WRAP "$MTFS" "$@" >"$TMP/bd-out" 2>"$TMP/bd-err" </dev/null; echo $? >"$TMP/bd-status")
    local status
    status=$(cat "$TMP/bd-status")
    if [ "$status" != 2 ]; then fail "bad-data/$name ($what): exit $status, want 2"; return; fi
    if [ -s "$TMP/bd-out" ]; then fail "bad-data/$name ($what): wrote to stdout"; return; fi
    if ! cmp -s "$TMP/bd-err" "$want"; then
        fail "bad-data/$name ($what): error differs"
        diff "$want" "$TMP/bd-err" | sed 's/^/    /'
        return
    fi
    pass
}

n_bad_data=0
for expected in "$bd"/*.err; do
    case "$expected" in *.validate.err) continue ;; esac
    name=$(basename "$expected" .err)
    if [ ! -f "$bd/$name.cfg" ]; then fail "bad-data/$name: no $bd/$name.cfg"; continue; fi
    n_bad_data=$((n_bad_data + 1))
    bd_expect "$name" formula "$expected" "$bd" formula "$name.cfg" --authority A1
    bd_expect "$name" "formula --format csv" "$expected" "$bd" formula "$name.cfg" --format csv
    printf 'base = "%s/tests/good/hand.cfg";\nname = "uses %s";\nfair_funding = { formula = "bad-data/%s.cfg"; authority = "A1"; start_year = 2025; };\n' \
        "$ROOT" "$name" "$name" >"$bdrun/$name.cfg"
    if [ -f "$bd/$name.validate.err" ]; then
        cp "$bd/$name.validate.err" "$TMP/bd-want"
    else
        sed 's|^|bad-data/|' "$expected" >"$TMP/bd-want"
    fi
    bd_expect "$name" validate "$TMP/bd-want" "$bdrun" validate "$name.cfg"
done
check "bad data: at least 25 golden cases ($n_bad_data)" test "$n_bad_data" -ge 25

# The reference the bad cases are made from is good: formula and scenario both work.
mtfs formula "$bd/ok.cfg" --authority A1 >"$TMP/bd-out" 2>"$TMP/bd-err"
check "bad data: the good reference formula runs" test $? = 0 -a ! -s "$TMP/bd-err"
printf 'base = "%s/tests/good/hand.cfg";\nname = "uses ok";\nfair_funding = { formula = "bad-data/ok.cfg"; authority = "A1"; start_year = 2025; };\nbrief = { comparators = ["B2"]; };\n' \
    "$ROOT" >"$bdrun/ok.cfg"
(cd "$bdrun" && "$MTFS" validate -q ok.cfg >/dev/null 2>"$TMP/bd-err")
check "bad data: a scenario using the good reference validates" test $? = 0

# A spreadsheet's "CSV UTF-8" (a byte-order mark, CRLF line ends) reads as the same data.
{ printf '\357\273\277'; sed 's/$/\r/' "$bd/ok.csv"; } >"$bdrun/excel.csv"
sed 's/"ok.csv"/"excel.csv"/' "$bd/ok.cfg" >"$bdrun/excel.cfg"
mtfs formula "$bdrun/excel.cfg" --format csv >"$TMP/bd-excel" 2>"$TMP/bd-err"
mtfs formula "$bd/ok.cfg" --format csv >"$TMP/bd-ok" 2>>"$TMP/bd-err"
check "data saved as a spreadsheet's CSV UTF-8 (BOM, CRLF) give the same allocation" \
    cmp -s "$TMP/bd-excel" "$TMP/bd-ok"

# --- the brief reads two more columns of every row: they are checked too --------------
# core_spending_power_m of a row no formula uses (it still counts in a group average),
# and population_year of the authority itself.
sed 's/^X9,\(.*\),70,2019-20$/X9,\1,1e308,2020-21/' "$bd/ok.csv" >"$bdrun/csp.csv"
sed 's/^A1,\(.*\),2021,50,2020-21$/A1,\1,1e308,50,2020-21/' "$bd/ok.csv" >"$bdrun/year.csv"
for d in csp year; do
    sed "s/\"ok.csv\"/\"$d.csv\"/" "$bd/ok.cfg" >"$bdrun/f_$d.cfg"
    sed "s|bad-data/ok.cfg|f_$d.cfg|" "$bdrun/ok.cfg" >"$bdrun/brief_$d.cfg"
done
printf "csp.csv:6: column 'core_spending_power_m': value 1e308 is outside the sensible range 0 to 1e+06 (expected an amount in £m, not negative)\n" >"$TMP/bd-want"
bd_expect brief_csp brief "$TMP/bd-want" "$bdrun" brief brief_csp.cfg
printf "year.csv:2: column 'population_year': value 1e308 is outside the sensible range 1900 to 2200 (expected a year such as 2021)\n" >"$TMP/bd-want"
bd_expect brief_year brief "$TMP/bd-want" "$bdrun" brief brief_year.cfg

# --- messages quote one cell at most ----------------------------------------------------
# A formula may name any file as its data: whatever it is, the message says what is wrong
# without showing what the file holds.
printf 'password,hunter2-secret\nroot:x:0:0:root:/root:/bin/bash,second-secret\n' >"$bdrun/secret.txt"
printf 'name = "curious";\ndata = "secret.txt";\nbaseline = "password";\nblocks = ( { name = "x"; weight = 1.0; drivers = { password = 1.0; }; } );\n' \
    >"$bdrun/curious.cfg"
mtfs formula "$bdrun/curious.cfg" >"$TMP/bd-out" 2>"$TMP/bd-err"
check "a formula over a private file exits 2" test $? = 2
check "a formula over a private file shows one cell at most" \
    bash -c "! grep -q 'second-secret\|root:x' '$TMP/bd-err' && test \$(wc -l <'$TMP/bd-err') = 1"
# The cell quoted is cut to 40 characters.
check "a long cell is cut to 40 characters and ..." \
    grep -q "value 'not known yet, ask the finance team befo\.\.\.' is not a number" "$bd/baseline_long_text.err"

# --- text that is not UTF-8 is a located input error, JSON included ---------------------
printf 'base = "%s/tests/good/hand.cfg";\nname = "not utf8";\nfair_funding = { formula = "bad-data/name_not_utf8.cfg"; authority = "A1"; start_year = 2025; };\n' \
    "$ROOT" >"$bdrun/utf8.cfg"
(cd "$bdrun" && "$MTFS" batch utf8.cfg ok.cfg --format json >"$TMP/bd-json" 2>"$TMP/bd-err"; echo $? >"$TMP/bd-status")
check "batch --format json over data that is not UTF-8 exits 2" test "$(cat "$TMP/bd-status")" = 2
check "... says where, not 'out of memory'" \
    bash -c "grep -q 'name_not_utf8.csv:3: column .name.: text is not valid UTF-8' '$TMP/bd-err' && ! grep -q 'out of memory' '$TMP/bd-err'"
check "... and still writes the JSON for the others" \
    python3 -c "import json,sys; d=json.load(open('$TMP/bd-json')); sys.exit(0 if [e['status'] for e in d['scenarios']]==['error','ok'] else 1)"

# --- no command prints NaN or Inf ----------------------------------------------------------
# Every command over the shipped scenarios, formulas and data, and over the good reference
# data, in every format: not one number spelled nan or inf (any case, any sign).  (The
# bad-data cases above show that a bad cell stops a command before it prints anything.)
sweep=$TMP/sweep
mkdir -p "$sweep"
k=0
sweep_run() { # sweep_run COMMAND...: output (stdout) into the sweep folder
    k=$((k + 1))
    mtfs "$@" >"$sweep/$k.out" 2>"$sweep/$k.err"
}
for cfg in scenarios/*.cfg; do
    for fmt in table csv json; do sweep_run run "$cfg" --format "$fmt"; done
    sweep_run bridge "$cfg"
    sweep_run bridge "$cfg" --format csv
    sweep_run sensitivity "$cfg"
    sweep_run sensitivity "$cfg" --format csv
done
sweep_run compare scenarios/leics_2025_central.cfg scenarios/leics_2025_fair_funding.cfg scenarios/leics_2020_covid.cfg
sweep_run compare scenarios/leics_2025_central.cfg scenarios/leics_2020_covid.cfg --format csv
sweep_run batch scenarios/leics_2025_central.cfg scenarios/leics_2025_fair_funding.cfg --format json
for f in formulas/*.cfg tests/good/formula/*.cfg "$bd/ok.cfg"; do
    sweep_run formula "$f"
    sweep_run formula "$f" --format csv
done
sweep_run brief scenarios/leics_2025_fair_funding.cfg
(cd "$bdrun" && "$MTFS" brief ok.cfg >"$sweep/brief_ok.out" 2>&1)
for fmt in table csv json; do
    sweep_run mc scenarios/leics_2025_uncertainty.cfg --paths 200 --format "$fmt"
done
sweep_run tornado scenarios/leics_2025_uncertainty.cfg
sweep_run tornado scenarios/leics_2025_uncertainty.cfg --format csv
sweep_run goalseek scenarios/leics_2025_central.cfg --target 'gap[2028] <= 0' --lever council_tax
sweep_run backtest
sweep_run backtest --format csv
# The outputs are non-empty and carry no non-finite number.
check "NaN/Inf sweep: every command wrote its output ($k runs)" \
    bash -c "for f in '$sweep'/*.out; do test -s \"\$f\" || exit 1; done"
if grep -ilE '(^|[^a-z])[-+]?(nan|inf|infinity)([^a-z]|$)' "$sweep"/*.out >"$TMP/bd-nan"; then
    fail "NaN/Inf sweep: nan or inf printed in $(tr '\n' ' ' <"$TMP/bd-nan")"
else
    pass
fi
