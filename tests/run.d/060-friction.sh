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

# validate_says NAME FILE WANT_LINES: the scenario text on standard input
# becomes FILE; `mtfs validate FILE` exits 2 with exactly WANT_LINES.
validate_says() { write "$2"; expect_lines "$1" "$3" validate "$2"; }

# --- a share written as a percentage gets the fraction, as a rate does ---
validate_says "share as a percentage" pct.cfg \
"pct.cfg:2: key 'services.adults.delivery': value 70 is outside the sensible range 0 to 1 (expected a share between 0 and 1; did you mean 0.7?)" <<'EOF'
base = "leics_2025_central.cfg";
services = ( { name = "adults"; delivery = 70; } );
EOF

# --- authorities in other capitals or with 'County Council' ---
validate_says "authority in capitals" ff_case.cfg \
"ff_case.cfg:2: key 'fair_funding.authority': no authority 'LEICESTERSHIRE' in formula 'Shire-county average per head' (did you mean 'Leicestershire'?)" <<'EOF'
base = "leics_2025_fair_funding.cfg";
fair_funding = { authority = "LEICESTERSHIRE"; };
EOF
validate_says "authority with its council's title" ff_council.cfg \
"ff_council.cfg:2: key 'fair_funding.authority': no authority 'Leicestershire County Council' in formula 'Shire-county average per head' (did you mean 'Leicestershire'?)" <<'EOF'
base = "leics_2025_fair_funding.cfg";
fair_funding = { authority = "Leicestershire County Council"; };
EOF
validate_says "comparator in capitals" brief_case.cfg \
"brief_case.cfg:2: key 'brief.comparators': no authority 'SURREY' in ../data/authorities.csv (did you mean 'Surrey'?)" <<'EOF'
base = "leics_2025_fair_funding.cfg";
brief = { comparators = ["SURREY"]; };
EOF
validate_says "comparator named without its qualifier" brief_former.cfg \
"brief_former.cfg:2: key 'brief.comparators': no authority 'Northamptonshire' in ../data/authorities.csv (did you mean 'Northamptonshire (county council, to 202...'?)" <<'EOF'
base = "leics_2025_fair_funding.cfg";
brief = { comparators = ["Northamptonshire"]; };
EOF

# --- a misspelt goal-seek lever ---
expect_lines "lever misspelt" \
"mtfs: unknown lever 'councl_tax' (did you mean 'council_tax'? expected council_tax, savings or savings:SERVICE)" \
    goalseek leics_2025_central.cfg --target 'final_gap <= 0' --lever councl_tax
expect_lines "lever misspelt, with its service" \
"mtfs: unknown lever 'saving:adults' (did you mean 'savings:adults'? expected council_tax, savings or savings:SERVICE)" \
    goalseek leics_2025_central.cfg --target 'final_gap <= 0' --lever saving:adults

# --- a file that is not there: the nearest name in its folder ---
expect_lines "missing file, nearest name" \
"leics_2025_centrl.cfg: cannot open: No such file or directory (did you mean 'leics_2025_central.cfg'?)" \
    run leics_2025_centrl.cfg
validate_says "missing base, nearest name" base_typo.cfg \
"base_typo.cfg:1: key 'base': cannot open 'leics_2025_centarl.cfg': No such file or directory (did you mean 'leics_2025_central.cfg'?)" <<'EOF'
base = "leics_2025_centarl.cfg";
EOF

# --- a formula file given to run ---
expect_lines "a formula file is named as one" \
"../formulas/ffr_like.cfg:1: is a fair-funding formula file, not a scenario (expected a scenario file; a formula is read by 'mtfs formula ../formulas/ffr_like.cfg', or named by a scenario's fair_funding.formula)" \
    run ../formulas/ffr_like.cfg

# --- a misspelt service that a derived file means to change ---
validate_says "misspelt inherited service and grant" svc_typo.cfg \
"svc_typo.cfg:2: key 'services.adlts': no service 'adlts' to change (did you mean 'adults'? a new service needs its base)
svc_typo.cfg:3: key 'grants.new homes bonu': no grant 'new homes bonu' to change (did you mean 'new homes bonus'? a new grant needs its amount)" <<'EOF'
base = "leics_2025_central.cfg";
services = ( { name = "adlts"; demand = 0.05; } );
grants = ( { name = "new homes bonu"; end_year = 2026; } );
EOF

