# tests/run.d/100-goalseek.sh - goal seek's levers have bounds: a saving never cuts more
# than there is to cut, a target out of reach says so and exits 1 in every format, a target
# the plan already meets needs no rise or saving, a misspelt service gets the nearest name;
# and validation refuses savings that take a service's budget below zero.
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, expect_status, $TMP).
#
# Hand numbers, from scenarios/leics_2025_central.cfg: chief_executive has base 12.0,
# pay_share 0.6, no demand, growth or savings, so its inflation is 0.6 pay + 0.4 cpi:
# 2025/26 0.6*0.032 + 0.4*0.032 = 0.032, 2026/27 0.6*0.030 + 0.4*0.021 = 0.0264,
# 2027/28 and 2028/29 0.6*0.025 + 0.4*0.020 = 0.023.  Its budget R(t):
#   2025/26 12 * 1.032 = 12.384          2026/27 12.384 * 1.0264 = 12.7109376
#   2027/28 12.7109376 * 1.023 = 13.0032891648   2028/29 * 1.023 = 13.3023648155904
# A cut x from 2025/26 leaves R(t) - x * R(t)/12.384, so the most is 12.384 (all of it),
# and the 2028/29 gap falls by 13.3023648155904 at most.

GS=$TMP/goalseek
mkdir -p "$GS"
C=scenarios/leics_2025_central.cfg
# gs_csv ARGS...: goal seek as CSV into $GS/out.csv, its exit status into $GS/status.
gs_csv() { mtfs goalseek "$@" --format csv >"$GS/out.csv" 2>"$GS/err"; echo $? >"$GS/status"; }
# field NAME: that column of the CSV's one row.  Only the last column, message, may hold
# commas (quoted): the first 14 are split at commas, the rest is the message.
field() {
    awk -v want="$1" 'NR == 1 { n = split($0, head, ",") }
        NR == 2 { for (i = 1; i < n; i++) { k = index($0, ","); v[head[i]] = substr($0, 1, k - 1);
                      $0 = substr($0, k + 1) }
                  m = $0; if (m ~ /^"/) { m = substr(m, 2, length(m) - 2); gsub(/""/, "\"", m) }
                  v[head[n]] = m; print v[want] }' "$GS/out.csv"
}
# near A B: two numbers within 1e-9.
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }'; }

# --- a saving on a service is at most its budget --------------------------------------
expect_status 1 "goalseek: a target out of a service's reach exits 1" \
    goalseek "$C" --target 'gap[2028] <= 0' --lever savings:chief_executive
check "goalseek: out of reach, in one sentence with what the whole budget leaves" grep -qx \
    "Not reachable: even cutting all £12.4m of the chief_executive budget from 2025/26 leaves a gap of £77.4m in 2028/29." \
    "$TMP/out"
check "goalseek: out of reach, no smallest saving proposed" bash -c "! grep -q '^Smallest' '$TMP/out'"
gs_csv "$C" --target 'gap[2028] <= 0' --lever savings:chief_executive
check "goalseek --format csv: out of reach exits 1" test "$(cat "$GS/status")" = 1
check "goalseek CSV: met 0" test "$(field met)" = 0
check "goalseek CSV: the bound is the 2025/26 budget, 12.384" near "$(field lever_max)" 12.384
check "goalseek CSV: the lever value is the bound" near "$(field lever_value)" 12.384
check "goalseek CSV: the whole 2028/29 budget saved, 13.3023648155904" near "$(field raised)" 13.3023648155904
check "goalseek CSV: after = before - 13.3023648155904" \
    near "$(field after)" "$(awk -v b="$(field before)" 'BEGIN { printf "%.17g", b - 13.3023648155904 }')"
check "goalseek CSV: the sentence in message" test "$(field message)" = \
    "Not reachable: even cutting all £12.4m of the chief_executive budget from 2025/26 leaves a gap of £77.4m in 2028/29."
mtfs goalseek "$C" --target 'gap[2028] <= 0' --lever savings:chief_executive --format json >"$GS/out.json" 2>/dev/null
check "goalseek --format json: out of reach exits 1" test $? = 1
json_true() { jq -e "$1" "$2" >/dev/null 2>&1; }
check "goalseek JSON: a valid document with met 0 and the sentence" json_true \
    '.rows[0] | .met == 0 and .already_met == 0 and (.message | startswith("Not reachable: even cutting all"))' \
    "$GS/out.json"
rm -rf "$GS/o"
mtfs goalseek "$C" --target 'gap[2028] <= 0' --lever savings:chief_executive -o "$GS/o" >/dev/null 2>&1
check "goalseek -o: out of reach exits 1 and still writes the CSV" \
    bash -c "test $? = 1 && grep -q '^gap\[2028\] <= 0,savings,chief_executive,2025,0,0,' '$GS/o/leics_2025_central_goalseek.csv'"

# A budget that reaches zero after the first year bounds the cut there: with savings of 6 in
# 2027/28, R(2027/28) = 13.0032891648 - 6 = 7.0032891648 and a cut from 2025/26 has grown by
# 1.0264 * 1.023 = 1.0500072 by then, so the most is 7.0032891648 / 1.0500072 = 6.66975...
cat >"$GS/later.cfg" <<EOF
base = "$ROOT/$C";
services = ( { name = "chief_executive"; savings = [0.0, 0.0, 6.0, 0.0]; } );
EOF
gs_csv "$GS/later.cfg" --target 'gap[2028] <= 0' --lever savings:chief_executive
check "goalseek: the bound where the budget first reaches zero" near "$(field lever_max)" \
    "$(awk 'BEGIN { printf "%.17g", 7.0032891648 / 1.0500072 }')"
