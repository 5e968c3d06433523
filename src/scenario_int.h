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

struct mtfs_scenario {
    char *name;
    char *id;
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

    /* Covid pressures (model.md section 5); all series zero without a
     * covid block. */
    int has_covid;
    double *covid_extra_costs;      /* £m */
    double *covid_lost_income;      /* £m, after the taper */
    double *covid_budgeted_income;  /* sales, fees and charges budgeted, £m */
    double covid_sfc_rate;          /* share of losses beyond the deductible paid */
    double covid_sfc_deductible;    /* share of budgeted income borne first */
    int covid_sfc_end_year;         /* last year compensated; 0 = every year */
    double *covid_ct_deficit;       /* collection-fund deficit arising in year t */
    double *covid_br_deficit;
    size_t covid_spread_years;      /* deficits recovered over this many following years */
    double *covid_grants;           /* one-off government grants, £m */

    char **files;
    size_t n_files;

    /* Every series array, freed together. */
    double **blocks;
    size_t n_blocks;
    size_t cap_blocks;
};

#endif
