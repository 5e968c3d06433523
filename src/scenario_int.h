/*
 * scenario_int.h - the validated scenario (internal).
 *
 * Series are arrays of horizon + 1 doubles indexed by year index t; element
 * [0] (the base year) is unused and zero.  Everything here has passed
 * validation, so the engine reads it without checks.
 */
#ifndef MTFS_SCENARIO_INT_H
#define MTFS_SCENARIO_INT_H

#include <stddef.h>
#include "mtfs/scenario.h"
#include "mtfs/inputs.h"

typedef struct {
    char *name;
    double *values;          /* series */
} mtfs_economy_series;

/* A price index: a weighted mix of economy series (weights sum to 1).
 * "cpi" and a bare economy series name are indices of one term. */
typedef struct {
    char *name;
    size_t n_terms;
    size_t *series;          /* indices into economy */
    double *weights;
} mtfs_price_index;

typedef struct {
    char *name;
    double base;             /* R_s(0), £m */
    double pay_share;
    size_t price_index;      /* into indices */
    double *demand;
    double *growth;
    double *savings;
    double *delivery;
    double *one_off;
    /* Gross and income (model.md section 1): with an income block, base is
     * gross spending and I_s(t) = I_s(t-1) * (1 + income_growth(t)) is
     * taken off it; without one, has_income is 0, income_base 0 and
     * income_growth NULL. */
    int has_income;
    double income_base;      /* I_s(0), £m */
    double *income_growth;   /* series; the scenario's cpi unless given */
    int social_care;         /* counts as social care (model.md section 12): 1, 0, or -1
                                when not given (then by name: see mtfs_service_social_care) */
} mtfs_service;

typedef enum { MTFS_GRANT_FLAT, MTFS_GRANT_CPI, MTFS_GRANT_RATE, MTFS_GRANT_LIST } mtfs_grant_rule;

typedef struct {
    char *name;
    mtfs_grant_rule rule;
    double amount;           /* G(0) (for LIST: base_amount) */
    double *list;            /* rule LIST: G(t) directly */
    double *rate;            /* rule RATE */
    int end_year;            /* 0 = no end */
} mtfs_grant;

typedef enum { MTFS_RESERVES_COVER_GAP, MTFS_RESERVES_NONE } mtfs_reserves_policy;

/* An earmarked reserve (model.md section 11): EM(0) = opening, then
 * EM(t) = EM(t-1) - uses(t) + contributions(t), less any draw for the gap
 * when available_for_gap. */
typedef struct {
    char *name;
    double opening;          /* £m */
    double *uses;            /* series: planned spending it funds (already in E) */
    double *contributions;   /* series */
    int available_for_gap;
} mtfs_earmarked;
/* What reaches the general fund when the DSG override ends. */
/* resilience.sources: at most this many, each shorter than this (bytes). */
#define MTFS_RS_SOURCES_MAX 12
#define MTFS_RS_SOURCE_LEN 400

typedef enum { MTFS_DSG_RESERVES, MTFS_DSG_SPREAD, MTFS_DSG_NONE } mtfs_dsg_treatment;

/* Uncertainty (model.md section 7): a distribution attached to one input. */
typedef enum {
    MTFS_DIST_NORMAL,       /* p1 mean, p2 sd */
    MTFS_DIST_LOGNORMAL,    /* p1 mu, p2 sigma (of the logarithm) */
    MTFS_DIST_UNIFORM,      /* p1 low, p2 high */
    MTFS_DIST_TRIANGULAR,   /* p1 low, p2 mode, p3 high */
    MTFS_DIST_PERT          /* p1 low, p2 mode, p3 high, p4 lambda */
} mtfs_dist;

/* How a draw x meets the deterministic value v: v + x, v * x, or x. */
typedef enum { MTFS_APPLY_ADD, MTFS_APPLY_SCALE, MTFS_APPLY_VALUE } mtfs_apply;

typedef struct {
    char *key;               /* the input's path, e.g. "services.adults.demand" */
    const mtfs_input_def *input;  /* the registry row of the input it drives */
    size_t item;             /* which economy series, service or grant */
    int series;              /* 1: one value per year; 0: a single number */
    mtfs_dist dist;
    mtfs_apply apply;
    double p1, p2, p3, p4;   /* parameters, see mtfs_dist */
    double lower, upper;     /* truncation of the distribution; +-INFINITY if none */
    double rho;              /* year-to-year persistence of the draws, AR(1) */
    double clamp_lo, clamp_hi; /* the input's valid range: sampled values stay in it */
} mtfs_uncertain;


