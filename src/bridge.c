/*
 * bridge.c - the gap bridge (see mtfs/bridge.h for the decomposition).
 *
 * Recomputes each year's steps from the projection's recurring bases, so the
 * items are the model's own terms regrouped, and their sum is the gap to
 * rounding (tests check 1e-9 relative).
 */
#include "mtfs/bridge.h"
#include "scenario_int.h"

#include <math.h>

static const struct {
    const char *label;
    const char *key;
    int funding;
} items[MTFS_BRIDGE_N] = {
    [MTFS_BRIDGE_BASE_BALANCE] = {"Base-year imbalance (budget less funding)", "base_balance", 0},
    [MTFS_BRIDGE_PAY] = {"Pay inflation", "pay", 0},
    [MTFS_BRIDGE_PRICE] = {"Price inflation", "price", 0},
    [MTFS_BRIDGE_DEMAND] = {"Demand", "demand", 0},
    [MTFS_BRIDGE_GROWTH] = {"New pressures", "growth", 0},
    [MTFS_BRIDGE_SAVINGS] = {"Savings delivered", "savings", 0},
    [MTFS_BRIDGE_INCOME] = {"Services' income (fees, contributions)", "income", 0},
    [MTFS_BRIDGE_ONE_OFF] = {"One-off items", "one_off", 0},
    [MTFS_BRIDGE_CONTINGENCY] = {"Contingency", "contingency", 0},
    [MTFS_BRIDGE_COVID_COSTS] = {"Covid costs and lost income", "covid_costs", 0},
    [MTFS_BRIDGE_CAPITAL] = {"Capital financing", "capital_financing", 0},
    [MTFS_BRIDGE_DSG] = {"High-needs deficit charged", "dsg", 0},
    [MTFS_BRIDGE_CT_RISE] = {"Council-tax rises", "ct_rise", 1},
    [MTFS_BRIDGE_CT_TAXBASE] = {"Tax-base growth", "ct_taxbase", 1},
    [MTFS_BRIDGE_CT_COLLECTION] = {"Collection rate and fund", "ct_collection", 1},
    [MTFS_BRIDGE_BUSINESS_RATES] = {"Business rates", "business_rates", 1},
    [MTFS_BRIDGE_GRANTS] = {"Grants", "grants", 1},
    [MTFS_BRIDGE_COVID_FUNDING] = {"Covid grants, net of deficits", "covid_funding", 1},
    [MTFS_BRIDGE_FAIR_FUNDING] = {"Fair-funding reform", "fair_funding", 1},
};

const char *mtfs_bridge_label(mtfs_bridge_item item) { return items[item].label; }
const char *mtfs_bridge_key(mtfs_bridge_item item) { return items[item].key; }
int mtfs_bridge_is_funding(mtfs_bridge_item item) { return items[item].funding; }
int mtfs_bridge_item_shown(const mtfs_bridge *b, mtfs_bridge_item item)
{
    if (item == MTFS_BRIDGE_DSG)
        return b->has_dsg;
    if (item == MTFS_BRIDGE_INCOME)
        return b->has_income;
    return item != MTFS_BRIDGE_CAPITAL || b->has_capital;
}

mtfs_bridge_group mtfs_bridge_group_of(mtfs_bridge_item item)
{
    if (item == MTFS_BRIDGE_BASE_BALANCE)
        return MTFS_BRIDGE_GROUP_BASE;
    if (items[item].funding || item == MTFS_BRIDGE_SAVINGS || item == MTFS_BRIDGE_INCOME)
        return MTFS_BRIDGE_GROUP_INCOME_SAVINGS;
    return MTFS_BRIDGE_GROUP_COSTS;
}

double mtfs_bridge_group_total(const mtfs_bridge *b, mtfs_bridge_group g)
{
    double sum = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        if (mtfs_bridge_group_of((mtfs_bridge_item)i) == g)
            sum += b->item[i];
    return sum;
}

int mtfs_bridge_base_balanced(const mtfs_bridge *b)
{
    return fabs(b->item[MTFS_BRIDGE_BASE_BALANCE]) < MTFS_BRIDGE_BALANCED;
}

