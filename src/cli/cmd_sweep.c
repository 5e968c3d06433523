/*
 * cmd_sweep.c - mtfs sweep: every authority of each formula's scope under
 * each formula and a grid of its block weights, the change against the
 * status quo and its spread over random weights (mtfs/sweep.h); its shards
 * and their merge (see cli.h).
 */
#include "cli.h"
#include "mtfs/sweep.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char *const table_csv_json[] = {"table", "csv", "json", NULL};

static mtfs_sweep_options sweep_opt = {5, 0.2, 1000, 1, 0};
static size_t sweep_shard, sweep_shards;

static int sweep_option(int id, const char *arg)
{
    size_t v;
    char *end;
    switch (id) {
    case OPT_STEPS:
        if (cli_parse_size(arg, 0, MTFS_SWEEP_STEPS_MAX, &v) || v == 1)
            return cli_bad_usage(&cli_sweep, "--steps '%s' is not 0 or a whole number from 2 to 101", arg);
        sweep_opt.steps = v;
        return 0;
    case OPT_SPREAD: {
        double x = strtod(arg, &end);
        if (end == arg || *end || !(x >= 0.0 && x < 1.0))
            return cli_bad_usage(&cli_sweep, "--spread '%s' is not a share from 0 to below 1 "
                                 "(0.2: each weight within 20%% of its own)", arg);
        sweep_opt.spread = x;
        return 0;
    }
    case OPT_PATHS:
        if (cli_parse_size(arg, 1, MTFS_SWEEP_PATHS_MAX, &sweep_opt.paths))
            return cli_bad_usage(&cli_sweep, "--paths '%s' is not a whole number from 1 to 1000000", arg);
        return 0;
    case OPT_SEED:
        if (cli_parse_size(arg, 0, 4294967295u, &v))
            return cli_bad_usage(&cli_sweep, "--seed '%s' is not a whole number from 0 to 4294967295", arg);
        sweep_opt.seed = (unsigned long)v;
        return 0;
    case OPT_THREADS:
        if (cli_parse_size(arg, 1, CLI_MAX_THREADS, &sweep_opt.threads))
            return cli_bad_usage(&cli_sweep, "--threads '%s' is not a whole number from 1 to 64", arg);
        return 0;
    case OPT_SHARD:
        if (cli_parse_shard(arg, &sweep_shard, &sweep_shards))
            return cli_bad_usage(&cli_sweep, "--shard '%s' is not K/N, whole numbers with 1 <= K <= N "
                                 "<= 100000", arg);
        return 0;
    default:
        return 0;
    }
}

typedef struct {
    const mtfs_sweep *s;
    const char *const *files;
} sweep_context;

static mtfs_status emit_table(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_sweep_table(out, ((const sweep_context *)c)->s, err);
}

static mtfs_status emit_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_sweep_csv(out, ((const sweep_context *)c)->s, err);
}

/* The CSV's rows as JSON, the metadata with the seed and the settings. */
static mtfs_status emit_json(FILE *out, const void *c, mtfs_error *err)
{
    const sweep_context *ctx = c;
    const mtfs_sweep *s = ctx->s;
    char *csv = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&csv, &len);
    if (!mem)
        return mtfs_error_oom(err, NULL);
    mtfs_status st = mtfs_report_sweep_csv(mem, s, err);
    if (fclose(mem) != 0 && st == MTFS_OK)
        st = mtfs_error_oom(err, NULL);
    static const char *const keys[] = {"paths", "steps", "spread"};
    const double values[] = {(double)s->options.paths, (double)s->options.steps, s->options.spread};
    if (st == MTFS_OK)
        st = mtfs_json_write_rows_seeded(out, "sweep", ctx->files, s->n_formulas, csv, len,
                                         s->options.seed, keys, values, 3, 2, err);
    free(csv);
    return st;
}

static mtfs_status emit_partial(FILE *out, const void *c, mtfs_error *err)
{
    const mtfs_sweep *s = ((const sweep_context *)c)->s;
    return mtfs_sweep_partial_write(out, s, sweep_shard, sweep_shards, err);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Without FORMULA arguments: every shipped formula (formulas, *.cfg), in name order
 * (formulas/claims/ is not swept: its claims are of one authority). */
static mtfs_status shipped_formulas(char ***names, size_t *n, mtfs_error *err)
{
    const char *dir = cli_locate("formulas");
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL, "cannot list the shipped formulas "
                              "(expected a directory of formula files, or FORMULA arguments)");
    size_t cap = 0;
    mtfs_status st = MTFS_OK;
    for (struct dirent *e; st == MTFS_OK && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(*names, cap * sizeof *grown);
            if (!grown) {
                st = mtfs_error_oom(err, NULL);
                break;
            }
            *names = grown;
        }
        size_t size = strlen(dir) + len + 2;
        if (!((*names)[*n] = malloc(size))) {
            st = mtfs_error_oom(err, NULL);
            break;
        }
        snprintf((*names)[(*n)++], size, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (st == MTFS_OK && *n == 0)
        st = mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL, "holds no formula (expected *.cfg "
                            "formula files, or FORMULA arguments)");
    if (st == MTFS_OK)
        qsort(*names, *n, sizeof **names, by_name);
    return st;
}

