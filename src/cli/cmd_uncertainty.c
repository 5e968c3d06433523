/*
 * cmd_uncertainty.c - the commands over a scenario's uncertainty and its
 * levers: mc, tornado and goalseek (see cli.h).
 */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const table_csv_json[] = {"table", "csv", "json", NULL};

typedef struct {
    const mtfs_scenario *s;
    const mtfs_mc_result *r;
    const mtfs_tornado *t;
    const mtfs_goalseek_spec *spec;
    const mtfs_goalseek_result *g;
} uncertainty_context;

/* ------------------------------------------------------------------ */
/* mc                                                                  */

/* A progress bar on standard error, redrawn when the percentage moves. */
typedef struct {
    int last;
} progress_bar;

static void show_progress(void *context, size_t done, size_t total)
{
    progress_bar *bar = context;
    int percent = total ? (int)(100 * done / total) : 100;
    if (percent == bar->last)
        return;
    bar->last = percent;
    int filled = percent / 5;
    fprintf(stderr, "\rmtfs mc: [%.*s%*s] %3d%%", filled, "####################", 20 - filled, "",
            percent);
    if (percent == 100)
        fputs("\r                                     \r", stderr);
    fflush(stderr);
}

static mtfs_status emit_mc_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_mc_csv(out, ((const uncertainty_context *)c)->r, err);
}

static mtfs_status emit_mc_json(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_json_write_mc(out, u->s, u->r, err);
}

static mtfs_status emit_mc_table(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_report_mc_table(out, u->s, u->r, err);
}

static mtfs_mc_options mc;
cli_mc_hooks cli_mc_hook;
static double mc_thresholds[CLI_MAX_THRESHOLDS];
static size_t mc_shard, mc_shards;      /* --shard K/N; 0: the whole run */
static const cli_command *mc_cmd = &cli_mc; /* whose options are parsed (mc or merge) */

static int mc_option(int id, const char *arg)
{
    size_t v;
    switch (id) {
    case OPT_SHARD:
        if (cli_parse_shard(arg, &mc_shard, &mc_shards))
            return cli_bad_usage(mc_cmd, "--shard '%s' is not K/N, whole numbers with 1 <= K <= N "
                                 "<= 100000", arg);
        return 0;
    case OPT_PATHS:
        if (cli_parse_size(arg, 1, 100000000, &mc.paths))
            return cli_bad_usage(mc_cmd, "--paths '%s' is not a whole number from 1 to 100000000", arg);
        return 0;
    case OPT_SEED:
        if (cli_parse_size(arg, 0, 4294967295u, &v))
            return cli_bad_usage(mc_cmd, "--seed '%s' is not a whole number from 0 to 4294967295", arg);
        mc.seed = (unsigned long)v;
        mc.seed_given = 1;
        return 0;
    case OPT_THREADS:
        if (cli_parse_size(arg, 1, 64, &mc.threads))
            return cli_bad_usage(mc_cmd, "--threads '%s' is not a whole number from 1 to 64", arg);
        return 0;
    case OPT_THRESHOLD: {
        char *end;
        double x = strtod(arg, &end);
        if (end == arg || *end || !(x > -1e6 && x < 1e6))
            return cli_bad_usage(mc_cmd, "--threshold '%s' is not an amount in £m", arg);
        if (mc.n_thresholds == CLI_MAX_THRESHOLDS)
            return cli_bad_usage(mc_cmd, "at most %s thresholds", "32");
        mc_thresholds[mc.n_thresholds++] = x;
        mc.thresholds = mc_thresholds;
        return 0;
    }
    case OPT_MAX_MEMORY:
        if (cli_parse_size(arg, 1, (size_t)1 << 30, &v))
            return cli_bad_usage(mc_cmd, "--max-memory '%s' is not a whole number of MiB from 1 to "
                                 "1073741824", arg);
        mc.max_memory = v << 20;
        return 0;
    case OPT_BOUNDED_MEMORY:
        mc.streaming = 1;
        return 0;
    default:
        return 0;
    }
}

/* The results are the same for any thread count (the paths are drawn in
 * fixed blocks), so by default every online core works. */
static void default_threads(void)
{
    if (!mc.threads && cli_mc_hook.threads)
        mc.threads = cli_mc_hook.threads;
    if (!mc.threads)
        mc.threads = cli_default_threads();
}

