/*
 * cmd_resilience.c - mtfs resilience: the section 25 pack (see cli.h and
 * docs/model.md section 12): the resilience indicators of the projected
 * path against the council's thresholds.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const table_csv_json[] = {"table", "csv", "json", NULL};

#define MAX_CHARTS 3

typedef struct {
    const mtfs_scenario *s;
    const mtfs_projection *p;
    const mtfs_resilience *r;
    const char *const *files;
    const char *charts[MAX_CHARTS];     /* file names beside the statement */
    const char *captions[MAX_CHARTS];
    size_t n_charts;
} resilience_context;

static mtfs_status emit_table(FILE *out, const void *c, mtfs_error *err)
{
    const resilience_context *k = c;
    return mtfs_report_resilience_table(out, k->s, k->r, err);
}

static mtfs_status emit_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_resilience_csv(out, ((const resilience_context *)c)->r, err);
}

static mtfs_status emit_risk_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_resilience_risk_csv(out, ((const resilience_context *)c)->r, err);
}

/* The indicators' table, the risk-based minimum when there is one, the
 * verdict. */
static mtfs_status emit_both_tables(FILE *out, const void *c, mtfs_error *err)
{
    const resilience_context *k = c;
    mtfs_status st = emit_table(out, c, err);
    if (st == MTFS_OK && k->r->risk.present)
        st = mtfs_report_resilience_risk_table(out, k->r, err);
    if (st == MTFS_OK)
        st = mtfs_report_resilience_verdict(out, k->r, err);
    return st;
}

/* The indicators' rows, and with a Monte Carlo a "risk" section with the
 * rows of <id>_resilience_risk.csv. */
static mtfs_status emit_json(FILE *out, const void *c, mtfs_error *err)
{
    const resilience_context *k = c;
    return cli_json_rows_and(out, "resilience", k->files, 1, emit_csv,
                             k->r->risk.present ? "risk" : NULL, emit_risk_csv, c, err);
}

static mtfs_status emit_statement(FILE *out, const void *c, mtfs_error *err)
{
    const resilience_context *k = c;
    return mtfs_report_resilience_statement(out, k->s, k->p, k->r, k->charts, k->captions, k->n_charts, err);
}

static mtfs_mc_options mc;
static double confidence = 0.90;
static int statement;

static int resilience_option(int id, const char *arg)
{
    size_t v;
    switch (id) {
    case OPT_PATHS:
        if (cli_parse_size(arg, 1, 100000000, &mc.paths))
            return cli_bad_usage(&cli_resilience, "--paths '%s' is not a whole number from 1 to 100000000", arg);
        return 0;
    case OPT_SEED:
        if (cli_parse_size(arg, 0, 4294967295u, &v))
            return cli_bad_usage(&cli_resilience, "--seed '%s' is not a whole number from 0 to 4294967295", arg);
        mc.seed = (unsigned long)v;
        mc.seed_given = 1;
        return 0;
    case OPT_THREADS:
        if (cli_parse_size(arg, 1, 64, &mc.threads))
            return cli_bad_usage(&cli_resilience, "--threads '%s' is not a whole number from 1 to 64", arg);
        return 0;
    case OPT_STATEMENT:
        statement = 1;
        return 0;
    case OPT_CONFIDENCE:
        if (strcmp(arg, "90") == 0 || strcmp(arg, "0.9") == 0 || strcmp(arg, "0.90") == 0)
            confidence = 0.90;
        else if (strcmp(arg, "95") == 0 || strcmp(arg, "0.95") == 0)
            confidence = 0.95;
        else
            return cli_bad_usage(&cli_resilience, "--confidence '%s' is not 90 or 95", arg);
        return 0;
    default:
        return 0;
    }
}