/* Write and print a whole sweep (run or merged). */
static int sweep_results(const cli_args *a, mtfs_sweep *s, mtfs_status st, mtfs_error *err)
{
    const char **files = NULL;
    if (st == MTFS_OK && !(files = calloc(s->n_formulas, sizeof *files)))
        st = mtfs_error_oom(err, NULL);
    for (size_t f = 0; st == MTFS_OK && f < s->n_formulas; f++)
        files[f] = s->formulas[f].file;
    sweep_context ctx = {s, files};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, err);
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "sweep.csv", emit_csv, &ctx, err);
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "sweep.json", emit_json, &ctx, err);
    st = cli_outputs_finish(&set, st, err);
    cli_printers print = {emit_table, emit_csv, emit_json, files, s ? s->n_formulas : 0};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, err);
    int code = cli_exit(st, err);
    free(files);
    mtfs_sweep_free(s);
    return code;
}

static int run_sweep(const cli_args *a)
{
    if (!sweep_opt.threads)
        sweep_opt.threads = cli_default_threads();
    if (sweep_shards && !a->dir)
        return cli_bad_usage(&cli_sweep, "--shard needs -o DIR (where its partial result %s)", "goes");
    mtfs_error err;
    mtfs_error_clear(&err);
    char **shipped = NULL;
    size_t n_shipped = 0;
    mtfs_status st = MTFS_OK;
    if (a->n_files == 0)
        st = shipped_formulas(&shipped, &n_shipped, &err);
    const char *const *files = a->n_files ? (const char *const *)a->files : (const char *const *)shipped;
    size_t n_files = a->n_files ? (size_t)a->n_files : n_shipped;
    mtfs_sweep *s = NULL;
    if (st == MTFS_OK)
        st = mtfs_sweep_new(files, n_files, &sweep_opt, &s, &err);
    size_t first = 0, end = s ? s->n_items : 0;
    if (st == MTFS_OK && sweep_shards)
        mtfs_sweep_shard_range(s, sweep_shard, sweep_shards, &first, &end);
    if (st == MTFS_OK)
        st = mtfs_sweep_compute(s, first, end, &err);
    for (size_t i = 0; i < n_shipped; i++)
        free(shipped[i]);
    free(shipped);
    if (!sweep_shards)
        return sweep_results(a, s, st, &err);
    sweep_context ctx = {s, NULL};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK) {
        char name[64];
        snprintf(name, sizeof name, "sweep.%zu-of-%zu.sweeppart", sweep_shard, sweep_shards);
        st = cli_outputs_stage(&set, name, emit_partial, &ctx, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    int code = cli_exit(st, &err);
    mtfs_sweep_free(s);
    return code;
}

int cli_merge_sweep(const cli_args *a, char *const *names, size_t n, size_t threads)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_sweep *s = NULL;
    mtfs_status st = mtfs_sweep_merge((const char *const *)names, n, threads, &s, &err);
    return sweep_results(a, s, st, &err);
}

static const cli_use sweep_options[] = {
    {OPT_STEPS, "grid points for each weighted block, 0 or 2 to 101\n"
                "(default 5): its weight from (1 - S) to (1 + S) times\n"
                "its own, the other blocks rescaled to sum 1"},
    {OPT_SPREAD, "relative spread of the weights, 0 to below 1 (default\n"
                 "0.2), for the grid and the weight draws"},
    {OPT_PATHS, "weight draws for each variant, 1 to 1000000 (default\n"
                "1000): the P10, P50 and P90 of each change"},
    {OPT_SEED, "seed of the weight draws (default 1)"},
    {OPT_THREADS, "worker threads, 1 to 64 (default: one per online core);\n"
                  "the results are the same for any K"},
    {OPT_SHARD, "compute only shard K of N (a fixed share of the\n"
                "variants) and write DIR/sweep.K-of-N.sweeppart for\n"
                "mtfs merge"},
    {0, NULL}};

const cli_command cli_sweep = {
    "sweep", "[FORMULA...] [--steps N] [--spread S] [--paths N] [--seed S]\n"
             "                  [--threads K] [--shard K/N] [-o DIR] [--format table|csv|json]",
    "every authority under every formula and weight grid, with P10-P90",
    "The national sweep: every authority in each formula's scope under each\n"
    "formula (default: every formulas/*.cfg shipped) and a grid of its block\n"
    "weights; each authority's change in funding against the status quo (the\n"
    "formula's baseline), in £m and £ a head, and its P10, P50 and P90 over\n"
    "random weights within the spread.  The same seed gives the same bytes for\n"
    "any --threads and any --shard split merged with mtfs merge.",
    table_csv_json, "write DIR/sweep.csv and DIR/sweep.json", 0, sweep_options, 0, -1,
    "takes formula files, or none for the shipped ones", sweep_option, run_sweep};
