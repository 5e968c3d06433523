/*
 * test_error.c - the located errors of error.c, the exit code of each
 * status, and the errors a load and a mismatched projection give.
 */
#include "check.h"
#include "fixtures.h"

static void test_errors(void)
{
    mtfs_error err;
    mtfs_scenario *s = (mtfs_scenario *)&err; /* must be reset to NULL on failure */
    mtfs_status st = mtfs_scenario_load("tests/bad/base_cycle_a.cfg", &s, &err);
    CHECK(st == MTFS_EINPUT);
    CHECK(s == NULL);
    CHECK_STR(err.key, "base");
    st = mtfs_scenario_load("tests/no/such/file.cfg", &s, &err);
    CHECK(st == MTFS_EINPUT);
    CHECK(mtfs_status_exit_code(st) == 2);
    CHECK(mtfs_status_exit_code(MTFS_EIO) == 3);
    CHECK(mtfs_status_exit_code(MTFS_OK) == 0);

    char line[256];
    mtfs_error_set(&err, MTFS_EINPUT, "a.cfg", 7, "services.adults.demand", "value %g", 5.0);
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "a.cfg:7: key 'services.adults.demand': value 5");
    mtfs_error_set(&err, MTFS_EIO, "out.csv", 0, NULL, "cannot write");
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "out.csv: cannot write");
    mtfs_error_set(&err, MTFS_EIO, NULL, 0, NULL, "plain");
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "plain");
    /* Truncation keeps the buffer terminated */
    char tiny[8];
    mtfs_error_set(&err, MTFS_EINPUT, "long-file-name.cfg", 1, NULL, "x");
    CHECK(strlen(mtfs_error_format(&err, tiny, sizeof tiny)) == 7);

    /* A projection record must match its scenario */
    mtfs_scenario *a = load("tests/good/hand.cfg"), *b = load("tests/good/flat.cfg");
    if (a && b) {
        mtfs_projection *p = mtfs_projection_alloc(a);
        CHECK(mtfs_project(b, p, &err) == MTFS_EINTERNAL);
        mtfs_projection_free(p);
    }
    mtfs_scenario_free(a);
    mtfs_scenario_free(b);
}

void suite_error(void)
{
    test_errors();
}