mtfs_status mtfs_bridge_compute(const mtfs_scenario *s, const mtfs_projection *p, size_t T,
                                mtfs_bridge *out, mtfs_error *err)
{
    if (T < 1 || T > p->horizon)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "bridge year index %zu is outside 1 to %zu", T, p->horizon);
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        out->item[i] = 0.0;
    out->year_index = T;
    out->base_budget = p->expenditure[0];
    out->has_income = 0;

    const double *pay = s->economy[s->pay].values;
    for (size_t i = 0; i < s->n_services; i++) {
        const mtfs_service *sv = &s->services[i];
        const mtfs_price_index *ix = &s->indices[sv->price_index];
        for (size_t t = 1; t <= T; t++) {
            double R = MTFS_AT(p, service_recurring, i, t - 1);
            double price = 0.0;
            for (size_t k = 0; k < ix->n_terms; k++)
                price += ix->weights[k] * s->economy[ix->series[k]].values[t];
            double infl = MTFS_AT(p, service_inflation, i, t);
            out->item[MTFS_BRIDGE_PAY] += R * sv->pay_share * pay[t];
            out->item[MTFS_BRIDGE_PRICE] += R * (1.0 - sv->pay_share) * price;
            out->item[MTFS_BRIDGE_DEMAND] += R * (1.0 + infl) * sv->demand[t];
            out->item[MTFS_BRIDGE_GROWTH] += sv->growth[t];
            out->item[MTFS_BRIDGE_SAVINGS] -= MTFS_AT(p, service_delivered, i, t);
        }
        /* With an income block R above is gross, so the income taken off
         * it is an item of its own: income that grows narrows the gap. */
        if (sv->has_income) {
            out->item[MTFS_BRIDGE_INCOME] -= MTFS_AT(p, service_income, i, T) - MTFS_AT(p, service_income, i, 0);
            out->has_income = 1;
        }
    }
    out->item[MTFS_BRIDGE_ONE_OFF] = p->one_off[T];
    out->item[MTFS_BRIDGE_CONTINGENCY] = p->contingency[T];
    out->item[MTFS_BRIDGE_COVID_COSTS] = p->covid_expenditure[T];
    out->item[MTFS_BRIDGE_CAPITAL] = p->capital_financing[T];
    out->has_capital = s->has_capital;
    /* The high-needs charge is zero in the base year, like the Covid costs. */
    out->item[MTFS_BRIDGE_DSG] = p->dsg_expenditure_charge[T];
    out->has_dsg = s->has_dsg;
    out->dsg_reserves = 0.0;
    for (size_t t = 1; t <= T; t++)
        out->dsg_reserves += p->dsg_reserves_charge[t];

    /* Council tax without the collection-fund item, X(t) = taxbase * band_d
     * * collection / 1e6, moves by X(t-1) * [(1+r)(1+g)(c(t)/c(t-1)) - 1];
     * taken in the order rise, tax base, collection, the parts add up. */
    double X = p->taxbase[0] * p->band_d[0] * s->collection_rate[1] / 1e6;
    double c_prev = s->collection_rate[1], fund_prev = 0.0;
    for (size_t t = 1; t <= T; t++) {
        double r = p->council_tax_rise[t], g = s->taxbase_growth[t], c = s->collection_rate[t];
        double rise = X * r, base = X * (1.0 + r) * g;
        double collection = X * (1.0 + r) * (1.0 + g) * (c / c_prev - 1.0);
        out->item[MTFS_BRIDGE_CT_RISE] -= rise;
        out->item[MTFS_BRIDGE_CT_TAXBASE] -= base;
        out->item[MTFS_BRIDGE_CT_COLLECTION] -= collection + s->collection_fund[t] - fund_prev;
        X += rise + base + collection;
        c_prev = c;
        fund_prev = s->collection_fund[t];
    }
    out->item[MTFS_BRIDGE_BUSINESS_RATES] = -(p->business_rates[T] - p->business_rates[0]);
    out->item[MTFS_BRIDGE_GRANTS] = -(p->grants[T] - p->grants[0]);
    out->item[MTFS_BRIDGE_COVID_FUNDING] = -p->covid_funding[T];
    out->item[MTFS_BRIDGE_FAIR_FUNDING] = -p->formula_adjustment[T];
    out->item[MTFS_BRIDGE_BASE_BALANCE] =
        p->expenditure[0] - (p->council_tax[0] + p->business_rates[0] + p->grants[0]);
    out->gap = p->gap[T];
    return MTFS_OK;
}

void mtfs_bridge_difference(const mtfs_bridge *a, const mtfs_bridge *b, mtfs_bridge *out)
{
    out->year_index = b->year_index;
    out->base_budget = b->base_budget - a->base_budget;
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        out->item[i] = b->item[i] - a->item[i];
    out->gap = b->gap - a->gap;
    out->has_capital = a->has_capital || b->has_capital;
    out->has_dsg = a->has_dsg || b->has_dsg;
    out->has_income = a->has_income || b->has_income;
    out->dsg_reserves = b->dsg_reserves - a->dsg_reserves;
}
