/*
 * test_sensitivity.c - scenario clones (which sensitivity.c projects) and
 * the sensitivity table by hand on tests/good/hand.cfg.
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

static void test_sensitivity_and_clone(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_error err;
    mtfs_scenario *c = NULL;
    CHECK(mtfs_scenario_clone(s, &c, &err) == MTFS_OK);
    mtfs_projection *p = project(s), *q = project(c);
    size_t n = (p->horizon + 1) * sizeof(double);
    CHECK(memcmp(p->gap, q->gap, n) == 0);
    c->economy[c->cpi].values[1] = 0.5;      /* the clone owns its series */
    CHECK_HAND(s->economy[s->cpi].values[1], 0.02);
    CHECK_STR(mtfs_scenario_file(c, 0), "tests/good/hand.cfg");
    mtfs_projection_free(q);
    mtfs_scenario_free(c);

    mtfs_sensitivity_row *rows;
    size_t count;
    double base;
    CHECK(mtfs_sensitivity_compute(s, &rows, &count, &base, &err) == MTFS_OK);
    CHECK(count == 5 + 2);
    CHECK_HAND(base, p->gap[2]);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rows[i].key, "council_tax") == 0)
            /* Band D 1000 * 1.04^2 = 1081.6; CT(2) = 102010 * 1081.6 * 0.98 / 1e6 - 0.1
             * = 108.02733568, up 2.06937486 on 105.95796082 */
            CHECK_HAND(rows[i].change, -(108.02733568 - 105.95796082));
        if (strcmp(rows[i].key, "delivery") == 0)
            /* Service a delivers 0.8 instead of 1 each year: R_a(1) +0.2, and
             * R_a(2) + 0.2 * 1.035 * 1.03 + 0.2 = 0.41321 */
            CHECK_HAND(rows[i].change, 0.41321);
        if (strcmp(rows[i].key, "demand:b") == 0)
            /* R_b(1) = 50 * 1.056 * 1.01 = 53.328; R_b(2) = 53.328 * 1.06 * 1.01
             * = 53.328 * 1.0706 = 57.0929568, up 1.1249568 on 55.968 */
            CHECK_HAND(rows[i].change, 57.0929568 - 55.968);
        CHECK(isfinite(rows[i].change));
    }
    /* Labels come from the input registry. */
    CHECK_STR(rows[2].label, "Demand growth, a +1 point a year");
    CHECK_STR(rows[4].label, "Council-tax rise, core +1 point a year");
    CHECK_STR(rows[6].label, "Savings delivered 10 points lower");
    mtfs_sensitivity_free(rows);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

void suite_sensitivity(void)
{
    test_sensitivity_and_clone();
}
