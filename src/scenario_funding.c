/*
 * scenario_funding.c - a scenario's fair-funding reform (model.md section
 * 6) and its lobbying brief: reading the two blocks, the reform's series,
 * and the accessors for them.
 */
#include "scenario_load.h"
#include "checked.h"
#include "util.h"
#include "mtfs/formula.h"
#include "mtfs/plot.h"
#include "mtfs/table.h"
#include "mtfs/year.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* formula_adjustment(t) for a change D_i - B_i of `change` £m. */
static void reform_series(mtfs_scenario *sc, double change)
{
    const double *cpi = sc->economy[sc->cpi].values;
    double index = 1.0;
    for (size_t t = 1; t <= sc->horizon; t++) {
        index *= sc->ff_uplift_cpi ? 1.0 + cpi[t] : 1.0;
        int year = sc->base_year + (int)t;
        sc->formula_adjustment[t] = 0.0;
        if (year < sc->ff_start_year)
            continue;
        size_t k = (size_t)(year - sc->ff_start_year);
        double share = sc->ff_lambda[k < sc->ff_n_lambda ? k : sc->ff_n_lambda - 1];
        sc->formula_adjustment[t] = sc->ff_scale * sc->ff_price_factor * index * share * change;
    }
}

/* The reason a formula file could not be used, for "cannot use 'x': why
 * (did you mean 'y'? expected a formula file ...)": its own "(expected
 * ...)" is left out, as the caller says what is expected, and a "did you
 * mean" goes into *hint ("" or "did you mean 'y'? ") to share the
 * caller's parentheses. */
static void inner_reason(const mtfs_error *inner, char *why, size_t size, char *hint, size_t hint_size)
{
    snprintf(why, size, "%s", inner->message);
    hint[0] = '\0';
    char *expected = strstr(why, " (expected");
    if (expected)
        *expected = '\0';
    char *mean = strstr(why, " (did you mean '");
    char *end = mean ? strstr(mean, "'?") : NULL;
    if (end) {
        snprintf(hint, hint_size, "%.*s ", (int)(end + 2 - (mean + 2)), mean + 2);
        *mean = '\0';
    }
}

/* The authority is not one the formula allocates to: say whether it is in
 * the data at all, and suggest a name only when one is close. */
static mtfs_status unknown_authority(vctx *v, const mtfs_node *authority, const mtfs_formula_result *r)
{
    const char *key = "fair_funding.authority", *who = authority->text;
    if (mtfs_table_find(r->table, who) != (size_t)-1)
        return mtfs_sv_fail(v, authority, key, "'%s' is in %s but outside the scope of formula '%s' "
                            "(expected one of the %zu authorities it allocates to)", who,
                            r->data_path, r->name, r->n);
    const char *near = mtfs_authority_nearest(who, r->label, r->code, r->n);
    char cell[4 * MTFS_EXCERPT_CHARS + 4];   /* a data cell: quoted short, on one line */
    if (near)
        return mtfs_sv_fail(v, authority, key, "no authority '%s' in formula '%s' (did you mean '%s'?)",
                            who, r->name, mtfs_excerpt(near, cell, sizeof cell));
    return mtfs_sv_fail(v, authority, key, "no authority '%s' in formula '%s' (expected a code such as "
                        "E10000018 or a name from %s)", who, r->name, r->data_path);
}

/* The data's financial year from its csp_year cell ("2020-21" or
 * "2020/21") for the authority's row: the year its money is in.  0 when
 * the data has no such column or the cell is not a year. */
static int data_year_of(const mtfs_formula_result *r, size_t i)
{
    size_t col = mtfs_table_column(r->table, "csp_year"), row = mtfs_table_find(r->table, r->code[i]);
    if (col == (size_t)-1 || row == (size_t)-1)
        return 0;
    char text[16];
    snprintf(text, sizeof text, "%s", mtfs_table_text(r->table, row, col));
    char *dash = strchr(text, '-');
    if (dash)
        *dash = '/';
    int year;
    return mtfs_year_parse(text, &year) == 0 ? year : 0;
}