static mtfs_status emit_partial(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_mc_partial_write(out, c, err);
}

/* mc --shard K/N: the shard's paths into DIR/<id>_mc.K-of-N.mcpart. */
static int run_shard(const cli_args *a)
{
    if (!a->dir)
        return cli_bad_usage(&cli_mc, "--shard needs -o DIR (where its partial result %s)", "goes");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_mc_partial *p = NULL;
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_mc_shard(s, &mc, mc_shard, mc_shards, &p, &err);
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK) {
        char name[CLI_PATH_LEN];
        snprintf(name, sizeof name, "%s_mc.%zu-of-%zu.mcpart", mtfs_scenario_id(s), mc_shard, mc_shards);
        st = cli_outputs_stage(&set, name, emit_partial, p, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    int code = cli_exit(st, &err);
    mtfs_mc_partial_free(p);
    mtfs_scenario_free(s);
    return code;
}

/* What mc writes and prints for a result, whether it ran or was merged. */
static int mc_results(const cli_args *a, mtfs_scenario *s, mtfs_mc_result *r, mtfs_status st,
                      mtfs_error *err_in)
{
    mtfs_error err = *err_in;
    uncertainty_context ctx = {s, r, NULL, NULL, NULL};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    char name[CLI_PATH_LEN];
    if (st == MTFS_OK && a->dir) {
        snprintf(name, sizeof name, "%s_mc.csv", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_mc_csv, &ctx, &err);
        snprintf(name, sizeof name, "%s_mc.json", mtfs_scenario_id(s));
        if (st == MTFS_OK)
            st = cli_outputs_stage(&set, name, emit_mc_json, &ctx, &err);
    }
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE) {
        if ((st = cli_chart_path(a, mtfs_scenario_id(s), "_fan", name, sizeof name, &err)) == MTFS_OK)
            st = mtfs_plot_fan(name, cli_plot(a), s, r, &err);
        if (st == MTFS_OK &&
            (st = cli_chart_path(a, mtfs_scenario_id(s), "_exhaustion", name, sizeof name, &err)) == MTFS_OK)
            st = mtfs_plot_exhaustion(name, cli_plot(a), s, r, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    static const cli_printers print = {emit_mc_table, emit_mc_csv, emit_mc_json, NULL, 0};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    mtfs_mc_result_free(r);
    mtfs_scenario_free(s);
    return code;
}

static int run_mc(const cli_args *a)
{
    default_threads();
    if (mc_shards && cli_mc_hook.run)
        return cli_bad_usage(&cli_mc, "--shard is for mtfs mc (%s)",
                             "mtfs-mpi shares the paths among its ranks itself");
    if (mc_shards)
        return run_shard(a);
    progress_bar bar = {-1};
    if (!a->quiet && !cli_mc_hook.silent && isatty(STDERR_FILENO)) {
        mc.progress = show_progress;
        mc.progress_context = &bar;
    }
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_mc_result *r = NULL;
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (cli_mc_hook.run)
        st = cli_mc_hook.run(st == MTFS_OK ? s : NULL, &mc, &r, &err);
    else if (st == MTFS_OK)
        st = mtfs_mc_run(s, &mc, &r, &err);
    if (cli_mc_hook.silent) {
        mtfs_mc_result_free(r);
        mtfs_scenario_free(s);
        return st == MTFS_OK ? CLI_EXIT_OK : mtfs_status_exit_code(st);
    }
    return mc_results(a, s, r, st, &err);
}

static const cli_use mc_options[] = {
    {OPT_PATHS, "number of paths (default: uncertainty.paths, else 10000)"},
    {OPT_SEED, "seed (default: uncertainty.seed, else 1)"},
    {OPT_THREADS, "worker threads, 1 to 64 (default: one per online core);\n"
                   "the results are the same for any K"},
    {OPT_THRESHOLD, "report P(gap > X £m); repeatable; replaces the file's"},
    {OPT_QUIET, "no progress bar"},
    {OPT_MAX_MEMORY, "hold at most MIB MiB (default: 80% of this machine's\n"
                     "memory); a run whose paths would not fit streams"},
    {OPT_BOUNDED_MEMORY, "keep no path's results: compute the paths again in a\n"
                         "few passes, so memory does not grow with --paths;\n"
                         "the same numbers, about 3 times the time"},
    {OPT_SHARD, "compute only shard K of N (a fixed share of the paths)\n"
                "and write it to DIR/<id>_mc.K-of-N.mcpart for mtfs merge"},
    {0, NULL}};

const cli_command cli_mc = {
    "mc", "FILE [--paths N] [--seed S] [--threads K] [--threshold X]...\n"
          "               [-o DIR] [--format table|csv|json] [--plot FORMAT] [--quiet]",
    "Monte Carlo over the uncertainty block: percentiles, fan chart",
    "Monte Carlo over the scenario's uncertainty block: percentiles (5 to 95) of\n"
    "the gap, cumulative gap and reserves by year, P(gap > threshold) and the\n"
    "chance reserves fall below their minimum.  The same seed gives the same\n"
    "numbers for any --threads.  mtfs-mpi mc (make mpi) runs it across the\n"
    "ranks of an MPI job, with the same options and outputs.",
    table_csv_json, "write <id>_mc.csv, <id>_mc.json, <id>_fan.png and\n<id>_exhaustion.png", 1,
    mc_options, 1, 1, "takes exactly one scenario FILE", mc_option, run_mc};

/* ------------------------------------------------------------------ */
/* merge                                                               */

/* Append a copy of name to the growing list names: 0, or -1. */
static int grow_names(char ***names, size_t *cap, size_t *n, const char *name)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        char **grown = realloc(*names, c * sizeof *grown);
        if (!grown)
            return -1;
        *names = grown;
        *cap = c;
    }
    size_t len = strlen(name) + 1;
    if (!((*names)[*n] = malloc(len)))
        return -1;
    memcpy((*names)[*n], name, len);
    (*n)++;
    return 0;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The partial results named by the arguments: a file as it is, a
 * directory as its *.mcpart files in name order. */
static mtfs_status partial_names(const cli_args *a, char ***names, size_t *n, mtfs_error *err)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    for (int i = 0; i < a->n_files; i++) {
        const char *arg = a->files[i];
        struct stat info;
        DIR *d = stat(arg, &info) == 0 && S_ISDIR(info.st_mode) ? opendir(arg) : NULL;
        if (!d) {
            if (grow_names(names, &cap, n, arg) != 0)
                return mtfs_error_oom(err, NULL);
            continue;
        }
        size_t before = *n;
        for (struct dirent *e; (e = readdir(d));) {
            size_t len = strlen(e->d_name);
            if (e->d_name[0] == '.' || ((len < 8 || strcmp(e->d_name + len - 7, ".mcpart") != 0) &&
                                        (len < 11 || strcmp(e->d_name + len - 10, ".batchpart") != 0) &&
                                        (len < 11 || strcmp(e->d_name + len - 10, ".sweeppart") != 0)))
                continue;
            char path[CLI_PATH_LEN];
            snprintf(path, sizeof path, "%s/%s", arg, e->d_name);
            if (grow_names(names, &cap, n, path) != 0) {
                closedir(d);
                return mtfs_error_oom(err, NULL);
            }
        }
        closedir(d);
        if (*n == before)
            return mtfs_error_set(err, MTFS_EINPUT, arg, 0, NULL, "holds no partial result "
                                  "(expected the *.mcpart, *.batchpart or *.sweeppart files of "
                                  "mtfs mc, batch or sweep --shard)");
        qsort(*names + before, *n - before, sizeof **names, by_name);
    }
    return MTFS_OK;
}

