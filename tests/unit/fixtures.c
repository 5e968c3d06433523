/*
 * fixtures.c - the shared helpers of fixtures.h.
 */
#include "fixtures.h"
#include "check.h"

mtfs_scenario *load(const char *path)
{
    mtfs_error err;
    mtfs_scenario *s = NULL;
    if (mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL loading %s: %s\n", path, mtfs_error_format(&err, line, sizeof line));
        check_failed++;
        return NULL;
    }
    return s;
}

mtfs_projection *project(const mtfs_scenario *s)
{
    mtfs_error err;
    mtfs_projection *p = mtfs_projection_alloc(s);
    CHECK(p != NULL);
    if (p && mtfs_project(s, p, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL projecting: %s\n", mtfs_error_format(&err, line, sizeof line));
        check_failed++;
    }
    return p;
}

mtfs_formula_result *formula(const char *path)
{
    mtfs_error err;
    mtfs_formula_result *r = NULL;
    if (mtfs_formula_run(path, &r, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL formula %s: %s\n", path, mtfs_error_format(&err, line, sizeof line));
        check_failed++;
    }
    return r;
}
