/*
 * cmd_scenario.c - the commands over scenario files: run, validate,
 * compare, bridge, sensitivity and batch (see cli.h).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const table_csv_json[] = {"table", "csv", "json", NULL};

/* ------------------------------------------------------------------ */
/* run                                                                 */

typedef struct {
    const mtfs_scenario *s;
    const mtfs_projection *p;
    const mtfs_bridge *bridge;
    const mtfs_sensitivity_row *rows;
    size_t n_rows;
    double base_final_gap;
    time_t when;
} run_context;

static mtfs_status emit_table(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_table(out, r->s, r->p, cli_table_options(), err);
}

static mtfs_status emit_csv(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_csv(out, r->s, r->p, err);
}

static mtfs_status emit_services(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_services_csv(out, r->s, r->p, err);
}

static mtfs_status emit_json(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_json_write_projection(out, r->s, r->p, r->bridge, err);
}

static mtfs_status emit_meta(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_json_write_metadata(out, r->s, "run", r->when, err);
}

static mtfs_status emit_bridge_csv(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_bridge_csv(out, r->bridge, err);
}

static mtfs_status emit_bridge_table(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_bridge_table(out, r->s, r->bridge, err);
}

static mtfs_status emit_sensitivity_csv(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_sensitivity_csv(out, r->rows, r->n_rows, r->base_final_gap, err);
}

static mtfs_status emit_sensitivity_table(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_sensitivity_table(out, r->s, r->rows, r->n_rows, r->base_final_gap, err);
}

static mtfs_status write_run_outputs(const cli_args *a, int xlsx, const run_context *r,
                                     mtfs_error *err)
{
    char name[CLI_PATH_LEN], chart[CLI_PATH_LEN];
    const char *id = mtfs_scenario_id(r->s), *dir = a->dir;
    mtfs_plot_format plot = cli_plot(a);
    cli_outputs set;
    mtfs_status st = cli_outputs_begin(&set, dir, MTFS_OK, err);
    if (dir) {
        static const struct { const char *suffix; cli_emit emit; } files[] = {
            {".csv", emit_csv}, {"_services.csv", emit_services}, {"_bridge.csv", emit_bridge_csv},
            {"_sensitivity.csv", emit_sensitivity_csv}, {".json", emit_json}, {".meta.json", emit_meta}};
        for (size_t i = 0; st == MTFS_OK && i < sizeof files / sizeof files[0]; i++) {
            snprintf(name, sizeof name, "%s%s", id, files[i].suffix);
            st = cli_outputs_stage(&set, name, files[i].emit, r, err);
        }
    }
    if (st == MTFS_OK && plot != MTFS_PLOT_NONE) {
        if ((st = cli_chart_path(a, id, "", chart, sizeof chart, err)) == MTFS_OK)
            st = mtfs_plot_projection(chart, plot, r->s, r->p, err);
        if (st == MTFS_OK && dir && (st = cli_chart_path(a, id, "_bridge", chart, sizeof chart, err)) == MTFS_OK)
            st = mtfs_plot_bridge(chart, plot, r->s, r->bridge, err);
    }
    if (st == MTFS_OK && xlsx) {
        snprintf(chart, sizeof chart, "%s/%s.xlsx", dir, id);
        st = mtfs_xlsx_write(chart, r->s, r->p, r->bridge, err);
    }
    return cli_outputs_finish(&set, st, err);
}

static int run_xlsx;

static int run_option(int id, const char *arg)
{
    (void)arg;
    if (id == OPT_XLSX)
        run_xlsx = 1;
    return 0;
}

