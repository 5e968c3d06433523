/*
 * mtfs/bridge.h - the gap bridge: from the base-year budget to the gap of a
 * chosen year, split exactly into what moved it.
 *
 * The split is additive, year by year (docs/model-notes.md):
 *   pay    = R(t-1) * pay_share * pay(t)
 *   price  = R(t-1) * (1 - pay_share) * price(t)
 *   demand = R(t-1) * (1 + infl(t)) * demand(t)
 * and so on for every service and year, and likewise for council tax (rise,
 * then tax base, then collection), so the items sum to the gap exactly.
 * Each item is its contribution to the gap: positive widens it; funding
 * that grows is negative.
 */
#ifndef MTFS_BRIDGE_H
#define MTFS_BRIDGE_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MTFS_BRIDGE_BASE_BALANCE,   /* E(0) - F(0), the base-year imbalance: zero when the
                                   base year's funding inputs cover its budget */
    MTFS_BRIDGE_PAY,
    MTFS_BRIDGE_PRICE,
    MTFS_BRIDGE_DEMAND,
    MTFS_BRIDGE_GROWTH,         /* new pressures */
    MTFS_BRIDGE_SAVINGS,        /* savings delivered (negative) */
    MTFS_BRIDGE_INCOME,         /* services' income, -(I(T) - I(0)); only with an income block */
    MTFS_BRIDGE_ONE_OFF,
    MTFS_BRIDGE_CONTINGENCY,
    MTFS_BRIDGE_COVID_COSTS,
    MTFS_BRIDGE_CAPITAL,        /* capital financing (model.md section 10); only with a capital block */
    MTFS_BRIDGE_DSG,            /* high-needs deficit charged to spending (dsg block only) */
    MTFS_BRIDGE_CT_RISE,        /* council-tax rises (negative) */
    MTFS_BRIDGE_CT_TAXBASE,     /* tax-base growth (negative) */
    MTFS_BRIDGE_CT_COLLECTION,  /* collection rate and collection fund */
    MTFS_BRIDGE_BUSINESS_RATES,
    MTFS_BRIDGE_GRANTS,
    MTFS_BRIDGE_COVID_FUNDING,
    MTFS_BRIDGE_FAIR_FUNDING,   /* formula_adjustment (negative when a gain) */
    MTFS_BRIDGE_N
} mtfs_bridge_item;

typedef struct {
    size_t year_index;             /* t of the bridged year */
    double base_budget;            /* E(0) */
    double item[MTFS_BRIDGE_N];    /* contributions to gap(t), £m */
    double gap;                    /* gap(t), equal to the sum of item[] */
    int has_capital;               /* the capital item is shown (a capital block) */
    int has_dsg;                   /* the scenario has a dsg block: its item is shown */
    int has_income;                /* a service has an income block: its item is shown */
    double dsg_reserves;           /* high-needs deficit charged to reserves in years
                                      1..t: not in the gap, shown beside it */
} mtfs_bridge;

/* A base-year imbalance smaller than this (£m) is rounding: half the £0.1m
 * the tables show.  Published budgets, rounded to £0.1m, leave up to a few
 * £10k (docs/model.md, section 5). */
#define MTFS_BRIDGE_BALANCED 0.05

/* "Pay inflation", "Council-tax rises", ... */
const char *mtfs_bridge_label(mtfs_bridge_item item);
/* Short name for CSV and JSON: "pay", "ct_rise", ... */
const char *mtfs_bridge_key(mtfs_bridge_item item);
/* True when the writers show item i of bridge b: every item but capital
 * financing of a scenario without a capital block, the high-needs deficit's
 * without a dsg block and services' income without an income block (each
 * always 0 there). */
int mtfs_bridge_item_shown(const mtfs_bridge *b, mtfs_bridge_item item);
/* True for the funding-side items. */
int mtfs_bridge_is_funding(mtfs_bridge_item item);

/* The council's grouping of the items (docs/model.md section 5): what costs
 * more (pay, prices, demand, new pressures, one-off items, contingency, Covid
 * costs, capital financing, the high-needs charge) against income and
 * savings (savings delivered, services' income and every funding item).
 * The base-year imbalance is in neither; with it the two groups sum to the
 * gap. */
typedef enum {
    MTFS_BRIDGE_GROUP_BASE,
    MTFS_BRIDGE_GROUP_COSTS,
    MTFS_BRIDGE_GROUP_INCOME_SAVINGS
} mtfs_bridge_group;

mtfs_bridge_group mtfs_bridge_group_of(mtfs_bridge_item item);
/* The sum of bridge b's items in group g (each a contribution to the gap:
 * costs positive when they rise, income and savings negative when they
 * grow). */
double mtfs_bridge_group_total(const mtfs_bridge *b, mtfs_bridge_group g);

/* Bridge year index t (1..horizon) of projection p of scenario s. */
mtfs_status mtfs_bridge_compute(const mtfs_scenario *s, const mtfs_projection *p, size_t t,
                                mtfs_bridge *out, mtfs_error *err);

/* True when the base year's funding covers its budget to within
 * MTFS_BRIDGE_BALANCED: the bridge may then call its start "balanced";
 * otherwise every writer shows the imbalance as its own line. */
int mtfs_bridge_base_balanced(const mtfs_bridge *b);

/* What explains the difference between two scenarios: bridge b less bridge
 * a, item by item (b's item minus a's, the base-year imbalance included), so
 * out->item[] sums to out->gap = b->gap - a->gap exactly as each bridge sums
 * to its own gap.  out->base_budget is b's base-year budget less a's: each
 * gap is measured from its own base year, so it is no item of the sum.  The
 * two may bridge different years (a scenario's final year, say);
 * out->year_index is b's. */
void mtfs_bridge_difference(const mtfs_bridge *a, const mtfs_bridge *b, mtfs_bridge *out);

#ifdef __cplusplus
}
#endif
#endif
