/*
 * test_dsg.c - the high-needs (DSG) deficit (projection.c's project_dsg,
 * docs/model.md section 11) against values worked by hand from the
 * equations, on the files of tests/good/dsg: a flat council (spending 100, funding
 * 100, reserves 200) whose gap is zero but for the deficit.  Tolerance
 * 1e-12 (CHECK_HAND).
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

#include <math.h>

/* opening 20; d = 10, 12, 14, 16, 18; W = 0.5 * D in 2026/27; override to
 * 2027/28. */
static void test_reserves(void)
{
    mtfs_scenario *s = load("tests/good/dsg/reserves.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(mtfs_scenario_has_dsg(s));
    CHECK_HAND(p->dsg_cumulative[0], 20.0);
    /* D(1) = 20 + 10 = 30; D(2) = 30 + 12 - 0.5 * 30 = 27; D(3) = 27 + 14 = 41 */
    CHECK_HAND(p->dsg_cumulative[1], 30.0);
    CHECK_HAND(p->dsg_cumulative[2], 27.0);
    CHECK_HAND(p->dsg_cumulative[3], 41.0);
    /* 2028/29, the first year after the override: 41 + 16 = 57 to reserves,
     * none to spending, D = 0. */
    CHECK_HAND(p->dsg_reserves_charge[4], 57.0);
    CHECK_HAND(p->dsg_expenditure_charge[4], 0.0);
    CHECK_HAND(p->dsg_cumulative[4], 0.0);
    CHECK_HAND(p->reserves[4], 200.0 - 57.0);
    CHECK_HAND(p->gap[4], 0.0);
    /* 2029/30: d = 18 to spending; gap 18, reserves 143 - 18 = 125. */
    CHECK_HAND(p->dsg_expenditure_charge[5], 18.0);
    CHECK_HAND(p->dsg_reserves_charge[5], 0.0);
    CHECK_HAND(p->dsg_cumulative[5], 0.0);
    CHECK_HAND(p->expenditure[5], 118.0);
    CHECK_HAND(p->gap[5], 18.0);
    CHECK_HAND(p->reserves[5], 125.0);
    for (size_t t = 1; t <= 3; t++) {
        CHECK_HAND(p->dsg_expenditure_charge[t], 0.0);
        CHECK_HAND(p->dsg_reserves_charge[t], 0.0);
        CHECK_HAND(p->reserves[t], 200.0);
    }
    CHECK_HAND(p->dsg_in_year[3], 14.0);
    /* The bridge: the charge is its own item and the items still sum to the
     * gap; the reserves charge is beside it. */
    mtfs_bridge b;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(s, p, 5, &b, &err) == MTFS_OK);
    CHECK(b.has_dsg && mtfs_bridge_item_shown(&b, MTFS_BRIDGE_DSG));
    CHECK_HAND(b.item[MTFS_BRIDGE_DSG], 18.0);
    CHECK_HAND(b.dsg_reserves, 57.0);
    double sum = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        sum += b.item[i];
    CHECK_HAND(sum, b.gap);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* As above, spread over 2 years, SEND funded nationally from 2029/30. */
static void test_spread(void)
{
    mtfs_scenario *s = load("tests/good/dsg/spread.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK_HAND(p->dsg_cumulative[3], 41.0);
    /* 2028/29: part 41 / 2 = 20.5, plus d = 16: 36.5 to spending; D = 20.5 */
    CHECK_HAND(p->dsg_expenditure_charge[4], 36.5);
    CHECK_HAND(p->dsg_cumulative[4], 20.5);
    CHECK_HAND(p->gap[4], 36.5);
    CHECK_HAND(p->reserves[4], 163.5);
    /* 2029/30: d = 0 (central_from), the last part 20.5; D = 0 */
    CHECK_HAND(p->dsg_in_year[5], 0.0);
    CHECK_HAND(p->dsg_expenditure_charge[5], 20.5);
    CHECK_HAND(p->dsg_cumulative[5], 0.0);
    CHECK_HAND(p->reserves[5], 143.0);
    for (size_t t = 1; t <= 5; t++)
        CHECK_HAND(p->dsg_reserves_charge[t], 0.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* Treatment none: nothing reaches the general fund; D grows until SEND is
 * funded nationally (2028/29), then stays. */
static void test_none(void)
{
    mtfs_scenario *s = load("tests/good/dsg/none.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    const double D[] = {20.0, 30.0, 42.0, 56.0, 56.0, 56.0};
    for (size_t t = 0; t <= 5; t++) {
        CHECK_HAND(p->dsg_cumulative[t], D[t]);
        CHECK_HAND(p->expenditure[t], 100.0);
        CHECK_HAND(p->reserves[t], 200.0);
    }
    CHECK_HAND(p->dsg_in_year[4], 0.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* d from spending and grant: H(t) = H(t-1) * 1.1 - savings(t),
 * G(t) = G(t-1) * 1.05; the override ended in the base year. */
static void test_path(void)
{
    mtfs_scenario *s = load("tests/good/dsg/path.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    /* H1 = 55, G1 = 42, d1 = 13: first year after the override, so 5 + 13 = 18
     * to reserves at once. */
    CHECK_HAND(p->dsg_in_year[1], 13.0);
    CHECK_HAND(p->dsg_reserves_charge[1], 18.0);
    CHECK_HAND(p->reserves[1], 182.0);
    /* H2 = 55 * 1.1 - 1 = 59.5, G2 = 44.1, d2 = 15.4 to spending */
    CHECK_HAND(p->dsg_expenditure_charge[2], 15.4);
    CHECK_HAND(p->gap[2], 15.4);
    /* H3 = 59.5 * 1.1 - 1 = 64.45, G3 = 46.305, d3 = 18.145 */
    CHECK_HAND(p->dsg_in_year[3], 18.145);
    /* H4 = 64.45 * 1.1 = 70.895, G4 = 48.62025, d4 = 22.27475 */
    CHECK_HAND(p->dsg_expenditure_charge[4], 22.27475);
    CHECK_HAND(p->dsg_cumulative[4], 0.0);
    CHECK_HAND(p->reserves[4], 182.0 - 15.4 - 18.145 - 22.27475);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* Without a block every DSG array is zero, the bridge does not show the
 * item, and totals-only projection (Monte Carlo's) agrees to the bit; a
 * clone keeps the block. */
static void test_absent_and_clone(void)
{
    mtfs_scenario *s = load("tests/good/dsg/base.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(!mtfs_scenario_has_dsg(s));
    for (size_t t = 0; t <= 5; t++)
        CHECK(p->dsg_in_year[t] == 0.0 && p->dsg_cumulative[t] == 0.0 &&
              p->dsg_expenditure_charge[t] == 0.0 && p->dsg_reserves_charge[t] == 0.0);
    mtfs_bridge b;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(s, p, 5, &b, &err) == MTFS_OK);
    CHECK(!mtfs_bridge_item_shown(&b, MTFS_BRIDGE_DSG));
    CHECK(mtfs_bridge_item_shown(&b, MTFS_BRIDGE_PAY));
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    s = load("tests/good/dsg/spread.cfg");
    if (!s)
        return;
    mtfs_scenario *c = NULL;
    CHECK(mtfs_scenario_clone(s, &c, &err) == MTFS_OK);
    if (c) {
        mtfs_projection *a = project(s), *q = mtfs_projection_alloc(c);
        CHECK(q && mtfs_project_totals(c, q, &err) == MTFS_OK);
        for (size_t t = 0; q && t <= 5; t++) {
            CHECK(a->gap[t] == q->gap[t] && a->reserves[t] == q->reserves[t]);
            CHECK(a->dsg_cumulative[t] == q->dsg_cumulative[t]);
        }
        mtfs_projection_free(a);
        mtfs_projection_free(q);
        mtfs_scenario_free(c);
    }
    mtfs_scenario_free(s);
}

void suite_dsg(void)
{
    test_reserves();
    test_spread();
    test_none();
    test_path();
    test_absent_and_clone();
}
