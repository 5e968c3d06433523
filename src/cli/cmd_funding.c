/*
 * cmd_funding.c - the commands over funding and the published record:
 * formula, brief and backtest (see cli.h).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *const table_csv_json[] = {"table", "csv", "json", NULL};

/* ------------------------------------------------------------------ */
/* formula                                                             */

typedef struct {
    const mtfs_formula_result *r;
    size_t focus;
} formula_context;

static mtfs_status emit_formula_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_formula_csv(out, ((const formula_context *)c)->r, err);
}

static mtfs_status emit_formula_table(FILE *out, const void *c, mtfs_error *err)
{
    const formula_context *f = c;
    return mtfs_report_formula_table(out, f->r, f->focus, err);
}

static const char *formula_who;

static int formula_option(int id, const char *arg)
{
    if (id == OPT_AUTHORITY)
        formula_who = arg;
    return 0;
}

static int run_formula(const cli_args *a)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_formula_result *r = NULL;
    mtfs_status st = mtfs_formula_run(a->files[0], &r, &err);
    size_t focus = (size_t)-1;
    if (st == MTFS_OK && formula_who && (focus = mtfs_formula_find_any_case(r, formula_who)) == (size_t)-1) {
        /* The same rule as a scenario's fair_funding.authority: suggest the
         * nearest name, else say what is expected. */
        const char *near = mtfs_authority_nearest(formula_who, (const char *const *)r->label,
                                                  (const char *const *)r->code, r->n);
        if (mtfs_table_find(r->table, formula_who) != (size_t)-1)
            st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                                "--authority '%s' is in %s but not in the formula's scope (expected "
                                "one of the %zu authorities it allocates to)", formula_who,
                                r->data_path, r->n);
        else if (near)
            st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                                "--authority '%s' is not in the formula's scope (did you mean '%s'?)",
                                formula_who, near);
        else
            st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                                "--authority '%s' is not in the formula's scope (expected a code such "
                                "as E10000018 or a name)", formula_who);
    }
    formula_context ctx = {r, focus};
    char stem[256], name[CLI_PATH_LEN];
    cli_file_stem(a->files[0], stem, sizeof stem);
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    if (st == MTFS_OK && a->dir) {
        snprintf(name, sizeof name, "%s.csv", stem);
        st = cli_outputs_stage(&set, name, emit_formula_csv, &ctx, &err);
    }
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE &&
        (st = cli_chart_path(a, stem, "", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_formula(name, cli_plot(a), r, focus, &err);
    st = cli_outputs_finish(&set, st, &err);
    cli_printers print = {emit_formula_table, emit_formula_csv, NULL, (const char *const *)a->files, 1};
    if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    mtfs_formula_result_free(r);
    return code;
}

static const cli_use formula_options[] = {
    {OPT_AUTHORITY, "mark this authority (a code or name), sum it up in\n"
                    "words and highlight it in the chart"},
    {0, NULL}};

const cli_command cli_formula = {
    "formula", "FORMULA [--authority CODE|NAME] [-o DIR] [--format table|csv|json]\n"
               "                    [--plot png|svg|pdf|none]",
    "a fair-funding formula over the authority data set",
    "Allocate the control total by a fair-funding formula (formulas/*.cfg) over\n"
    "the authority data set: every authority's funding now and under the\n"
    "formula, the change in £m and %, funding per head and its rank.",
    table_csv_json,
    "write DIR/<formula>.csv and the winners-and-losers\nchart DIR/<formula>.png (without -o, "
    "--plot writes\nplots/<formula>.FORMAT)",
    1, formula_options, 1, 1, "takes exactly one FORMULA file", formula_option, run_formula};

/* ------------------------------------------------------------------ */
/* brief                                                               */

typedef struct {
    const mtfs_scenario *s;
    const mtfs_brief *b;
    const mtfs_brief_charts *charts;
} brief_context;

static mtfs_status emit_brief(FILE *out, const void *ctx, mtfs_error *err)
{
    const brief_context *c = ctx;
    return mtfs_brief_markdown(out, c->s, c->b, c->charts, err);
}

static mtfs_status emit_brief_csv(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_brief_csv(out, ((const brief_context *)ctx)->b, err);
}

/* The per-head comparison as bars: the authority, comparators, groups. */
static mtfs_status brief_per_head_chart(const char *path, mtfs_plot_format format,
                                        const mtfs_brief *b, mtfs_error *err)
{
    mtfs_bar bars[64];
    size_t n = b->n_rows < 64 ? b->n_rows : 64;
    static const mtfs_bar_style styles[] = {MTFS_BAR_HIGHLIGHT, MTFS_BAR_NORMAL, MTFS_BAR_GROUP};
    for (size_t k = 0; k < n; k++)
        bars[k] = (mtfs_bar){b->rows[k].label, b->rows[k].per_head, styles[b->rows[k].kind],
                             b->rows[k].tier};
    char title[256], subtitle[256], source[CLI_PATH_LEN + 64];
    snprintf(title, sizeof title, "%s: core spending power per head, %s", b->authority,
             b->funding_year);
    snprintf(subtitle, sizeof subtitle, "£ a head a year, highest first, then group averages "
             "(total funding over total population); population mid-%d", b->population_year);
    snprintf(source, sizeof source, "Data: %s", b->data_file);
    return mtfs_plot_bars(path, format, title, subtitle, "£ a head", n, bars, source, err);
}

/* path into in[*n] unless it is there already. */
static void add_input(const char **in, size_t *n, const char *path)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp(in[k], path) == 0)
            return;
    in[(*n)++] = path;
}