static int run_merge(const cli_args *a)
{
    default_threads();
    mtfs_error err;
    mtfs_error_clear(&err);
    char **names = NULL;
    size_t n = 0;
    mtfs_scenario *s = NULL;
    mtfs_mc_result *r = NULL;
    mtfs_status st = partial_names(a, &names, &n, &err);
    /* Partials of a batch (named *.batchpart) merge into its summary. */
    size_t batch = 0;
    for (size_t i = 0; st == MTFS_OK && i < n; i++) {
        size_t len = strlen(names[i]);
        batch += len >= 10 && strcmp(names[i] + len - 10, ".batchpart") == 0;
    }
    /* Partials of a sweep (named *.sweeppart) merge into its tables. */
    size_t sweep = 0;
    for (size_t i = 0; st == MTFS_OK && i < n; i++) {
        size_t len = strlen(names[i]);
        sweep += len >= 10 && strcmp(names[i] + len - 10, ".sweeppart") == 0;
    }
    if (st == MTFS_OK && sweep && sweep < n)
        st = mtfs_error_set(&err, MTFS_EINPUT, names[0], 0, NULL, "partials of mtfs sweep and of "
                            "another command cannot merge together (expected the shards of one run)");
    if (st == MTFS_OK && sweep) {
        int code = cli_merge_sweep(a, names, n, mc.threads);
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return code;
    }
    if (st == MTFS_OK && batch && batch < n)
        st = mtfs_error_set(&err, MTFS_EINPUT, names[0], 0, NULL, "partials of mtfs mc and of "
                            "mtfs batch cannot merge together (expected the shards of one run)");
    if (st == MTFS_OK && batch) {
        int code = cli_merge_batch(a, names, n);
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return code;
    }
    mtfs_mc_partial **parts = st == MTFS_OK ? calloc(n ? n : 1, sizeof *parts) : NULL;
    if (st == MTFS_OK && !parts)
        st = mtfs_error_oom(&err, NULL);
    for (size_t i = 0; st == MTFS_OK && i < n; i++)
        st = mtfs_mc_partial_open(names[i], &parts[i], &err);
    if (st == MTFS_OK)
        st = mtfs_mc_partials_check(parts, n, &err);
    if (st == MTFS_OK)
        st = cli_load(mtfs_mc_partial_scenario(parts[0]), &s, &err);
    if (st == MTFS_OK)
        st = mtfs_mc_merge(s, parts, n, &mc, &r, &err);
    for (size_t i = 0; i < n; i++) {
        if (parts)
            mtfs_mc_partial_free(parts[i]);
        free(names[i]);
    }
    free(parts);
    free(names);
    return mc_results(a, s, r, st, &err);
}