struct mtfs_scenario {
    char *name;
    char *id;
    char *description;       /* NULL when the files give none */
    int base_year;
    size_t horizon;

    mtfs_economy_series *economy;
    size_t n_economy;
    size_t cpi;              /* index of economy series "cpi" */
    size_t pay;              /* index of economy series "pay" */

    mtfs_price_index *indices;
    size_t n_indices;

    mtfs_service *services;
    size_t n_services;
    double *contingency;

    /* council tax */
    double taxbase;          /* taxbase(0), Band D equivalents */
    double *taxbase_growth;
    double band_d;           /* band_d(0), £ */
    double *ct_core;
    double *ct_asc;
    double *collection_rate;
    double *collection_fund;
    double *referendum_limit;
    int referendum;

    double business_rates;   /* BR(0) */
    double *business_rates_growth;

    mtfs_grant *grants;
    size_t n_grants;

    double reserves_opening;
    double reserves_minimum;       /* £m, when minimum_share < 0 */
    double reserves_minimum_share; /* share of E(t); < 0 when not used */
    mtfs_reserves_policy reserves_policy;
    double *contributions;
    mtfs_earmarked *earmarked;     /* reserves.earmarked, in the order listed */
    size_t n_earmarked;

    /* Covid pressures (model.md section 5); all series zero without a
     * covid block. */
    int has_covid;
    double *covid_extra_costs;      /* £m */
    double *covid_lost_income;      /* £m, after the taper */
    double *covid_taper;            /* share of lost income remaining, as given */
    double *covid_budgeted_income;  /* sales, fees and charges budgeted, £m */
    double covid_sfc_rate;          /* share of losses beyond the deductible paid */
    double covid_sfc_deductible;    /* share of budgeted income borne first */
    int covid_sfc_end_year;         /* last year compensated; 0 = every year */
    double *covid_ct_deficit;       /* collection-fund deficit arising in year t */
    double *covid_br_deficit;
    size_t covid_spread_years;      /* deficits recovered over this many following years */
    double *covid_grants;           /* one-off government grants, £m */

    /* Capital financing (model.md section 10); all series zero without a
     * capital block. */
    int has_capital;
    double *cap_programme;          /* P(t), £m */
    double *cap_grants;             /* shares of P(t) financed by grants, */
    double *cap_receipts;           /* capital receipts */
    double *cap_revenue;            /* and revenue (RCCO) */
    double cap_cfr;                 /* CFR(0), £m */
    double *cap_mrp;                /* existing debt's MRP, M0(t) */
    double *cap_interest;           /* existing debt's interest, I0(t) */
    size_t cap_life;                /* L, years; 0 when nothing is borrowed */
    int cap_annuity;                /* method: 0 equal, 1 annuity */
    double cap_annuity_rate;        /* i */
    double *cap_rate;               /* rho(t), on loans taken in year t */
    double *cap_capitalisation;     /* C(t), £m */
    size_t cap_capitalisation_life;
    /* High-needs (DSG) deficit (model.md section 11): every series zero
     * and every year 0 without a dsg block. */
    int has_dsg;
    double dsg_opening;             /* D(0), £m */
    double *dsg_in_year;            /* d(t) as given; NULL-free, zero when not given */
    int dsg_has_in_year;            /* in_year given (else d = H - G_HN) */
    double dsg_spend;               /* H(0) */
    double dsg_grant;               /* G_HN(0) */
    double *dsg_spend_growth;
    double *dsg_grant_growth;
    double *dsg_savings;            /* recurring, off H */
    int dsg_central_from;           /* first year funded nationally; 0 = never */
    double dsg_support_share;       /* share of D(t-1) written off in support_year */
    int dsg_support_year;           /* 0 = no write-off */
    int dsg_override_end;           /* last year of the override; 0 = beyond every year */
    mtfs_dsg_treatment dsg_treatment;
    size_t dsg_years;               /* spread: parts */

