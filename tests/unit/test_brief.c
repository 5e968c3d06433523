/*
 * test_brief.c - the lobbying brief (brief.c) by hand on
 * tests/good/brief_mini.cfg: per-head comparators, formulas and cases.
 */
#include "check.h"
#include "fixtures.h"

static void test_brief(void)
{
    mtfs_scenario *s = load("tests/good/brief_mini.cfg"), *h = load("tests/good/hand.cfg");
    mtfs_brief *b = NULL;
    mtfs_error err;
    CHECK(s && mtfs_brief_compute(s, &b, &err) == MTFS_OK);
    if (b && h) {
        mtfs_projection *p = project(h);
        /* Per head (£): Alpha 50e6/100 = 500,000, Beta 80e6/200 = 400,000,
         * Delta 130e6/400 = 325,000; the groups (Old county is 2019-20, so
         * out) 350e6/1000 = 350,000.  At X's level: (pc_X - 500,000) x 100. */
        CHECK(b->n_rows == 6);
        CHECK_STR(b->rows[0].label, "Alpha, county");
        CHECK(b->rows[0].line == 2 && b->rows[1].line == 3);
        CHECK_HAND(b->rows[1].per_head, 400000.0);
        CHECK_HAND(b->rows[1].gain, -10.0);
        CHECK_HAND(b->rows[2].gain, -17.5);
        CHECK(b->rows[3].members == 4);
        CHECK_HAND(b->rows[3].per_head, 350000.0);
        CHECK_HAND(b->rows[3].gain, -15.0);
        /* Formulas: needs gives Alpha 38.5 (test_formula), Beta's level 40. */
        CHECK(b->n_formulas == 2);
        CHECK_HAND(b->formulas[0].change, -11.5);
        CHECK_HAND(b->formulas[1].change, -10.0);
        /* Cases, duplicates dropped: none, this scenario (-10), needs
         * (-11.5), Delta (-17.5), England (-15).  The 2026/27 gap moves by
         * 0.5 x -change x 1.02 x 1.03 (hand_reform.cfg). */
        CHECK(b->n_cases == 5);
        const double change[] = {0.0, -10.0, -11.5, -17.5, -15.0};
        for (size_t k = 0; k < 5 && k < b->n_cases; k++) {
            CHECK_HAND(b->cases[k].change, change[k]);
            CHECK_HAND(b->cases[k].gap[2], p->gap[2] - 0.5 * change[k] * 1.02 * 1.03);
            CHECK_HAND(b->cases[k].gap[1], p->gap[1]);
        }
        mtfs_projection_free(p);
    }
    mtfs_brief_free(b);
    /* A scenario without a fair_funding block has no brief. */
    b = NULL;
    CHECK(h && mtfs_brief_compute(h, &b, &err) == MTFS_EINPUT && b == NULL);
    mtfs_scenario_free(s);
    mtfs_scenario_free(h);
}

void suite_brief(void)
{
    test_brief();
}