/* A yearly rate of a price index file: the same range as an economy series. */
static const mtfs_cell_kind price_rate = {-0.5, 0.5, 0, 0, "a yearly rate from -0.5 to 0.5, e.g. 0.023 "
                                          "for 2.3%"};

/* fair_funding.prices = { index = "file.csv"; series = "cpi"; from = 2020; }:
 * P, the factor that restates money of the data year in base-year prices,
 * is the product of (1 + rate) over the years after the data year up to
 * the base year (its inverse when the base year comes first).  The index
 * file has a `year` column (the first year of each financial year) and
 * one of rates named by `series`; `from` states the data year, and must
 * agree with the data's csp_year where the data has one.  Without the
 * block P = 1: the change enters the MTFS in the data year's cash. */
static mtfs_status load_prices(vctx *v, const mtfs_node *ff, int data_year)
{
    mtfs_scenario *sc = v->sc;
    const char *p = "fair_funding.prices";
    sc->ff_price_factor = 1.0;
    sc->ff_data_year = data_year;
    const mtfs_node *g = mtfs_node_get(ff, "prices");
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, p, "found %s (expected a group, e.g. prices = { index = "
                            "\"../data/published/economy_outturn.csv\"; series = \"cpi\"; })",
                            mtfs_node_type_name(g));
    const mtfs_node *index, *series;
    long long from;
    mtfs_status st = mtfs_sv_check_group(v, g, p, p);
    if (st != MTFS_OK ||
        (st = mtfs_sv_get_string(v, g, "index", p, "a CSV file of yearly rates with a year column, "
                                 "relative to this file", 1, &index)) != MTFS_OK ||
        (st = mtfs_sv_get_string(v, g, "series", p, "the index file's column of yearly rates, e.g. "
                                 "\"cpi\"", 1, &series)) != MTFS_OK ||
        (st = mtfs_sv_get_int(v, g, "from", p, 1900, 2200, "the data's financial year, e.g. 2020 "
                              "for 2020-21", data_year == 0, data_year, &from)) != MTFS_OK)
        return st;
    char want[16], have[16];
    if (data_year && from != data_year)
        return mtfs_sv_fail(v, mtfs_node_get(g, "from"), "fair_funding.prices.from", "the data's money "
                            "is %s (csp_year in %s), not %s (expected from = %d)",
                            mtfs_year_label(data_year, have, sizeof have), sc->ff_data,
                            mtfs_year_label((int)from, want, sizeof want), data_year);
    int lo = (int)from < sc->base_year ? (int)from : sc->base_year;
    int hi = (int)from < sc->base_year ? sc->base_year : (int)from;
    if (hi - lo > MTFS_PRICE_YEARS_MAX)
        return mtfs_sv_fail(v, mtfs_node_get(g, "from"), "fair_funding.prices.from", "%d is %d years "
                            "from the base year %d (expected at most %d)", (int)from, hi - lo,
                            sc->base_year, MTFS_PRICE_YEARS_MAX);
    sc->ff_data_year = (int)from;
    char dir[1024];
    mtfs_path_join(mtfs_dirname(index->file, dir, sizeof dir), index->text, sc->ff_prices_file,
                   sizeof sc->ff_prices_file);
    snprintf(sc->ff_prices_series, sizeof sc->ff_prices_series, "%s", series->text);
    mtfs_table *t;
    mtfs_error inner;
    mtfs_error_clear(&inner);
    if ((st = mtfs_table_load(sc->ff_prices_file, &t, &inner)) != MTFS_OK) {
        if (st == MTFS_ENOMEM || inner.line)
            return mtfs_sv_record(v, &inner);
        char why[MTFS_ERROR_MESSAGE_MAX], hint[MTFS_ERROR_MESSAGE_MAX];
        inner_reason(&inner, why, sizeof why, hint, sizeof hint);
        return mtfs_sv_fail(v, index, "fair_funding.prices.index", "cannot use '%s': %s (%sexpected a "
                            "CSV file such as ../data/published/economy_outturn.csv)", index->text, why,
                            hint);
    }
    size_t year_col = mtfs_table_column(t, "year"), rate_col = mtfs_table_column(t, series->text);
    if (year_col == (size_t)-1 || rate_col == (size_t)-1) {
        int no_year = year_col == (size_t)-1;
        st = mtfs_sv_fail(v, no_year ? index : series, no_year ? "fair_funding.prices.index"
                                                               : "fair_funding.prices.series",
                          "%s has no column '%s' (expected %s)", sc->ff_prices_file,
                          no_year ? "year" : series->text,
                          no_year ? "a column 'year' of first years, 2020 for 2020/21"
                                  : "a column of yearly rates");
        mtfs_table_free(t);
        return st;
    }
    /* P over the years lo + 1 .. hi: each must have exactly one row. */
    double product = 1.0;
    size_t rows = mtfs_table_rows(t);
    for (int y = lo + 1; st == MTFS_OK && y <= hi; y++) {
        size_t found = (size_t)-1;
        for (size_t r = 0; st == MTFS_OK && r < rows; r++) {
            double year;
            if ((st = mtfs_table_value(t, r, year_col, &MTFS_CELL_YEAR, 1, &year, &inner)) != MTFS_OK)
                st = mtfs_sv_record(v, &inner);
            else if ((int)year == y)
                found = r;
        }
        if (st != MTFS_OK)
            break;
        char label[16];
        double rate;
        if (found == (size_t)-1)
            st = mtfs_sv_fail(v, series, "fair_funding.prices.series", "%s has no row for %s (expected "
                              "a rate for every year from %s to the %s, %s)", sc->ff_prices_file,
                              mtfs_year_label(y, label, sizeof label), mtfs_year_label(lo + 1, want, sizeof want),
                              (int)from < sc->base_year ? "base year" : "data year",
                              mtfs_year_label(hi, have, sizeof have));
        else if ((st = mtfs_table_value(t, found, rate_col, &price_rate, 1, &rate, &inner)) != MTFS_OK)
            st = mtfs_sv_record(v, &inner);
        else {
            sc->ff_price_rate[sc->ff_n_price_years] = rate;
            sc->ff_price_line[sc->ff_n_price_years++] = mtfs_table_line(t, found);
            product *= 1.0 + rate;
        }
    }
    mtfs_table_free(t);
    if (st != MTFS_OK)
        return st;
    sc->ff_has_prices = 1;
    sc->ff_price_factor = (int)from <= sc->base_year ? product : 1.0 / product;
    return MTFS_OK;
}