/* Every file the brief's figures come from, once each, for the JSON's
 * metadata: the scenario's files, the data, the formulas.  NULL when out
 * of memory. */
static const char **brief_inputs(const mtfs_scenario *s, const mtfs_brief *b, size_t *n)
{
    size_t files = mtfs_scenario_file_count(s);
    const char **in = calloc(files + 1 + b->n_formulas, sizeof *in);
    if (!in)
        return NULL;
    *n = 0;
    for (size_t k = 0; k < files; k++)
        add_input(in, n, mtfs_scenario_file(s, k));
    add_input(in, n, b->data_file);
    for (size_t k = 0; k < b->n_formulas; k++)
        add_input(in, n, b->formulas[k].file);
    return in;
}

/* -o DIR: brief.md with its charts and brief.csv, all or none. */
static mtfs_status brief_files(const cli_args *a, const brief_context *ctx, mtfs_error *err)
{
    const mtfs_brief *b = ctx->b;
    mtfs_plot_format plot = cli_plot(a);
    const char *ext = mtfs_plot_format_extension(plot);
    char per_head[64], formula[64], path[CLI_PATH_LEN];
    snprintf(per_head, sizeof per_head, "brief_per_head.%s", ext);
    snprintf(formula, sizeof formula, "brief_formula.%s", ext);
    mtfs_brief_charts charts = {plot != MTFS_PLOT_NONE ? per_head : NULL,
                                plot != MTFS_PLOT_NONE && b->chart_focus != (size_t)-1 ? formula : NULL};
    brief_context with = {ctx->s, b, &charts};
    cli_outputs set;
    mtfs_status st = cli_outputs_begin(&set, a->dir, MTFS_OK, err);
    if (st == MTFS_OK)
        st = cli_outputs_stage(&set, "brief.md", emit_brief, &with, err);
    if (st == MTFS_OK)
        st = cli_outputs_stage(&set, "brief.csv", emit_brief_csv, &with, err);
    if (st == MTFS_OK && charts.per_head) {
        snprintf(path, sizeof path, "%s/%s", a->dir, per_head);
        st = brief_per_head_chart(path, plot, b, err);
    }
    if (st == MTFS_OK && charts.formula) {
        snprintf(path, sizeof path, "%s/%s", a->dir, formula);
        st = mtfs_plot_formula(path, plot, b->chart, b->chart_focus, err);
    }
    return cli_outputs_finish(&set, st, err);
}

static int run_brief(const cli_args *a)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_brief *b = NULL;
    const char **inputs = NULL;
    size_t n_inputs = 0;
    mtfs_status st = cli_load(a->files[0], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_brief_compute(s, &b, &err);
    if (st == MTFS_OK && !(inputs = brief_inputs(s, b, &n_inputs)))
        st = mtfs_error_oom(&err, NULL);
    brief_context ctx = {s, b, NULL};
    if (st == MTFS_OK && a->dir)
        st = brief_files(a, &ctx, &err);
    /* The Markdown is the brief's table form: on standard output without
     * -o; with -o, where it was written. */
    cli_printers print = {emit_brief, emit_brief_csv, NULL, inputs, n_inputs};
    if (st == MTFS_OK && a->dir && strcmp(a->format, "table") == 0)
        printf("%s/brief.md\n", a->dir);
    else if (st == MTFS_OK)
        st = cli_print(a, &print, &ctx, &err);
    int code = cli_exit(st, &err);
    free(inputs);
    mtfs_brief_free(b);
    mtfs_scenario_free(s);
    return code;
}

