/*
 * backtest.c - published MTFS editions against the model and against what
 * was later set (see mtfs/backtest.h, docs/backtest.md).
 *
 * An edition is matched to its published rows by its first year (the
 * scenario's base year + 1 = the CSV's `edition`).  The outturn of a year is
 * the year-1 row of the edition that set that year's budget.
 */
#include "mtfs/backtest.h"
#include "mtfs/input.h"
#include "mtfs/projection.h"
#include "mtfs/table.h"
#include "scenario_int.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The *.cfg files of dir, sorted, as "dir/name"; at least one. */
static mtfs_status list_cfg(const char *dir, char ***out, size_t *n, mtfs_error *err)
{
    mtfs_status st = mtfs_input_list_cfg(dir,
                                         "cannot open the editions directory (expected a directory of "
                                         "edition scenarios such as scenarios/editions)",
                                         out, n, err);
    if (st == MTFS_OK && *n == 0)
        st = mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL, "no *.cfg edition scenarios in the directory");
    return st;
}

typedef struct {
    const mtfs_table *t;
    size_t edition, year, budget, band_d, ct_rise, gap;
    size_t qualifier;        /* gap_qualifier, or (size_t)-1 when the table has none */
} published;

/* Qualifiers that make a published gap a floor, not a figure. */
static int is_lower_bound(const char *qualifier)
{
    static const char *const floors[] = {"more than", "over", "at least", "could exceed"};
    for (size_t k = 0; qualifier && k < sizeof floors / sizeof floors[0]; k++)
        if (strncmp(qualifier, floors[k], strlen(floors[k])) == 0)
            return 1;
    return 0;
}

int mtfs_backtest_bound_met(const mtfs_backtest_edition *e, size_t t)
{
    return e->published_lower_bound[t] && e->modelled_gap[t] >= e->published_gap[t];
}

double mtfs_backtest_gap_error(const mtfs_backtest_edition *e, size_t t)
{
    return mtfs_backtest_bound_met(e, t) ? 0.0 : e->modelled_gap[t] - e->published_gap[t];
}

int mtfs_backtest_has_lower_bounds(const mtfs_backtest *b)
{
    for (size_t k = 0; k < b->n; k++)
        for (size_t t = 1; t <= b->editions[k].horizon; t++)
            if (b->editions[k].published_lower_bound[t])
                return 1;
    return 0;
}

static mtfs_status open_published(const mtfs_table *t, const char *path, published *p, mtfs_error *err)
{
    static const char *const names[] = {"edition", "year", "net_budget_m", "band_d", "ct_rise", "gap_m"};
    size_t *cols[] = {&p->edition, &p->year, &p->budget, &p->band_d, &p->ct_rise, &p->gap};
    p->t = t;
    p->qualifier = mtfs_table_column(t, "gap_qualifier");
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if ((*cols[k] = mtfs_table_column(t, names[k])) == (size_t)-1)
            return mtfs_error_set(err, MTFS_EINPUT, path, 1, NULL,
                                  "no column '%s' (expected the columns of "
                                  "data/published/leics_mtfs_editions.csv)", names[k]);
    for (size_t r = 0; r < mtfs_table_rows(t); r++)
        if (!isfinite(mtfs_table_number(t, r, p->edition)) || !isfinite(mtfs_table_number(t, r, p->year)))
            return mtfs_error_set(err, MTFS_EINPUT, path, mtfs_table_line(t, r), NULL,
                                  "edition and year must be numbers such as 2020 (expected the "
                                  "first calendar year of a financial year)");
    return MTFS_OK;
}

/* Re-project s with its economy series cpi, pay and nlw_growth replaced by
 * the outturn wherever the outturn table has the year. */
