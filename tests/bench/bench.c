/*
 * bench.c - how long the deterministic engine takes (make bench).
 *
 * Reports the in-process time of loading and validating a scenario and of
 * one projection, each averaged over many repetitions after a warm-up.  The
 * projection loop sums a result so the compiler cannot drop the work.
 */
#include "mtfs/mtfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int bench(const char *path, long loads, long projections)
{
    mtfs_error err;
    mtfs_scenario *s = NULL;
    double t0 = now();
    for (long i = 0; i < loads; i++) {
        mtfs_scenario_free(s);
        if (mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
            char line[2400];
            fprintf(stderr, "%s\n", mtfs_error_format(&err, line, sizeof line));
            return 1;
        }
    }
    double load_s = (now() - t0) / (double)loads;

    mtfs_projection *p = mtfs_projection_alloc(s);
    double sink = 0.0;
    for (long i = 0; i < projections / 10; i++) /* warm-up */
        mtfs_project(s, p, &err);
    t0 = now();
    for (long i = 0; i < projections; i++) {
        mtfs_project(s, p, &err);
        sink += p->gap[p->horizon];
    }
    double project_s = (now() - t0) / (double)projections;
    printf("%-40s %3zu years %4zu services  load+validate %8.1f us   projection %7.3f us  (%.0f projections/s)\n",
           path, mtfs_scenario_horizon(s), mtfs_scenario_service_count(s), 1e6 * load_s,
           1e6 * project_s, 1.0 / project_s);
    if (sink == 0.12345)
        printf("(sink)\n");
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    long projections = argc > 1 ? atol(argv[1]) : 1000000;
    int failed = 0;
    failed |= bench("scenarios/leics_2025_central.cfg", 2000, projections);
    failed |= bench("scenarios/leics_2025_savings_70.cfg", 2000, projections);
    failed |= bench("tests/good/flat.cfg", 2000, projections);
    return failed;
}