static int run_run(const cli_args *a)
{
    if (run_xlsx && !a->dir)
        return cli_bad_usage(a->cmd, "%s", "--xlsx writes a workbook into the -o DIR: give -o DIR too");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_bridge bridge;
    run_context r = {NULL, NULL, &bridge, NULL, 0, 0.0, cli_run_time()};
    mtfs_sensitivity_row *rows = NULL;
    mtfs_status st = cli_load_and_project(a->files[0], &s, &p, &err);
    if (st == MTFS_OK)
        st = mtfs_bridge_compute(s, p, p->horizon, &bridge, &err);
    if (st == MTFS_OK && a->dir)
        st = mtfs_sensitivity_compute(s, &rows, &r.n_rows, &r.base_final_gap, &err);
    r.s = s;
    r.p = p;
    r.rows = rows;
    if (st == MTFS_OK)
        st = write_run_outputs(a, run_xlsx, &r, &err);
    static const cli_printers print = {emit_table, emit_csv, emit_json, NULL, 0};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &r, &err);
    int code = cli_exit(st, &err);
    mtfs_sensitivity_free(rows);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return code;
}

static const cli_use run_options[] = {{OPT_XLSX, ""}, {0, NULL}};

const cli_command cli_run = {
    "run", "FILE [-o DIR] [--format table|csv|json] [--plot png|svg|pdf|none]\n                [--xlsx]",
    "project one scenario: table, CSV or JSON, files, charts",
    "Project the scenario in FILE and print the result to standard output.",
    table_csv_json,
    "write into DIR (<id> is the file name without .cfg):\n<id>.csv, <id>_services.csv, <id>_bridge.csv,\n"
    "<id>_sensitivity.csv, <id>.json, <id>.meta.json and the\ncharts <id>.png and <id>_bridge.png",
    1, run_options, 1, 1, "takes exactly one scenario FILE", run_option, run_run};

/* ------------------------------------------------------------------ */
/* validate                                                            */

static int run_validate(const cli_args *a)
{
    int worst = 0;
    for (int i = 0; i < a->n_files; i++) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_status st = cli_load(a->files[i], &s, &err);
        if (st != MTFS_OK) {
            cli_print_error(&err);
            int code = mtfs_status_exit_code(st);
            if (code > worst)
                worst = code;
            continue;
        }
        if (!a->quiet) {
            char first[16], last[16];
            int y0 = mtfs_scenario_base_year(s);
            size_t T = mtfs_scenario_horizon(s), n_services = mtfs_scenario_service_count(s);
            size_t n_grants = mtfs_scenario_grant_count(s);
            printf("%s: ok: %s; %s to %s; %zu service%s, %zu grant%s\n", a->files[i],
                   mtfs_scenario_name(s), mtfs_year_label(y0 + 1, first, sizeof first),
                   mtfs_year_label(y0 + (int)T, last, sizeof last), n_services,
                   n_services == 1 ? "" : "s", n_grants, n_grants == 1 ? "" : "s");
        }
        mtfs_scenario_free(s);
    }
    return cli_finish(worst);
}

static const cli_use validate_options[] = {{OPT_QUIET, ""}, {0, NULL}};

const cli_command cli_validate = {
    "validate", "FILE...", "check scenario files without running them",
    "Check each scenario file (and the files it inherits) without running it.\n"
    "Prints one line per file; exit status 2 if any file is invalid.",
    NULL, NULL, 0, validate_options, 1, -1, "needs at least one scenario FILE", NULL, run_validate};

/* ------------------------------------------------------------------ */
/* compare                                                             */

typedef struct {
    size_t n;
    const mtfs_scenario *const *s;
    const mtfs_projection *const *p;
    const mtfs_bridge *b;              /* each scenario's bridge to its final year */
    const char *const *files;
} compare_context;

static mtfs_status emit_compare_csv(FILE *out, const void *c, mtfs_error *err)
{
    const compare_context *k = c;
    return mtfs_report_compare_csv(out, k->n, k->s, k->p, err);
}

static mtfs_status emit_compare_bridge_csv(FILE *out, const void *c, mtfs_error *err)
{
    const compare_context *k = c;
    return mtfs_report_compare_bridge_csv(out, k->n, k->s, k->b, err);
}

/* The compare table, then what explains each difference from the first. */
static mtfs_status emit_compare_table(FILE *out, const void *c, mtfs_error *err)
{
    const compare_context *k = c;
    mtfs_status st = mtfs_report_compare_table(out, k->n, k->s, k->p, err);
    return st == MTFS_OK ? mtfs_report_compare_bridge_table(out, k->n, k->s, k->b, err) : st;
}