const cli_command cli_brief = {
    "brief", "SCENARIO [-o DIR] [--format table|csv|json] [--plot png|svg|pdf|none]",
    "a lobbying brief: funding per head, formulas, the gap",
    "Write a lobbying brief for the authority named in the scenario's\n"
    "fair_funding block: funding per head against the comparators of its brief\n"
    "block and group averages, \"if funded at X's level\" for each, what each\n"
    "formula gives it (change and rank), the MTFS gap with and without each, and\n"
    "the sources.  Its table form is the brief in Markdown; csv and json give its\n"
    "numbers, one row per comparator, group and formula, each with the gap its\n"
    "change gives year by year.",
    table_csv_json,
    "write DIR/brief.md with the charts it shows,\nDIR/brief_per_head.png and DIR/brief_formula.png,\n"
    "and DIR/brief.csv (its numbers, as --format csv);\nwithout -o the brief (without charts) goes to stdout",
    1, NULL, 1, 1, "takes exactly one SCENARIO file", NULL, run_brief};

/* ------------------------------------------------------------------ */
/* backtest                                                            */

static mtfs_status emit_backtest_csv(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_report_backtest_csv(out, ctx, err);
}

static mtfs_status emit_backtest_table(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_report_backtest_table(out, ctx, err);
}

static mtfs_status emit_backtest_oos_csv(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_report_backtest_oos_csv(out, ctx, err);
}

static const char *backtest_published = "data/published/leics_mtfs_editions.csv";
static const char *backtest_economy = "data/published/economy_outturn.csv";

static int backtest_option(int id, const char *arg)
{
    if (id == OPT_PUBLISHED)
        backtest_published = arg;
    else if (id == OPT_ECONOMY)
        backtest_economy = arg;
    return 0;
}

static int run_backtest(const cli_args *a)
{
    /* Relative paths that are not in the current directory are the shipped
     * ones (mtfs/shipped.h): so a back-test runs from anywhere. */
    const char *dir = a->n_files == 1 ? a->files[0] : cli_locate("scenarios/editions");
    const char *published = cli_locate(backtest_published);
    const char *economy = backtest_economy[0] ? cli_locate(backtest_economy) : NULL;
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_backtest *b = NULL;
    mtfs_status st = mtfs_backtest_run(dir, published, economy, &b, &err);
    cli_outputs set;
    st = cli_outputs_begin(&set, a->dir, st, &err);
    char name[CLI_PATH_LEN];
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "backtest.csv", emit_backtest_csv, b, &err);
    if (st == MTFS_OK && a->dir)
        st = cli_outputs_stage(&set, "backtest_out_of_sample.csv", emit_backtest_oos_csv, b, &err);
    if (st == MTFS_OK && cli_plot(a) != MTFS_PLOT_NONE &&
        (st = cli_chart_path(a, "backtest", "_gaps", name, sizeof name, &err)) == MTFS_OK &&
        (st = mtfs_plot_backtest_gaps(name, cli_plot(a), b, &err)) == MTFS_OK &&
        (st = cli_chart_path(a, "backtest", "_funnel", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_backtest_funnel(name, cli_plot(a), b, &err);
    st = cli_outputs_finish(&set, st, &err);
    const char *inputs[] = {dir, published, economy};
    cli_printers print = {emit_backtest_table, emit_backtest_csv, NULL, inputs, economy ? 3u : 2u};
    if (st == MTFS_OK)
        st = cli_print(a, &print, b, &err);
    int code = cli_exit(st, &err);
    mtfs_backtest_free(b);
    return code;
}

static const cli_use backtest_options[] = {
    {OPT_PUBLISHED, "the published figures (CSV)"},
    {OPT_ECONOMY, "outturn CPI, pay and NLW for the attribution (default\n"
                  "data/published/economy_outturn.csv; \"\" for none)"},
    {0, NULL}};

const cli_command cli_backtest = {
    "backtest", "[DIR] [--published FILE] [-o DIR] [--format table|csv|json]\n"
                "                     [--plot png|svg|pdf|none]",
    "published MTFS editions against the model and the outturn",
    "Run every edition scenario in DIR (default scenarios/editions) against the\n"
    "published figures (default data/published/leics_mtfs_editions.csv): the\n"
    "modelled gap against the published one, and each edition's projection of\n"
    "later years' net budget and Band D against what later editions set.",
    table_csv_json, "write DIR/backtest.csv, DIR/backtest_out_of_sample.csv\n(every out-of-sample case) and the charts\nDIR/backtest_gaps.png and DIR/backtest_funnel.png",
    1, backtest_options, 0, 1, "takes at most one directory of edition scenarios", backtest_option,
    run_backtest};