static mtfs_status outturn_economy(const mtfs_scenario *s, const mtfs_table *economy,
                                   mtfs_projection *p, mtfs_backtest_edition *e, mtfs_error *err)
{
    mtfs_scenario *c;
    mtfs_status st = mtfs_scenario_clone(s, &c, err);
    if (st != MTFS_OK)
        return st;
    size_t year_col = mtfs_table_column(economy, "year");
    for (size_t k = 0; k < c->n_economy; k++) {
        size_t col = mtfs_table_column(economy, c->economy[k].name);
        if (col == (size_t)-1 || year_col == (size_t)-1)
            continue;
        for (size_t r = 0; r < mtfs_table_rows(economy); r++) {
            long t = (long)mtfs_table_number(economy, r, year_col) - (long)c->base_year;
            double x = mtfs_table_number(economy, r, col);
            if (t >= 1 && t <= (long)c->horizon && isfinite(x))
                c->economy[k].values[t] = x;
        }
    }
    if ((st = mtfs_project(c, p, err)) == MTFS_OK)
        for (size_t t = 0; t <= e->horizon; t++) {
            e->spending_outturn_economy[t] = p->expenditure[t];
            e->funding_outturn_economy[t] = p->funding[t];
        }
    mtfs_scenario_free(c);
    return st;
}

static mtfs_status add_edition(const char *file, const published *pub, const mtfs_table *economy,
                               mtfs_backtest_edition *e, mtfs_error *err)
{
    mtfs_scenario *s;
    mtfs_status st = mtfs_scenario_load(file, &s, err);
    if (st != MTFS_OK)
        return st;
    mtfs_projection *p = mtfs_projection_alloc(s);
    if (!p)
        st = mtfs_error_oom(err, NULL);
    else
        st = mtfs_project(s, p, err);
    if (st == MTFS_OK) {
        snprintf(e->id, sizeof e->id, "%s", mtfs_scenario_id(s));
        snprintf(e->name, sizeof e->name, "%s", mtfs_scenario_name(s));
        snprintf(e->file, sizeof e->file, "%s", file);
        e->first_year = mtfs_scenario_base_year(s) + 1;
        e->horizon = mtfs_scenario_horizon(s);
        for (size_t t = 0; t <= MTFS_HORIZON_MAX; t++)
            e->published_gap[t] = e->published_budget[t] = e->modelled_gap[t] = e->expenditure[t] =
                e->funding[t] = e->band_d[t] = e->spending_outturn_economy[t] =
                    e->funding_outturn_economy[t] = e->residual[t] = NAN;
        memset(e->published_lower_bound, 0, sizeof e->published_lower_bound);
        for (size_t t = 0; t <= e->horizon; t++) {
            e->modelled_gap[t] = t ? p->gap[t] : NAN;
            e->expenditure[t] = p->expenditure[t];
            e->funding[t] = p->funding[t];
            e->band_d[t] = p->band_d[t];
            e->residual[t] = t ? p->contingency[t] : NAN;
        }
        size_t rows = 0;
        for (size_t r = 0; r < mtfs_table_rows(pub->t); r++) {
            if ((int)mtfs_table_number(pub->t, r, pub->edition) != e->first_year)
                continue;
            rows++;
            int year = (int)mtfs_table_number(pub->t, r, pub->year);
            long t = (long)year - (e->first_year - 1);
            if (t < 1 || t > (long)e->horizon)
                continue;
            e->published_gap[t] = mtfs_table_number(pub->t, r, pub->gap);
            e->published_budget[t] = mtfs_table_number(pub->t, r, pub->budget);
            e->published_lower_bound[t] = (unsigned char)(
                isfinite(e->published_gap[t]) && pub->qualifier != (size_t)-1 &&
                is_lower_bound(mtfs_table_text(pub->t, r, pub->qualifier)));
        }
        if (!rows)
            st = mtfs_error_set(err, MTFS_EINPUT, file, 0, NULL,
                                "no published rows for the %d/%02d edition (expected rows with "
                                "edition = %d in the published figures)", e->first_year,
                                (e->first_year + 1) % 100, e->first_year);
        e->worst_gap_error = e->worst_gap_error_share = 0.0;
        e->headline_t = 0;
        e->headline_residual = e->headline_residual_share = NAN;
        for (size_t t = 1; t <= e->horizon; t++) {
            if (!isfinite(e->published_gap[t]))
                continue;
            e->headline_t = t;
            e->headline_residual = e->residual[t];
            e->headline_residual_share = e->residual[t] / e->expenditure[t];
            double d = fabs(mtfs_backtest_gap_error(e, t));
            if (d > e->worst_gap_error)
                e->worst_gap_error = d;
            if (d / e->expenditure[t] > e->worst_gap_error_share)
                e->worst_gap_error_share = d / e->expenditure[t];
        }
    }
    if (st == MTFS_OK && economy)
        st = outturn_economy(s, economy, p, e, err);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return st;
}

