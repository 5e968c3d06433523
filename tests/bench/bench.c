/*
 * bench.c - how long the deterministic engine takes (make bench).
 *
 * Reports the in-process time of loading and validating a scenario and of
 * one projection, each averaged over many repetitions after a warm-up.  The
 * projection loop sums a result so the compiler cannot drop the work.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include "mtfs/mtfs.h"

#include <fcntl.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/resource.h>
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

/* The Monte Carlo benchmark scenario: 10 years, 6 services, and 20
 * uncertain inputs of every distribution, three of them correlated. */
static int write_mc_scenario(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "name = \"Monte Carlo benchmark\";\nbase_year = 2024;\nhorizon = 10;\n"
            "economy = { cpi = 0.02; pay = 0.03; nlw_growth = 0.04; };\n"
            "indices = { care = { nlw_growth = 0.6; cpi = 0.4; }; };\n"
            "services = (\n");
    const char *names[] = {"adults", "children", "transport", "highways", "corporate", "central"};
    for (int i = 0; i < 6; i++)
        fprintf(f, "  { name = \"%s\"; base = %d.0; pay_share = 0.%d; %s demand = 0.0%d; "
                   "growth = 2.0; savings = 1.5; delivery = 0.9; }%s\n",
                names[i], 200 - 25 * i, 2 + i, i == 0 ? "price_index = \"care\";" : "", 1 + i % 4,
                i < 5 ? "," : "");
    fprintf(f, ");\ncontingency = 3.0;\n"
               "council_tax = { taxbase = 240000.0; taxbase_growth = 0.012; band_d = 1600.0; "
               "core = 0.0299; asc = 0.02; collection_rate = 0.99; };\n"
               "business_rates = { base = 85.0; growth = 0.02; };\n"
               "grants = ( { name = \"social care grant\"; amount = 50.0; rule = \"cpi\"; } );\n"
               "reserves = { opening = 100.0; minimum = 20.0; };\n"
               "uncertainty = { seed = 42; parameters = (\n"
               "  { key = \"economy.cpi\"; dist = \"normal\"; sd = 0.01; rho = 0.6; },\n"
               "  { key = \"economy.pay\"; dist = \"normal\"; sd = 0.01; rho = 0.6; },\n"
               "  { key = \"economy.nlw_growth\"; dist = \"normal\"; sd = 0.012; rho = 0.5; },\n"
               "  { key = \"council_tax.taxbase_growth\"; dist = \"normal\"; sd = 0.004; lower = -0.01; upper = 0.01; },\n"
               "  { key = \"business_rates.growth\"; dist = \"normal\"; sd = 0.01; },\n"
               "  { key = \"grants.social care grant.amount\"; dist = \"lognormal\"; apply = \"scale\"; sigma = 0.05; },\n"
               "  { key = \"contingency\"; dist = \"normal\"; sd = 1.0; },\n"
               "  { key = \"council_tax.collection_rate\"; dist = \"uniform\"; apply = \"value\"; low = 0.98; high = 1.0; },\n");
    for (int i = 0; i < 6; i++) {
        if (i % 3 == 0)
            fprintf(f, "  { key = \"services.%s.demand\"; dist = \"triangular\"; apply = \"value\"; "
                       "low = 0.0; mode = 0.03; high = 0.07; rho = 0.8; },\n", names[i]);
        else if (i % 3 == 1)
            fprintf(f, "  { key = \"services.%s.demand\"; dist = \"pert\"; apply = \"value\"; "
                       "low = 0.0; mode = 0.03; high = 0.08; rho = 0.8; },\n", names[i]);
        else
            fprintf(f, "  { key = \"services.%s.demand\"; dist = \"normal\"; sd = 0.01; rho = 0.8; },\n",
                    names[i]);
        fprintf(f, "  { key = \"services.%s.delivery\"; dist = \"uniform\"; apply = \"value\"; "
                   "low = 0.6; high = 1.0; }%s\n", names[i], i < 5 ? "," : "");
    }
    fprintf(f, ");\n correlations = ( (\"economy.cpi\", \"economy.pay\", 0.6), "
               "(\"economy.cpi\", \"economy.nlw_growth\", 0.5) );\n};\n");
    return fclose(f);
}