/* The CSV's rows, as every command's JSON, and a "bridge" section with the
 * rows of compare_bridge.csv. */
static mtfs_status emit_compare_json(FILE *out, const void *c, mtfs_error *err)
{
    const compare_context *k = c;
    return cli_json_rows_and(out, "compare", k->files, (size_t)k->n, emit_compare_csv, "bridge",
                             emit_compare_bridge_csv, c, err);
}

static int run_compare(const cli_args *a)
{
    int n = a->n_files;
    mtfs_scenario *s[CLI_MAX_SCENARIOS] = {NULL};
    mtfs_projection *p[CLI_MAX_SCENARIOS] = {NULL};
    static mtfs_bridge b[CLI_MAX_SCENARIOS];
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_status st = MTFS_OK;
    for (int i = 0; i < n && st == MTFS_OK; i++)
        st = cli_load_and_project(a->files[i], &s[i], &p[i], &err);
    for (int i = 0; i < n && st == MTFS_OK; i++)
        st = mtfs_bridge_compute(s[i], p[i], p[i]->horizon, &b[i], &err);
    const mtfs_scenario *const *cs = (const mtfs_scenario *const *)s;
    const mtfs_projection *const *cp = (const mtfs_projection *const *)p;
    compare_context ctx = {(size_t)n, cs, cp, b, (const char *const *)a->files};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "compare.csv", emit_compare_csv, &ctx, &err);
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "compare_bridge.csv", emit_compare_bridge_csv, &ctx, &err);
    char chart[CLI_PATH_LEN];
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE &&
        (st = cli_chart_path(a, "compare", "", chart, sizeof chart, &err)) == MTFS_OK)
        st = mtfs_plot_compare(chart, cli_plot(a), (size_t)n, cs, cp, &err);
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_compare_table, emit_compare_csv, emit_compare_json,
                          (const char *const *)a->files, (size_t)n};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    for (int i = 0; i < n; i++) {
        mtfs_projection_free(p[i]);
        mtfs_scenario_free(s[i]);
    }
    return code;
}

const cli_command cli_compare = {
    "compare", "FILE FILE... [-o DIR] [--format table|csv|json] [--plot FORMAT]",
    "put scenarios side by side, with differences",
    "Put scenarios side by side: the gap by financial year, final-year and\n"
    "cumulative gap, the year reserves fall below their minimum, and the\n"
    "difference from the first scenario.  Then what explains each difference:\n"
    "every scenario's gap bridge to its final year less the first's, item by\n"
    "item, the items that differ summing to the difference in the final gap\n"
    "(in JSON, the \"bridge\" section; with -o, compare_bridge.csv).",
    table_csv_json, "write DIR/compare.csv, DIR/compare_bridge.csv and the chart DIR/compare.png", 1, NULL, 2,
    CLI_MAX_SCENARIOS, "needs two to 64 scenario FILEs", NULL, run_compare};

/* ------------------------------------------------------------------ */
/* bridge and sensitivity                                              */

static const char *bridge_year;

static int bridge_option(int id, const char *arg)
{
    if (id == OPT_YEAR)
        bridge_year = arg;
    return 0;
}