# --- horizon changed under inherited lists: one message, with the fix ---
validate_says "horizon changed in a derived file" longer.cfg \
"longer.cfg:2: key 'horizon': is 5 here, but 6 series inherited from leics_2025_central.cfg are lists of 4 values: economy.nlw_growth, services.corporate_resources.savings, council_tax.taxbase_growth, grants.social care grant.amount, grants.employer national insurance compensation.amount, grants.extended producer responsibility.amount (expected each given again in this file as a list of 5 values, one per year 2025/26 to 2029/30, or as a single number)" <<'EOF'
base = "leics_2025_savings_70.cfg";
horizon = 5;
economy = { cpi = [0.032, 0.021, 0.020, 0.020, 0.020]; pay = 0.025; };
services = ( { name = "adults"; growth = 5.0; savings = 2.0; },
             { name = "children"; growth = 14.0; savings = 1.0; },
             { name = "environment_transport"; growth = 3.0; savings = 1.0; } );
contingency = 6.0;
EOF

# --- every problem of a file, each on its own located line ---
write several.cfg <<'EOF'
base = "leics_2025_central.cfg";
services = ( { name = "adults"; delivery = 70; demand = 4; }, { name = "new"; base = 5.0; savngs = 1.0; } );
council_tax = { collection_rate = 99; };
reserves = { opening = -5.0; };
EOF
several="several.cfg:2: key 'services.adults.demand': value 4 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.04?)
several.cfg:2: key 'services.adults.delivery': value 70 is outside the sensible range 0 to 1 (expected a share between 0 and 1; did you mean 0.7?)
several.cfg:2: key 'services.new.savngs': unknown key (did you mean 'savings'?)
several.cfg:3: key 'council_tax.collection_rate': value 99 is outside the sensible range 0 to 1 (expected a share above 0 and at most 1; did you mean 0.99?)
several.cfg:4: key 'reserves.opening': value -5 is outside the sensible range 0 to 1e+06 (expected an amount in £m, not negative)"
expect_lines "validate reports every problem" "$several" validate several.cfg
expect_lines "run reports every problem" "$several" run several.cfg
(cd "$FR/scenarios" && mtfs batch several.cfg leics_2025_central.cfg >"$TMP/fr.out" 2>"$TMP/fr.err")
check "batch exits 2 on a bad scenario" test $? = 2
check "batch prints every problem on stderr" test "$(cat "$TMP/fr.err")" = "$several"
check "batch's table keeps the first" grep -qxF "ERROR ${several%%$'\n'*}" "$TMP/fr.out"
# A misspelt required key is one problem, not also a missing one.
validate_says "a misspelt required key is not also missing" typo_only.cfg \
"typo_only.cfg:2: key 'services.extra.bse': unknown key (did you mean 'base'?)" <<'EOF'
base = "leics_2025_central.cfg";
services = ( { name = "extra"; bse = 5.0; } );
EOF
# At most 20, then how many more.
{
    echo 'base = "leics_2025_central.cfg";'
    printf 'economy = {'
    for i in $(seq 1 24); do printf ' s%d = 7;' "$i"; done
    echo ' };'
} >"$FR/scenarios/many.cfg"
want=""
for i in $(seq 1 20); do
    want="${want}many.cfg:2: key 'economy.s$i': value 7 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.07?)
"
done
expect_lines "twenty problems, then how many more" "${want}many.cfg: 4 more problems not shown (the first 20 are above)" \
    validate many.cfg

# --- remove: inherited keys, services and grants taken away ---
write removed.cfg <<'EOF'
base = "leics_2025_central.cfg";
remove = ["council_tax.asc", "grants.new homes bonus", "services.chief_executive", "services.adults.savings"];
services = ( { name = "children"; savings = 0.0; } );
EOF
(cd "$FR/scenarios" && mtfs validate removed.cfg >"$TMP/fr.out" 2>&1)
check "remove: a service and a grant fewer" \
    grep -qxF "removed.cfg: ok: Leicestershire MTFS 2025/26 central; 2025/26 to 2028/29; 5 services, 7 grants" "$TMP/fr.out"