static int bench_monte_carlo(size_t paths)
{
    char dir[] = "/tmp/mtfs-bench-mc.XXXXXX", path[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/mc.cfg", dir);
    mtfs_error err;
    mtfs_scenario *s = NULL;
    if (write_mc_scenario(path) != 0 || mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
        char line[2400];
        fprintf(stderr, "bench: %s\n", mtfs_error_format(&err, line, sizeof line));
        remove(path);
        rmdir(dir);
        return 1;
    }
    remove(path);
    rmdir(dir);
    printf("\nMonte Carlo: %zu paths x %zu years x 20 uncertain inputs (%.0f million draws):\n",
           paths, mtfs_scenario_horizon(s), (double)paths * 10 * 20 / 1e6);
    int failed = 0;
    /* The host is shared and noisy: each measurement is repeated, floor
     * and run taking turns, and the best of each is compared (every run is
     * printed). */
    enum { REPEATS = 3 };
    double floor_s[3] = {0}, mc_s[3] = {0};
    for (size_t threads = 1; threads <= 2; threads++) {
        double floor_runs[REPEATS], mc_runs[REPEATS], sink = 0.0;
        for (int rep = 0; rep < REPEATS; rep++) {
            double t0 = now();
            sink += mtfs_mc_draw_only(s, paths, 42, threads);
            floor_runs[rep] = now() - t0;
            mtfs_mc_options o;
            memset(&o, 0, sizeof o);
            o.paths = paths;
            o.threads = threads;
            mtfs_mc_result *r = NULL;
            t0 = now();
            if (mtfs_mc_run(s, &o, &r, &err) != MTFS_OK)
                failed = 1;
            mc_runs[rep] = now() - t0;
            mtfs_mc_result_free(r);
            if (rep == 0 || floor_runs[rep] < floor_s[threads])
                floor_s[threads] = floor_runs[rep];
            if (rep == 0 || mc_runs[rep] < mc_s[threads])
                mc_s[threads] = mc_runs[rep];
        }
        printf("  %zu thread%s: Monte Carlo %6.3f s (%.2f million paths/s); floor (draws only) %6.3f s; "
               "ratio %.2f%s\n", threads, threads > 1 ? "s" : " ", mc_s[threads],
               (double)paths / mc_s[threads] / 1e6, floor_s[threads], mc_s[threads] / floor_s[threads],
               sink == 0.12345 ? " " : "");
        printf("             best of %d; runs %.3f %.3f %.3f s, floors %.3f %.3f %.3f s\n", REPEATS,
               mc_runs[0], mc_runs[1], mc_runs[2], floor_runs[0], floor_runs[1], floor_runs[2]);
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("  peak memory (resident) %.0f MiB; per-path results kept: gap and reserves x 10 years x "
           "%zu paths = %.0f MiB\n",
           (double)usage.ru_maxrss / 1024.0, paths, 2.0 * 10 * (double)paths * 8 / 1048576.0);
    printf("  targets: <= 1.5 s at 2 threads (%s), within 2x of the floor (%s)\n",
           mc_s[2] <= 1.5 ? "met" : "NOT met", mc_s[2] <= 2.0 * floor_s[2] ? "met" : "NOT met");
    mtfs_scenario_free(s);
    return failed;
}

/* Run `argv` with standard output to `out` (or /dev/null), measuring its
 * wall time and peak resident memory (KiB, from wait4); returns its exit
 * status, or -1. */
static int run_measured(char *const argv[], const char *out, double *seconds, long *maxrss_kib)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out ? out : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 1, 0);
    pid_t pid;
    int status = -1;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    double t0 = now();
    if (posix_spawn(&pid, argv[0], &actions, NULL, argv, environ) == 0 &&
        wait4(pid, &status, 0, &usage) == pid)
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    *seconds = now() - t0;
    *maxrss_kib = usage.ru_maxrss;
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* `mtfs mc` in memory and with --bounded-memory on the generated scenario,
 * as whole processes (so each peak memory is its own): time, peak memory
 * and whether the two CSVs are byte-identical.  `memory_too` 0 runs only
 * the bounded one (for path counts whose results would not fit). */
static int bench_bounded(size_t paths, int memory_too)
{
    char dir[] = "/tmp/mtfs-bench-bounded.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char cfg[64], csv_mem[80], csv_bounded[80], n[32];
    snprintf(cfg, sizeof cfg, "%s/mc.cfg", dir);
    snprintf(csv_mem, sizeof csv_mem, "%s/memory.csv", dir);
    snprintf(csv_bounded, sizeof csv_bounded, "%s/bounded.csv", dir);
    snprintf(n, sizeof n, "%zu", paths);
    int failed = write_mc_scenario(cfg) != 0;
    printf("\nMonte Carlo in bounded memory (mtfs mc --threads 2, whole process): %zu paths x 10 years "
           "x 20 inputs\n", paths);
    double mem_s = 0.0, bounded_s = 0.0;
    long mem_kib = 0, bounded_kib = 0;
    char *in_memory[] = {"./mtfs", "mc", cfg, "--paths", n, "--threads", "2", "--quiet", "--format",
                         "csv", NULL};
    char *bounded[] = {"./mtfs", "mc", cfg, "--paths", n, "--threads", "2", "--quiet", "--format",
                       "csv", "--bounded-memory", NULL};
    if (!failed && memory_too) {
        failed |= run_measured(in_memory, csv_mem, &mem_s, &mem_kib) != 0;
        printf("  in memory        %8.2f s, peak %7.1f MiB\n", mem_s, (double)mem_kib / 1024.0);
    }
    if (!failed) {
        failed |= run_measured(bounded, csv_bounded, &bounded_s, &bounded_kib) != 0;
        printf("  bounded memory   %8.2f s, peak %7.1f MiB", bounded_s, (double)bounded_kib / 1024.0);
        if (memory_too)
            printf(" (%.2f x the time, %.2f x the memory)", bounded_s / mem_s,
                   (double)bounded_kib / (double)mem_kib);
        printf("\n");
    }
    if (!failed && memory_too) {
        int same = same_file(csv_mem, csv_bounded);
        printf("  CSV byte-identical: %s\n", same ? "yes" : "NO");
        failed |= !same;
    }
    if (!failed && paths >= 100000000)
        printf("  target: 10^8 paths under 64 MiB peak (%s)\n",
               bounded_kib < 64 * 1024 ? "met" : "NOT met");
    remove(cfg);
    remove(csv_mem);
    remove(csv_bounded);
    rmdir(dir);
    if (failed)
        fprintf(stderr, "bench: the bounded-memory comparison failed\n");
    return failed;
}

/* A Fair Funding-style formula over every authority of the data with 2020-21
 * funding (the rows without it are excluded by code), written for the
 * benchmark. */
static int write_bench_formula(const char *path, const char *data)
{
    mtfs_table *t;
    mtfs_error err;
    if (mtfs_table_load(data, &t, &err) != MTFS_OK)
        return -1;
    FILE *f = fopen(path, "w");
    if (!f) {
        mtfs_table_free(t);
        return -1;
    }
    size_t code = mtfs_table_column(t, "code"), csp = mtfs_table_column(t, "core_spending_power_m");
    size_t year = mtfs_table_column(t, "csp_year");
    fprintf(f, "name = \"bench\";\ndata = \"%s\";\nscope = { types = [\"county\", \"unitary\", "
               "\"metropolitan\", \"london\"]; status = \"any\"; exclude = [", data);
    int first = 1;
    for (size_t r = 0; r < mtfs_table_rows(t); r++) {
        if (isfinite(mtfs_table_number(t, r, csp)) && strcmp(mtfs_table_text(t, r, year), "2020-21") == 0)
            continue;
        fprintf(f, "%s\"%s\"", first ? "" : ", ", mtfs_table_text(t, r, code));
        first = 0;
    }
    fprintf(f, "]; };\n"
               "council_tax = { taxbase = \"council_tax_base\"; band_d = \"band_d\"; };\n"
               "blocks = (\n"
               "  { name = \"foundation\"; weight = 0.3; drivers = { population = 1.0; }; },\n"
               "  { name = \"adults\"; weight = 0.4; drivers = { population_65_plus = 0.6; "
               "population_65_plus*idaopi_average_score = 0.4; }; },\n"
               "  { name = \"children\"; weight = 0.22; drivers = { population_0_17 = 0.5; "
               "population_0_17*idaci_average_score = 0.5; }; },\n"
               "  { name = \"roads\"; weight = 0.08; drivers = { road_length_km = 1.0; }; }\n);\n"
               "equalisation = { share = 1.0; notional_band_d = 1500.0; taxbase = \"council_tax_base\"; };\n"
               "floor = -0.25;\ntransition = [0.333, 0.667, 1.0];\n");
    mtfs_table_free(t);
    return fclose(f);
}

static int bench_formula(size_t variants)
{
    char dir[] = "/tmp/mtfs-bench-formula.XXXXXX", path[64], data[4096];
    if (!mkdtemp(dir) || !realpath("data/authorities.csv", data))
        return 1;
    snprintf(path, sizeof path, "%s/bench.cfg", dir);
    mtfs_error err;
    mtfs_formula_result *r = NULL;
    int bad = write_bench_formula(path, data) != 0;
    const int runs = 50;
    double t0 = now();
    for (int k = 0; !bad && k < runs; k++) {
        mtfs_formula_result_free(r);
        r = NULL;
        bad = mtfs_formula_run(path, &r, &err) != MTFS_OK;
    }
    double run_s = (now() - t0) / runs;
    remove(path);
    rmdir(dir);
    if (bad) {
        char line[2400];
        fprintf(stderr, "bench: %s\n", mtfs_error_format(&err, line, sizeof line));
        mtfs_formula_result_free(r);
        return 1;
    }
    /* Random block weights: Dirichlet(1, ..., 1), a fixed seed. */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 42);
    double *weights = malloc(variants * r->n_blocks * sizeof *weights);
    double alpha[16];
    for (size_t b = 0; b < r->n_blocks && b < 16; b++)
        alpha[b] = 1.0;
    for (size_t v = 0; weights && v < variants; v++)
        gsl_ran_dirichlet(rng, r->n_blocks, alpha, weights + v * r->n_blocks);
    gsl_rng_free(rng);
    if (!weights) {
        mtfs_formula_result_free(r);
        return 1;
    }
    size_t infeasible = 0;
    double sink = 0.0;
    t0 = now();
    for (size_t v = 0; v < variants; v++) {
        /* Dirichlet draws sum to 1 to rounding; the engine checks to 1e-9. */
        if (mtfs_formula_reweight(r, weights + v * r->n_blocks, &err) != MTFS_OK) {
            infeasible++;
            continue;
        }
        sink += r->final[v % r->n];
    }
    double variants_s = now() - t0;
    printf("\nFair-funding formula over %zu authorities (%zu needs blocks, equalisation, floors, "
           "transition, rank):\n", r->n, r->n_blocks);
    printf("  one full run (parse formula, read %zu-row CSV, allocate)   %8.3f ms\n",
           (size_t)mtfs_table_rows(r->table), 1e3 * run_s);
    printf("  %zu random weight sets x %zu authorities (reweight)     %8.3f s  (target <= 1 s; "
           "%.1f us a variant; %zu infeasible floors)%s\n",
           variants, r->n, variants_s, 1e6 * variants_s / (double)variants, infeasible,
           sink == 0.12345 ? " " : "");
    free(weights);
    mtfs_formula_result_free(r);
    return 0;
}

