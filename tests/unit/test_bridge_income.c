/*
 * test_bridge_income.c - the gap bridge's services' income item (bridge.c,
 * docs/model.md section 5) worked by hand on tests/good/hand_income.cfg,
 * against the same file without its income blocks (tests/good/hand.cfg).
 */
#include "check.h"
#include "fixtures.h"

#include <math.h>

static void test_income_item(void)
{
    mtfs_scenario *s = load("tests/good/hand_income.cfg");
    mtfs_scenario *plain = load("tests/good/hand.cfg");
    if (!s || !plain) {
        mtfs_scenario_free(s);
        mtfs_scenario_free(plain);
        return;
    }
    mtfs_projection *p = project(s), *q = project(plain);
    mtfs_bridge b, h, d;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(s, p, 2, &b, &err) == MTFS_OK);
    CHECK(mtfs_bridge_compute(plain, q, 2, &h, &err) == MTFS_OK);
    /* Income of a: 40 at cpi, 40 * 1.02 * 1.03 = 42.024; of b: 10 at 10%,
     * 12.1.  The item is -(42.024 - 40 + 12.1 - 10) = -4.124. */
    CHECK(b.has_income && mtfs_bridge_item_shown(&b, MTFS_BRIDGE_INCOME));
    CHECK_HAND(b.item[MTFS_BRIDGE_INCOME], -4.124);
    /* Gross runs as hand.cfg's net, so pay, prices and demand are its items
     * (test_bridge.c works them by hand): 4.9442, 7.73695, 6.3840945. */
    CHECK_HAND(b.item[MTFS_BRIDGE_PAY], 4.9442);
    CHECK_HAND(b.item[MTFS_BRIDGE_PRICE], 7.73695);
    CHECK_HAND(b.item[MTFS_BRIDGE_DEMAND], 6.3840945);
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        if (i != MTFS_BRIDGE_INCOME && i != MTFS_BRIDGE_BASE_BALANCE)
            CHECK(b.item[i] == h.item[i]);
    /* E(0) = (100 - 40) + (50 - 10) = 100 against base funding 121: -21. */
    CHECK_HAND(b.item[MTFS_BRIDGE_BASE_BALANCE], -21.0);
    /* gap(2) = E(2) - F(2) = 119.9412445 - F(2) (test_income.c); hand.cfg's
     * E(2) is 174.0652445 with the same funding, so the gap is hand.cfg's
     * less 54.124, and the items sum to it. */
    CHECK_HAND(b.gap, h.gap - 54.124);
    double sum = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        sum += b.item[i];
    CHECK_CLOSE(sum, b.gap, 1e-9 * p->expenditure[2], 0.0);
    /* Without income blocks: no item, and it is not shown. */
    CHECK(!h.has_income && !mtfs_bridge_item_shown(&h, MTFS_BRIDGE_INCOME));
    CHECK(h.item[MTFS_BRIDGE_INCOME] == 0.0);
    /* The difference from hand.cfg: the income item and the base year. */
    mtfs_bridge_difference(&h, &b, &d);
    CHECK(d.has_income);
    CHECK_HAND(d.item[MTFS_BRIDGE_INCOME], -4.124);
    CHECK_HAND(d.item[MTFS_BRIDGE_BASE_BALANCE], -50.0);
    CHECK_HAND(d.gap, -54.124);
    /* The grouping: costs are pay, prices, demand, new pressures 3, one-off
     * 3 and contingency 1, = 26.0652445; income and savings are savings -2,
     * income -4.124, council tax -5.998482 - 2.05947882 + 0.1, business
     * rates -1.025 and grants +2.37, = -12.73696082; with the base-year
     * imbalance of -21 they make the gap. */
    CHECK(mtfs_bridge_group_of(MTFS_BRIDGE_INCOME) == MTFS_BRIDGE_GROUP_INCOME_SAVINGS);
    CHECK(mtfs_bridge_group_of(MTFS_BRIDGE_SAVINGS) == MTFS_BRIDGE_GROUP_INCOME_SAVINGS);
    CHECK(mtfs_bridge_group_of(MTFS_BRIDGE_GRANTS) == MTFS_BRIDGE_GROUP_INCOME_SAVINGS);
    CHECK(mtfs_bridge_group_of(MTFS_BRIDGE_CAPITAL) == MTFS_BRIDGE_GROUP_COSTS);
    CHECK(mtfs_bridge_group_of(MTFS_BRIDGE_BASE_BALANCE) == MTFS_BRIDGE_GROUP_BASE);
    CHECK_HAND(mtfs_bridge_group_total(&b, MTFS_BRIDGE_GROUP_COSTS), 26.0652445);
    CHECK_HAND(mtfs_bridge_group_total(&b, MTFS_BRIDGE_GROUP_INCOME_SAVINGS), -12.73696082);
    CHECK_HAND(mtfs_bridge_group_total(&b, MTFS_BRIDGE_GROUP_BASE), -21.0);
    CHECK_HAND(b.gap, 26.0652445 - 12.73696082 - 21.0);
    /* Year 1: -(40.8 - 40 + 11 - 10) = -1.8. */
    CHECK(mtfs_bridge_compute(s, p, 1, &b, &err) == MTFS_OK);
    CHECK_HAND(b.item[MTFS_BRIDGE_INCOME], -1.8);
    mtfs_projection_free(p);
    mtfs_projection_free(q);
    mtfs_scenario_free(s);
    mtfs_scenario_free(plain);
}

void suite_bridge_income(void)
{
    test_income_item();
}
