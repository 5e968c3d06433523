# tests/run.d/050-charts.sh - the charts as a reader sees them, checked in
# their SVG form (colours are written there as fill and stroke values):
# compare lines in no green or red, a comparator of another tier marked in
# the brief, a formula that changes nothing drawn without gains or losses.
# The layout rules themselves are unit-tested (tests/unit/test_plot_rules.c).
# Sourced by tests/run.sh (uses check, pass, fail, mtfs, $TMP).

CH="$TMP/charts"
mkdir -p "$CH"

# svg_pct R G B: a palette colour (0-255) as cairo writes it in SVG,
# "rgb(90.980392%,56.862745%,17.647059%)".
svg_pct() {
    awk -v r="$1" -v g="$2" -v b="$3" 'BEGIN {
        s = "rgb("
        split(r " " g " " b, c, " ")
        for (i = 1; i <= 3; i++) {
            v = sprintf("%.6f", c[i] / 255 * 100); sub(/\.?0+$/, "", v)
            s = s v "%" (i < 3 ? "," : ")")
        }
        print s }'
}

# Compare: no line (stroke) in a green or a red hue, which would read as
# good or bad news whatever the scenario.
if mtfs compare scenarios/leics_2025_*.cfg -o "$CH/compare" --plot svg >/dev/null 2>"$TMP/err"; then
    bad=$(grep -o 'stroke:rgb([^)]*)' "$CH/compare/compare.svg" | sort -u | awk -F'[(,%)]' '{
        r = $2 / 100; g = $4 / 100; b = $6 / 100
        mx = r; if (g > mx) mx = g; if (b > mx) mx = b
        mn = r; if (g < mn) mn = g; if (b < mn) mn = b
        d = mx - mn; if (d < 0.15) next
        if (mx == r) { h = (g - b) / d; if (h < 0) h += 6 } else if (mx == g) h = (b - r) / d + 2; else h = (r - g) / d + 4
        h *= 60
        if ((h >= 75 && h <= 165) || h < 20 || h > 340) print $0 " hue " h }')
    if [ -z "$bad" ]; then pass; else fail "compare: lines in green or red: $bad"; fi
else
    fail "compare --plot svg: $(cat "$TMP/err")"
fi

# Brief: Camden, a London borough among shire counties, in the paler
# "another tier" colour (its bar and its legend box).
if mtfs brief scenarios/leics_2025_fair_funding.cfg -o "$CH/brief" --plot svg >/dev/null 2>"$TMP/err"; then
    other=$(svg_pct 178 203 232)
    n=$(grep -c "fill:$other" "$CH/brief/brief_per_head.svg")
    if [ "$n" -ge 2 ]; then pass; else fail "brief: another tier drawn $n times, want bar and legend"; fi
else
    fail "brief --plot svg: $(cat "$TMP/err")"
fi

# The status quo changes nobody's funding: no loss (or gain) colour at
# all, bar, value or legend; the chart says so instead.
if mtfs formula formulas/status_quo.cfg --authority Leicestershire -o "$CH/sq" --plot svg \
    >/dev/null 2>"$TMP/err"; then
    found=""
    for rgb in "232 145 45" "168 82 0" "26 150 128" "0 102 84"; do
        # shellcheck disable=SC2086
        grep -q "$(svg_pct $rgb)" "$CH/sq/status_quo.svg" && found="$found [$rgb]"
    done
    if [ -z "$found" ]; then pass; else fail "status_quo chart: gain or loss colours$found"; fi
else
    fail "formula status_quo --plot svg: $(cat "$TMP/err")"
fi