/* mtfs sweep over the shipped formulas (the national sweep, issue 19):
 * whole process on 1 and 2 threads, best of three, peak memory, and
 * whether the two CSVs are the same bytes.  `paths` weight draws a
 * variant. */
static int bench_sweep(const char *paths)
{
    char dir[] = "/tmp/mtfs-bench-sweep.XXXXXX", out[2][64];
    if (!mkdtemp(dir))
        return 1;
    int failed = 0;
    double best[2] = {1e30, 1e30};
    long peak[2] = {0, 0};
    for (int t = 0; t < 2; t++) {
        char threads[8];
        snprintf(threads, sizeof threads, "%d", t + 1);
        snprintf(out[t], sizeof out[t], "%s/sweep%d.csv", dir, t + 1);
        char *argv[] = {"./mtfs", "sweep", "--paths", (char *)paths, "--threads", threads,
                        "--format", "csv", NULL};
        for (int r = 0; r < 3; r++) {
            double seconds;
            long kib;
            failed |= run_measured(argv, out[t], &seconds, &kib) != 0;
            if (seconds < best[t])
                best[t] = seconds;
            if (kib > peak[t])
                peak[t] = kib;
        }
    }
    int same = same_file(out[0], out[1]);
    printf("\nNational sweep (mtfs sweep: shipped formulas x 5 grid steps, %s weight draws a "
           "variant; whole process, best of 3):\n", paths);
    for (int t = 0; t < 2; t++)
        printf("  %d thread%s  %8.2f s, peak %6.1f MiB\n", t + 1, t ? "s" : " ", best[t],
               (double)peak[t] / 1024.0);
    printf("  CSV byte-identical on 1 and 2 threads: %s\n", same ? "yes" : "NO");
    failed |= !same;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        failed = 1;
    return failed;
}