static int run_bridge(const cli_args *a)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_bridge bridge;
    mtfs_status st = cli_load_and_project(a->files[0], &s, &p, &err);
    size_t t = p ? p->horizon : 0;
    if (st == MTFS_OK && bridge_year && cli_year_index(bridge_year, p, &t) != 0) {
        char first[16], last[16];
        st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                            "--year '%s' is not a year of the projection (expected %s to %s)",
                            bridge_year, mtfs_year_label(p->base_year + 1, first, sizeof first),
                            mtfs_year_label(p->base_year + (int)p->horizon, last, sizeof last));
    }
    if (st == MTFS_OK)
        st = mtfs_bridge_compute(s, p, t, &bridge, &err);
    run_context r = {s, p, &bridge, NULL, 0, 0.0, 0};
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    char name[CLI_PATH_LEN], suffix[32] = "_bridge";
    /* A chosen year is in the names, so bridges to two years sit side by
     * side: <id>_bridge_2027.csv. */
    if (st == MTFS_OK && bridge_year)
        snprintf(suffix, sizeof suffix, "_bridge_%d", p->base_year + (int)t);
    if (st == MTFS_OK && a->dir) {
        snprintf(name, sizeof name, "%s%s.csv", mtfs_scenario_id(s), suffix);
        st = cli_outputs_stage(&set, name, emit_bridge_csv, &r, &err);
    }
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE &&
        (st = cli_chart_path(a, mtfs_scenario_id(s), suffix, name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_bridge(name, cli_plot(a), s, &bridge, &err);
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_bridge_table, emit_bridge_csv, NULL, (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &r, &err);
    int code = cli_exit(st, &err);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return code;
}

static const cli_use bridge_options[] = {{OPT_YEAR, "the year to bridge to, e.g. 2027 or 2027/28"},
                                         {0, NULL}};

const cli_command cli_bridge = {
    "bridge", "FILE [--year YEAR] [-o DIR] [--format table|csv|json] [--plot FORMAT]",
    "split the gap into what moved it, with a waterfall chart",
    "Split the funding gap of a year (the final year by default) into pay and\n"
    "price inflation, demand, new pressures, savings, one-offs and the funding\n"
    "side; the items add up to the gap exactly.",
    table_csv_json, "write DIR/<id>_bridge.csv and DIR/<id>_bridge.png (with --year,\n"
    "<id>_bridge_YEAR.csv and .png)", 1, bridge_options, 1, 1,
    "takes exactly one scenario FILE", bridge_option, run_bridge};

static int run_sensitivity(const cli_args *a)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_sensitivity_row *rows = NULL;
    run_context r = {NULL, NULL, NULL, NULL, 0, 0.0, 0};
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_sensitivity_compute(s, &rows, &r.n_rows, &r.base_final_gap, &err);
    r.s = s;
    r.rows = rows;
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir) {
        char name[CLI_PATH_LEN];
        snprintf(name, sizeof name, "%s_sensitivity.csv", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_sensitivity_csv, &r, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_sensitivity_table, emit_sensitivity_csv, NULL,
                          (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &r, &err);
    int code = cli_exit(st, &err);
    mtfs_sensitivity_free(rows);
    mtfs_scenario_free(s);
    return code;
}

const cli_command cli_sensitivity = {
    "sensitivity", "FILE [-o DIR] [--format table|csv|json]",
    "how much the final gap moves per assumption",
    "How much the final-year gap moves for pay +1 point, prices +1 point,\n"
    "demand +1 point in each service, council tax +1 point, tax-base growth\n"
    "+1 point (each every year), and savings delivery 10 points lower.",
    table_csv_json, "write DIR/<id>_sensitivity.csv", 0, NULL, 1, 1,
    "takes exactly one scenario FILE", NULL, run_sensitivity};

/* ------------------------------------------------------------------ */
/* batch                                                               */

/* Run every *.cfg in dir, in name order, so the summary is reproducible. */
static mtfs_status batch_directory(mtfs_batch *b, const char *dir, mtfs_error *err)
{
    char **names;
    size_t n;
    mtfs_status st = mtfs_input_list_cfg(dir, "cannot open directory", &names, &n, err);
    /* A wrong path must not turn a CI job green having tested nothing. */
    if (st == MTFS_OK && n == 0)
        st = mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL,
                            "no scenario files in this folder (expected files named *.cfg)");
    for (size_t i = 0; st == MTFS_OK && i < n; i++)
        st = mtfs_batch_run_file(b, names[i], err);
    mtfs_input_list_free(names, n);
    return st;
}

static mtfs_status emit_batch_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_batch_write_csv(out, c, err);
}

static mtfs_status emit_batch_json(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_json_write_batch(out, c, err);
}

static mtfs_status emit_batch_table(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_batch_write_table(out, c, err);
}

static mtfs_condition batch_conditions[CLI_MAX_CONDITIONS];
static size_t batch_n_conditions;

static size_t batch_shard, batch_shards;   /* --shard K/N; 0: the whole batch */