/* formula_adjustment(t) = scale * u(t) * lambda(k) * (D_i - B_i) for the
 * years from start_year, k counting the reform's years from 0 and held at
 * its last value; u(t) is 1 ("flat") or the CPI index from the base year
 * ("cpi").  docs/fair-funding.md. */
mtfs_status mtfs_sv_load_fair_funding(vctx *v, const mtfs_node *root)
{
    static const char *const uplifts[] = {"flat", "cpi"};
    mtfs_scenario *sc = v->sc;
    const char *p = "fair_funding";
    if (!(sc->formula_adjustment = mtfs_sv_new_series(v)))
        return mtfs_sv_oom(v);
    const mtfs_node *g = mtfs_node_get(root, p);
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, p, "found %s (expected a group, e.g. fair_funding = { formula = "
                            "\"../formulas/per_head_average.cfg\"; authority = \"Leicestershire\"; "
                            "start_year = 2026; })", mtfs_node_type_name(g));
    sc->has_fair_funding = 1;
    const mtfs_node *formula, *authority, *transition = mtfs_node_get(g, "transition");
    long long start;
    int uplift;
    double scale;
    mtfs_status st = mtfs_sv_check_group(v, g, p, p);
    if (st != MTFS_OK ||
        (st = mtfs_sv_get_string(v, g, "formula", p, "a formula file, relative to this file", 1, &formula)) != MTFS_OK ||
        (st = mtfs_sv_get_string(v, g, "authority", p, "an authority's code or name in the formula's data",
                                 1, &authority)) != MTFS_OK ||
        (st = mtfs_sv_get_int(v, g, "start_year", p, sc->base_year + 1, sc->base_year + 100,
                              "the first financial year of the reform, after the base year", 1, 0,
                              &start)) != MTFS_OK ||
        (st = mtfs_sv_get_choice(v, g, "uplift", p, "uplift", uplifts, COUNT(uplifts), 0, &uplift)) != MTFS_OK ||
        (st = mtfs_sv_get_number(v, g, "scale", p, mtfs_inputs_find(p, "scale")->range, 0, 1.0, &scale)) != MTFS_OK)
        return st;
    sc->ff_start_year = (int)start;

    char dir[1024];
    mtfs_path_join(mtfs_dirname(formula->file, dir, sizeof dir), formula->text, sc->ff_formula,
                   sizeof sc->ff_formula);
    mtfs_formula_result *r;
    mtfs_error inner;
    mtfs_error_clear(&inner);
    if ((st = mtfs_formula_run(sc->ff_formula, &r, &inner)) != MTFS_OK) {
        if (st == MTFS_ENOMEM)
            return mtfs_sv_record(v, &inner);
        if (st == MTFS_EIO || !inner.line) {
            char why[MTFS_ERROR_MESSAGE_MAX], hint[MTFS_ERROR_MESSAGE_MAX];
            inner_reason(&inner, why, sizeof why, hint, sizeof hint);
            return mtfs_sv_fail(v, formula, "fair_funding.formula", "cannot use '%s': %s (%sexpected a "
                                "formula file such as ../formulas/per_head_average.cfg)", formula->text, why,
                                hint);
        }
        return mtfs_sv_record(v, &inner);
    }
    size_t i = mtfs_formula_find(r, authority->text);
    if (i == (size_t)-1) {
        st = unknown_authority(v, authority, r);
        mtfs_formula_result_free(r);
        return st;
    }
    snprintf(sc->ff_data, sizeof sc->ff_data, "%s", r->data_path);
    snprintf(sc->ff_formula_name, sizeof sc->ff_formula_name, "%s", r->name);
    snprintf(sc->ff_authority, sizeof sc->ff_authority, "%s", r->label[i]);
    snprintf(sc->ff_code, sizeof sc->ff_code, "%s", r->code[i]);
    sc->ff_baseline = r->baseline[i];
    sc->ff_final = r->final[i];
    int data_year = data_year_of(r, i);

    /* lambda: the block's own transition, else the formula's. */
    double lambda[MTFS_HORIZON_MAX + 1];
    size_t n_lambda = r->n_years < MTFS_HORIZON_MAX ? r->n_years : MTFS_HORIZON_MAX;
    for (size_t k = 0; k < n_lambda; k++)
        lambda[k] = r->transition[k];
    mtfs_formula_result_free(r);
    if (transition) {
        const char *expected = "a list of shares from 0 to 1 that never fall, one per year of the "
                               "reform, e.g. [0.333, 0.667, 1.0]";
        if (transition->type != MTFS_NODE_LIST || transition->n_children == 0 ||
            transition->n_children > MTFS_HORIZON_MAX)
            return mtfs_sv_fail(v, transition, "fair_funding.transition", "found %s (expected %s)",
                                transition->type == MTFS_NODE_LIST ? "a list of the wrong length"
                                                              : mtfs_node_type_name(transition),
                                expected);
        n_lambda = transition->n_children;
        for (size_t k = 0; k < n_lambda; k++) {
            const mtfs_node *e = transition->children[k];
            if (!mtfs_node_is_number(e) || e->number < 0.0 || e->number > 1.0 ||
                (k && e->number < lambda[k - 1]))
                return mtfs_sv_fail(v, e, "fair_funding.transition", "value %zu is not a share at least "
                                    "the one before it (expected %s)", k + 1, expected);
            lambda[k] = e->number;
        }
    }
    for (size_t k = 0; k < n_lambda; k++)
        sc->ff_lambda[k] = lambda[k];
    sc->ff_n_lambda = n_lambda;
    sc->ff_uplift_cpi = uplift;
    sc->ff_scale = scale;
    if ((st = load_prices(v, g, data_year)) != MTFS_OK)
        return st;
    reform_series(sc, sc->ff_final - sc->ff_baseline);
    return MTFS_OK;
}

