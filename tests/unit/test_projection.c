/*
 * test_projection.c - the projection (projection.c, with the Covid block)
 * against values computed by hand from docs/model.md, and its properties.
 *
 * Hand values: each expected number below shows the arithmetic that gives
 * it, using the inputs of tests/good/hand.cfg.
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

static void test_hand(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);

    /* Service a: infl = 0.5*pay + 0.5*cpi = 0.5*0.04 + 0.5*0.02 = 0.03 in year 1,
     * 0.02 + 0.015 = 0.035 in year 2.  Delivered savings 2 * 0.5 = 1 a year. */
    CHECK_HAND(MTFS_AT(p, service_inflation, 0, 1), 0.03);
    CHECK_HAND(MTFS_AT(p, service_inflation, 0, 2), 0.035);
    /* R_a(1) = 100 * 1.03 * 1.03 + 1 - 1 = 106.09 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 1), 106.09);
    /* R_a(2) = 106.09 * 1.035 * 1.03 + 2 - 1 = 113.0972445 + 1 = 114.0972445 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 2), 114.0972445);
    /* E_a(2) = R_a(2) + one_off 3 = 117.0972445: one-offs never compound */
    CHECK_HAND(MTFS_AT(p, service_spending, 0, 2), 117.0972445);
    /* Service b: price = mix = 0.5*nlw + 0.5*cpi = 0.05 + 0.01 = 0.06, then 0.065;
     * infl = 0.2*0.04 + 0.8*price = 0.056, then 0.06. */
    CHECK_HAND(MTFS_AT(p, service_inflation, 1, 1), 0.056);
    CHECK_HAND(MTFS_AT(p, service_inflation, 1, 2), 0.06);
    /* R_b(1) = 50 * 1.056 = 52.8; R_b(2) = 52.8 * 1.06 = 55.968 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 1, 1), 52.8);
    CHECK_HAND(MTFS_AT(p, service_recurring, 1, 2), 55.968);
    /* E(0) = 150; E(1) = 106.09 + 52.8 + contingency 1 = 159.89;
     * E(2) = 117.0972445 + 55.968 + 1 = 174.0652445 */
    CHECK_HAND(p->expenditure[0], 150.0);
    CHECK_HAND(p->expenditure[1], 159.89);
    CHECK_HAND(p->expenditure[2], 174.0652445);
    CHECK_HAND(p->savings_planned[1], 2.0);
    CHECK_HAND(p->savings_delivered[1], 1.0);
    CHECK_HAND(p->savings_undelivered[2], 1.0);
    CHECK_HAND(p->one_off[2], 3.0);

    /* Council tax: taxbase 100000 -> 101000 -> 102010; Band D 1000 -> 1030 -> 1060.9.
     * CT(1) = 101000 * 1030 * 0.98 / 1e6 + 0.1 = 101.9494 + 0.1 = 102.0494
     * CT(2) = 102010 * 1060.9 * 0.98 / 1e6 - 0.1 = 106.05796082 - 0.1 = 105.95796082 */
    CHECK_HAND(p->taxbase[2], 102010.0);
    CHECK_HAND(p->band_d[2], 1060.9);
    CHECK_HAND(p->council_tax[1], 102.0494);
    CHECK_HAND(p->council_tax[2], 105.95796082);
    /* BR = 10 * 1.05 = 10.5, 11.025 */
    CHECK_HAND(p->business_rates[1], 10.5);
    CHECK_HAND(p->business_rates[2], 11.025);
    /* Grants: flat 5, 5; cpi 4 * 1.02 = 4.08 then 0 after end_year 2025;
     * rate 3 * 1.1 = 3.3, 3.63; list 1, 2. */
    CHECK_HAND(MTFS_AT(p, grant_amount, 0, 2), 5.0);
    CHECK_HAND(MTFS_AT(p, grant_amount, 1, 1), 4.08);
    CHECK_HAND(MTFS_AT(p, grant_amount, 1, 2), 0.0);
    CHECK_HAND(MTFS_AT(p, grant_amount, 2, 2), 3.63);
    CHECK_HAND(MTFS_AT(p, grant_amount, 3, 2), 2.0);
    CHECK_HAND(p->grants[1], 13.38);
    CHECK_HAND(p->grants[2], 10.63);
    /* F(1) = 102.0494 + 10.5 + 13.38 = 125.9294; F(2) = 105.95796082 + 11.025 + 10.63 */
    CHECK_HAND(p->funding[1], 125.9294);
    CHECK_HAND(p->funding[2], 127.61296082);
    /* gap(1) = 159.89 - 125.9294 = 33.9606; gap(2) = 174.0652445 - 127.61296082 */
    CHECK_HAND(p->gap[1], 33.9606);
    CHECK_HAND(p->gap[2], 46.45228368);
    CHECK_HAND(p->incremental_gap[1], 33.9606);
    CHECK_HAND(p->incremental_gap[2], 12.49168368);
    CHECK_HAND(p->cumulative_gap[2], 80.41288368);
    CHECK_HAND(p->gap_share[1], 33.9606 / 159.89);
    /* Reserves: 10 - 33.9606 = -23.9606; -23.9606 - 46.45228368 + 1 = -69.41288368 */
    CHECK_HAND(p->reserves[1], -23.9606);
    CHECK_HAND(p->reserves[2], -69.41288368);
    CHECK(p->below_minimum_index == 1 && p->exhausted_index == 1);
    CHECK(p->referendum_index == 0);
    /* £m per 1% = CT(1) * 0.01 / (1 + 0.03) */
    CHECK_HAND(p->council_tax_per_percent, 102.0494 * 0.01 / 1.03);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_surplus_policy_none_minimum_share(void)
{
    mtfs_scenario *s = load("tests/good/hand_surplus.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    /* R_a(1) = 106.09 - 40 = 66.09; R_a(2) = 66.09 * 1.06605 + 2 - 1 = 71.4552445 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 2), 71.4552445);
    CHECK_HAND(p->expenditure[1], 119.89);
    CHECK_HAND(p->expenditure[2], 131.4232445);
    CHECK_HAND(p->gap[1], -6.0394);
    CHECK_HAND(p->gap[2], 3.81028368);
    /* A surplus adds nothing to the cumulative gap */
    CHECK_HAND(p->cumulative_gap[1], 0.0);
    CHECK_HAND(p->cumulative_gap[2], 3.81028368);
    CHECK_HAND(p->incremental_gap[2], 3.81028368 + 6.0394);
    /* Policy none: the gap never touches reserves; contribution of 1 in year 2 */
    CHECK_HAND(p->reserves[1], 10.0);
    CHECK_HAND(p->reserves[2], 11.0);
    /* Minimum 10% of spending: 11.989 > 10, so below the minimum in year 1 */
    CHECK_HAND(p->minimum_reserves[1], 11.989);
    CHECK(p->below_minimum_index == 1 && p->exhausted_index == 0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_flat_property(void)
{
    mtfs_scenario *s = load("tests/good/flat.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(p->horizon == 30);
    int flat = 1;
    for (size_t t = 0; t <= 30; t++)
        flat &= fabs(p->expenditure[t] - 200.0) <= 1e-12;
    CHECK(flat);
    /* Funding: 1000 * 2000 / 1e6 = 2 of council tax and 50 of business rates */
    CHECK_HAND(p->funding[30], 52.0);
    CHECK_HAND(p->gap[30], 148.0);
    CHECK_HAND(p->cumulative_gap[30], 30 * 148.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_reproducible_and_referendum(void)
{
    mtfs_scenario *s = load("scenarios/leics_2025_referendum.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s), *q = project(s);
    size_t n = (p->horizon + 1) * sizeof(double);
    CHECK(memcmp(p->gap, q->gap, n) == 0);
    CHECK(memcmp(p->reserves, q->reserves, n) == 0);
    CHECK(p->referendum_index == 2);
    CHECK(mtfs_scenario_referendum_allowed(s));
    mtfs_projection_free(p);
    mtfs_projection_free(q);
    mtfs_scenario_free(s);
}

static void test_covid(void)
{
    mtfs_scenario *s = load("tests/good/hand_covid.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(mtfs_scenario_has_covid(s));
    /* 2025/26: lost income 8 (taper 1); the council bears 5% of 40 = 2 first;
     * compensation 0.75 * (8 - 2) = 4.5; no deficit is recovered yet.
     * Costs 10 + 8 = 18; funding 4.5 + grant 6 = 10.5; net pressure 7.5. */
    CHECK_HAND(p->covid_compensation[1], 4.5);
    CHECK_HAND(p->covid_expenditure[1], 18.0);
    CHECK_HAND(p->covid_funding[1], 10.5);
    CHECK_HAND(p->covid_pressure[1], 7.5);
    /* 2026/27: lost 8 * 0.5 = 4, not compensated after sfc_end_year 2025;
     * the 2025/26 deficits (3 + 1.5) come back over 3 years: 1.5 a year; the
     * 2026/27 deficit of 9 is recovered from 2027/28, beyond the horizon.
     * Costs 2 + 4 = 6; funding 0 + 0 - 1.5 = -1.5; net pressure 7.5. */
    CHECK_HAND(p->covid_compensation[2], 0.0);
    CHECK_HAND(p->covid_deficit_charge[2], 1.5);
    CHECK_HAND(p->covid_expenditure[2], 6.0);
    CHECK_HAND(p->covid_funding[2], -1.5);
    CHECK_HAND(p->covid_pressure[2], 7.5);
    /* Flows into E and F: E(1) = 159.89 + 18, F(1) = 125.9294 + 10.5 */
    CHECK_HAND(p->expenditure[1], 177.89);
    CHECK_HAND(p->funding[1], 136.4294);
    CHECK_HAND(p->gap[1], 33.9606 + 7.5);
    CHECK_HAND(p->gap_without_covid[1], 33.9606);
    CHECK_HAND(p->gap[2], 46.45228368 + 7.5);
    CHECK_HAND(p->gap_without_covid[2], 46.45228368);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    /* Without a covid block every Covid series is zero. */
    s = load("tests/good/hand.cfg");
    if (!s)
        return;
    p = project(s);
    CHECK(!mtfs_scenario_has_covid(s));
    CHECK_HAND(p->covid_pressure[2], 0.0);
    CHECK_HAND(p->gap_without_covid[2], p->gap[2]);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* Validation keeps every input in a sensible range, so nothing a scenario
 * file can say overflows; past validation (a library caller), an overflow
 * is an error naming the quantity and year, never a printed inf. */
static void test_overflow_is_an_error(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    s->services[0].base = 1e308;
    s->services[0].demand[1] = 0.5;
    mtfs_projection *p = mtfs_projection_alloc(s);
    mtfs_error err;
    CHECK(p && mtfs_project(s, p, &err) == MTFS_ENUMERIC);
    /* 1.5e308 is still finite in 2025/26; the running total overflows first. */
    CHECK_STR(err.message, "cumulative gap in 2026/27 is not a finite number (the inputs make it overflow)");
    CHECK(p && mtfs_project_totals(s, p, &err) == MTFS_ENUMERIC);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

void suite_projection(void)
{
    test_hand();
    test_surplus_policy_none_minimum_share();
    test_flat_property();
    test_reproducible_and_referendum();
    test_covid();
    test_overflow_is_an_error();
}