(cd "$FR/scenarios" && mtfs run removed.cfg >"$TMP/fr.out" 2>&1)
# Savings left: environment_transport 2, 2, 1, 1 and corporate_resources 2, 1, 1, 0.
check "remove: only the savings left are planned" \
    grep -qE '^  savings planned +4\.0 +3\.0 +2\.0 +1\.0$' "$TMP/fr.out"
write removed_anew.cfg <<'EOF'
base = "leics_2025_central.cfg";
remove = ["services.adults"];
services = ( { name = "adults"; base = 100.0; } );
EOF
(cd "$FR/scenarios" && mtfs run removed_anew.cfg --format csv >"$TMP/fr.out" 2>&1)
(cd "$FR/scenarios" && mtfs run leics_2025_central.cfg --format csv >"$TMP/fr.central" 2>&1)
check "remove, then give anew: a different projection" bash -c "! cmp -s '$TMP/fr.out' '$TMP/fr.central'"
validate_says "remove: nothing there, nearest suggested, every entry" remove_typo.cfg \
"remove_typo.cfg:3: key 'remove': nothing to remove: the inherited files have no 'services.adlts.savings' (did you mean 'services.adults.savings'? expected a key, service or grant the base gives)
remove_typo.cfg:4: key 'remove': nothing to remove: the inherited files have no 'grants.new home bonus' (did you mean 'grants.new homes bonus'? expected a key, service or grant the base gives)" <<'EOF'
base = "leics_2025_central.cfg";
remove = ["council_tax.asc",
          "services.adlts.savings",
          "grants.new home bonus"];
EOF
validate_says "remove: the part not there is named" remove_part.cfg \
"remove_part.cfg:2: key 'remove': nothing to remove at 'economy.nlw.x': the inherited files have no 'economy.nlw' (expected a key, service or grant the base gives)
remove_part.cfg:2: key 'remove': 'services.' names nothing (expected a key, service or grant the base gives, e.g. \"council_tax.asc\")" <<'EOF'
base = "leics_2025_central.cfg";
remove = ["economy.nlw.x", "services."];
EOF
validate_says "remove without a base" remove_nobase.cfg \
"remove_nobase.cfg:1: key 'remove': takes settings away from a base file, and this file has none (expected base = \"...\" in this file, or no remove)" <<'EOF'
remove = ["council_tax.asc"];
EOF

# --- service_defaults: a setting once for every service ---
write all_70.cfg <<'EOF'
base = "leics_2025_central.cfg";
name = "Leicestershire MTFS 2025/26: savings delivered at 70%";
service_defaults = { delivery = 0.7; };
EOF
(cd "$FR/scenarios" && mtfs run all_70.cfg --format csv >"$TMP/fr.out" 2>&1 &&
    mtfs run leics_2025_savings_70.cfg --format csv >"$TMP/fr.want" 2>&1)
check "service_defaults: delivery once is delivery in every service" cmp -s "$TMP/fr.out" "$TMP/fr.want"
write own_wins.cfg <<'EOF'
base = "leics_2025_central.cfg";
service_defaults = { delivery = 0.0; };
services = ( { name = "adults"; delivery = 1.0; } );
EOF
(cd "$FR/scenarios" && mtfs run own_wins.cfg >"$TMP/fr.out" 2>&1)
# Only adults' savings (6, 4, 3, 2) are delivered.
check "service_defaults: a service's own setting wins" \
    grep -qE '^  savings delivered +6\.0 +4\.0 +3\.0 +2\.0$' "$TMP/fr.out"
validate_says "service_defaults: checked once, located" defaults_bad.cfg \
"defaults_bad.cfg:3: key 'service_defaults.base': unknown key (expected one of: pay_share, price_index, demand, growth, savings, delivery, one_off, income, social_care)
defaults_bad.cfg:2: key 'service_defaults.delivery': value 70 is outside the sensible range 0 to 1 (expected a share between 0 and 1; did you mean 0.7?)" <<'EOF'
base = "leics_2025_central.cfg";
service_defaults = { delivery = 70;
                     base = 3.0; };
EOF