/* brief = { comparators = ["Surrey", ...]; formulas = ["../formulas/x.cfg", ...]; }:
 * what `mtfs brief` compares the fair_funding authority with.  Comparators
 * are checked against the reform's data here, so `validate` catches them. */
static mtfs_status string_list(vctx *v, const mtfs_node *g, const char *name, const char *expected,
                               size_t max, const char *why_max, const mtfs_node **out)
{
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_sv_join_key(key, sizeof key, "brief", name);
    const mtfs_node *n = mtfs_node_get(g, name);
    *out = n;
    if (!n)
        return MTFS_OK;
    if (n->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->n_children > max)
        return mtfs_sv_fail(v, n, key, "has %zu entries (expected at most %zu%s)", n->n_children, max,
                            why_max);
    for (size_t i = 0; i < n->n_children; i++)
        if (n->children[i]->type != MTFS_NODE_STRING || !n->children[i]->text[0])
            return mtfs_sv_fail(v, n->children[i], key, "entry %zu is %s (expected %s)", i + 1,
                                mtfs_node_type_name(n->children[i]), expected);
    return MTFS_OK;
}

/* The briefing's per-head chart (mtfs_plot_bars) shows the authority, its
 * comparators and up to three group averages: a brief that validates can
 * always be drawn. */