static int merge_option(int id, const char *arg)
{
    mc_cmd = &cli_merge;
    return mc_option(id, arg);
}

static const cli_use merge_options[] = {
    {OPT_THREADS, "worker threads for the percentiles, 1 to 64 (default:\n"
                   "one per online core); the results are the same for any K"},
    {OPT_QUIET, ""},
    {OPT_MAX_MEMORY, "hold at most MIB MiB (default: 80% of this machine's\n"
                     "memory); when every path would not fit, the merge\n"
                     "reads the partials again in passes"},
    {OPT_BOUNDED_MEMORY, "read the partials in passes even when the paths fit"},
    {0, NULL}};

const cli_command cli_merge = {
    "merge", "DIR|FILE... [--threads K] [-o DIR] [--format table|csv|json]\n"
             "               [--plot FORMAT]",
    "Merge the shards of a Monte Carlo run (mc --shard) into its results",
    "Merge the partial results of mtfs mc --shard K/N (files, or directories\n"
    "of *.mcpart files) into exactly the results one mtfs mc run with the same\n"
    "seed and paths gives.  Every shard 1 to N must be there once, all from\n"
    "the same scenario files (unchanged since: their SHA-256 is checked), seed\n"
    "and paths.  Run it where the shards ran: the partials name the scenario\n"
    "as the shards were given it.  The partials of mtfs batch --shard\n"
    "(*.batchpart) and mtfs sweep --shard (*.sweeppart) merge the same way\n"
    "into that command's outputs.",
    table_csv_json, "write <id>_mc.csv, <id>_mc.json, <id>_fan.png and\n<id>_exhaustion.png, as mc does",
    1, merge_options, 1, -1, "takes one or more partial results (files or directories)",
    merge_option, run_merge};

/* ------------------------------------------------------------------ */
/* tornado                                                             */

static mtfs_status emit_tornado_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_tornado_csv(out, ((const uncertainty_context *)c)->t, err);
}

static mtfs_status emit_tornado_table(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_report_tornado_table(out, u->s, u->t, err);
}

