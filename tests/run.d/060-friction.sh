# tests/run.d/060-friction.sh - what someone writing scenarios meets: hints for
# percentages, misspelt names and files, a formula file given to run,
# inheritance (removing, horizon), shared service settings, every error of
# a file at once.  Each case: exact lines on stderr and exit 2.
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, $TMP, $ROOT).

FR="$TMP/friction"
mkdir -p "$FR"
cp -R scenarios formulas data "$FR/"

# expect_lines NAME WANT_LINES CMD...: run mtfs CMD in $FR/scenarios; exit 2,
# nothing on stdout, stderr exactly WANT_LINES.
expect_lines() {
    local name=$1 want=$2; shift 2
    (cd "$FR/scenarios" && mtfs "$@" >"$TMP/fr.out" 2>"$TMP/fr.err"; echo $? >"$TMP/fr.status")
    local status
    status=$(cat "$TMP/fr.status")
    if [ "$status" != 2 ]; then fail "$name: exit $status, want 2"; return; fi
    if [ -s "$TMP/fr.out" ]; then fail "$name: wrote to stdout"; return; fi
    if [ "$(cat "$TMP/fr.err")" != "$want" ]; then
        fail "$name: stderr differs"
        diff <(printf '%s\n' "$want") "$TMP/fr.err" | sed 's/^/    /'
        return
    fi
    pass
}

# write NAME: the scenario text on standard input into $FR/scenarios/NAME.
write() { cat >"$FR/scenarios/$1"; }

# --- a share written as a percentage gets the fraction, as a rate does ---
write pct.cfg <<'EOF'
base = "leics_2025_central.cfg";
services = ( { name = "adults"; delivery = 70; } );
EOF
expect_lines "share as a percentage" \
"pct.cfg:2: key 'services.adults.delivery': value 70 is outside the sensible range 0 to 1 (expected a share between 0 and 1; did you mean 0.7?)" \
    validate pct.cfg

# --- authorities in other capitals or with 'County Council' ---
write ff_case.cfg <<'EOF'
base = "leics_2025_fair_funding.cfg";
fair_funding = { authority = "LEICESTERSHIRE"; };
EOF
expect_lines "authority in capitals" \
"ff_case.cfg:2: key 'fair_funding.authority': no authority 'LEICESTERSHIRE' in formula 'Shire-county average per head' (did you mean 'Leicestershire'?)" \
    validate ff_case.cfg
write ff_council.cfg <<'EOF'
base = "leics_2025_fair_funding.cfg";
fair_funding = { authority = "Leicestershire County Council"; };
EOF
expect_lines "authority with its council's title" \
"ff_council.cfg:2: key 'fair_funding.authority': no authority 'Leicestershire County Council' in formula 'Shire-county average per head' (did you mean 'Leicestershire'?)" \
    validate ff_council.cfg
write brief_case.cfg <<'EOF'
base = "leics_2025_fair_funding.cfg";
brief = { comparators = ["SURREY"]; };
EOF
expect_lines "comparator in capitals" \
"brief_case.cfg:2: key 'brief.comparators': no authority 'SURREY' in ../data/authorities.csv (did you mean 'Surrey'?)" \
    validate brief_case.cfg
write brief_former.cfg <<'EOF'
base = "leics_2025_fair_funding.cfg";
brief = { comparators = ["Northamptonshire"]; };
EOF
expect_lines "comparator named without its qualifier" \
"brief_former.cfg:2: key 'brief.comparators': no authority 'Northamptonshire' in ../data/authorities.csv (did you mean 'Northamptonshire (county council, to 202...'?)" \
    validate brief_former.cfg

# --- a misspelt goal-seek lever ---
expect_lines "lever misspelt" \
"mtfs: unknown lever 'councl_tax' (did you mean 'council_tax'? expected council_tax, savings or savings:SERVICE)" \
    goalseek leics_2025_central.cfg --target 'final_gap <= 0' --lever councl_tax
expect_lines "lever misspelt, with its service" \
"mtfs: unknown lever 'saving:adults' (did you mean 'savings:adults'? expected council_tax, savings or savings:SERVICE)" \
    goalseek leics_2025_central.cfg --target 'final_gap <= 0' --lever saving:adults