#define BRIEF_COMPARATORS_MAX ((size_t)MTFS_PLOT_BARS_MAX - 1 - 3)

mtfs_status mtfs_sv_load_brief(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = mtfs_node_get(root, "brief");
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, "brief", "found %s (expected a group, e.g. brief = { comparators = "
                            "[\"Surrey\"]; formulas = [\"../formulas/ffr_like.cfg\"]; })",
                            mtfs_node_type_name(g));
    if (!sc->has_fair_funding)
        return mtfs_sv_fail(v, g, "brief", "needs a fair_funding block naming the authority and its data "
                            "(expected fair_funding = { formula = ...; authority = ...; start_year = ...; })");
    const mtfs_node *comparators, *formulas;
    mtfs_status st = mtfs_sv_check_group(v, g, "brief", "brief");
    if (st != MTFS_OK ||
        (st = string_list(v, g, "comparators", "a list of authority codes or names, e.g. "
                          "[\"Surrey\", \"E09000007\"]", BRIEF_COMPARATORS_MAX,
                          ": the briefing's chart has one bar for the authority, one for each "
                          "comparator and three for group averages", &comparators)) != MTFS_OK ||
        (st = string_list(v, g, "formulas", "a list of formula files, relative to this file", 40,
                          "", &formulas)) != MTFS_OK)
        return st;
    size_t nc = comparators ? comparators->n_children : 0, nf = formulas ? formulas->n_children : 0;
    sc->brief_comparators = mtfs_calloc(nc ? nc : 1, sizeof *sc->brief_comparators);
    sc->brief_formulas = mtfs_calloc(nf ? nf : 1, sizeof *sc->brief_formulas);
    if (!sc->brief_comparators || !sc->brief_formulas)
        return mtfs_sv_oom(v);
    if (nc) {
        mtfs_table *t;
        mtfs_error inner;
        if ((st = mtfs_table_load(sc->ff_data, &t, &inner)) != MTFS_OK)
            return mtfs_sv_record(v, &inner);
        size_t name = mtfs_table_column(t, "name"), rows = mtfs_table_rows(t);
        const char **names = mtfs_calloc(rows ? rows : 1, sizeof *names);
        for (size_t i = 0; names && i < rows; i++)
            names[i] = name != (size_t)-1 ? mtfs_table_text(t, i, name) : "";
        /* Every comparator is looked up, each unknown one reported. */
        for (size_t k = 0; names && (st == MTFS_OK || st == MTFS_EINPUT) && k < nc; k++) {
            const mtfs_node *e = comparators->children[k];
            if (mtfs_table_find(t, e->text) == (size_t)-1) {
                const char *near = mtfs_authority_nearest(e->text, names, NULL, rows);
                char cell[4 * MTFS_EXCERPT_CHARS + 4];   /* a data cell: short, one line */
                st = near ? mtfs_sv_fail(v, e, "brief.comparators", "no authority '%s' in %s (did you "
                                         "mean '%s'?)", e->text, sc->ff_data,
                                         mtfs_excerpt(near, cell, sizeof cell))
                          : mtfs_sv_fail(v, e, "brief.comparators", "no authority '%s' in %s (expected "
                                         "a code such as E10000030 or a name)", e->text, sc->ff_data);
            } else if (!(sc->brief_comparators[sc->n_brief_comparators] = mtfs_strdup(e->text))) {
                st = mtfs_sv_oom(v);
            } else {
                sc->n_brief_comparators++;
            }
        }
        if (!names)
            st = mtfs_sv_oom(v);
        mtfs_free(names);
        mtfs_table_free(t);
        if (st != MTFS_OK)
            return st;
    }
    for (size_t k = 0; k < nf; k++) {
        const mtfs_node *e = formulas->children[k];
        char dir[1024], path[4096];
        mtfs_path_join(mtfs_dirname(e->file, dir, sizeof dir), e->text, path, sizeof path);
        if (!(sc->brief_formulas[k] = mtfs_strdup(path)))
            return mtfs_sv_oom(v);
        sc->n_brief_formulas++;
        /* Run it now, so a file that validates is one `mtfs brief` can use:
         * a missing file, a named pipe or a bad formula is found here. */
        mtfs_formula_result *r = NULL;
        mtfs_error inner;
        mtfs_error_clear(&inner);
        st = mtfs_formula_run(path, &r, &inner);
        mtfs_formula_result_free(r);
        if (st == MTFS_ENOMEM)
            return mtfs_sv_record(v, &inner);
        if (st != MTFS_OK && (st == MTFS_EIO || !inner.line)) {
            char why[MTFS_ERROR_MESSAGE_MAX], hint[MTFS_ERROR_MESSAGE_MAX], key[64];
            inner_reason(&inner, why, sizeof why, hint, sizeof hint);
            snprintf(key, sizeof key, "brief.formulas[%zu]", k + 1);
            return mtfs_sv_fail(v, e, key, "cannot use '%s': %s (%sexpected a formula file such as "
                                "../formulas/ffr_like.cfg)", e->text, why, hint);
        }
        if (st != MTFS_OK)
            return mtfs_sv_record(v, &inner);
    }
    return MTFS_OK;
}


