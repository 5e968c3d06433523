# tests/run.d/270-bridge-income.sh - the gap bridge's services' income item
# (docs/model.md section 5): every shipped scenario, edition and
# tests/good scenario bridges to its final gap exactly (items within 1e-9
# of the gap, relative to the base-year budget), and a scenario with income
# blocks shows the item where one without shows nothing.  Sourced by
# tests/run.sh (uses check, mtfs, $TMP).

R="$TMP/bridge270"
mkdir -p "$R"

# bridge_sums FILE: the CSV's items (base balance included, base budget and
# gap not) add up to its gap.  The side is the next-to-last field, since a
# quoted label may hold a comma.
bridge_sums() {
    mtfs bridge --format csv "$1" >"$R/b.csv" 2>"$R/b.err" || return 1
    awk -F, '{ side = $(NF - 1) }
        $1 == "base_budget" { base = $NF }
        side == "spending" || side == "funding" || (side == "base" && $1 != "base_budget") { sum += $NF }
        $1 == "gap" { gap = $NF; seen = 1 }
        END { d = sum - gap; if (d < 0) d = -d; b = base < 0 ? -base : base
              if (!seen || d > 1e-9 * (b + 1)) { printf "items %.17g, gap %.17g\n", sum, gap; exit 1 } }' \
        "$R/b.csv"
}
n=0
for f in scenarios/*.cfg scenarios/editions/*.cfg $(find tests/good -name '*.cfg' ! -path '*/formula/*' | sort); do
    check "bridge of $f: items sum to the gap" bridge_sums "$f"
    n=$((n + 1))
done
check "the sum was checked for every scenario (found $n)" test "$n" -ge 60

# hand_income.cfg: -(42.024 - 40 + 12.1 - 10) = -4.124 (test_bridge_income.c).
mtfs bridge --format csv tests/good/hand_income.cfg >"$R/income.csv"
check "income blocks: the CSV has the income item" \
    grep -qx 'income,"Services'"'"' income (fees, contributions)",spending,-4.124000000000002' "$R/income.csv"
mtfs bridge tests/good/hand_income.cfg >"$R/income.txt"
check "income blocks: the table shows it after the savings" \
    bash -c "grep -A1 '^  Savings delivered' '$R/income.txt' | grep -qx \"  Services' income (fees, contributions)  *-4.1\""
mtfs bridge tests/good/hand.cfg >"$R/plain.txt"
mtfs bridge --format json tests/good/hand.cfg >"$R/plain.json"
check "no income block: no income line in the table or JSON" \
    bash -c "! grep -q 'Services' '$R/plain.txt' '$R/plain.json' && ! grep -q '\"income\"' '$R/plain.json'"

# The grouping (test_bridge_income.c works it): costs 26.0652445, income and
# savings -12.73696082, with the -21.0 imbalance the gap -7.67171632.
check "grouping: the CSV's two summary rows" \
    bash -c "grep -q '^costs,Costs,group,26.06524' '$R/income.csv' &&
             grep -q '^income_and_savings,Income and savings,group,-12.73696' '$R/income.csv'"
check "grouping: the table's summary" diff - <(sed -n '/^Costs against/,$p' "$R/income.txt") <<'OUT'
Costs against income and savings
  Base-year imbalance (budget less funding)       -21.0
  Costs                                           +26.1
  Income and savings                              -12.7
OUT