static int run_tornado(const cli_args *a)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_tornado *t = NULL;
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_tornado_compute(s, &t, &err);
    uncertainty_context ctx = {s, NULL, t, NULL, NULL};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    char name[CLI_PATH_LEN];
    if (st == MTFS_OK && a->dir) {
        snprintf(name, sizeof name, "%s_tornado.csv", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_tornado_csv, &ctx, &err);
    }
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE &&
        (st = cli_chart_path(a, mtfs_scenario_id(s), "_tornado", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_tornado(name, cli_plot(a), s, t, &err);
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_tornado_table, emit_tornado_csv, NULL, (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    mtfs_tornado_free(t);
    mtfs_scenario_free(s);
    return code;
}

const cli_command cli_tornado = {
    "tornado", "FILE [-o DIR] [--format table|csv|json] [--plot FORMAT]",
    "which uncertain inputs move the final gap most",
    "The swing of the final-year gap as each uncertain input moves to its 10th\n"
    "and 90th percentile with the others as planned, largest first.",
    table_csv_json, "write <id>_tornado.csv and <id>_tornado.png", 1, NULL, 1, 1,
    "takes exactly one scenario FILE", NULL, run_tornado};

/* ------------------------------------------------------------------ */
/* goalseek                                                            */

static const char *goal_target, *goal_lever, *goal_from;

static int goalseek_option(int id, const char *arg)
{
    if (id == OPT_TARGET)
        goal_target = arg;
    else if (id == OPT_LEVER)
        goal_lever = arg;
    else if (id == OPT_FROM)
        goal_from = arg;
    return 0;
}

static mtfs_status emit_goalseek_table(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_report_goalseek(out, u->s, u->spec, u->g, err);
}

static mtfs_status emit_goalseek_csv(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_report_goalseek_csv(out, u->s, u->spec, u->g, err);
}

static int run_goalseek(const cli_args *a)
{
    if (!goal_target || !goal_lever)
        return cli_bad_usage(a->cmd, "%s", "goalseek needs --target CONDITION and --lever LEVER");
    mtfs_goalseek_spec spec;
    memset(&spec, 0, sizeof spec);
    mtfs_error err;
    mtfs_error_clear(&err);
    if (mtfs_condition_parse(goal_target, &spec.target, &err) != MTFS_OK ||
        mtfs_goalseek_parse_lever(goal_lever, &spec, &err) != MTFS_OK) {
        cli_print_error(&err);
        return CLI_EXIT_BAD_INPUT;
    }
    if (goal_from && mtfs_year_parse(goal_from, &spec.from_year) != 0)
        return cli_bad_usage(a->cmd, "--from '%s' is not a year such as 2026 or 2026/27", goal_from);
    mtfs_scenario *s = NULL;
    mtfs_goalseek_result r;
    memset(&r, 0, sizeof r);
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_goalseek(s, &spec, &r, &err);
    uncertainty_context ctx = {s, NULL, NULL, &spec, &r};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir) {
        char name[CLI_PATH_LEN];
        snprintf(name, sizeof name, "%s_goalseek.csv", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_goalseek_csv, &ctx, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_goalseek_table, emit_goalseek_csv, NULL, (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    /* Out of reach: the answer is written, in every format, and says so;
     * the exit status says it too. */
    if (code == CLI_EXIT_OK && !r.met)
        code = CLI_EXIT_NOT_MET;
    mtfs_scenario_free(s);
    return code;
}

static const cli_use goalseek_options[] = {
    {OPT_TARGET, "e.g. 'gap[2028] <= 0', 'final_gap <= 50',\n"
                 "'reserves[2027] >= 20', 'cumulative_gap <= 100'"},
    {OPT_LEVER, "council_tax, savings (corporate, flat) or\n"
                "savings:SERVICE (a cut to that service's base)"},
    {OPT_FROM, "first year the lever acts (default: the first year)"},
    {0, NULL}};

const cli_command cli_goalseek = {
    "goalseek", "FILE --target CONDITION --lever council_tax|savings[:SERVICE]\n"
                "                     [--from YEAR] [-o DIR] [--format table|csv|json]",
    "the council-tax rise or saving that meets a target",
    "The smallest uniform council-tax rise (core and ASC together, every year from\n"
    "--from), or the smallest recurring saving from --from, that meets the target,\n"
    "by Brent's method to 1e-9 £m.  Says whether the rise breaks the referendum\n"
    "limit and how many £m it raises.  A rise is 0% to 50% a year; a saving at\n"
    "most the service's budget (corporate: all the council spends) in every year\n"
    "from --from.  Exits 1 when even the lever's bound does not meet the target.",
    table_csv_json, "write DIR/<id>_goalseek.csv", 0, goalseek_options, 1, 1,
    "takes exactly one scenario FILE", goalseek_option, run_goalseek};