static int by_first_year(const void *a, const void *b)
{
    const mtfs_backtest_edition *x = a, *y = b;
    return (x->first_year > y->first_year) - (x->first_year < y->first_year);
}

static mtfs_status add_outturn(const published *pub, mtfs_backtest *b, mtfs_error *err)
{
    size_t rows = mtfs_table_rows(pub->t);
    b->outturn = mtfs_calloc(rows ? rows : 1, sizeof *b->outturn);
    if (!b->outturn)
        return mtfs_error_oom(err, NULL);
    for (size_t r = 0; r < rows; r++) {
        int edition = (int)mtfs_table_number(pub->t, r, pub->edition);
        int year = (int)mtfs_table_number(pub->t, r, pub->year);
        double budget = mtfs_table_number(pub->t, r, pub->budget);
        if (year != edition || !isfinite(budget))
            continue;
        if (mtfs_backtest_outturn_of(b, year))
            return mtfs_error_set(err, MTFS_EINPUT, b->published_file, mtfs_table_line(pub->t, r),
                                  NULL, "a second year-1 budget for %d (expected one row per "
                                  "edition with year = edition)", year);
        b->outturn[b->n_outturn++] = (mtfs_backtest_outturn){
            year, budget, mtfs_table_number(pub->t, r, pub->band_d),
            mtfs_table_number(pub->t, r, pub->ct_rise)};
    }
    /* Rows come in edition order in the shipped file; sort anyway. */
    for (size_t i = 1; i < b->n_outturn; i++)
        for (size_t j = i; j > 0 && b->outturn[j - 1].year > b->outturn[j].year; j--) {
            mtfs_backtest_outturn tmp = b->outturn[j];
            b->outturn[j] = b->outturn[j - 1];
            b->outturn[j - 1] = tmp;
        }
    return MTFS_OK;
}

mtfs_status mtfs_backtest_run(const char *dir, const char *published_path, const char *economy_path,
                              mtfs_backtest **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_error_clear(err);
    mtfs_backtest *b = mtfs_calloc(1, sizeof *b);
    if (!b)
        return mtfs_error_oom(err, NULL);
    snprintf(b->published_file, sizeof b->published_file, "%s", published_path);
    mtfs_table *t = NULL, *economy = NULL;
    char **files = NULL;
    size_t n_files = 0;
    published pub;
    mtfs_status st = mtfs_table_load(published_path, &t, err);
    if (st == MTFS_OK)
        st = open_published(t, published_path, &pub, err);
    if (st == MTFS_OK && economy_path && (st = mtfs_table_load(economy_path, &economy, err)) == MTFS_OK &&
        mtfs_table_column(economy, "year") == (size_t)-1)
        st = mtfs_error_set(err, MTFS_EINPUT, economy_path, 1, NULL,
                            "no column 'year' (expected year and economy series such as cpi, pay)");
    if (st == MTFS_OK)
        st = list_cfg(dir, &files, &n_files, err);
    if (st == MTFS_OK && !(b->editions = mtfs_calloc(n_files, sizeof *b->editions)))
        st = mtfs_error_oom(err, NULL);
    for (size_t i = 0; st == MTFS_OK && i < n_files; i++)
        if ((st = add_edition(files[i], &pub, economy, &b->editions[b->n], err)) == MTFS_OK)
            b->n++;
    if (st == MTFS_OK)
        st = add_outturn(&pub, b, err);
    mtfs_input_list_free(files, n_files);
    mtfs_table_free(t);
    mtfs_table_free(economy);
    if (st != MTFS_OK) {
        mtfs_backtest_free(b);
        return st;
    }
    qsort(b->editions, b->n, sizeof *b->editions, by_first_year);
    *out = b;
    return MTFS_OK;
}

void mtfs_backtest_free(mtfs_backtest *b)
{
    if (!b)
        return;
    mtfs_free(b->editions);
    mtfs_free(b->outturn);
    mtfs_free(b);
}

const mtfs_backtest_outturn *mtfs_backtest_outturn_of(const mtfs_backtest *b, int year)
{
    for (size_t i = 0; i < b->n_outturn; i++)
        if (b->outturn[i].year == year)
            return &b->outturn[i];
    return NULL;
}

/* ---------------------------------------------------------------------- */
/* Out of sample                                                           */

