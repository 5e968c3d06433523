/*
 * mtfs/resilience.h - the financial resilience indicators of a projected
 * path and the thresholds the council sets for them (docs/model.md
 * section 12), for the chief finance officer's section 25 statement.
 *
 * mtfs_resilience_compute reads a scenario and its projection and fills a
 * record of indicators, one value a projected year each.  An indicator
 * whose block the scenario lacks (debt without a capital block, social care
 * when no service counts as social care) is left out, and a value that
 * cannot be formed (a share of a net spending that is not above zero, the
 * change on a balance that was not above zero) is marked unknown: a NaN is
 * never stored.
 */
#ifndef MTFS_RESILIENCE_H
#define MTFS_RESILIENCE_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"
#include "mtfs/montecarlo.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The indicators, in the order they are listed. */
enum {
    MTFS_RS_USABLE_SHARE,        /* usable reserves / E(t) */
    MTFS_RS_GENERAL_FUND_SHARE,  /* general fund / E(t) */
    MTFS_RS_CHANGE,              /* U(t) - U(t-1), £m */
    MTFS_RS_CHANGE_SHARE,        /* (U(t) - U(t-1)) / U(t-1) */
    MTFS_RS_MONTHS,              /* 12 U(t) / E(t) */
    MTFS_RS_CFR,                 /* capital financing requirement, £m */
    MTFS_RS_BORROWING,           /* new borrowing, £m */
    MTFS_RS_FINANCING_SHARE,     /* (MRP + interest) / E(t) */
    MTFS_RS_SOCIAL_CARE_SHARE,   /* social care services' E_s(t) / E(t) */
    MTFS_RS_COUNCIL_TAX_SHARE,   /* CT(t) / F(t) */
    MTFS_RS_GAP_SHARE,           /* gap(t) / E(t) */
    MTFS_RS_COUNT
};

typedef enum { MTFS_RS_UNIT_SHARE, MTFS_RS_UNIT_MONEY, MTFS_RS_UNIT_MONTHS } mtfs_rs_unit;

typedef struct {
    const char *key;             /* "usable_reserves_share": the CSV/JSON name */
    const char *label;           /* for people */
    mtfs_rs_unit unit;
    int shown;                   /* 0: the scenario lacks what it needs */
    const char *threshold_key;   /* "resilience.min_reserves_share", or NULL: none set */
    int at_least;                /* within means value >= threshold (1) or <= (0) */
    double threshold;            /* in the indicator's unit (a fall of 25% is >= -0.25) */
    double *value;               /* [t], t = 1..horizon ([0] unused) */
    unsigned char *known;        /* [t]: 1 when value[t] is defined */
    signed char *within;         /* [t]: 1 within, 0 outside, -1 no threshold or no value */
    size_t first_outside;        /* first year index outside its threshold; 0 = none */
} mtfs_indicator;

/* The risk-based minimum reserve from a Monte Carlo run (model.md 12.3). */
typedef struct {
    int present;                 /* 0: no Monte Carlo (no uncertainty block) */
    size_t paths;
    unsigned long seed;
    double confidence;           /* 0.90 or 0.95: the level the verdict uses */
    double risk_p90, risk_p95;   /* max(0, P90 / P95 of the cumulative gap at T) */
    double risk_chosen;          /* the one at `confidence` */
    double *p_below_minimum;     /* [t]: P(general fund below its minimum by year t) */
    double *p_exhausted;         /* [t]: P(usable reserves below zero by year t) */
} mtfs_resilience_risk;

typedef enum { MTFS_VERDICT_ADEQUATE, MTFS_VERDICT_CONDITIONS, MTFS_VERDICT_NOT_ADEQUATE } mtfs_verdict;

#define MTFS_VERDICT_REASONS 12
#define MTFS_VERDICT_REASON_MAX 240

typedef struct {
    size_t horizon;
    int base_year;
    mtfs_indicator items[MTFS_RS_COUNT];
    /* The verdict (model.md 12.4) and the reasons for it, one sentence each. */
    mtfs_verdict verdict;
    size_t n_reasons;
    char reasons[MTFS_VERDICT_REASONS][MTFS_VERDICT_REASON_MAX];
    double opening_usable;       /* U(0): usable reserves at the end of the base year */
    double fixed_minimum;        /* the council's minimum for year 1, £m */
    mtfs_resilience_risk risk;
    double *store;               /* every array above, freed together */
} mtfs_resilience;

/* Compute the indicators of projection p (filled by mtfs_project for s).
 * mc may be NULL; with a result, the risk part is filled at `confidence`
 * (0.90 or 0.95). */
mtfs_status mtfs_resilience_compute(const mtfs_scenario *s, const mtfs_projection *p,
                                    const mtfs_mc_result *mc, double confidence,
                                    mtfs_resilience **out, mtfs_error *err);
void mtfs_resilience_free(mtfs_resilience *r);

/* Writers (src/report_resilience.c). */
/* The indicators as a table: a row each, the years across, the threshold
 * and whether every year is within it. */
mtfs_status mtfs_report_resilience_table(FILE *out, const mtfs_scenario *s, const mtfs_resilience *r,
                                         mtfs_error *err);
/* One row per indicator and year: indicator,year,label,unit,value,test,
 * threshold,within (value empty when unknown; test, threshold and within
 * empty without a threshold). */
mtfs_status mtfs_report_resilience_csv(FILE *out, const mtfs_resilience *r, mtfs_error *err);

/* The risk-based minimum reserve and the chances by year (with a Monte
 * Carlo): as a table (appended below the indicators' table by the
 * command) and as CSV rows item,year,label,value. */
mtfs_status mtfs_report_resilience_risk_table(FILE *out, const mtfs_resilience *r, mtfs_error *err);
mtfs_status mtfs_report_resilience_risk_csv(FILE *out, const mtfs_resilience *r, mtfs_error *err);

/* "Reserves verdict (docs/model.md 12.4): adequate with conditions, N
 * reasons (--statement lists them)." after a blank line. */
mtfs_status mtfs_report_resilience_verdict(FILE *out, const mtfs_resilience *r, mtfs_error *err);

/* "adequate", "adequate with conditions" or "not adequate". */
const char *mtfs_verdict_name(mtfs_verdict v);

/* The one-page section 25 statement in Markdown (model.md 12.5): the
 * verdict and its reasons, the assumptions, the gap by year, the risks with
 * £m and probability, the indicators, the charts (file names relative to
 * the statement, NULL-terminated list of n_charts with their captions) and
 * the sources. */
mtfs_status mtfs_report_resilience_statement(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                             const mtfs_resilience *r, const char *const *charts,
                                             const char *const *captions, size_t n_charts, mtfs_error *err);

/* The scenario's resilience.sources, in the order given. */
size_t mtfs_scenario_source_count(const mtfs_scenario *s);
const char *mtfs_scenario_source(const mtfs_scenario *s, size_t i);

/* Whether the scenario has an uncertainty block (so a Monte Carlo can run). */
int mtfs_scenario_has_uncertainty(const mtfs_scenario *s);

/* Whether service i counts as social care: its social_care flag, else its
 * name holds "adult" or "child" (any case). */
int mtfs_scenario_service_social_care(const mtfs_scenario *s, size_t i);

#ifdef __cplusplus
}
#endif
#endif