check "goalseek: that year named" test "$(field message)" = \
    "Not reachable: even cutting the chief_executive budget by £6.7m a year from 2025/26, which takes it to zero in 2027/28, leaves a gap of £77.4m in 2028/29."

# A reachable service saving is found within the bound (adults: £232m base).
gs_csv "$C" --target 'gap[2028] <= 0' --lever savings:adults
check "goalseek: a reachable service saving exits 0" test "$(cat "$GS/status")" = 0
check "goalseek: the saving is within the adults budget" \
    awk -v v="$(field lever_value)" -v m="$(field lever_max)" 'BEGIN { exit !(0 < v && v < m) }'

# A corporate saving: at most all the council spends in a year (the run's expenditure).
mtfs run "$C" --format csv >"$GS/run.csv"
spent=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "expenditure") c = i }
    NR > 1 && (NR == 2 || $c + 0 < least) { least = $c + 0 } END { printf "%.17g", least }' "$GS/run.csv")
gs_csv "$C" --target 'gap[2028] <= -700' --lever savings
check "goalseek: a corporate saving out of reach exits 1" test "$(cat "$GS/status")" = 1
check "goalseek: the corporate bound is the least year's spending" near "$(field lever_max)" "$spent"
check "goalseek: the corporate sentence" grep -q \
    "Not reachable: even a corporate saving of £620.8m a year from 2025/26, all the council spends in 2025/26, leaves a gap of -£530.0m in 2028/29." \
    "$GS/out.csv"

# A rise: at most 50% a year, the top of council_tax.core's range.
expect_status 1 "goalseek: a rise out of reach exits 1" goalseek "$C" --target 'gap[2028] <= -5000' --lever council_tax
check "goalseek: a rise out of reach says so" grep -q \
    '^Not reachable: even a council-tax rise of 50% a year from 2025/26, the most the lever allows, leaves a gap of ' "$TMP/out"

# --- a target already met needs nothing --------------------------------------------------
expect_status 0 "goalseek: a target already met exits 0" goalseek "$C" --target 'gap[2028] <= 100' --lever council_tax
check "goalseek: already met, no rise needed" grep -qx "Already met by the plan as it stands: no rise needed." "$TMP/out"
check "goalseek: already met, no lower rise or negative amount" bash -c "! grep -q 'Smallest\|£-' '$TMP/out'"
gs_csv "$C" --target 'gap[2028] <= 100' --lever council_tax
check "goalseek CSV: already met, lever 0, nothing raised" \
    test "$(field met),$(field already_met),$(field lever_value),$(field raised)" = "1,1,0,0"
expect_status 0 "goalseek: a saving already met exits 0" goalseek "$C" --target 'reserves[2025] >= 50' --lever savings:adults
check "goalseek: already met, no saving needed" grep -qx "Already met by the plan as it stands: no saving needed." "$TMP/out"

# --- a misspelt service or lever -------------------------------------------------------
expect_status 2 "goalseek: a misspelt service" goalseek "$C" --target 'gap[2028] <= 0' --lever savings:adlts
check "goalseek: a misspelt service gets the nearest name" grep -qx \
    "mtfs: lever 'savings:adlts': the scenario has no service 'adlts' (did you mean 'adults'?)" "$TMP/err"
expect_status 2 "goalseek: a service far from any" goalseek "$C" --target 'gap[2028] <= 0' --lever savings:libraries
check "goalseek: a service far from any says what there is" grep -qx \
    "mtfs: lever 'savings:libraries': the scenario has no service 'libraries' (expected the name of one of its 6 services, such as 'adults')" "$TMP/err"
expect_status 2 "goalseek: a misspelt lever" goalseek "$C" --target 'gap[2028] <= 0' --lever savngs:adults
check "goalseek: a misspelt lever gets the nearest name" grep -qx \
    "mtfs: unknown lever 'savngs:adults' (did you mean 'savings:adults'? expected council_tax, savings or savings:SERVICE)" "$TMP/err"

# --- validation: savings may not take a service's budget below zero -----------------------
# 5 a year: R = 12.384 - 5 = 7.384, 7.384 * 1.0264 - 5 = 2.5789376, 2.5789376 * 1.023 - 5
# = -2.36174684 in 2027/28; without them 13.0032891648.
cat >"$GS/negative.cfg" <<EOF
base = "$ROOT/$C";
services = ( { name = "chief_executive"; savings = [5.0, 5.0, 5.0, 0.0]; } );
EOF
expect_status 2 "validate: savings that take a budget below zero" validate "$GS/negative.cfg"
check "validate: below zero, located at the service's savings" grep -qx \
    "$GS/negative.cfg:2: key 'services.chief_executive.savings': savings take the service's recurring budget below zero in 2027/28, by £2.4m (expected savings that leave it at zero or more: without them it would be £13.0m)" \
    "$TMP/err"
# Savings of the service's whole 2025/26 budget leave exactly zero: accepted.
cat >"$GS/zero.cfg" <<EOF
base = "$ROOT/$C";
services = ( { name = "chief_executive"; savings = [12.384, 0.0, 0.0, 0.0]; } );
EOF
expect_status 0 "validate: savings down to zero are accepted" validate "$GS/zero.cfg"
# Given once for every service: located at service_defaults.savings.
cat >"$GS/defaults.cfg" <<EOF
base = "$ROOT/$C";
service_defaults = { savings = 13.0; };
EOF
expect_status 2 "validate: service_defaults savings below zero" validate "$GS/defaults.cfg"
check "validate: located at service_defaults.savings" grep -q \
    "^$GS/defaults.cfg:2: key 'services.chief_executive.savings': savings take the service's recurring budget below zero in 2025/26" \
    "$TMP/err"
