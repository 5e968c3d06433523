/*
 * mtfs/backtest.h - back-testing published MTFS editions (docs/backtest.md).
 *
 * Each edition is a scenario (scenarios/editions/leics_YYYY.cfg, year 1 =
 * YYYY/YY+1) and a set of rows in a published-figures CSV
 * (data/published/leics_mtfs_editions.csv).  The back-test puts side by
 * side, per edition: the published and the modelled gap; and each edition's
 * projection of later years' net budget, funding and Band D against what the
 * later editions actually set (their year-1 figures).
 */
#ifndef MTFS_BACKTEST_H
#define MTFS_BACKTEST_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Series below are indexed by year index t = 0..horizon (t = 0 the
 * edition's base year, unused for gaps); NAN where nothing is published. */
typedef struct {
    char id[64];                   /* scenario id, e.g. "leics_2020" */
    char name[256];
    char file[4096];
    int first_year;                /* year 1, e.g. 2020 for 2020/21 */
    size_t horizon;
    double published_gap[MTFS_HORIZON_MAX + 1];
    /* 1 where a gap is published and is a lower bound ("more than £90m",
     * "could exceed £100m"): a modelled gap at or above it is no error. */
    unsigned char published_lower_bound[MTFS_HORIZON_MAX + 1];
    double modelled_gap[MTFS_HORIZON_MAX + 1];
    double published_budget[MTFS_HORIZON_MAX + 1];  /* the net budget in the edition's own table */
    double expenditure[MTFS_HORIZON_MAX + 1];       /* modelled E(t) */
    double funding[MTFS_HORIZON_MAX + 1];           /* modelled F(t) */
    double band_d[MTFS_HORIZON_MAX + 1];            /* modelled Band D, £ */
    /* Attribution: spending and funding with the edition's economy replaced
     * by the outturn (CPI, pay, NLW) where known; NAN without outturn data. */
    double spending_outturn_economy[MTFS_HORIZON_MAX + 1];
    double funding_outturn_economy[MTFS_HORIZON_MAX + 1];
    /* The calibration residual: the scenario's contingency line, what the
     * edition's published budget and gaps need beyond its stated inputs
     * (docs/backtest.md).  The headline is the residual of the last year
     * with a published gap, and its share of that year's modelled net
     * budget (expenditure). */
    double residual[MTFS_HORIZON_MAX + 1];
    size_t headline_t;             /* 0 when no gap is published */
    double headline_residual;      /* £m */
    double headline_residual_share;
    double worst_gap_error;        /* max |mtfs_backtest_gap_error| over published years, £m */
    double worst_gap_error_share;  /* ... as a share of that year's modelled expenditure */
} mtfs_backtest_edition;

/* True where year t's published gap is a lower bound the model meets. */
int mtfs_backtest_bound_met(const mtfs_backtest_edition *e, size_t t);
/* Modelled minus published gap in year t (NAN where nothing is published),
 * or 0 where the published gap is a lower bound the model meets. */
double mtfs_backtest_gap_error(const mtfs_backtest_edition *e, size_t t);

/* What was actually set: year-1 figures of each edition, by financial year. */
typedef struct {
    int year;                      /* 2020 for 2020/21 */
    double net_budget;             /* £m, as set */
    double band_d;                 /* £, county element; NAN if unknown */
    double ct_rise;                /* share, e.g. 0.0499 */
} mtfs_backtest_outturn;

typedef struct {
    mtfs_backtest_edition *editions;   /* by first_year */
    size_t n;
    mtfs_backtest_outturn *outturn;    /* by year */
    size_t n_outturn;
    char published_file[4096];
} mtfs_backtest;

/* True when any edition's published gaps include a lower bound. */
int mtfs_backtest_has_lower_bounds(const mtfs_backtest *b);

/* Run every *.cfg in `dir` (each an edition) against the published figures
 * in `published` (CSV); `economy` (CSV: year, cpi, pay, nlw_growth), when not
 * NULL, is the outturn the attribution re-runs each edition with. */
mtfs_status mtfs_backtest_run(const char *dir, const char *published, const char *economy,
                              mtfs_backtest **out, mtfs_error *err);
void mtfs_backtest_free(mtfs_backtest *b);

/* The outturn of a year, or NULL. */
const mtfs_backtest_outturn *mtfs_backtest_outturn_of(const mtfs_backtest *b, int year);

/* Out of sample: each edition's forecast of what later editions published.
 * For an edition k and a later edition j, horizon h = j's first year - k's:
 * the budget forecast is k's projected funding for j's first year against
 * j's net budget (every budget set is balanced, so it is the funding that
 * was available); the gap forecast is k's modelled gap for each year j
 * publishes a gap for, against that published gap (0 error where it is a
 * lower bound k reaches).  A case spans the series break when k was written
 * before MTFS_BACKTEST_SERIES_BREAK (2022/23: new grants and transferred
 * funding streams took the net budget from £399m to £471.7m) and the year
 * forecast is at or after it. */
#define MTFS_BACKTEST_SERIES_BREAK 2022
typedef struct {
    size_t budget_n, gap_n;
    double budget_mean, budget_mean_abs;   /* % of the budget set */
    double gap_mean, gap_mean_abs;         /* £m */
} mtfs_backtest_oos;
/* The summary at horizon h (1, 2, 3, ...); without_break: only the cases
 * that do not span the series break. */
mtfs_backtest_oos mtfs_backtest_out_of_sample(const mtfs_backtest *b, size_t h, int without_break);
/* Every case, long form: forecast edition, target edition, year, horizon,
 * measure (budget or gap), forecast, published, error, spans_break. */
mtfs_status mtfs_report_backtest_oos_csv(FILE *out, const mtfs_backtest *b, mtfs_error *err);

mtfs_status mtfs_report_backtest_table(FILE *out, const mtfs_backtest *b, mtfs_error *err);
/* Long form: one row per edition and year. */
mtfs_status mtfs_report_backtest_csv(FILE *out, const mtfs_backtest *b, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