/* One case: edition k's forecast of what edition j published. */
typedef struct {
    const mtfs_backtest_edition *k, *j;
    int year;                  /* the year forecast */
    int gap;                   /* 0 budget, 1 gap */
    double forecast, published, error;
    int spans_break;
} oos_case;

/* Calls visit for every case, in edition order; returns the count. */
static size_t oos_cases(const mtfs_backtest *b, void (*visit)(const oos_case *, void *), void *ctx)
{
    size_t n = 0;
    for (size_t a = 0; a < b->n; a++)
        for (size_t c = 0; c < b->n; c++) {
            const mtfs_backtest_edition *k = &b->editions[a], *j = &b->editions[c];
            if (j->first_year <= k->first_year)
                continue;
            const mtfs_backtest_outturn *o = mtfs_backtest_outturn_of(b, j->first_year);
            long tk = (long)j->first_year - (k->first_year - 1);
            if (o && tk <= (long)k->horizon) {
                oos_case x = {k, j, j->first_year, 0, k->funding[tk], o->net_budget, NAN, 0};
                x.error = 100.0 * (x.forecast - x.published) / x.published;
                x.spans_break = k->first_year < MTFS_BACKTEST_SERIES_BREAK &&
                                x.year >= MTFS_BACKTEST_SERIES_BREAK;
                visit(&x, ctx);
                n++;
            }
            for (size_t tj = 1; tj <= j->horizon; tj++) {
                int year = j->first_year - 1 + (int)tj;
                long t = (long)year - (k->first_year - 1);
                if (!isfinite(j->published_gap[tj]) || t > (long)k->horizon)
                    continue;
                oos_case x = {k, j, year, 1, k->modelled_gap[t], j->published_gap[tj], 0.0, 0};
                if (!(j->published_lower_bound[tj] && x.forecast >= x.published))
                    x.error = x.forecast - x.published;
                x.spans_break = k->first_year < MTFS_BACKTEST_SERIES_BREAK &&
                                year >= MTFS_BACKTEST_SERIES_BREAK;
                visit(&x, ctx);
                n++;
            }
        }
    return n;
}

typedef struct {
    size_t h;
    int without_break;
    mtfs_backtest_oos s;
} oos_sum;

static void oos_add(const oos_case *x, void *ctx)
{
    oos_sum *u = ctx;
    if ((size_t)(x->j->first_year - x->k->first_year) != u->h || (u->without_break && x->spans_break))
        return;
    if (x->gap) {
        u->s.gap_n++;
        u->s.gap_mean += x->error;
        u->s.gap_mean_abs += fabs(x->error);
    } else {
        u->s.budget_n++;
        u->s.budget_mean += x->error;
        u->s.budget_mean_abs += fabs(x->error);
    }
}

mtfs_backtest_oos mtfs_backtest_out_of_sample(const mtfs_backtest *b, size_t h, int without_break)
{
    oos_sum u = {h, without_break, {0, 0, 0.0, 0.0, 0.0, 0.0}};
    oos_cases(b, oos_add, &u);
    if (u.s.budget_n) {
        u.s.budget_mean /= (double)u.s.budget_n;
        u.s.budget_mean_abs /= (double)u.s.budget_n;
    } else {
        u.s.budget_mean = u.s.budget_mean_abs = NAN;
    }
    if (u.s.gap_n) {
        u.s.gap_mean /= (double)u.s.gap_n;
        u.s.gap_mean_abs /= (double)u.s.gap_n;
    } else {
        u.s.gap_mean = u.s.gap_mean_abs = NAN;
    }
    return u.s;
}

static void csv_value(FILE *out, double x);

static void oos_row(const oos_case *x, void *ctx)
{
    FILE *out = ctx;
    char label[16];
    fprintf(out, "%d,%d,%d,%s,%d,%s", x->k->first_year, x->j->first_year, x->year,
            mtfs_year_label(x->year, label, sizeof label), x->j->first_year - x->k->first_year,
            x->gap ? "gap" : "budget");
    csv_value(out, x->forecast);
    csv_value(out, x->published);
    csv_value(out, x->error);
    fprintf(out, ",%d\n", x->spans_break);
}

mtfs_status mtfs_report_backtest_oos_csv(FILE *out, const mtfs_backtest *b, mtfs_error *err)
{
    fputs("forecast_edition,target_edition,year,label,horizon,measure,forecast,published,error,"
          "spans_break\n", out);
    oos_cases(b, oos_row, out);
    return mtfs_stream_status(out, err);
}