/* The file name of a chart path, as the statement links it. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int run_resilience(const cli_args *a)
{
    if (statement && !a->dir)
        return cli_bad_usage(a->cmd, "%s", "--statement needs -o DIR (the statement and its charts are files)");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_resilience *r = NULL;
    mtfs_mc_result *m = NULL;
    mtfs_status st = cli_load_and_project(a->files[0], &s, &p, &err);
    /* The Monte Carlo runs when the scenario has an uncertainty block, or
     * when a Monte Carlo option asks for it (and then says what is missing). */
    if (st == MTFS_OK && (mtfs_scenario_has_uncertainty(s) || mc.paths || mc.seed_given)) {
        if (!mc.threads)
            mc.threads = cli_default_threads();
        st = mtfs_mc_run(s, &mc, &m, &err);
    }
    if (st == MTFS_OK)
        st = mtfs_resilience_compute(s, p, m, confidence, &r, &err);
    resilience_context ctx = {s, p, r, (const char *const *)a->files, {NULL}, {NULL}, 0};
    static char chart[MAX_CHARTS][CLI_PATH_LEN];
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir) {
        char name[CLI_PATH_LEN];
        snprintf(name, sizeof name, "%s_resilience.csv", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_csv, &ctx, &err);
        snprintf(name, sizeof name, "%s_resilience.json", mtfs_scenario_id(s));
        if (st == MTFS_OK)
            st = cli_outputs_stage(&set, name, emit_json, &ctx, &err);
        snprintf(name, sizeof name, "%s_resilience_risk.csv", mtfs_scenario_id(s));
        if (st == MTFS_OK && r->risk.present)
            st = cli_outputs_stage(&set, name, emit_risk_csv, &ctx, &err);
    }
    /* The statement's charts: the projection, and with a Monte Carlo the fan
     * and the chance of falling below the minimum. */
    if (st == MTFS_OK && statement && cli_plot(a) != MTFS_PLOT_NONE) {
        const char *id = mtfs_scenario_id(s);
        if ((st = cli_chart_path(a, id, "_projection", chart[0], sizeof chart[0], &err)) == MTFS_OK &&
            (st = mtfs_plot_projection(chart[0], cli_plot(a), s, p, &err)) == MTFS_OK) {
            ctx.charts[ctx.n_charts] = base_name(chart[0]);
            ctx.captions[ctx.n_charts++] = "Spending, funding, the gap and reserves";
        }
        if (st == MTFS_OK && m &&
            (st = cli_chart_path(a, id, "_fan", chart[1], sizeof chart[1], &err)) == MTFS_OK &&
            (st = mtfs_plot_fan(chart[1], cli_plot(a), s, m, &err)) == MTFS_OK) {
            ctx.charts[ctx.n_charts] = base_name(chart[1]);
            ctx.captions[ctx.n_charts++] = "Monte Carlo: the gap and reserves, percentile bands";
        }
        if (st == MTFS_OK && m &&
            (st = cli_chart_path(a, id, "_exhaustion", chart[2], sizeof chart[2], &err)) == MTFS_OK &&
            (st = mtfs_plot_exhaustion(chart[2], cli_plot(a), s, m, &err)) == MTFS_OK) {
            ctx.charts[ctx.n_charts] = base_name(chart[2]);
            ctx.captions[ctx.n_charts++] = "Chance the general fund is below its minimum";
        }
    }
    if (st == MTFS_OK && statement) {
        char name[CLI_PATH_LEN];
        snprintf(name, sizeof name, "%s_statement.md", mtfs_scenario_id(s));
        st = cli_outputs_stage(&set, name, emit_statement, &ctx, &err);
    }
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_both_tables, emit_csv, emit_json, (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    mtfs_resilience_free(r);
    mtfs_mc_result_free(m);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return code;
}

static const cli_use resilience_options[] = {
    {OPT_PATHS, "Monte Carlo paths for the risk-based minimum (default:\n"
                "uncertainty.paths, else 10000)"},
    {OPT_SEED, "seed (default: uncertainty.seed, else 1)"},
    {OPT_THREADS, "worker threads, 1 to 64 (default: one per online core);\n"
                  "the results are the same for any K"},
    {OPT_CONFIDENCE, "90 (default) or 95: the percentile of the cumulative\n"
                     "gap the verdict compares with the reserves"},
    {OPT_STATEMENT, "with -o, also write <id>_statement.md, the one-page\n"
                    "section 25 statement, and its charts"},
    {0, NULL}};

const cli_command cli_resilience = {
    "resilience", "FILE [--paths N] [--seed S] [--threads K] [--confidence 90|95]\n"
                  "                       [-o DIR [--statement]] [--format table|csv|json]\n"
                  "                       [--plot FORMAT]",
    "resilience indicators against the council's thresholds",
    "The financial resilience indicators of the projected path, year by year:\n"
    "usable reserves and the general fund as shares of net spending, the change\n"
    "in reserves, months of spending covered, debt and its financing cost (with a\n"
    "capital block), social care's share of spending, council tax's share of\n"
    "funding and the unfunded gap, each against the threshold the scenario's\n"
    "resilience block sets (docs/model.md section 12).  With an uncertainty\n"
    "block, a seeded Monte Carlo gives the risk-based minimum reserve (the 90th and\n"
    "95th percentiles of the cumulative unfunded gap) beside the council's fixed\n"
    "minimum, and by year the chance the general fund falls below its minimum and\n"
    "that usable reserves are exhausted; the same seed gives the same numbers for\n"
    "any --threads.  --statement writes a one-page section 25 statement in\n"
    "Markdown with its charts: the verdict (adequate, adequate with conditions or\n"
    "not adequate; docs/model.md 12.4), assumptions, the gap, risks and sources.",
    table_csv_json, "write <id>_resilience.csv, <id>_resilience.json and, with\n"
    "a Monte Carlo, <id>_resilience_risk.csv", 1, resilience_options, 1, 1,
    "takes exactly one scenario FILE", resilience_option, run_resilience};