int main(int argc, char **argv)
{
    /* bench --sweep [PATHS]: the national sweep alone. */
    if (argc > 1 && strcmp(argv[1], "--sweep") == 0)
        return bench_sweep(argc > 2 ? argv[2] : "1000");
    /* bench --mc-scenario FILE: write the Monte Carlo scenario, for `mtfs mc`. */
    if (argc > 2 && strcmp(argv[1], "--mc-scenario") == 0)
        return write_mc_scenario(argv[2]) != 0;
    /* bench --bounded PATHS: mtfs mc --bounded-memory (make bench-large),
     * beside the in-memory run while its results fit in ~640 MiB. */
    if (argc > 2 && strcmp(argv[1], "--bounded") == 0)
        return bench_bounded((size_t)atol(argv[2]), atol(argv[2]) <= 4000000);
    /* bench --mc [PATHS]: the Monte Carlo part alone, for profiling. */
    if (argc > 1 && strcmp(argv[1], "--mc") == 0)
        return bench_monte_carlo(argc > 2 ? (size_t)atol(argv[2]) : 1000000);
    long projections = argc > 1 ? atol(argv[1]) : 1000000;
    int failed = 0;
    printf("In-process (mean of repeated calls):\n");
    failed |= bench("scenarios/leics_2025_central.cfg", 2000, projections);
    failed |= bench("scenarios/leics_2025_savings_70.cfg", 2000, projections);
    failed |= bench("scenarios/leics_2020_covid.cfg", 2000, projections);
    failed |= bench("tests/good/flat.cfg", 2000, projections);

    failed |= bench_formula(1000);
    failed |= bench_monte_carlo(argc > 2 ? (size_t)atol(argv[2]) : 1000000);
    failed |= bench_bounded(argc > 2 ? (size_t)atol(argv[2]) : 1000000, 1);
    failed |= bench_sweep("1000");
    failed |= bench_sweep("10000");

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
    enum { BATCH_N = 10000 };
    if (!mkdtemp(dir) || !realpath("scenarios/leics_2025_central.cfg", central) ||
        make_scenarios(dir, BATCH_N, central) != 0) {
        fprintf(stderr, "bench: cannot write the generated scenarios\n");
        return 1;
    }
    char *batch[] = {mtfs, "batch", dir, "--fail-if", "final_gap > 1000", NULL};
    double batch_s = time_command(batch, 3, &status);
    printf("  mtfs batch DIR of %d generated scenarios        %8.2f s  (%.0f us a scenario; target <= 60 us: "
           "%s)\n", BATCH_N, batch_s, 1e6 * batch_s / BATCH_N, 1e6 * batch_s / BATCH_N <= 60.0 ? "met" : "NOT met");
    failed |= status != 0;
    char command[8300];
    snprintf(command, sizeof command, "rm -rf '%s' '%s'", dir, outdir);
    if (system(command) != 0)
        failed = 1;
    return failed;
}