/* ---------------------------------------------------------------------- */
/* Reports                                                                 */

/* x as fmt says ("%9.1f", "%+8.1f%%", "%9.2f": nine columns, its decimals,
 * a sign, a percent) through the table number formatter (grouped digits;
 * a value that rounds to zero is 0, never -0), or "-" when it is not a
 * number. */
static void cell(FILE *out, double x, const char *fmt)
{
    const char *dot = strchr(fmt, '.');
    int digits = dot && dot[1] >= '0' && dot[1] <= '9' ? dot[1] - '0' : 1;
    char n[64];
    if (!isfinite(x))
        fprintf(out, "%9s", "-");
    else if (strstr(fmt, "%%"))
        fprintf(out, "%8s%%", mtfs_format_table_number(x, digits, strchr(fmt, '+') != NULL, n, sizeof n));
    else
        fprintf(out, "%9s", mtfs_format_table_number(x, digits, strchr(fmt, '+') != NULL, n, sizeof n));
}

/* Row `kind` of an edition's block (see edition_rows[]) in projection
 * year t. */
static void edition_cell(FILE *out, const mtfs_backtest *b, const mtfs_backtest_edition *e, int kind,
                         size_t t)
{
    const mtfs_backtest_outturn *o = mtfs_backtest_outturn_of(b, e->first_year - 1 + (int)t);
    double set = o && t > 1 ? o->net_budget : NAN, bd = o ? o->band_d : NAN;
    double gap_err = mtfs_backtest_gap_error(e, t);
    /* A lower bound shows as ">100.0", and as "met" when the
     * modelled gap reaches it. */
    switch (kind) {
    case 0:
        if (e->published_lower_bound[t]) {
            char bound[32];
            snprintf(bound, sizeof bound, ">%.1f", e->published_gap[t]);
            fprintf(out, "%9s", bound);
        } else {
            cell(out, e->published_gap[t], "%9.1f");
        }
        break;
    case 1: cell(out, e->modelled_gap[t], "%9.1f"); break;
    case 2:
    case 3:
        if (mtfs_backtest_bound_met(e, t))
            fprintf(out, "%9s", "met");
        else if (kind == 2)
            cell(out, gap_err, "%+9.1f");
        else
            cell(out, 100.0 * gap_err / e->expenditure[t], "%+8.1f%%");
        break;
    case 4: cell(out, e->expenditure[t], "%9.1f"); break;
    case 5: cell(out, set, "%9.1f"); break;
    case 7: cell(out, 100.0 * (e->expenditure[t] - set) / set, "%+8.1f%%"); break;
    case 8: cell(out, e->band_d[t], "%9.2f"); break;
    case 9: cell(out, t > 1 ? bd : NAN, "%9.2f"); break;
    case 10: cell(out, e->funding[t], "%9.1f"); break;
    case 11: cell(out, 100.0 * (e->funding[t] - set) / set, "%+8.1f%%"); break;
    case 12: cell(out, e->spending_outturn_economy[t], "%9.1f"); break;
    case 13: cell(out, e->spending_outturn_economy[t] - e->expenditure[t], "%+9.1f"); break;
    case 14: cell(out, e->residual[t], "%9.1f"); break;
    case 15: cell(out, 100.0 * e->residual[t] / e->expenditure[t], "%8.1f%%"); break;
    }
}

/* One edition's block: its headline residual, then a row per quantity
 * (edition_cell's kinds) by year. */
