/*
 * bench.c - how long the deterministic engine takes (make bench).
 *
 * Reports the in-process time of loading and validating a scenario and of
 * one projection, each averaged over many repetitions after a warm-up.  The
 * projection loop sums a result so the compiler cannot drop the work.
 */
#include "mtfs/mtfs.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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
    printf("  %-38s %3zu years %4zu services  load+validate %8.1f us   projection %7.3f us  (%.0f projections/s)\n",
           path, mtfs_scenario_horizon(s), mtfs_scenario_service_count(s), 1e6 * load_s,
           1e6 * project_s, 1.0 / project_s);
    if (sink == 0.12345)
        printf("(sink)\n");
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return 0;
}

/* Run a command with standard output and error sent to /dev/null; returns
 * its exit status, or -1 if it could not be started. */
static int run_quietly(char *const argv[])
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 1, 0);
    pid_t pid;
    int status = -1;
    if (posix_spawn(&pid, argv[0], &actions, NULL, argv, environ) == 0 && waitpid(pid, &status, 0) == pid)
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

/* Whole-process time of a command, averaged over `repeats` runs. */
static double time_command(char *const argv[], int repeats, int *status)
{
    *status = run_quietly(argv); /* warm the page cache */
    double t0 = now();
    for (int i = 0; i < repeats; i++)
        *status = run_quietly(argv);
    return (now() - t0) / repeats;
}

/* Write n scenarios into dir, each inheriting the central case with its own
 * inflation and savings delivery, so every file is parsed, merged and run. */
static int make_scenarios(const char *dir, int n, const char *central)
{
    char path[4096];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/scenario_%04d.cfg", dir, i);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        fprintf(f, "base = \"%s\";\nname = \"generated %d\";\n"
                   "economy = { cpi = %.4f; pay = %.4f; };\n"
                   "services = ( { name = \"adults\"; delivery = %.3f; } );\n",
                central, i, 0.01 + 0.04 * (i % 100) / 100.0, 0.02 + 0.03 * (i % 37) / 37.0,
                0.5 + 0.5 * (i % 11) / 10.0);
        if (fclose(f) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long projections = argc > 1 ? atol(argv[1]) : 1000000;
    int failed = 0;
    printf("In-process (mean of repeated calls):\n");
    failed |= bench("scenarios/leics_2025_central.cfg", 2000, projections);
    failed |= bench("scenarios/leics_2025_savings_70.cfg", 2000, projections);
    failed |= bench("scenarios/leics_2020_covid.cfg", 2000, projections);
    failed |= bench("tests/good/flat.cfg", 2000, projections);

    char *mtfs = "./mtfs";
    int status;
    printf("\nWhole process (fork, exec, load, project, print; mean of runs):\n");
    char *table[] = {mtfs, "run", "scenarios/leics_2025_central.cfg", NULL};
    printf("  mtfs run leics_2025_central.cfg (table)           %8.2f ms\n",
           1e3 * time_command(table, 50, &status));
    failed |= status != 0;
    char outdir[] = "/tmp/mtfs-bench-out.XXXXXX";
    if (!mkdtemp(outdir))
        return 1;
    char *all[] = {mtfs, "run", "scenarios/leics_2025_central.cfg", "-o", outdir, NULL};
    printf("  mtfs run ... -o DIR (6 files and 2 PNG charts)    %8.2f ms\n",
           1e3 * time_command(all, 10, &status));
    failed |= status != 0;

    char dir[] = "/tmp/mtfs-bench-batch.XXXXXX";
    char central[4096];
    if (!mkdtemp(dir) || !realpath("scenarios/leics_2025_central.cfg", central) ||
        make_scenarios(dir, 1000, central) != 0) {
        fprintf(stderr, "bench: cannot write the generated scenarios\n");
        return 1;
    }
    char *batch[] = {mtfs, "batch", dir, "--fail-if", "final_gap > 1000", NULL};
    double batch_s = time_command(batch, 3, &status);
    printf("  mtfs batch DIR of 1000 generated scenarios         %8.2f s  (target < 2 s; %.0f scenarios/s)\n",
           batch_s, 1000.0 / batch_s);
    failed |= status != 0;
    char command[8300];
    snprintf(command, sizeof command, "rm -rf '%s' '%s'", dir, outdir);
    if (system(command) != 0)
        failed = 1;
    return failed;
}
