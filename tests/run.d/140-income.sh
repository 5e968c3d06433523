# tests/run.d/140-income.sh - a service's gross spending and income
# (docs/model.md section 1, docs/scenario-format.md "services"): located
# messages, service_defaults, inheritance and remove.  Sourced by
# tests/run.sh; the arithmetic is tests/unit/test_income.c's.

inc_head='base_year = 2024; horizon = 2; economy = { cpi = 0.02; pay = 0.03; };
council_tax = { taxbase = 1000.0; band_d = 100000.0; }; business_rates = { base = 0.0; };
reserves = { opening = 10.0; };'
inc_file() { # inc_file NAME SERVICES [MORE]: a small scenario in $TMP/NAME.cfg
    printf '%s\n%s\nservices = (\n%s\n);\n' "$inc_head" "${3:-}" "$2" >"$TMP/$1.cfg"
}
inc_error() { # inc_error NAME WANT: validating $TMP/NAME.cfg gives exactly WANT, exit 2
    expect_status 2 "income: $1 refused" validate "$TMP/$1.cfg"
    check "income: $1 message" test "$(cat "$TMP/err")" = "$TMP/$1.cfg:$2"
}

inc_file inc_over '{ name = "adults"; base = 100.0;
  income = { base = 120.0; }; }'
inc_error inc_over "7: key 'services.adults.income.base': income of 120 is more than the service's gross spending, base = 100 (expected at most base: with an income block, base is the gross spending and the income is taken off it)"

inc_file inc_negative '{ name = "adults"; base = 100.0;
  income = { base = -5.0; }; }'
inc_error inc_negative "7: key 'services.adults.income.base': value -5 is outside the sensible range 0 to 1e+06 (expected an amount in £m, not negative)"

inc_file inc_rate '{ name = "adults"; base = 100.0;
  income = { base = 40.0; growth = 3; }; }'
inc_error inc_rate "7: key 'services.adults.income.growth': value 3 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.03?)"

inc_file inc_missing '{ name = "adults"; base = 100.0;
  income = { growth = 0.02; }; }'
inc_error inc_missing "7: key 'services.adults.income.base': missing (expected an amount in £m, not negative)"

inc_file inc_typo '{ name = "adults"; base = 100.0;
  income = { base = 40.0; grwth = 0.02; }; }'
inc_error inc_typo "7: key 'services.adults.income.grwth': unknown key (did you mean 'growth'?)"

inc_file inc_number '{ name = "adults"; base = 100.0; income = 40.0; }'
inc_error inc_number "6: key 'services.adults.income': found a decimal number (expected a group { base = ...; growth = ...; }: the service's income in the base year in £m, and its growth)"

inc_file inc_default_base '{ name = "adults"; base = 100.0; }' 'service_defaults = { income = { base = 1.0; }; };'
inc_error inc_default_base "4: key 'service_defaults.income.base': is each service's own (expected only growth here; give base in the service's own income block)"

# service_defaults.income.growth: taken by a service with an income block
# and no growth of its own; a service without income stays without.
inc_file inc_defaults '{ name = "adults"; base = 100.0; income = { base = 40.0; }; },
  { name = "own"; base = 10.0; income = { base = 5.0; growth = 0.0; }; },
  { name = "net"; base = 30.0; }' 'service_defaults = { income = { growth = 0.1; }; };'
mtfs run -f csv "$TMP/inc_defaults.cfg" >/dev/null 2>"$TMP/err"
mtfs run -o "$TMP/inc_out" "$TMP/inc_defaults.cfg" >/dev/null 2>>"$TMP/err"
# adults: gross 100 * 1.02 = 102, income 40 * 1.1 = 44, net 58; own: 10.2 - 5
# = 5.2 (to rounding); net: 30.6.  2025/26 expenditure 58 + 5.2 + 30.6 = 93.8.
check "income: service_defaults growth, by service" \
    grep -q '^adults,2025,2025/26,102,58,.*,102,44$' "$TMP/inc_out/inc_defaults_services.csv"
check "income: a service's own growth wins over service_defaults" \
    grep -q '^own,2025,2025/26,10.2,5.19999[0-9]*,.*,10.2,5$' "$TMP/inc_out/inc_defaults_services.csv"
check "income: a service without income block has none" \
    grep -q '^net,2025,2025/26,30.6,30.6,.*,30.6,0$' "$TMP/inc_out/inc_defaults_services.csv"

# Inheritance: a derived file changes one key of the inherited income
# block (net 102 - 50 * 1.1 = 47, to rounding); remove takes the growth (back to cpi) or the whole block away.
printf 'base = "inc_defaults.cfg";\nservices = ( { name = "adults"; income = { base = 50.0; }; } );\n' >"$TMP/inc_child.cfg"
mtfs run -o "$TMP/inc_child_out" "$TMP/inc_child.cfg" >/dev/null 2>&1
check "income: a derived file changes the inherited income base" \
    grep -q '^adults,2025,2025/26,102,46.99999[0-9]*,.*,102,55.0000[0-9]*$' "$TMP/inc_child_out/inc_child_services.csv"
printf 'base = "inc_defaults.cfg";\nremove = ["service_defaults", "services.own.income.growth", "services.adults.income"];\n' >"$TMP/inc_remove.cfg"
mtfs run -o "$TMP/inc_remove_out" "$TMP/inc_remove.cfg" >/dev/null 2>&1
check "income: remove takes the income block away" \
    grep -q '^adults,2025,2025/26,102,102,.*,102,0$' "$TMP/inc_remove_out/inc_remove_services.csv"
check "income: remove takes the growth away, back to cpi" \
    grep -q '^own,2025,2025/26,10.2,5.1,.*,10.2,5.1$' "$TMP/inc_remove_out/inc_remove_services.csv"

# Uncertainty: a distribution may name a service's income base or growth; a
# service without an income block has none to name.
printf 'base = "%s";\nuncertainty = { paths = 50; parameters = (\n  { key = "services.a.income.growth"; dist = "normal"; apply = "add"; sd = 0.01; },\n  { key = "services.b.income.base"; dist = "uniform"; apply = "value"; low = 5.0; high = 15.0; } ); };\n' \
    "$PWD/tests/good/hand_income.cfg" >"$TMP/inc_mc.cfg"
mtfs mc "$TMP/inc_mc.cfg" --format csv >"$TMP/inc_mc.csv" 2>"$TMP/err"
# The plan's 2026/27 gap is hand_income's -7.6717...; the draws spread it.
check "income: Monte Carlo over income base and growth" \
    awk -F, '$1 == 2026 && $3 > -7.68 && $3 < -7.67 && $5 > 1 { ok = 1 } END { exit !ok }' "$TMP/inc_mc.csv"
sed 's/services.b.income.base/services.b.income.bse/' "$TMP/inc_mc.cfg" >"$TMP/inc_mc_typo.cfg"
inc_error inc_mc_typo "4: key 'uncertainty.parameters[services.b.income.bse].key': unknown input 'services.b.income.bse' (did you mean 'services.b.income.base'?)"
printf 'base = "%s";\nuncertainty = { parameters = ( { key = "services.a.income.base"; dist = "uniform"; apply = "value"; low = 5.0; high = 15.0; } ); };\n' \
    "$PWD/tests/good/hand.cfg" >"$TMP/inc_mc_none.cfg"
inc_error inc_mc_none "2: key 'uncertainty.parameters[services.a.income.base].key': input 'services.a.income.base' is not used: only a service with an income block has income (expected the service's income = { base = ...; } first)"
