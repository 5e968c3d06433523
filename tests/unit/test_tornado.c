/*
 * test_tornado.c - the tornado (tornado.c) of two normal inputs linear in
 * the gap: swings of P10 to P90, ties sorted by key.
 */
#include "check.h"
#include "fixtures.h"

#include <gsl/gsl_cdf.h>

static void test_tornado(void)
{
    mtfs_error err;
    mtfs_scenario *s = load("tests/good/mc/correlated.cfg");
    if (!s)
        return;
    mtfs_tornado *t = NULL;
    CHECK(mtfs_tornado_compute(s, &t, &err) == MTFS_OK);
    if (t) {
        /* Both inputs are normal(0, 10) and linear in the gap: the gap moves
         * from 20 - 12.8155 to 20 + 12.8155 (P10 and P90 of N(0, 10)); for
         * the collection fund the other way round. */
        double z90 = gsl_cdf_ugaussian_Pinv(0.9);
        CHECK(t->n == 2);
        CHECK_HAND(t->base_gap, 20.0);
        CHECK_HAND(t->rows[0].swing, 2.0 * 10.0 * z90);
        CHECK_HAND(t->rows[1].swing, 2.0 * 10.0 * z90);
        CHECK_STR(t->rows[0].key, "contingency");   /* ties sort by key */
        CHECK_HAND(t->rows[0].high_gap, 20.0 + 10.0 * z90);
        CHECK_HAND(t->rows[1].high_gap, 20.0 - 10.0 * z90);
    }
    mtfs_tornado_free(t);
    mtfs_scenario_free(s);
}

void suite_tornado(void)
{
    test_tornado();
}