static int batch_option(int id, const char *arg)
{
    switch (id) {
    case OPT_SHARD:
        if (cli_parse_shard(arg, &batch_shard, &batch_shards))
            return cli_bad_usage(&cli_batch, "--shard '%s' is not K/N, whole numbers with 1 <= K "
                                 "<= N <= 100000", arg);
        return 0;
    case OPT_FAIL_IF: {
        mtfs_error err;
        if (batch_n_conditions == CLI_MAX_CONDITIONS)
            return cli_bad_usage(&cli_batch, "at most %s --fail-if conditions", "32");
        if (mtfs_condition_parse(arg, &batch_conditions[batch_n_conditions], &err) != MTFS_OK) {
            cli_print_error(&err);
            return CLI_EXIT_BAD_INPUT;
        }
        batch_n_conditions++;
        return 0;
    }
    case OPT_RESTRICT:
    case OPT_NO_RESTRICT:
        return cli_restrict(id == OPT_RESTRICT ? arg : NULL) != 0 ? CLI_EXIT_BAD_INPUT : 0;
    default:
        return 0;
    }
}

/* What batch writes, prints and exits with for batch b (whether it ran
 * or was merged from shards); frees b. */
static int batch_results(const cli_args *a, mtfs_batch *b, mtfs_status st, mtfs_error *err_in)
{
    mtfs_error err = *err_in;
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir) {
        st = cli_outputs_stage(&set, "batch_summary.csv", emit_batch_csv, b, &err);
        if (st == MTFS_OK)
            st = cli_outputs_stage(&set, "batch_summary.json", emit_batch_json, b, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    static const cli_printers print = {emit_batch_table, emit_batch_csv, emit_batch_json, NULL, 0};
    if (st == MTFS_OK)
        st = cli_print(a, &print, b, &err);
    int code = st == MTFS_OK ? mtfs_batch_exit_code(b) : mtfs_status_exit_code(st);
    /* Scenario errors go to standard error too, in the usual one-line form,
     * so a CI log shows them whatever the output format. */
    for (size_t i = 0; b && i < b->n_entries; i++)
        if (b->entries[i].status != MTFS_OK)
            fprintf(stderr, "%s\n%s", b->entries[i].error, b->entries[i].more ? b->entries[i].more : "");
    if (st != MTFS_OK)
        cli_print_error(&err);
    mtfs_batch_free(b);
    return st == MTFS_OK ? cli_finish(code) : code;
}

typedef struct {
    const mtfs_batch *b;
    char **files;
    size_t m;
} batch_partial;

static mtfs_status emit_batch_partial(FILE *out, const void *c, mtfs_error *err)
{
    const batch_partial *p = c;
    return mtfs_batch_partial_write(out, p->b, p->files, p->m, batch_shard, batch_shards, err);
}

/* batch --shard K/N: the whole list of files (each DIR's *.cfg in name
 * order), then only this shard's share of it, into DIR/batch.K-of-N.batchpart.
 * Exit 0 when the partial is written: the merge gives the batch's status. */
static int run_batch_shard(const cli_args *a)
{
    if (!a->dir)
        return cli_bad_usage(&cli_batch, "--shard needs -o DIR (where its partial result %s)", "goes");
    mtfs_error err;
    mtfs_error_clear(&err);
    char **files = NULL;
    size_t m = 0, cap = 0;
    mtfs_status st = MTFS_OK;
    for (int i = 0; i < a->n_files && st == MTFS_OK; i++) {
        struct stat info;
        char **names = NULL;
        size_t n = 0;
        if (stat(a->files[i], &info) == 0 && S_ISDIR(info.st_mode)) {
            st = mtfs_input_list_cfg(a->files[i], "cannot open directory", &names, &n, &err);
            if (st == MTFS_OK && n == 0)
                st = mtfs_error_set(&err, MTFS_EINPUT, a->files[i], 0, NULL,
                                    "no scenario files in this folder (expected files named *.cfg)");
        } else if ((names = malloc(sizeof *names)) && (names[0] = strdup(a->files[i]))) {
            n = 1;
        } else {
            free(names);
            names = NULL;
            st = mtfs_error_oom(&err, NULL);
        }
        for (size_t j = 0; j < n; j++) {
            if (st == MTFS_OK && m == cap) {
                char **grown = realloc(files, (cap = cap ? 2 * cap : 64) * sizeof *grown);
                if (grown)
                    files = grown;
                else
                    st = mtfs_error_oom(&err, NULL);
            }
            if (st == MTFS_OK && !(files[m] = strdup(names[j])))
                st = mtfs_error_oom(&err, NULL);
            if (st == MTFS_OK)
                m++;
        }
        mtfs_input_list_free(names, n);
    }
    mtfs_batch *b = st == MTFS_OK ? mtfs_batch_new(batch_conditions, batch_n_conditions) : NULL;
    if (st == MTFS_OK && !b)
        st = mtfs_error_oom(&err, NULL);
    size_t end = mtfs_batch_shard_first(batch_shard + 1, batch_shards, m);
    for (size_t i = mtfs_batch_shard_first(batch_shard, batch_shards, m); st == MTFS_OK && i < end; i++)
        st = mtfs_batch_run_file(b, files[i], &err);
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK) {
        char name[64];
        batch_partial p = {b, files, m};
        snprintf(name, sizeof name, "batch.%zu-of-%zu.batchpart", batch_shard, batch_shards);
        st = cli_outputs_stage(&set, name, emit_batch_partial, &p, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    int code = cli_exit(st, &err);
    mtfs_batch_free(b);
    for (size_t i = 0; i < m; i++)
        free(files[i]);
    free(files);
    return code;
}

static int run_batch(const cli_args *a)
{
    /* A CI job runs files from pull requests nobody has reviewed: there,
     * unless told otherwise, a batch reads nothing outside the checkout. */
    if (!cli_restriction_chosen && cli_in_ci() && cli_restrict(".") != 0)
        return CLI_EXIT_BAD_INPUT;
    if (batch_shards)
        return run_batch_shard(a);
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_batch *b = mtfs_batch_new(batch_conditions, batch_n_conditions);
    mtfs_status st = b ? MTFS_OK : mtfs_error_oom(&err, NULL);
    for (int i = 0; i < a->n_files && st == MTFS_OK; i++) {
        struct stat info;
        if (stat(a->files[i], &info) == 0 && S_ISDIR(info.st_mode))
            st = batch_directory(b, a->files[i], &err);
        else
            st = mtfs_batch_run_file(b, a->files[i], &err);
    }
    return batch_results(a, b, st, &err);
}

int cli_merge_batch(const cli_args *a, char *const *names, size_t n)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_batch *b = NULL;
    mtfs_status st = mtfs_batch_merge(names, n, &b, &err);
    return batch_results(a, b, st, &err);
}

static const cli_use batch_options[] = {
    {OPT_FAIL_IF, "exit 1 when CONDITION holds for any scenario, e.g.\n"
                  "'gap[2028] > 80', 'final_gap >= 100',\n"
                  "'cumulative_gap > 250', 'reserves[2027] < 20',\n"
                  "'below_minimum_year <= 2027', 'exhausted_year < 2030',\n"
                  "'covid_pressure[2020] > 10'"},
    {OPT_RESTRICT, "read only files inside DIR (the default is the\n"
                   "current directory when the environment sets CI)"},
    {OPT_NO_RESTRICT, ""},
    {OPT_SHARD, "run only shard K of N (a fixed share of the scenario\n"
                "list) and write DIR/batch.K-of-N.batchpart for mtfs merge"},
    {0, NULL}};

const cli_command cli_batch = {
    "batch", "FILE|DIR... [--fail-if CONDITION]... [-o DIR]\n                  [--format table|csv|json]",
    "run many scenarios and test --fail-if thresholds",
    "Run every scenario (every *.cfg in a DIR) and summarise them.  A bad\n"
    "scenario is reported and the rest still run.\n"
    "\n"
    "Exit status: 2 if any scenario or condition is bad input, else 1 if any\n"
    "condition holds, else 0.",
    table_csv_json, "write DIR/batch_summary.csv and DIR/batch_summary.json", 0, batch_options, 1,
    -1, "needs scenario FILEs or a DIR of them", batch_option, run_batch};