static void table_edition(FILE *out, const mtfs_backtest *b, const mtfs_backtest_edition *e)
{
    static const struct { const char *label; int kind; } rows[] = {
        {"residual (contingency line)", 14}, {"  % of net budget", 15},
        {"gap published", 0}, {"gap modelled", 1}, {"  error", 2}, {"  error, % of net budget", 3},
        {"net budget set (later edition)", 5}, {"funding projected", 10},
        {"  error, % of budget set", 11}, {"spending projected", 4},
        {"  above budget set, %", 7}, {"spending, outturn inflation", 12},
        {"  inflation's part, £m", 13}, {"Band D projected (£)", 8}, {"Band D set (£)", 9},
    };
    char label[16];
    fprintf(out, "\n%s (%s)\n", e->name, e->file);
    if (e->headline_t) {
        char money[48], pct[32], year[16];
        fprintf(out, "residual needed %s in %s, %s%% of net budget\n",
                mtfs_format_money(e->headline_residual, money, sizeof money),
                mtfs_year_label(e->first_year - 1 + (int)e->headline_t, year, sizeof year),
                mtfs_format_table_number(100.0 * e->headline_residual_share, 1, 0, pct, sizeof pct));
    }
    fprintf(out, "%-30s", "");
    for (size_t t = 1; t <= e->horizon; t++)
        fprintf(out, "%9s", mtfs_year_label(e->first_year - 1 + (int)t, label, sizeof label));
    fputc('\n', out);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        fprintf(out, "%-*s", mtfs_text_pad(rows[r].label, 30), rows[r].label);   /* "£": one column */
        for (size_t t = 1; t <= e->horizon; t++)
            edition_cell(out, b, e, rows[r].kind, t);
        fputc('\n', out);
    }
}

/* How far ahead, how wrong: the projected funding and spending against
 * the budget later set, by years ahead. */
static void table_years_ahead(FILE *out, const mtfs_backtest *b)
{
    fprintf(out, "\nAgainst the budget later set, by years ahead (%% of the budget set)\n");
    fprintf(out, "%-12s %6s %16s %16s %16s %16s\n", "years ahead", "cases", "funding: mean",
            "funding: worst", "spending: mean", "spending: worst");
    for (size_t ahead = 1; ahead < MTFS_HORIZON_MAX; ahead++) {
        size_t n = 0;
        double f_sum = 0.0, f_worst = 0.0, e_sum = 0.0, e_worst = 0.0;
        for (size_t k = 0; k < b->n; k++) {
            const mtfs_backtest_edition *e = &b->editions[k];
            size_t t = ahead + 1;
            const mtfs_backtest_outturn *o =
                t <= e->horizon ? mtfs_backtest_outturn_of(b, e->first_year - 1 + (int)t) : NULL;
            if (!o)
                continue;
            double f = 100.0 * (e->funding[t] - o->net_budget) / o->net_budget;
            double x = 100.0 * (e->expenditure[t] - o->net_budget) / o->net_budget;
            n++;
            f_sum += f;
            e_sum += x;
            f_worst = fabs(f) > fabs(f_worst) ? f : f_worst;
            e_worst = fabs(x) > fabs(e_worst) ? x : e_worst;
        }
        if (!n)
            break;
        fprintf(out, "%-12zu %6zu %+15.1f%% %+15.1f%% %+15.1f%% %+15.1f%%\n", ahead, n,
                f_sum / (double)n, f_worst, e_sum / (double)n, e_worst);
    }
}

/* Out of sample: forecasts of what later editions published. */
static void table_out_of_sample(FILE *out, const mtfs_backtest *b)
{
    fprintf(out, "\nOut of sample: each edition's forecast of later editions' published figures, by "
                 "horizon (years between the editions)\n"
                 "budget: projected funding against the net budget set, %%; gap: modelled against "
                 "published, £m; \"no break\": without the cases across the %d/%02d series break\n",
            MTFS_BACKTEST_SERIES_BREAK, (MTFS_BACKTEST_SERIES_BREAK + 1) % 100);
    fprintf(out, "%-8s %-9s %7s %13s %13s %7s %13s %13s\n", "horizon", "cases", "budget",
            "budget: mean", "mean |error|", "gaps", "gap: mean", "mean |error|");
    for (size_t h = 1; h <= 3; h++)
        for (int nb = 0; nb <= 1; nb++) {
            mtfs_backtest_oos o = mtfs_backtest_out_of_sample(b, h, nb);
            char m1[32], m2[32], m3[32], m4[32];
            if (!o.budget_n && !o.gap_n)
                continue;
            fprintf(out, "%-8zu %-9s %7zu %12s%% %12s%% %7zu %13s %13s\n", h, nb ? "no break" : "all",
                    o.budget_n,
                    isfinite(o.budget_mean) ? mtfs_format_table_number(o.budget_mean, 1, 1, m1, sizeof m1) : "-",
                    isfinite(o.budget_mean_abs) ? mtfs_format_table_number(o.budget_mean_abs, 1, 0, m2, sizeof m2) : "-",
                    o.gap_n,
                    isfinite(o.gap_mean) ? mtfs_format_table_number(o.gap_mean, 1, 1, m3, sizeof m3) : "-",
                    isfinite(o.gap_mean_abs) ? mtfs_format_table_number(o.gap_mean_abs, 1, 0, m4, sizeof m4) : "-");
        }
}

