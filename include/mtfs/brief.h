/*
 * mtfs/brief.h - the lobbying brief: an authority's funding per head
 * against named comparators and group averages, what each formula gives it,
 * and its MTFS gap with and without each (docs/fair-funding.md).
 *
 * The authority and the data come from the scenario's fair_funding block;
 * comparators and formulas from its brief block.  Every figure carries the
 * data line it came from, and every input file its SHA-256.
 */
#ifndef MTFS_BRIEF_H
#define MTFS_BRIEF_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"
#include "mtfs/formula.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MTFS_BRIEF_SELF, MTFS_BRIEF_COMPARATOR, MTFS_BRIEF_GROUP } mtfs_brief_kind;

/* One row of the per-head comparison. */
typedef struct {
    char label[160];
    char code[32];            /* "" for a group */
    char tier[32];            /* "county", "London borough", ... from the data's type; "" for a group */
    mtfs_brief_kind kind;
    int line;                 /* data line (0 for a group) */
    size_t members;           /* a group's number of authorities */
    double population;
    double funding;           /* £m */
    double per_head;          /* £ a head */
    double gain;              /* the authority funded at this level: £m a year */
    size_t gap_case;          /* the case in `cases` with this gain (the authority's own row:
                                 the case without reform) */
} mtfs_brief_row;

/* What one formula gives the authority. */
typedef struct {
    char name[128];
    char file[4096];
    char sha256[65];
    int in_scope;             /* 0: the authority is outside the formula's scope */
    double now, under;        /* B_i and D_i, £m */
    double change;            /* D_i - B_i, £m a year */
    size_t rank, n;           /* by funding per head under the formula (mtfs_rank) */
    size_t rank_shared_by;    /* how many authorities hold that rank (1: the authority alone) */
    size_t gap_case;          /* the case in `cases` with this change (when in scope) */
} mtfs_brief_formula;

/* One line of the gap table: the scenario's MTFS with a given change. */
typedef struct {
    char label[200];
    double change;            /* D_i - B_i put through the reform, £m */
    double *gap;              /* [horizon + 1], index 0 unused */
} mtfs_brief_case;

typedef struct {
    char authority[160];
    char code[32];
    char data_file[4096];
    char data_sha256[65];
    char funding_year[16];    /* the data's core spending power year, e.g. 2020-21 */
    int population_year;
    mtfs_brief_row *rows;     /* the authority, comparators, then groups */
    size_t n_rows;
    mtfs_brief_formula *formulas;
    size_t n_formulas;
    mtfs_brief_case *cases;   /* without reform, this scenario's, each formula, each comparator */
    size_t n_cases;
    size_t horizon;
    int base_year;
    int start_year;           /* the reform's first year */
    /* The price basis (fair_funding.prices): P restates the data year's £
     * in base-year prices; P = 1 and prices_file "" when the scenario does
     * not restate.  data_year 0 when the data does not say. */
    int data_year;
    double price_factor;
    char prices_file[4096];
    char prices_series[64];
    char prices_sha256[65];
    double price_rate[MTFS_PRICE_YEARS_MAX];
    int price_line[MTFS_PRICE_YEARS_MAX];
    size_t n_price_years;
    double scale;             /* fair_funding.scale */
    int uplift_cpi;
    mtfs_formula_result *chart; /* the scenario's own formula, for the winners-and-losers chart */
    size_t chart_focus;       /* the authority's index in `chart` */
    double *storage;
} mtfs_brief;

/* Compute the brief for scenario s, which must have a fair_funding block. */
mtfs_status mtfs_brief_compute(const mtfs_scenario *s, mtfs_brief **out, mtfs_error *err);
void mtfs_brief_free(mtfs_brief *b);

/* Names of the chart files the Markdown refers to (relative to brief.md);
 * NULL entries, or a NULL struct, leave that chart out. */
typedef struct {
    const char *per_head;     /* funding per head against comparators */
    const char *formula;      /* winners and losers under the scenario's formula */
} mtfs_brief_charts;

/* The brief as Markdown. */
mtfs_status mtfs_brief_markdown(FILE *out, const mtfs_scenario *s, const mtfs_brief *b,
                                const mtfs_brief_charts *charts, mtfs_error *err);

/* The brief's numbers as CSV, one row per line of its per-head and formula
 * tables, each with the MTFS gap its change gives year by year:
 *   item               authority, comparator, group or formula
 *   name, code, tier   the row's name; code and tier of an authority ("" otherwise)
 *   data_line          the data line of an authority (empty otherwise)
 *   members            authorities in a group (1 for an authority)
 *   population, core_spending_power_m, per_head
 *                      per-head rows: the data's population, £m and £ a head
 *   file               a formula's file
 *   now_m, under_m     a formula's B_i and D_i for the authority, £m
 *   change_m           the change a year put through the reform: 0 for the authority
 *                      itself, "if funded at this level" for a comparator or group,
 *                      D_i - B_i for a formula
 *   change_pct         a formula's change, % of now_m
 *   rank, rank_shared_by, rank_out_of
 *                      a formula's rank by funding per head (mtfs_rank), how many
 *                      authorities hold it, and how many are ranked
 *   price_factor       P, the data year's £ to base-year prices (1: not restated)
 *   change_base_m      change_m x P: the change in base-year prices, £m
 *   gap_YYYY           the funding gap in year YYYY/YY+1 with change_m, £m (the
 *                      authority's own row: without reform)
 * A formula whose scope leaves the authority out has its numbers empty.
 * The JSON of `mtfs brief --format json` is this table's rows. */
mtfs_status mtfs_brief_csv(FILE *out, const mtfs_brief *b, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
