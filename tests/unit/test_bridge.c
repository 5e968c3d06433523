/*
 * test_bridge.c - the gap bridge (bridge.c) by hand on tests/good/hand.cfg,
 * and the property that its items sum to the gap for every scenario.
 */
#include "check.h"
#include "fixtures.h"

static void test_bridge(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    mtfs_bridge b;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(s, p, 2, &b, &err) == MTFS_OK);
    /* Service a, year 1 from R=100: pay 100*0.5*0.04 = 2, price 100*0.5*0.02 = 1,
     * demand 100*1.03*0.03 = 3.09.  Year 2 from R=106.09: pay 2.1218,
     * price 106.09*0.5*0.03 = 1.59135, demand 106.09*1.035*0.03 = 3.2940945.
     * Service b (pay share 0.2): pay 0.4 then 52.8*0.2*0.04 = 0.4224;
     * price 50*0.8*0.06 = 2.4 then 52.8*0.8*0.065 = 2.7456. */
    CHECK_HAND(b.item[MTFS_BRIDGE_PAY], 2.0 + 2.1218 + 0.4 + 0.4224);
    CHECK_HAND(b.item[MTFS_BRIDGE_PRICE], 1.0 + 1.59135 + 2.4 + 2.7456);
    CHECK_HAND(b.item[MTFS_BRIDGE_DEMAND], 3.09 + 3.2940945);
    CHECK_HAND(b.item[MTFS_BRIDGE_GROWTH], 3.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_SAVINGS], -2.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_ONE_OFF], 3.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_CONTINGENCY], 1.0);
    /* Council tax X(0) = 100000*1000*0.98/1e6 = 98: rises 98*0.03 = 2.94 and
     * 101.9494*0.03 = 3.058482; tax base 98*1.03*0.01 = 1.0094 and
     * 101.9494*1.03*0.01 = 1.05007882; collection fund 0.1 then -0.1. */
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_RISE], -(2.94 + 3.058482));
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_TAXBASE], -(1.0094 + 1.05007882));
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_COLLECTION], 0.1);
    CHECK_HAND(b.item[MTFS_BRIDGE_BUSINESS_RATES], -1.025);
    /* Grants 5 + 4 + 3 + 1 = 13 in the base year, 10.63 in 2026/27 */
    CHECK_HAND(b.item[MTFS_BRIDGE_GRANTS], 13.0 - 10.63);
    /* E(0) 150 against base funding 98 + 10 + 13 = 121 */
    CHECK_HAND(b.item[MTFS_BRIDGE_BASE_BALANCE], 29.0);
    CHECK(mtfs_bridge_compute(s, p, 3, &b, &err) == MTFS_EINPUT);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    /* Property: for every shipped and test scenario and every year, the
     * items sum to the gap (1e-9 relative to the budget). */
    const char *files[] = {"scenarios/leics_2025_central.cfg", "scenarios/leics_2025_high_inflation.cfg",
                           "scenarios/leics_2025_savings_70.cfg", "scenarios/leics_2025_ct_freeze.cfg",
                           "scenarios/leics_2025_referendum.cfg", "scenarios/leics_2020_precovid.cfg",
                           "scenarios/leics_2020_covid.cfg", "scenarios/leics_2023_inflation.cfg",
                           "tests/good/hand_covid.cfg", "tests/good/hand_surplus.cfg",
                           "tests/good/flat.cfg", "scenarios/leics_2025_uncertainty.cfg",
                           "tests/good/hand_reform.cfg", "scenarios/leics_2025_fair_funding.cfg",
                           "scenarios/leics_2025_dsg.cfg", "tests/good/dsg/spread.cfg",
                           "tests/good/dsg/path.cfg"};
    int exact = 1;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        s = load(files[f]);
        if (!s)
            continue;
        p = project(s);
        /* Shipped scenarios balance their base year: the bridge then starts
         * from a budget the funding inputs really cover. */
        if (strncmp(files[f], "scenarios/", 10) == 0) {
            mtfs_bridge_compute(s, p, 1, &b, &err);
            if (fabs(b.item[MTFS_BRIDGE_BASE_BALANCE]) > 0.1) {
                printf("FAIL %s: base-year budget less funding is %.2f (expected within 0.1)\n",
                       files[f], b.item[MTFS_BRIDGE_BASE_BALANCE]);
                exact = 0;
            }
        }
        for (size_t t = 1; t <= p->horizon; t++) {
            mtfs_bridge_compute(s, p, t, &b, &err);
            double sum = 0.0;
            for (int i = 0; i < MTFS_BRIDGE_N; i++)
                sum += b.item[i];
            if (fabs(sum - p->gap[t]) > 1e-9 * p->expenditure[t]) {
                printf("FAIL bridge of %s, year %zu: items sum to %.17g, gap %.17g\n", files[f], t,
                       sum, p->gap[t]);
                exact = 0;
            }
        }
        mtfs_projection_free(p);
        mtfs_scenario_free(s);
    }
    CHECK(exact);
}

void suite_bridge(void)
{
    test_bridge();
}
