/*
 * test_condition.c - parsing --fail-if and goal-seek conditions
 * (condition.c) and evaluating them against a projection.
 */
#include "check.h"
#include "fixtures.h"

static void test_conditions(void)
{
    mtfs_condition c;
    mtfs_error err;
    CHECK(mtfs_condition_parse(" gap [ 2028/29 ]>= 80.5 ", &c, &err) == MTFS_OK);
    CHECK(c.quantity == MTFS_QUANTITY_GAP && c.year == 2028 && c.op == MTFS_OP_GE);
    CHECK_HAND(c.value, 80.5);
    CHECK(mtfs_condition_parse("exhausted_year==none", &c, &err) == MTFS_OK);
    CHECK(isinf(c.value));
    CHECK(mtfs_condition_parse("cumulative_gap < 1e3", &c, &err) == MTFS_OK);
    CHECK(c.year == 0);
    CHECK(mtfs_condition_parse("gap[2028] = 5", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("gap[2028] =< 5", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("gap[2028] > 5 extra", &c, &err) == MTFS_EINPUT);
    CHECK_STR(err.message, "condition 'gap[2028] > 5 extra': unexpected 'extra' after the condition");
    CHECK(mtfs_condition_parse("", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("reserves[2028] < inf", &c, &err) == MTFS_EINPUT);
    /* The old name is refused, not given either meaning. */
    CHECK(mtfs_condition_parse("exhaustion_year <= 2027", &c, &err) == MTFS_EINPUT);
    CHECK(strcmp(err.message, "condition 'exhaustion_year <= 2027': 'exhaustion_year' is no longer "
                              "a quantity: use below_minimum_year (the first year reserves fall below "
                              "the minimum) or exhausted_year (the first year they fall below zero)") == 0);

    /* Evaluate against hand.cfg: gap(2026/27) = 46.45228368, reserves
     * -69.41288368, below the minimum and below zero in 2025/26. */
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    struct { const char *text; int holds; double actual; } cases[] = {
        {"gap[2026] > 46.45", 1, 46.45228368},
        {"gap[2026] < 46.45", 0, 46.45228368},
        {"final_gap >= 46.4522", 1, 46.45228368},
        {"reserves[2025] <= -23.9606", 1, -23.9606},
        {"cumulative_gap[2025] == 33.9606", 1, 33.9606},
        {"below_minimum_year <= 2025", 1, 2025.0},
        {"below_minimum_year == none", 0, 2025.0},
        {"exhausted_year <= 2025", 1, 2025.0},
        {"exhausted_year == none", 0, 2025.0},
        {"covid_pressure[2026] > 0", 0, 0.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int holds = -1;
        double actual = NAN;
        CHECK(mtfs_condition_parse(cases[i].text, &c, &err) == MTFS_OK);
        CHECK(mtfs_condition_eval(&c, p, &holds, &actual, &err) == MTFS_OK);
        CHECK(holds == cases[i].holds);
        CHECK_HAND(actual, cases[i].actual);
    }
    CHECK(mtfs_condition_parse("gap[2030] > 0", &c, &err) == MTFS_OK);
    int holds;
    double actual;
    CHECK(mtfs_condition_eval(&c, p, &holds, &actual, &err) == MTFS_EINPUT);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

void suite_condition(void)
{
    test_conditions();
}