/* The headline: what each edition's published gaps need beyond its
 * stated inputs.  The gap error is small by construction. */
static void table_residuals(FILE *out, const mtfs_backtest *b)
{
    fprintf(out, "\nResidual needed per edition (the contingency line in the last year with a "
                 "published gap, %% of that year's net budget):\n");
    for (size_t k = 0; k < b->n; k++) {
        const mtfs_backtest_edition *e = &b->editions[k];
        char money[48], pct[32], year[16];
        if (!e->headline_t)
            continue;
        fprintf(out, "  %d/%02d  %9s in %s  %6s%%   (gap error %.1f%%)\n", e->first_year,
                (e->first_year + 1) % 100, mtfs_format_money(e->headline_residual, money, sizeof money),
                mtfs_year_label(e->first_year - 1 + (int)e->headline_t, year, sizeof year),
                mtfs_format_table_number(100.0 * e->headline_residual_share, 1, 0, pct, sizeof pct),
                100.0 * e->worst_gap_error_share);
    }
    fprintf(out, "\nWorst gap error per edition: ");
    for (size_t k = 0; k < b->n; k++)
        fprintf(out, "%s%d/%02d %.1f%%", k ? ", " : "", b->editions[k].first_year,
                (b->editions[k].first_year + 1) % 100, 100.0 * b->editions[k].worst_gap_error_share);
    fprintf(out, " of that year's net budget, small by construction: the residual makes it so.\n");
}

mtfs_status mtfs_report_backtest_table(FILE *out, const mtfs_backtest *b, mtfs_error *err)
{
    fprintf(out, "Back-test of %zu MTFS editions against %s, £m\n", b->n, b->published_file);
    if (mtfs_backtest_has_lower_bounds(b))
        fprintf(out, "A published gap marked > is a lower bound (\"more than\", \"could exceed\"); "
                     "\"met\" where the modelled gap reaches it.\n");
    for (size_t k = 0; k < b->n; k++)
        table_edition(out, b, &b->editions[k]);
    table_years_ahead(out, b);
    table_out_of_sample(out, b);
    table_residuals(out, b);
    return mtfs_stream_status(out, err);
}

static void csv_value(FILE *out, double x)
{
    char buf[40];
    fputc(',', out);
    if (isfinite(x))
        fputs(mtfs_format_exact(x, buf, sizeof buf), out);
}

mtfs_status mtfs_report_backtest_csv(FILE *out, const mtfs_backtest *b, mtfs_error *err)
{
    fputs("edition,year,label,years_ahead,residual,residual_share,published_gap,modelled_gap,gap_error,gap_error_share,"
          "budget_set,projected_funding,funding_error,projected_spending,spending_above_set,"
          "projected_band_d,band_d_set,spending_outturn_economy,funding_outturn_economy,"
          "published_gap_is_lower_bound\n",
          out);
    char label[16];
    for (size_t k = 0; k < b->n; k++) {
        const mtfs_backtest_edition *e = &b->editions[k];
        for (size_t t = 1; t <= e->horizon; t++) {
            int year = e->first_year - 1 + (int)t;
            const mtfs_backtest_outturn *o = t > 1 ? mtfs_backtest_outturn_of(b, year) : NULL;
            double set = o ? o->net_budget : NAN;
            double gap_err = mtfs_backtest_gap_error(e, t);
            fprintf(out, "%d,%d,%s,%zu", e->first_year, year, mtfs_year_label(year, label, sizeof label),
                    t - 1);
            const double v[] = {e->residual[t], e->residual[t] / e->expenditure[t], e->published_gap[t], e->modelled_gap[t], gap_err,
                                gap_err / e->expenditure[t], set, e->funding[t],
                                e->funding[t] - set, e->expenditure[t], e->expenditure[t] - set,
                                e->band_d[t], o ? o->band_d : NAN, e->spending_outturn_economy[t],
                                e->funding_outturn_economy[t]};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                csv_value(out, v[i]);
            fprintf(out, ",%d\n", e->published_lower_bound[t]);
        }
    }
    return mtfs_stream_status(out, err);
}