mtfs_status mtfs_scenario_set_reform(mtfs_scenario *s, double change, mtfs_error *err)
{
    if (!s->has_fair_funding)
        return mtfs_error_set(err, MTFS_EINPUT, s->files ? s->files[0] : NULL, 0, "fair_funding",
                              "the scenario has no fair_funding block (expected one naming a "
                              "formula and an authority)");
    if (!isfinite(change))
        return mtfs_error_set(err, MTFS_ENUMERIC, NULL, 0, NULL, "reform change is not a finite number");
    reform_series(s, change);
    return MTFS_OK;
}

size_t mtfs_scenario_brief_comparator_count(const mtfs_scenario *s) { return s->n_brief_comparators; }
const char *mtfs_scenario_brief_comparator(const mtfs_scenario *s, size_t i) { return s->brief_comparators[i]; }
size_t mtfs_scenario_brief_formula_count(const mtfs_scenario *s) { return s->n_brief_formulas; }
const char *mtfs_scenario_brief_formula(const mtfs_scenario *s, size_t i) { return s->brief_formulas[i]; }

int mtfs_scenario_fair_funding(const mtfs_scenario *s, mtfs_fair_funding_info *out)
{
    if (!s->has_fair_funding)
        return 0;
    *out = (mtfs_fair_funding_info){s->ff_formula_name, s->ff_formula, s->ff_data, s->ff_authority,
                                    s->ff_code, s->ff_start_year, s->ff_baseline, s->ff_final,
                                    s->ff_data_year, s->ff_price_factor,
                                    s->ff_has_prices ? s->ff_prices_file : NULL,
                                    s->ff_has_prices ? s->ff_prices_series : NULL, s->ff_price_rate,
                                    s->ff_price_line, s->ff_n_price_years, s->ff_scale,
                                    s->ff_uplift_cpi};
    return 1;
}
