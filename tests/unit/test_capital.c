/*
 * test_capital.c - capital financing (docs/model.md section 10,
 * projection.c's project_capital) against values worked by hand from
 * tests/good/hand_capital.cfg (equal MRP) and hand_capital_annuity.cfg
 * (annuity MRP at 10%), and the bridge and identity properties.
 */
#include "scenario_int.h"
#include "mtfs/bridge.h"
#include "check.h"
#include "fixtures.h"

/* hand_capital.cfg: P = [100, 50, 0, 0], grants 0.5, receipts [0.1, 0],
 * revenue [0.1, 0.2]; life 2, capitalisation C = [0, 6] over 3 years;
 * rate [0.05, 0.04, ...]; CFR(0) 200, existing MRP 10 and interest 4.
 *   B(1) = 100 * (1 - 0.7) = 30 (programme tranche only); RCCO(1) = 10
 *   B(2) = 50 * (1 - 0.7) = 15 + C(2) 6 = 21;             RCCO(2) = 10 */
static void test_equal(void)
{
    mtfs_scenario *s = load("tests/good/hand_capital.cfg");
    mtfs_scenario *plain = load("tests/good/hand.cfg");
    if (!s || !plain) {
        mtfs_scenario_free(s);
        mtfs_scenario_free(plain);
        return;
    }
    mtfs_projection *p = project(s);
    /* Base year: nothing charged, the opening CFR. */
    CHECK(p->capital_financing[0] == 0.0 && p->mrp[0] == 0.0 && p->capital_interest[0] == 0.0);
    CHECK_HAND(p->cfr[0], 200.0);
    CHECK_HAND(p->borrowing[1], 30.0);
    CHECK_HAND(p->borrowing[2], 21.0);
    /* Year 1: no tranche is charged in the year it is taken.
     * MRP 10, interest 4, CF = 10 + 4 + 10 = 24, CFR = 200 + 30 - 10 = 220. */
    CHECK_HAND(p->mrp[1], 10.0);
    CHECK_HAND(p->capital_interest[1], 4.0);
    CHECK_HAND(p->capital_financing[1], 24.0);
    CHECK_HAND(p->cfr[1], 220.0);
    /* Year 2: MRP = 10 + 30 / 2 = 25; interest = 4 + 0.05 * 30 = 5.5;
     * CF = 25 + 5.5 + RCCO 10 - C 6 = 34.5; CFR = 220 + 21 - 25 = 216. */
    CHECK_HAND(p->mrp[2], 25.0);
    CHECK_HAND(p->capital_interest[2], 5.5);
    CHECK_HAND(p->capital_financing[2], 34.5);
    CHECK_HAND(p->cfr[2], 216.0);
    /* Year 3: MRP = 10 + 15 (tranche 1, last year) + 15 / 2 + 6 / 3 = 34.5;
     * interest = 4 + 0.05 * (30 - 15) + 0.04 * (15 + 6) = 4 + 0.75 + 0.84
     * = 5.59 (each tranche at the rate of its own year); CF = 40.09;
     * CFR = 216 - 34.5 = 181.5. */
    CHECK_HAND(p->mrp[3], 34.5);
    CHECK_HAND(p->capital_interest[3], 5.59);
    CHECK_HAND(p->capital_financing[3], 40.09);
    CHECK_HAND(p->cfr[3], 181.5);
    /* Year 4: tranche 1 is repaid (life 2 ended): nothing more on it.
     * MRP = 10 + 7.5 + 2 = 19.5; interest = 4 + 0.04 * (7.5 + 4) = 4.46;
     * CFR = 181.5 - 19.5 = 162 = 200 - 4 * 10 + capitalisation left 2. */
    CHECK_HAND(p->mrp[4], 19.5);
    CHECK_HAND(p->capital_interest[4], 4.46);
    CHECK_HAND(p->capital_financing[4], 23.96);
    CHECK_HAND(p->cfr[4], 162.0);
    /* E(t) gains exactly capital_financing(t): the services and funding of
     * hand.cfg's first two years are the same. */
    mtfs_projection *q = project(plain);
    for (size_t t = 0; q && t <= 2; t++) {
        CHECK_HAND(p->expenditure[t], q->expenditure[t] + p->capital_financing[t]);
        CHECK(q->capital_financing[t] == 0.0 && q->cfr[t] == 0.0);
    }
    /* The bridge sums to the gap with capital financing as its own item. */
    mtfs_bridge b;
    mtfs_error err;
    if (mtfs_bridge_compute(s, p, 4, &b, &err) == MTFS_OK) {
        double sum = 0.0;
        for (int i = 0; i < MTFS_BRIDGE_N; i++)
            sum += b.item[i];
        CHECK_CLOSE(sum, b.gap, 1e-9, 1e-9);
        CHECK_HAND(b.item[MTFS_BRIDGE_CAPITAL], 23.96);
        CHECK(mtfs_bridge_item_shown(&b, MTFS_BRIDGE_CAPITAL));
    } else
        CHECK(!"bridge failed");
    if (q && mtfs_bridge_compute(plain, q, 2, &b, &err) == MTFS_OK)
        CHECK(!mtfs_bridge_item_shown(&b, MTFS_BRIDGE_CAPITAL) && b.item[MTFS_BRIDGE_CAPITAL] == 0.0);
    /* The totals-only projection (Monte Carlo) agrees to the last bit. */
    mtfs_projection *r = mtfs_projection_alloc(s);
    if (r && mtfs_project_totals(s, r, &err) == MTFS_OK)
        for (size_t t = 0; t <= 4; t++)
            CHECK(r->gap[t] == p->gap[t] && r->capital_financing[t] == p->capital_financing[t]);
    else
        CHECK(!"totals-only projection failed");
    mtfs_projection_free(r);
    mtfs_projection_free(q);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    mtfs_scenario_free(plain);
}

