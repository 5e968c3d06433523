/*
 * test_scenario.c - loading scenario files (scenario.c, config.c): base
 * files merged by key, each found relative to the file naming it, and
 * @include.
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

static void test_inheritance(void)
{
    mtfs_scenario *s = load("tests/good/inherit/child.cfg");
    if (!s)
        return;
    CHECK_STR(mtfs_scenario_name(s), "child");
    CHECK(s->horizon == 3);
    CHECK_HAND(s->economy[s->cpi].values[1], 0.05);      /* overridden */
    CHECK_HAND(s->economy[s->pay].values[3], 0.03);      /* inherited */
    CHECK(s->n_services == 3);
    CHECK_STR(s->services[0].name, "a");
    CHECK_HAND(s->services[0].base, 100.0);               /* kept by the merge */
    CHECK_HAND(s->services[0].pay_share, 0.5);
    CHECK_HAND(s->services[0].demand[2], 0.04);           /* overridden */
    CHECK_STR(s->services[2].name, "c");                  /* appended */
    CHECK(s->n_grants == 3);
    CHECK_HAND(s->grants[0].amount, 12.0);
    CHECK(s->grants[1].rule == MTFS_GRANT_CPI);
    CHECK(s->grants[2].rule == MTFS_GRANT_LIST);
    CHECK(mtfs_scenario_file_count(s) == 2);
    mtfs_scenario_free(s);

    s = load("tests/good/inherit/sub/grandchild.cfg");
    if (!s)
        return;
    CHECK_STR(mtfs_scenario_name(s), "grandchild");
    CHECK_STR(mtfs_scenario_id(s), "grandchild");
    CHECK_HAND(s->ct_core[1], 0.0);
    CHECK_HAND(s->services[1].base, 60.0);
    CHECK_HAND(s->services[0].demand[1], 0.04);
    CHECK_HAND(s->economy[s->cpi].values[1], 0.05);
    CHECK(mtfs_scenario_file_count(s) == 3);
    CHECK_STR(mtfs_scenario_file(s, 0), "tests/good/inherit/sub/grandchild.cfg");
    /* Each base is found relative to the file that names it. */
    CHECK_STR(mtfs_scenario_file(s, 1), "tests/good/inherit/child.cfg");
    CHECK_STR(mtfs_scenario_file(s, 2), "tests/good/inherit/parent.cfg");
    mtfs_scenario_free(s);

    s = load("tests/good/include/main.cfg");
    if (!s)
        return;
    CHECK_HAND(s->economy[s->cpi].values[2], 0.025);
    CHECK(mtfs_scenario_file_count(s) == 2);
    mtfs_scenario_free(s);
}

void suite_scenario(void)
{
    test_inheritance();
}