    /* Resilience thresholds (model.md section 12): each -1 when not given. */
    int has_resilience;
    double rs_min_reserves_share;   /* usable reserves / E(t) at least */
    double rs_min_general_fund_share;
    double rs_min_months;           /* months of E(t) usable reserves cover */
    double rs_max_reserves_fall;    /* fall in usable reserves in a year, share of last year's */
    double rs_max_financing_share;  /* (MRP + interest) / E(t) at most */
    double rs_max_social_care_share;
    double rs_min_council_tax_share;/* CT(t) / F(t) at least */
    double rs_max_gap_share;        /* gap(t) / E(t) at most */
    char rs_sources[MTFS_RS_SOURCES_MAX][MTFS_RS_SOURCE_LEN];   /* resilience.sources */
    size_t rs_n_sources;

    /* Fair-funding reform (model.md section 6): formula_adjustment(t) is
     * added to funding; zero in every year without a fair_funding block. */
    int has_fair_funding;
    double *formula_adjustment;     /* £m */
    char ff_formula[4096];          /* the formula file, resolved */
    char ff_data[4096];             /* the data table it reads, resolved */
    char ff_formula_name[128];
    char ff_authority[128];         /* the authority's name in the data */
    char ff_code[32];
    double ff_baseline;             /* B_i, £m (the data's year) */
    double ff_final;                /* D_i, £m */
    int ff_start_year;              /* first financial year of the reform */
    double ff_lambda[MTFS_HORIZON_MAX];  /* transition by year of the reform */
    size_t ff_n_lambda;
    int ff_uplift_cpi;
    double ff_scale;
    /* The price basis (fair_funding.prices): the data's money restated to
     * base-year prices by a sourced index of yearly rates. */
    int ff_data_year;               /* first year of the data's financial year (2020 = 2020-21) */
    int ff_has_prices;
    double ff_price_factor;         /* P: data-year £ to base-year prices (1 without prices) */
    char ff_prices_file[4096];      /* the index file, resolved */
    char ff_prices_series[64];      /* its column of yearly rates */
    double ff_price_rate[MTFS_PRICE_YEARS_MAX];  /* the rates P is the product of, year by year */
    int ff_price_line[MTFS_PRICE_YEARS_MAX];     /* their lines in the index file */
    size_t ff_n_price_years;

    /* The lobbying brief (mtfs brief): comparators by code or name, and
     * formula files (resolved paths); NULL lists when not given. */
    char **brief_comparators;
    size_t n_brief_comparators;
    char **brief_formulas;
    size_t n_brief_formulas;

    /* Uncertainty: n_uncertain distributions, their correlation matrix
     * (row-major, n x n, NULL when independent) and Monte Carlo settings. */
    mtfs_uncertain *uncertain;
    size_t n_uncertain;
    double *correlation;
    unsigned long mc_seed;
    size_t mc_paths;
    double *thresholds;
    size_t n_thresholds;

    char **files;
    size_t n_files;

    /* Every series array, freed together. */
    double **blocks;
    size_t n_blocks;
    size_t cap_blocks;
};

/* The values of registry input d (item: the service, grant or economy
 * series) in scenario s: its series (index t = 1..horizon) or, for a single
 * number, a pointer to it.  In inputs.c. */
double *mtfs_inputs_values(mtfs_scenario *s, const mtfs_input_def *d, size_t item);
/* Series input d (kind MTFS_INPUT_SERIES) of item `item`: where its pointer is. */
double **mtfs_inputs_series(mtfs_scenario *s, const mtfs_input_def *d, size_t item);
/* How many items input d has in s: services, grants or economy series; 1
 * for the other groups. */
size_t mtfs_inputs_items(const mtfs_scenario *s, const mtfs_input_def *d);
/* The name of item `item` of d's group ("adults"), or "" for a group of
 * one. */
const char *mtfs_inputs_item_name(const mtfs_scenario *s, const mtfs_input_def *d, size_t item);
/* The keys of `group` in registry order into keys[0..max); their number. */
size_t mtfs_inputs_keys(const char *group, const char **keys, size_t max);

/* The input a distribution drives in scenario s (mtfs_inputs_values of
 * its row and item).  In scenario_uncertainty.c. */
double *mtfs_target_values(mtfs_scenario *s, const mtfs_uncertain *u);

/* mtfs_scenario_load_all through a cache of parsed base files (config.h;
 * NULL: none): batch loads many scenarios that share a base.  In
 * scenario_load.c. */
typedef struct mtfs_parse_cache mtfs_parse_cache;
mtfs_status mtfs_scenario_load_cached(const char *path, mtfs_parse_cache *cache, mtfs_scenario **out,
                                      mtfs_error *err, mtfs_error_list *errors);

#endif
