# tests/run.d/017-brief.sh - scenario reform (fair_funding) and the lobbying brief.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP).

mtfs compare scenarios/leics_2025_central.cfg scenarios/leics_2025_fair_funding.cfg >"$TMP/reform.txt"
check "compare shows the gap with and without reform" grep -q '^leics_2025_fair_funding .* -84.9$' "$TMP/reform.txt"
mtfs brief scenarios/leics_2025_fair_funding.cfg >"$TMP/brief.md" 2>"$TMP/err"
check "brief exits 0" test $? = 0
check "brief: funded like Surrey" grep -qxF '| Surrey | 1,205,616 | £919.3m | £1,137.2m | £763 | +£124.9m | +£154.5m |' "$TMP/brief.md"
check "brief: the England average" \
    grep -qxF '| England: all upper-tier authorities (147 authorities) | 55,191,143 | £41,949.7m | £51,892.6m | £760 | +£123.2m | +£152.4m |' "$TMP/brief.md"
check "brief: the gap without reform" grep -qxF '| Without reform | 5.6 | 37.9 | 63.5 | 90.7 |' "$TMP/brief.md"
check "brief: the data row is traced" \
    grep -qF '  - line 25: E10000030 Surrey, population 1,205,616, core spending power £919.29m' "$TMP/brief.md"
check "brief without -o references no chart" bash -c "! grep -q '!\[' '$TMP/brief.md'"
mtfs brief scenarios/leics_2025_fair_funding.cfg -o "$TMP/brief" >/dev/null
check "brief -o writes brief.md and its two charts" \
    test -s "$TMP/brief/brief.md" -a -s "$TMP/brief/brief_per_head.png" -a -s "$TMP/brief/brief_formula.png"
check "brief.md references its charts" test "$(grep -c '^!\[.*\](brief_.*\.png)$' "$TMP/brief/brief.md")" = 2
mtfs brief scenarios/leics_2025_fair_funding.cfg -o "$TMP/brief2" >/dev/null
check "brief is byte-identical on a rerun" cmp -s "$TMP/brief/brief.md" "$TMP/brief2/brief.md"
expect_status 2 "brief needs a fair_funding block" brief scenarios/leics_2025_central.cfg
check "brief message names the block" \
    grep -q "^scenarios/leics_2025_central.cfg: key 'fair_funding': a brief needs a fair_funding block" "$TMP/err"