/* Annuity at i = 0.1: a tranche B of life L pays B * i / ((1 + i)^L - 1)
 * * (1 + i)^(n-1).  L = 2: 0.1 / 0.21 = 0.476190476..., then 0.523809523...;
 * L = 3: 0.1 / 0.331 = 0.302114803..., then 0.332326283... */
static void test_annuity(void)
{
    mtfs_scenario *s = load("tests/good/hand_capital_annuity.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    double a2 = 0.1 / 0.21, a3 = 0.1 / 0.331;
    /* Year 2: MRP = 10 + 30 * a2 = 24.2857142857...; interest 5.5 as before. */
    CHECK_HAND(p->mrp[2], 10.0 + 30.0 * a2);
    CHECK_HAND(p->mrp[2], 24.285714285714285);
    CHECK_HAND(p->capital_interest[2], 5.5);
    /* Year 3: MRP = 10 + 30 * a2 * 1.1 + 15 * a2 + 6 * a3 = 34.66983167889...;
     * interest = 4 + 0.05 * 30 * (1 - a2) + 0.04 * (15 + 6) = 5.62571428571... */
    CHECK_HAND(p->mrp[3], 34.6698316788951);
    CHECK_HAND(p->capital_interest[3], 4.0 + 0.05 * 30.0 * (1.0 - a2) + 0.84);
    /* Year 4: tranche 1 repaid in full after two payments (30 * (a2 + 1.1 a2)
     * = 30); MRP = 10 + 15 * a2 * 1.1 + 6 * a3 * 1.1 = 19.85110056107...;
     * interest = 4 + 0.04 * (15 (1 - a2) + 6 (1 - a3)) = 4.48177816141...;
     * CFR = 200 - 40 + capitalisation left 6 * (1 - 2.1 a3) = 162.19335347... */
    CHECK_HAND(30.0 * (a2 + 1.1 * a2), 30.0);
    CHECK_HAND(p->mrp[4], 19.85110056107034);
    CHECK_HAND(p->capital_interest[4], 4.481778161415624);
    CHECK_HAND(p->cfr[4], 160.0 + 6.0 * (1.0 - 2.1 * a3));
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

void suite_capital(void)
{
    test_equal();
    test_annuity();
}
