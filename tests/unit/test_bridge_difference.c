/*
 * test_bridge_difference.c - compare's bridge of differences
 * (mtfs_bridge_difference) by hand on tests/good/bridge/a.cfg and b.cfg,
 * and the base-year rule (mtfs_bridge_base_balanced) on d.cfg.
 */
#include "check.h"
#include "fixtures.h"

static int final_bridge(const char *file, mtfs_bridge *b)
{
    mtfs_scenario *s = load(file);
    if (!s)
        return 0;
    mtfs_projection *p = project(s);
    mtfs_error err;
    int ok = mtfs_bridge_compute(s, p, p->horizon, b, &err) == MTFS_OK;
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return ok;
}

static void test_difference(void)
{
    mtfs_bridge a, b, d, imbalanced;
    if (!final_bridge("tests/good/bridge/a.cfg", &a) || !final_bridge("tests/good/bridge/b.cfg", &b) ||
        !final_bridge("tests/good/bridge/d.cfg", &imbalanced)) {
        CHECK(0);
        return;
    }
    mtfs_bridge_difference(&a, &b, &d);
    /* b.cfg's comments: pay 3.86 - 4.06, price 1.93 - 2.03, savings -10,
     * rises -2.02; gaps -6.23 and 6.09. */
    CHECK_HAND(d.item[MTFS_BRIDGE_PAY], -0.2);
    CHECK_HAND(d.item[MTFS_BRIDGE_PRICE], -0.1);
    CHECK_HAND(d.item[MTFS_BRIDGE_SAVINGS], -10.0);
    CHECK_HAND(d.item[MTFS_BRIDGE_CT_RISE], -2.02);
    CHECK_HAND(d.item[MTFS_BRIDGE_BASE_BALANCE], 0.0);
    CHECK_HAND(d.gap, -6.23 - 6.09);
    CHECK_HAND(d.base_budget, 0.0);
    CHECK(d.year_index == 2);
    double sum = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        sum += d.item[i];
    CHECK_HAND(sum, d.gap);

    /* d.cfg: funding 98 against a budget of 100. */
    CHECK(mtfs_bridge_base_balanced(&a));
    CHECK(!mtfs_bridge_base_balanced(&imbalanced));
    mtfs_bridge_difference(&a, &imbalanced, &d);
    CHECK_HAND(d.item[MTFS_BRIDGE_BASE_BALANCE], 2.0);
    CHECK_HAND(d.gap, 2.0);
    /* Just under £0.05m is rounding, just over is an imbalance. */
    imbalanced.item[MTFS_BRIDGE_BASE_BALANCE] = -0.0499;
    CHECK(mtfs_bridge_base_balanced(&imbalanced));
    imbalanced.item[MTFS_BRIDGE_BASE_BALANCE] = 0.05;
    CHECK(!mtfs_bridge_base_balanced(&imbalanced));
}

void suite_bridge_difference(void)
{
    test_difference();
}
