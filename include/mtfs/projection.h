/*
 * mtfs/projection.h - the deterministic projection of docs/model.md 2-4.
 *
 * mtfs_projection is a plain results record: arrays of horizon + 1 values
 * indexed by year index t (t = 0 is the base year, t = 1..horizon the
 * projection years).  Allocate it once per scenario shape with
 * mtfs_projection_alloc and fill it with mtfs_project as often as needed;
 * mtfs_project performs no I/O and no allocation.
 */
#ifndef MTFS_PROJECTION_H
#define MTFS_PROJECTION_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    size_t horizon;      /* T */
    size_t n_services;
    size_t n_grants;
    size_t n_indices;    /* price indices (economy mixes) the services use */
    size_t n_earmarked;  /* earmarked reserves (model.md section 11) */
    int base_year;       /* year of t = 0, e.g. 2024 for 2024/25 */
    int has_capital;     /* the scenario has a capital block: its columns are carried */
    int has_dsg;         /* the scenario has a dsg block: its columns are carried */

    /* Totals by year, each horizon + 1 long.  [0] holds base-year values
     * (gap, incremental and cumulative gap are 0 there by definition). */
    double *expenditure;        /* E(t) */
    double *funding;            /* F(t) */
    double *gap;                /* E - F */
    double *incremental_gap;    /* gap(t) - gap(t-1) */
    double *cumulative_gap;     /* sum of positive gaps to date */
    double *gap_share;          /* gap / E: gap as a share of net budget */
    double *reserves;           /* closing balance */
    double *reserves_use;       /* drawn from (+) or added to (-) reserves */
    double *contributions;      /* planned contributions to reserves */
    double *minimum_reserves;   /* the floor in £m that year */
    double *council_tax;        /* CT(t) */
    double *taxbase;            /* Band D equivalents */
    double *band_d;             /* £ per Band D */
    double *council_tax_rise;   /* core + ASC rise in year t */
    double *business_rates;     /* BR(t) */
    double *grants;             /* sum of grants */
    double *contingency;
    double *one_off;            /* sum of services' one-off items */
    double *savings_planned;    /* new recurring savings planned in year t */
    double *savings_delivered;  /* of which delivered */
    double *savings_undelivered;/* planned - delivered */
    /* Covid (model.md section 5); zero without a covid block. */
    double *covid_expenditure;  /* extra costs + lost income: in E(t) */
    double *covid_compensation; /* sales, fees and charges compensation */
    double *covid_deficit_charge; /* collection-fund deficits recovered this year */
    double *covid_funding;      /* compensation + grants - deficit charge: in F(t) */
    double *covid_pressure;     /* net: covid_expenditure - covid_funding */
    double *gap_without_covid;  /* gap - covid_pressure */
    double *formula_adjustment; /* fair-funding reform, part of funding */
    /* Capital financing (model.md section 10); zero without a capital block. */
    double *capital_programme;  /* P(t) */
    double *borrowing;          /* B(t): the programme's borrowing plus capitalisation */
    double *cfr;                /* CFR(t); [0] the opening CFR */
    double *mrp;                /* MRP(t): existing debt's plus each tranche's */
    double *capital_interest;   /* interest(t) */
    double *capital_financing;  /* MRP + interest + RCCO - capitalisation: in E(t) */
    /* Earmarked reserves (model.md section 11); zero without any, and then
     * usable_reserves equals reserves.  `reserves` is the general fund. */
    double *earmarked;          /* sum of the earmarked balances at year end */
    double *earmarked_drawn;    /* of use(t), the part drawn from earmarked reserves */
    double *usable_reserves;    /* general fund + earmarked */
    /* High-needs (DSG) deficit (docs/model.md section 11); zero without a dsg block. */
    double *dsg_in_year;            /* d(t): the year's deficit */
    double *dsg_cumulative;         /* D(t): held under the override (t = 0: the opening) */
    double *dsg_expenditure_charge; /* part of expenditure */
    double *dsg_reserves_charge;    /* taken from reserves, outside the gap */

    /* Per service, row-major [s * (horizon + 1) + t]. */
    double *service_recurring;  /* R_s(t): gross when the service has an income block */
    double *service_spending;   /* E_s(t) = R_s(t) - I_s(t) + one_off_s(t), net */
    double *service_inflation;  /* infl_s(t) */
    double *service_planned;    /* savings_s(t) */
    double *service_delivered;  /* savings_s(t) * delivery_s(t) */
    double *service_gross;      /* R_s(t) + one_off_s(t): gross spending */
    double *service_income;     /* I_s(t); 0 without an income block */
    /* Per grant, row-major [g * (horizon + 1) + t]. */
    double *grant_amount;
    /* Per price index, row-major [k * (horizon + 1) + t]: price_k(t), the
     * weighted mix of economy series (t >= 1; [0] is 0). */
    double *index_price;
    /* Per earmarked reserve, row-major [j * (horizon + 1) + t]. */
    double *earmarked_balance;  /* EM_j(t), year end */
    double *earmarked_gap_draw; /* drawn from it to cover the gap */
    double *earmarked_uncovered;/* planned uses beyond its balance, paid by the general fund */

    size_t below_minimum_index;    /* first t with reserves(t) (the general fund) < minimum(t); 0 = none */
    size_t exhausted_index;        /* first t with usable_reserves(t) < 0 (general fund
                                      plus earmarked run out); 0 = none */
    size_t referendum_index;       /* first t whose rise exceeds the limit; 0 = none */
    double council_tax_per_percent;/* £m raised by 1% council tax in year 1 */
} mtfs_projection;

/* Allocate a results record shaped for scenario s (NULL if out of memory). */
mtfs_projection *mtfs_projection_alloc(const mtfs_scenario *s);
void mtfs_projection_free(mtfs_projection *p);

/* Project scenario s into p (allocated for s).  Fails with MTFS_ENUMERIC,
 * naming the year and quantity, if any result is not finite. */
mtfs_status mtfs_project(const mtfs_scenario *s, mtfs_projection *p,
                         mtfs_error *err);

/* The same projection computing only what the gap, cumulative gap,
 * reserves and the below-minimum and exhausted years need: expenditure,
 * funding and their parts, gap, cumulative gap, reserves and the minimum
 * (and, on the way, each price index).  Those are bit-identical to mtfs_project's; every other
 * array (per service, per grant, savings, Covid detail, incremental gap,
 * gap share) is left as it was.  For loops
 * that only need the totals, such as Monte Carlo paths. */
mtfs_status mtfs_project_totals(const mtfs_scenario *s, mtfs_projection *p, mtfs_error *err);

/* Element t of service s (or grant g) in a row-major per-item array. */
#define MTFS_AT(p, array, item, t) ((p)->array[(item) * ((p)->horizon + 1) + (t)])

#ifdef __cplusplus
}
#endif
#endif
